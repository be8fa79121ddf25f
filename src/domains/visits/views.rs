//! Pages of the visits slice: the public request form, the visit list and
//! figures, a visit with its members, itinerary, plan, outcomes and gifts,
//! an itinerary item with interpreters and seating, printable itinerary and
//! name cards, an organisation's timeline, the gift register.

use askama::Template;

use super::member::service::MemberView;
use super::model::{
    Gender, ItemKind, ItemStatus, OrgKind, OutcomeKind, OutcomeStatus, PlanArea, Side, TaskStatus,
    VisitStatus,
};
use super::records::{
    Gift, GiftMovement, Item, Member, Organisation, Outcome, Seat, Task, Transition, Visit,
};
use crate::domains::interpreting::service::Suggestion;
use crate::domains::interpreting::service::{Assignment, Interpreter};
use crate::domains::venues::model::Room;
use crate::i18n::{Bilingual, Lang};
use crate::reference::countries::Country;
use crate::web::PageCtx;
use crate::web::form::FormErrors;

/// The fields of the visit form (public request or staff).
#[derive(Default, Clone)]
pub struct VisitFields {
    pub organisation_id: String,
    pub organisation_name: String,
    pub organisation_name_zh: String,
    pub organisation_type: String,
    pub country: String,
    pub title_zh: String,
    pub title_en: String,
    pub purpose: String,
    pub preferred_from: String,
    pub preferred_to: String,
    pub starts_on: String,
    pub ends_on: String,
    pub party_size: String,
    pub languages: String,
    pub protocol_level: String,
    pub hosts: String,
    pub approval_ref: String,
    pub budget: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub status: String,
    pub consent: bool,
}

#[derive(Template)]
#[template(path = "visits/visit_form.html")]
pub struct VisitFormPage {
    pub ctx: PageCtx,
    /// Staff form (more fields, existing organisations) or the public request.
    pub staff: bool,
    pub f: VisitFields,
    pub errors: FormErrors,
    pub organisations: Vec<Organisation>,
}

impl VisitFormPage {
    pub fn kinds(&self) -> &'static [OrgKind] {
        OrgKind::ALL
    }

    pub fn countries(&self) -> Vec<Country> {
        crate::reference::countries::options(self.ctx.lang())
    }

    pub fn action(&self) -> &'static str {
        if self.staff { "/visits" } else { "/visit-request" }
    }
}

#[derive(Template)]
#[template(path = "visits/request_done.html")]
pub struct RequestDonePage {
    pub ctx: PageCtx,
    pub reference: String,
}

#[derive(Template)]
#[template(path = "visits/index.html")]
pub struct VisitsPage {
    pub ctx: PageCtx,
    pub visits: Vec<Visit>,
    /// The words searched for.
    pub text: String,
    pub status: String,
    pub kind: String,
    pub country: String,
    pub year: String,
    pub years: Vec<i64>,
    pub next_href: String,
}

impl VisitsPage {
    pub fn statuses(&self) -> &'static [VisitStatus] {
        VisitStatus::ALL
    }

    pub fn kinds(&self) -> &'static [OrgKind] {
        OrgKind::ALL
    }

    pub fn countries(&self) -> Vec<Country> {
        crate::reference::countries::options(self.ctx.lang())
    }

    pub fn country(&self, code: &str) -> String {
        crate::reference::countries::label(self.ctx.lang(), code)
    }
}

/// An item with its interpreters, for the visit page and the printout.
pub struct ItemLine {
    pub item: Item,
    pub when: String,
    /// The room or place in the reader's language, and in both (for print).
    pub room: String,
    pub place: Bilingual,
    pub assignments: Vec<Assignment>,
}

/// A visit move shown back for confirmation, with its warnings.
pub struct ConfirmMove {
    pub to: VisitStatus,
    pub reason: String,
    pub warnings: Vec<(&'static str, String)>,
}

/// Shown after a refused change (409) on the visit or item page.
#[derive(Default)]
pub struct Alert {
    pub message: String,
    pub lines: Vec<String>,
    /// For a repeated gift: the movement to confirm.
    pub repeat_gift: Option<(String, String, String)>,
    /// For an item whose room is taken: the free rooms and times, each a
    /// one-click form sending the item again there (label, fields).
    pub alternatives: Vec<(String, Vec<(String, String)>)>,
}

#[derive(Template)]
#[template(path = "visits/show.html")]
pub struct VisitPage {
    pub ctx: PageCtx,
    pub visit: Visit,
    pub history: Vec<Transition>,
    pub members: Vec<MemberView>,
    pub items: Vec<ItemLine>,
    pub tasks: Vec<Task>,
    pub outcomes: Vec<Outcome>,
    pub gifts: Vec<Gift>,
    pub given: Vec<GiftMovement>,
    pub rooms: Vec<Room>,
    pub staff: Vec<(String, String)>,
    pub notice: String,
    pub errors: FormErrors,
    pub alert: Alert,
    pub today: String,
    pub f: VisitFields,
    pub tz: jiff::tz::TimeZone,
    /// A move that waits for "yes" after being told what it means.
    pub confirm: Option<ConfirmMove>,
    /// The member being edited (`?member=`).
    pub editing: Option<MemberView>,
}

impl VisitPage {
    pub fn country(&self, code: &str) -> String {
        crate::reference::countries::label(self.ctx.lang(), code)
    }

    pub fn language(&self, tag: &str) -> String {
        crate::reference::languages::label(self.ctx.lang(), tag)
    }

    pub fn languages(&self, tags: &[String]) -> String {
        tags.iter().map(|t| self.language(t)).collect::<Vec<_>>().join(", ")
    }

    pub fn item_kinds(&self) -> &'static [ItemKind] {
        ItemKind::ALL
    }

    pub fn areas(&self) -> &'static [PlanArea] {
        PlanArea::ALL
    }

    pub fn genders(&self) -> &'static [Gender] {
        Gender::ALL
    }

    pub fn outcome_kinds(&self) -> &'static [OutcomeKind] {
        OutcomeKind::ALL
    }

    pub fn outcome_statuses(&self) -> &'static [OutcomeStatus] {
        OutcomeStatus::ALL
    }

    pub fn is_overdue(&self, t: &Task) -> bool {
        t.status == TaskStatus::Open && !t.due_on.is_empty() && t.due_on < self.today
    }

    pub fn is_open(&self) -> bool {
        self.visit.status.is_open()
    }

    pub fn source_key(&self) -> String {
        format!("visit-source-{}", self.visit.source)
    }

    pub fn at(&self, ms: &i64) -> String {
        crate::clock::Instant(*ms).display_in(&self.tz)
    }

    pub fn dates(&self) -> String {
        let (a, b) = self.visit.dates();
        if a == b || b.is_empty() { a.to_string() } else { format!("{a} – {b}") }
    }
}

#[derive(Template)]
#[template(path = "visits/item.html")]
pub struct ItemPage {
    pub ctx: PageCtx,
    pub visit: Visit,
    pub line: ItemLine,
    pub language: String,
    pub suggestions: Option<Vec<Suggestion>>,
    pub interpreters: Vec<Interpreter>,
    pub seats: Vec<Seat>,
    pub notice: String,
    pub alert: Alert,
    pub errors: FormErrors,
}

impl ItemPage {
    pub fn sides(&self) -> &'static [Side] {
        Side::ALL
    }

    pub fn language_name(&self, tag: &str) -> String {
        crate::reference::languages::label(self.ctx.lang(), tag)
    }

    /// The seats of a side, with empty rows to fill in (at least 6 in all).
    pub fn rows(&self, side: &Side) -> Vec<Seat> {
        let mut rows: Vec<Seat> = self.seats.iter().filter(|s| s.side == *side).cloned().collect();
        let blank = rows.len().max(4) + 2;
        while rows.len() < blank {
            rows.push(Seat {
                side: *side,
                position: rows.len() as i64 + 1,
                role: super::model::SeatRole::Principal,
                name_zh: String::new(),
                name_other: String::new(),
                title_zh: String::new(),
                title_other: String::new(),
            });
        }
        rows
    }

    pub fn statuses(&self) -> &'static [ItemStatus] {
        ItemStatus::ALL
    }
}

/// One folded name card: the same name on both faces.
pub struct Card {
    pub name_zh: String,
    pub name_other: String,
    pub title_zh: String,
    pub title_other: String,
    pub side: Side,
}

#[derive(Template)]
#[template(path = "visits/name_cards.html")]
pub struct CardsPage {
    pub ctx: PageCtx,
    pub visit: Visit,
    pub item: Item,
    pub cards: Vec<Card>,
}

#[derive(Template)]
#[template(path = "visits/itinerary_print.html")]
pub struct ItineraryPrintPage {
    pub ctx: PageCtx,
    pub visit: Visit,
    pub center: crate::center::Center,
    pub items: Vec<ItemLine>,
    pub members: Vec<Member>,
}

/// The itinerary print is read by both sides of the table: every word on it
/// is in Chinese and English, whatever the page's language.
impl ItineraryPrintPage {
    pub fn country(&self, code: &str) -> Bilingual {
        Bilingual::new(
            crate::reference::countries::label(Lang::Zh, code),
            crate::reference::countries::label(Lang::En, code),
        )
    }

    pub fn language(&self, tag: &str) -> String {
        let zh = crate::reference::languages::label(Lang::Zh, tag);
        let en = crate::reference::languages::label(Lang::En, tag);
        if zh == en { zh } else { format!("{zh} {en}") }
    }
}

pub struct FigureRow {
    pub kind: OrgKind,
    pub groups: i64,
    pub persons: i64,
}

#[derive(Template)]
#[template(path = "visits/figures.html")]
pub struct FiguresPage {
    pub ctx: PageCtx,
    pub from: String,
    pub as_of: String,
    pub rows: Vec<FigureRow>,
    pub total_groups: i64,
    pub total_persons: i64,
    pub quote: String,
    pub errors: FormErrors,
}

#[derive(Template)]
#[template(path = "visits/organisation.html")]
pub struct OrganisationPage {
    pub ctx: PageCtx,
    pub org: Organisation,
    pub visits: Vec<Visit>,
    pub outcomes: Vec<Outcome>,
    pub gifts: Vec<GiftMovement>,
    pub errors: FormErrors,
}

impl OrganisationPage {
    pub fn country(&self, code: &str) -> String {
        crate::reference::countries::label(self.ctx.lang(), code)
    }

    pub fn kinds(&self) -> &'static [OrgKind] {
        OrgKind::ALL
    }

    pub fn countries(&self) -> Vec<Country> {
        crate::reference::countries::options(self.ctx.lang())
    }
}

#[derive(Template)]
#[template(path = "visits/gifts.html")]
pub struct GiftsPage {
    pub ctx: PageCtx,
    pub gifts: Vec<Gift>,
    pub movements: Vec<GiftMovement>,
    pub errors: FormErrors,
    pub notice: String,
}

/// Yuan from fen, for display.
pub fn yuan(fen: &i64) -> String {
    format!("{}.{:02}", fen / 100, (fen % 100).abs())
}
