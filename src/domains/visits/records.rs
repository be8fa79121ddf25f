//! The records of the visits slice as the store returns them.

use super::model::{
    Gender, ItemKind, ItemStatus, OrgKind, OutcomeKind, OutcomeStatus, PlanArea, SeatRole, Side,
    TaskStatus, VisitStatus,
};
use crate::i18n::Bilingual;
use crate::time::Span;

#[derive(Debug, Clone)]
pub struct Organisation {
    pub id: String,
    pub center_id: String,
    pub kind: OrgKind,
    pub country: String,
    pub name: Bilingual,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub notes: String,
    pub created_at: i64,
}

#[derive(Debug, Clone)]
pub struct Visit {
    pub id: String,
    pub center_id: String,
    pub reference: String,
    pub organisation_id: String,
    pub org_name: Bilingual,
    pub kind: OrgKind,
    pub country: String,
    pub status: VisitStatus,
    pub status_reason: String,
    pub title: Bilingual,
    pub purpose: String,
    pub preferred_from: String,
    pub preferred_to: String,
    pub starts_on: String,
    pub ends_on: String,
    pub year: i64,
    pub party_size: i64,
    pub languages: Vec<String>,
    pub protocol_level: String,
    pub hosts: String,
    pub approval_ref: String,
    pub budget: String,
    pub summary: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    /// `public` or `staff`.
    pub source: String,
    pub consent_at: Option<i64>,
    pub retention_until: String,
    pub purged_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Visit {
    /// The dates to show: the agreed ones, else the preferred ones.
    pub fn dates(&self) -> (&str, &str) {
        if self.starts_on.is_empty() {
            (&self.preferred_from, &self.preferred_to)
        } else {
            (&self.starts_on, &self.ends_on)
        }
    }
}

/// One entry of a visit's status history.
#[derive(Debug, Clone)]
pub struct Transition {
    pub from: String,
    pub to: String,
    pub reason: String,
    pub actor_label: String,
    pub at: i64,
}

#[derive(Debug, Clone)]
pub struct Member {
    pub id: String,
    pub visit_id: String,
    pub position: i64,
    pub surname: String,
    pub given_name: String,
    pub name_zh: String,
    pub gender: Option<Gender>,
    pub title: Bilingual,
    pub organisation: String,
    pub languages: Vec<String>,
    pub dietary: String,
    pub email: String,
    pub phone: String,
    pub is_head: bool,
    /// Sealed; empty when none was given or it was purged.
    pub passport_enc: String,
}

impl Member {
    /// "SURNAME Given" as printed on name cards and lists.
    pub fn passport_name(&self) -> String {
        if self.given_name.is_empty() {
            self.surname.to_uppercase()
        } else {
            format!("{} {}", self.surname.to_uppercase(), self.given_name)
        }
    }
}

#[derive(Debug, Clone)]
pub struct Item {
    pub id: String,
    pub center_id: String,
    pub visit_id: String,
    pub kind: ItemKind,
    pub title: Bilingual,
    pub span: Span,
    pub room_id: Option<String>,
    pub booking_id: Option<String>,
    pub place: Bilingual,
    pub participants: String,
    pub notes: String,
    pub status: ItemStatus,
}

#[derive(Debug, Clone)]
pub struct Task {
    pub id: String,
    pub visit_id: String,
    pub visit_reference: String,
    pub area: PlanArea,
    pub title: String,
    pub owner_id: Option<String>,
    pub owner_name: String,
    pub due_on: String,
    pub status: TaskStatus,
}

#[derive(Debug, Clone)]
pub struct Seat {
    pub side: Side,
    pub position: i64,
    pub role: SeatRole,
    pub name_zh: String,
    pub name_other: String,
    pub title_zh: String,
    pub title_other: String,
}

#[derive(Debug, Clone)]
pub struct Gift {
    pub id: String,
    pub name: Bilingual,
    /// Fen.
    pub unit_value: i64,
    pub stock: i64,
}

#[derive(Debug, Clone)]
pub struct GiftMovement {
    pub id: String,
    pub gift_id: String,
    pub gift_name: Bilingual,
    pub quantity: i64,
    pub visit_id: Option<String>,
    pub organisation_id: Option<String>,
    pub organisation_name: Bilingual,
    pub recipient: String,
    pub note: String,
    pub at: i64,
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub id: String,
    pub organisation_id: String,
    pub organisation_name: Bilingual,
    pub visit_id: Option<String>,
    pub kind: OutcomeKind,
    pub title: Bilingual,
    pub parties: String,
    pub signed_on: String,
    pub document_ref: String,
    pub owner_id: Option<String>,
    pub owner_name: String,
    pub next_action: String,
    pub next_action_on: String,
    pub status: OutcomeStatus,
}
