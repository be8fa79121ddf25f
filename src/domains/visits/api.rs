//! The visits JSON API (DESIGN.md §4): requests, visits and their
//! lifecycle, members, itinerary items and their interpreters, seating,
//! tasks, outcomes, gifts, organisations and figures.

use axum::extract::State;
use axum::response::Response;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use super::model::{SeatRole, Side};
use super::records::{Gift, GiftMovement, Item, Organisation, Outcome, Seat, Task, Visit};
use super::service::{
    self, GiftMove, ItemInput, MemberInput, MemberView, OutcomeInput, VisitInput,
};
use super::store::VisitFilter;
use crate::auth::Perm;
use crate::clock::Instant;
use crate::domains::centers::service as centers;
use crate::domains::interpreting::api::{AssignmentJson, assignment_json};
use crate::domains::interpreting::service::{self as interpreting, Suggestion};
use crate::error::{AppError, AppResult};
use crate::i18n::Bilingual;
use crate::reference::countries::country;
use crate::state::AppState;
use crate::time::Span;
use crate::web::extract::{Json, Path, Query};
use crate::web::{ReqCtx, created};

// ---------------------------------------------------------------- shapes

#[derive(Serialize, utoipa::ToSchema)]
pub struct VisitJson {
    pub id: String,
    /// Short reference people quote, e.g. `V-2026-031`.
    pub reference: String,
    /// inquiry, request_received, under_review, approved, declined, planning,
    /// confirmed, in_progress, completed, follow_up, closed, postponed, cancelled.
    pub status: String,
    /// Why it was declined, cancelled or postponed.
    pub status_reason: String,
    /// The statuses it may move to next.
    pub allowed_transitions: Vec<String>,
    pub organisation_id: String,
    pub organisation_name_zh: String,
    pub organisation_name_en: String,
    pub organisation_type: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub country_name_zh: String,
    pub country_name_en: String,
    pub title_zh: String,
    pub title_en: String,
    pub purpose: String,
    pub preferred_from: String,
    pub preferred_to: String,
    pub starts_on: String,
    pub ends_on: String,
    pub party_size: i64,
    /// BCP 47 tags.
    pub languages: Vec<String>,
    pub protocol_level: String,
    pub hosts: String,
    pub approval_ref: String,
    pub budget: String,
    pub summary: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    /// `public` (the request form) or `staff`.
    pub source: String,
    /// The date after which its personal data is purged.
    pub retention_until: String,
    pub created_at: String,
}

pub fn visit_json(v: &Visit, tz: &TimeZone) -> VisitJson {
    let c = country(&v.country);
    VisitJson {
        id: v.id.clone(),
        reference: v.reference.clone(),
        status: v.status.code().into(),
        status_reason: v.status_reason.clone(),
        allowed_transitions: v.status.next().iter().map(|s| s.code().to_string()).collect(),
        organisation_id: v.organisation_id.clone(),
        organisation_name_zh: v.org_name.zh.clone(),
        organisation_name_en: v.org_name.en.clone(),
        organisation_type: v.kind.code().into(),
        country: v.country.clone(),
        country_name_zh: c.map(|c| c.zh.to_string()).unwrap_or_default(),
        country_name_en: c.map(|c| c.en.to_string()).unwrap_or_default(),
        title_zh: v.title.zh.clone(),
        title_en: v.title.en.clone(),
        purpose: v.purpose.clone(),
        preferred_from: v.preferred_from.clone(),
        preferred_to: v.preferred_to.clone(),
        starts_on: v.starts_on.clone(),
        ends_on: v.ends_on.clone(),
        party_size: v.party_size,
        languages: v.languages.clone(),
        protocol_level: v.protocol_level.clone(),
        hosts: v.hosts.clone(),
        approval_ref: v.approval_ref.clone(),
        budget: v.budget.clone(),
        summary: v.summary.clone(),
        contact_name: v.contact_name.clone(),
        contact_email: v.contact_email.clone(),
        contact_phone: v.contact_phone.clone(),
        source: v.source.clone(),
        retention_until: v.retention_until.clone(),
        created_at: Instant(v.created_at).rfc3339_in(tz),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct VisitList {
    pub items: Vec<VisitJson>,
    pub next_cursor: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TransitionJson {
    pub from: String,
    pub to: String,
    pub reason: String,
    pub by: String,
    pub at: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MemberJson {
    pub id: String,
    pub position: i64,
    /// As in the passport, Latin script.
    pub surname: String,
    pub given_name: String,
    pub name_zh: String,
    /// f, m, x or empty.
    pub gender: String,
    pub title_zh: String,
    pub title_en: String,
    pub organisation: String,
    pub languages: Vec<String>,
    pub dietary: String,
    pub email: String,
    pub phone: String,
    pub is_head: bool,
    /// Masked: only the last four characters show; empty when none is held.
    pub passport_masked: String,
}

fn member_json(m: &MemberView) -> MemberJson {
    let x = &m.member;
    MemberJson {
        id: x.id.clone(),
        position: x.position,
        surname: x.surname.clone(),
        given_name: x.given_name.clone(),
        name_zh: x.name_zh.clone(),
        gender: x.gender.map(|g| g.code().to_string()).unwrap_or_default(),
        title_zh: x.title.zh.clone(),
        title_en: x.title.en.clone(),
        organisation: x.organisation.clone(),
        languages: x.languages.clone(),
        dietary: x.dietary.clone(),
        email: x.email.clone(),
        phone: x.phone.clone(),
        is_head: x.is_head,
        passport_masked: m.passport_masked.clone(),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ItemJson {
    pub id: String,
    pub visit_id: String,
    /// arrival, meeting, talks, banquet, site_visit, signing, event, departure.
    pub kind: String,
    pub title_zh: String,
    pub title_en: String,
    pub starts_at: String,
    pub ends_at: String,
    pub room_id: Option<String>,
    /// The venue booking holding the room.
    pub booking_id: Option<String>,
    pub place_zh: String,
    pub place_en: String,
    pub participants: String,
    pub notes: String,
    /// tentative, confirmed or cancelled.
    pub status: String,
    pub interpreters: Vec<AssignmentJson>,
}

fn item_json(i: &Item, assignments: Vec<AssignmentJson>, tz: &TimeZone) -> ItemJson {
    ItemJson {
        id: i.id.clone(),
        visit_id: i.visit_id.clone(),
        kind: i.kind.code().into(),
        title_zh: i.title.zh.clone(),
        title_en: i.title.en.clone(),
        starts_at: Instant(i.span.start).rfc3339_in(tz),
        ends_at: Instant(i.span.end).rfc3339_in(tz),
        room_id: i.room_id.clone(),
        booking_id: i.booking_id.clone(),
        place_zh: i.place.zh.clone(),
        place_en: i.place.en.clone(),
        participants: i.participants.clone(),
        notes: i.notes.clone(),
        status: i.status.code().into(),
        interpreters: assignments,
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TaskJson {
    pub id: String,
    pub visit_id: String,
    /// interpretation, media, gifts, transport_lodging, materials, venue_setup, security.
    pub area: String,
    pub title: String,
    pub owner_id: Option<String>,
    pub owner_name: String,
    pub due_on: String,
    /// open, done or dropped.
    pub status: String,
}

fn task_json(t: &Task) -> TaskJson {
    TaskJson {
        id: t.id.clone(),
        visit_id: t.visit_id.clone(),
        area: t.area.code().into(),
        title: t.title.clone(),
        owner_id: t.owner_id.clone(),
        owner_name: t.owner_name.clone(),
        due_on: t.due_on.clone(),
        status: t.status.code().into(),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OutcomeJson {
    pub id: String,
    pub organisation_id: String,
    pub organisation_name_zh: String,
    pub organisation_name_en: String,
    pub visit_id: Option<String>,
    /// mou, agreement, letter_of_intent, project_lead, investment, return_visit.
    pub kind: String,
    pub title_zh: String,
    pub title_en: String,
    pub parties: String,
    pub signed_on: String,
    pub document_ref: String,
    pub owner_id: Option<String>,
    pub owner_name: String,
    pub next_action: String,
    pub next_action_on: String,
    /// proposed, signed, in_progress, realised, dormant, terminated.
    pub status: String,
}

fn outcome_json(o: &Outcome) -> OutcomeJson {
    OutcomeJson {
        id: o.id.clone(),
        organisation_id: o.organisation_id.clone(),
        organisation_name_zh: o.organisation_name.zh.clone(),
        organisation_name_en: o.organisation_name.en.clone(),
        visit_id: o.visit_id.clone(),
        kind: o.kind.code().into(),
        title_zh: o.title.zh.clone(),
        title_en: o.title.en.clone(),
        parties: o.parties.clone(),
        signed_on: o.signed_on.clone(),
        document_ref: o.document_ref.clone(),
        owner_id: o.owner_id.clone(),
        owner_name: o.owner_name.clone(),
        next_action: o.next_action.clone(),
        next_action_on: o.next_action_on.clone(),
        status: o.status.code().into(),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct VisitDetailJson {
    #[serde(flatten)]
    pub visit: VisitJson,
    pub history: Vec<TransitionJson>,
    pub members: Vec<MemberJson>,
    pub itinerary: Vec<ItemJson>,
    pub tasks: Vec<TaskJson>,
    pub outcomes: Vec<OutcomeJson>,
}

// ---------------------------------------------------------------- requests

/// A visit request from the public (no login).
#[derive(Deserialize, utoipa::ToSchema)]
pub struct VisitRequestJson {
    pub organisation_name: String,
    /// The name in Chinese, if the sender has one.
    #[serde(default)]
    pub organisation_name_zh: String,
    /// embassy_consulate, foreign_local_government, business_association,
    /// foreign_enterprise, hk_macao_org, international_org, domestic, other.
    pub organisation_type: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub purpose: String,
    /// `YYYY-MM-DD`.
    pub preferred_from: String,
    pub preferred_to: String,
    pub party_size: i64,
    /// BCP 47 tags of the languages the party needs.
    #[serde(default)]
    pub languages: Vec<String>,
    pub contact_name: String,
    pub contact_email: String,
    #[serde(default)]
    pub contact_phone: String,
    /// Consent to the privacy notice; must be `true`.
    pub consent: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct VisitRequestCreated {
    pub id: String,
    pub reference: String,
    /// `request_received`.
    pub status: String,
}

/// Asks the center for a visit. No login; limited per client address.
#[utoipa::path(post, path = "/api/v1/visit-requests", tag = "visits", request_body = VisitRequestJson,
    responses((status = 201, body = VisitRequestCreated), (status = 422, description = "invalid field"),
              (status = 429, description = "too many requests from this address")))]
pub async fn requests_create(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Json(b): Json<VisitRequestJson>,
) -> AppResult<Response> {
    let center = centers::public_center(&state).await?.ok_or(AppError::NotFound)?;
    let input = VisitInput {
        organisation_name: Bilingual::new(b.organisation_name_zh, b.organisation_name),
        organisation_type: b.organisation_type,
        country: b.country,
        purpose: b.purpose,
        preferred_from: b.preferred_from,
        preferred_to: b.preferred_to,
        party_size: b.party_size,
        languages: b.languages.join(","),
        contact_name: b.contact_name,
        contact_email: b.contact_email,
        contact_phone: b.contact_phone,
        consent: b.consent,
        ..VisitInput::default()
    };
    let v = service::request(&state, &ctx.who(), &center.id, input).await?;
    Ok(created(
        format!("/api/v1/visits/{}", v.id),
        VisitRequestCreated { id: v.id, reference: v.reference, status: v.status.code().into() },
    ))
}

// ---------------------------------------------------------------- visits

#[derive(Deserialize, utoipa::IntoParams)]
pub struct VisitQuery {
    #[serde(default)]
    pub status: String,
    /// Counterpart type.
    #[serde(default, rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub country: String,
    /// A year such as 2024 (empty: any).
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub organisation_id: String,
    #[serde(default)]
    pub cursor: String,
    #[serde(default)]
    pub limit: Option<i64>,
}

impl VisitQuery {
    pub fn filter(&self, center_id: &str) -> VisitFilter {
        VisitFilter {
            center_id: center_id.into(),
            status: self.status.trim().into(),
            kind: self.kind.trim().into(),
            country: self.country.trim().to_ascii_uppercase(),
            year: self.year.trim().parse().unwrap_or(0),
            organisation_id: self.organisation_id.trim().into(),
            before: self.cursor.trim().into(),
            limit: self.limit.unwrap_or(50).clamp(1, 200),
        }
    }
}

/// Visits of the caller's center, newest first, filtered.
#[utoipa::path(get, path = "/api/v1/visits", tag = "visits", params(VisitQuery),
    responses((status = 200, body = VisitList), (status = 401), (status = 403)), security(("bearer" = [])))]
pub async fn visits_index(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Query(q): Query<VisitQuery>,
) -> AppResult<Json<VisitList>> {
    let (_, center_id) = ctx.require_center(Perm::ManageVisits)?;
    let tz = centers::tz(&state, &center_id).await?;
    let f = q.filter(&center_id);
    let mut rows = service::list(&state, &VisitFilter { limit: f.limit + 1, ..f.clone() }).await?;
    let next_cursor = if rows.len() as i64 > f.limit {
        rows.truncate(f.limit as usize);
        rows.last().map(|v| v.id.clone())
    } else {
        None
    };
    Ok(Json(VisitList { items: rows.iter().map(|v| visit_json(v, &tz)).collect(), next_cursor }))
}

/// A visit made by staff.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewVisitJson {
    /// An existing organisation; otherwise give its names, type and country.
    #[serde(default)]
    pub organisation_id: String,
    #[serde(default)]
    pub organisation_name_zh: String,
    #[serde(default)]
    pub organisation_name_en: String,
    #[serde(default)]
    pub organisation_type: String,
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub title_zh: String,
    #[serde(default)]
    pub title_en: String,
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub preferred_from: String,
    #[serde(default)]
    pub preferred_to: String,
    #[serde(default)]
    pub starts_on: String,
    #[serde(default)]
    pub ends_on: String,
    pub party_size: i64,
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub protocol_level: String,
    #[serde(default)]
    pub hosts: String,
    #[serde(default)]
    pub approval_ref: String,
    #[serde(default)]
    pub budget: String,
    #[serde(default)]
    pub contact_name: String,
    #[serde(default)]
    pub contact_email: String,
    #[serde(default)]
    pub contact_phone: String,
    /// `inquiry` or `request_received` (default).
    #[serde(default)]
    pub status: String,
    /// `YYYY-MM-DD`; default a year after the visit.
    #[serde(default)]
    pub retention_until: String,
    /// Only for updates.
    #[serde(default)]
    pub summary: String,
}

impl NewVisitJson {
    fn input(self) -> (VisitInput, String) {
        (
            VisitInput {
                organisation_id: self.organisation_id,
                organisation_name: Bilingual::new(
                    self.organisation_name_zh,
                    self.organisation_name_en,
                ),
                organisation_type: self.organisation_type,
                country: self.country,
                title: Bilingual::new(self.title_zh, self.title_en),
                purpose: self.purpose,
                preferred_from: self.preferred_from,
                preferred_to: self.preferred_to,
                starts_on: self.starts_on,
                ends_on: self.ends_on,
                party_size: self.party_size,
                languages: self.languages.join(","),
                protocol_level: self.protocol_level,
                hosts: self.hosts,
                approval_ref: self.approval_ref,
                budget: self.budget,
                contact_name: self.contact_name,
                contact_email: self.contact_email,
                contact_phone: self.contact_phone,
                consent: false,
                status: self.status,
                retention_until: self.retention_until,
            },
            self.summary,
        )
    }
}

#[utoipa::path(post, path = "/api/v1/visits", tag = "visits", request_body = NewVisitJson,
    responses((status = 201, body = VisitJson), (status = 422)), security(("bearer" = [])))]
pub async fn visits_create(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Json(b): Json<NewVisitJson>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.require_center(Perm::ManageVisits)?;
    let (input, _) = b.input();
    let v = service::create(&state, &ctx.who(), &user, input).await?;
    let tz = centers::tz(&state, &center_id).await?;
    Ok(created(format!("/api/v1/visits/{}", v.id), visit_json(&v, &tz)))
}

/// Replaces the editable details of a visit (not its status or organisation).
#[utoipa::path(put, path = "/api/v1/visits/{id}", tag = "visits", params(("id" = String, Path)),
    request_body = NewVisitJson, responses((status = 200, body = VisitJson), (status = 422)), security(("bearer" = [])))]
pub async fn visits_update(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<NewVisitJson>,
) -> AppResult<Json<VisitJson>> {
    let (user, center_id) = ctx.require_center(Perm::ManageVisits)?;
    let (input, summary) = b.input();
    let v = service::update(&state, &ctx.who(), &user, &id, input, &summary).await?;
    let tz = centers::tz(&state, &center_id).await?;
    Ok(Json(visit_json(&v, &tz)))
}

/// A visit with its history, members, itinerary (and interpreters), tasks and outcomes.
#[utoipa::path(get, path = "/api/v1/visits/{id}", tag = "visits", params(("id" = String, Path)),
    responses((status = 200, body = VisitDetailJson), (status = 404)), security(("bearer" = [])))]
pub async fn visits_show(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<Json<VisitDetailJson>> {
    let (_, center_id) = ctx.require_center(Perm::ManageVisits)?;
    let v = service::visit_in(&state, &center_id, &id).await?;
    let tz = centers::tz(&state, &center_id).await?;
    let items = service::items(&state, &v.id).await?;
    let assignments = service::assignments(&state, &items).await?;
    Ok(Json(VisitDetailJson {
        history: service::history(&state, &v.id)
            .await?
            .into_iter()
            .map(|t| TransitionJson {
                from: t.from,
                to: t.to,
                reason: t.reason,
                by: t.actor_label,
                at: Instant(t.at).rfc3339_in(&tz),
            })
            .collect(),
        members: service::members(&state, &v.id).await?.iter().map(member_json).collect(),
        itinerary: items
            .iter()
            .map(|i| {
                let mine = assignments
                    .iter()
                    .filter(|a| a.item_id == i.id)
                    .map(|a| assignment_json(a, &tz))
                    .collect();
                item_json(i, mine, &tz)
            })
            .collect(),
        tasks: service::tasks(&state, &v.id).await?.iter().map(task_json).collect(),
        outcomes: service::outcomes(&state, &center_id, &v.id, "")
            .await?
            .iter()
            .map(outcome_json)
            .collect(),
        visit: visit_json(&v, &tz),
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct TransitionRequest {
    /// The status to move to.
    pub to: String,
    /// Required for declined, cancelled and postponed.
    #[serde(default)]
    pub reason: String,
}

/// Moves a visit along its lifecycle; 409 when not allowed from its status.
#[utoipa::path(post, path = "/api/v1/visits/{id}/transition", tag = "visits", params(("id" = String, Path)),
    request_body = TransitionRequest,
    responses((status = 200, body = VisitJson), (status = 409, description = "not allowed from the current status"),
              (status = 422)), security(("bearer" = [])))]
pub async fn visits_transition(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<TransitionRequest>,
) -> AppResult<Json<VisitJson>> {
    let (user, center_id) = ctx.require_center(Perm::ManageVisits)?;
    let v = service::transition(&state, &ctx.who(), &user, &id, &b.to, &b.reason).await?;
    let tz = centers::tz(&state, &center_id).await?;
    Ok(Json(visit_json(&v, &tz)))
}

// ---------------------------------------------------------------- members

#[derive(Serialize, utoipa::ToSchema)]
pub struct MemberList {
    pub items: Vec<MemberJson>,
    pub next_cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/visits/{id}/members", tag = "visits", params(("id" = String, Path)),
    responses((status = 200, body = MemberList)), security(("bearer" = [])))]
pub async fn members_index(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<Json<MemberList>> {
    let (_, center_id) = ctx.require_center(Perm::ManageVisits)?;
    let v = service::visit_in(&state, &center_id, &id).await?;
    let items = service::members(&state, &v.id).await?.iter().map(member_json).collect();
    Ok(Json(MemberList { items, next_cursor: None }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewMemberJson {
    /// As in the passport, Latin script.
    pub surname: String,
    #[serde(default)]
    pub given_name: String,
    #[serde(default)]
    pub name_zh: String,
    /// f, m or x.
    #[serde(default)]
    pub gender: String,
    #[serde(default)]
    pub title_zh: String,
    #[serde(default)]
    pub title_en: String,
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub languages: Vec<String>,
    /// Free text; never a religion field.
    #[serde(default)]
    pub dietary: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub is_head: bool,
    /// Only when a real purpose needs it; stored sealed, shown masked.
    #[serde(default)]
    pub passport_number: String,
}

#[utoipa::path(post, path = "/api/v1/visits/{id}/members", tag = "visits", params(("id" = String, Path)),
    request_body = NewMemberJson, responses((status = 201, body = MemberJson), (status = 422)), security(("bearer" = [])))]
pub async fn members_create(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<NewMemberJson>,
) -> AppResult<Response> {
    let (user, _) = ctx.require_center(Perm::ManageVisits)?;
    let input = MemberInput {
        surname: b.surname,
        given_name: b.given_name,
        name_zh: b.name_zh,
        gender: b.gender,
        title: Bilingual::new(b.title_zh, b.title_en),
        organisation: b.organisation,
        languages: b.languages.join(","),
        dietary: b.dietary,
        email: b.email,
        phone: b.phone,
        is_head: b.is_head,
        passport: b.passport_number,
    };
    let m = service::add_member(&state, &ctx.who(), &user, &id, input).await?;
    let view = service::members(&state, &id)
        .await?
        .into_iter()
        .find(|x| x.member.id == m.id)
        .ok_or(AppError::NotFound)?;
    Ok(created(format!("/api/v1/visits/{id}/members/{}", m.id), member_json(&view)))
}

#[utoipa::path(delete, path = "/api/v1/visits/{id}/members/{member_id}", tag = "visits",
    params(("id" = String, Path), ("member_id" = String, Path)),
    responses((status = 204), (status = 404)), security(("bearer" = [])))]
pub async fn members_delete(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path((id, member_id)): Path<(String, String)>,
) -> AppResult<axum::http::StatusCode> {
    let (user, _) = ctx.require_center(Perm::ManageVisits)?;
    service::remove_member(&state, &ctx.who(), &user, &id, &member_id).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------- itinerary

#[derive(Serialize, utoipa::ToSchema)]
pub struct ItemList {
    pub items: Vec<ItemJson>,
    pub next_cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/visits/{id}/itinerary-items", tag = "visits", params(("id" = String, Path)),
    responses((status = 200, body = ItemList)), security(("bearer" = [])))]
pub async fn items_index(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<Json<ItemList>> {
    let (_, center_id) = ctx.require_center(Perm::ManageVisits)?;
    let v = service::visit_in(&state, &center_id, &id).await?;
    let tz = centers::tz(&state, &center_id).await?;
    let items = service::items(&state, &v.id).await?;
    let assignments = service::assignments(&state, &items).await?;
    let items = items
        .iter()
        .map(|i| {
            let mine = assignments
                .iter()
                .filter(|a| a.item_id == i.id)
                .map(|a| assignment_json(a, &tz))
                .collect();
            item_json(i, mine, &tz)
        })
        .collect();
    Ok(Json(ItemList { items, next_cursor: None }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewItemJson {
    /// arrival, meeting, talks, banquet, site_visit, signing, event, departure.
    pub kind: String,
    #[serde(default)]
    pub title_zh: String,
    #[serde(default)]
    pub title_en: String,
    /// RFC 3339.
    pub starts_at: String,
    pub ends_at: String,
    /// A room of the center: booked through venues (409 on a conflict).
    #[serde(default)]
    pub room_id: Option<String>,
    #[serde(default)]
    pub place_zh: String,
    #[serde(default)]
    pub place_en: String,
    #[serde(default)]
    pub participants: String,
    #[serde(default)]
    pub notes: String,
    /// tentative (default) or confirmed.
    #[serde(default)]
    pub status: String,
    /// Seats needed in the room (default: party size + 2).
    #[serde(default)]
    pub attendees: Option<i64>,
}

#[utoipa::path(post, path = "/api/v1/visits/{id}/itinerary-items", tag = "visits", params(("id" = String, Path)),
    request_body = NewItemJson,
    responses((status = 201, body = ItemJson), (status = 409, description = "the room is taken (conflicts and alternatives)"),
              (status = 422)), security(("bearer" = [])))]
pub async fn items_create(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<NewItemJson>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.require_center(Perm::ManageVisits)?;
    let span = match (Instant::parse_rfc3339(&b.starts_at), Instant::parse_rfc3339(&b.ends_at)) {
        (Some(s), Some(e)) => Some(Span { start: s.millis(), end: e.millis() }),
        (None, _) => return Err(AppError::invalid("starts_at", "field-invalid-instant")),
        (_, None) => return Err(AppError::invalid("ends_at", "field-invalid-instant")),
    };
    let input = ItemInput {
        kind: b.kind,
        title: Bilingual::new(b.title_zh, b.title_en),
        span,
        room_id: b.room_id.unwrap_or_default(),
        place: Bilingual::new(b.place_zh, b.place_en),
        participants: b.participants,
        notes: b.notes,
        status: b.status,
        attendees: b.attendees.unwrap_or(0),
    };
    let item = service::add_item(&state, &ctx.who(), &user, &id, input).await?;
    let tz = centers::tz(&state, &center_id).await?;
    Ok(created(format!("/api/v1/itinerary-items/{}", item.id), item_json(&item, vec![], &tz)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ItemTransitionJson {
    /// tentative, confirmed or cancelled (cancelling frees the room and interpreters).
    pub to: String,
}

#[utoipa::path(post, path = "/api/v1/itinerary-items/{id}/transition", tag = "visits", params(("id" = String, Path)),
    request_body = ItemTransitionJson, responses((status = 200, body = ItemJson), (status = 409)), security(("bearer" = [])))]
pub async fn items_transition(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<ItemTransitionJson>,
) -> AppResult<Json<ItemJson>> {
    let (user, center_id) = ctx.require_center(Perm::ManageVisits)?;
    let item = service::set_item_status(&state, &ctx.who(), &user, &id, &b.to).await?;
    let tz = centers::tz(&state, &center_id).await?;
    let assignments = service::assignments(&state, std::slice::from_ref(&item)).await?;
    Ok(Json(item_json(&item, assignments.iter().map(|a| assignment_json(a, &tz)).collect(), &tz)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct AssignJson {
    pub interpreter_id: String,
    /// BCP 47 tag of the language interpreted to and from Chinese.
    pub language: String,
}

/// Offers the item to an interpreter; 409 when they are busy or away then.
#[utoipa::path(post, path = "/api/v1/itinerary-items/{id}/interpreters", tag = "visits", params(("id" = String, Path)),
    request_body = AssignJson,
    responses((status = 201, body = AssignmentJson), (status = 409, description = "overlaps their other assignments or unavailability"),
              (status = 422)), security(("bearer" = [])))]
pub async fn items_assign(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<AssignJson>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.require_center(Perm::ManageVisits)?;
    let a =
        service::assign_interpreter(&state, &ctx.who(), &user, &id, &b.interpreter_id, &b.language)
            .await?;
    let tz = centers::tz(&state, &center_id).await?;
    Ok(created(format!("/api/v1/assignments/{}", a.id), assignment_json(&a, &tz)))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct SuggestionQuery {
    /// BCP 47 tag.
    pub language: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SuggestionList {
    pub items: Vec<Suggestion>,
    pub next_cursor: Option<String>,
}

/// Interpreters free at the item's time who work in the language, best first
/// (exact tag, level, then lightest workload).
#[utoipa::path(get, path = "/api/v1/itinerary-items/{id}/interpreter-suggestions", tag = "visits",
    params(("id" = String, Path), SuggestionQuery),
    responses((status = 200, body = SuggestionList), (status = 422)), security(("bearer" = [])))]
pub async fn items_suggestions(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Query(q): Query<SuggestionQuery>,
) -> AppResult<Json<SuggestionList>> {
    let (_, center_id) = ctx.require_center(Perm::ManageVisits)?;
    let item = service::item_in(&state, &center_id, &id).await?;
    let items = interpreting::suggestions(&state, &center_id, item.span, &q.language).await?;
    Ok(Json(SuggestionList { items, next_cursor: None }))
}

#[derive(Deserialize, Serialize, utoipa::ToSchema)]
pub struct SeatJson {
    /// host or guest.
    pub side: String,
    /// 1 is the principal seat of the side.
    pub position: i64,
    /// principal or interpreter.
    #[serde(default = "principal")]
    pub role: String,
    #[serde(default)]
    pub name_zh: String,
    /// The name in the guest's language.
    #[serde(default)]
    pub name_other: String,
    #[serde(default)]
    pub title_zh: String,
    #[serde(default)]
    pub title_other: String,
}

fn principal() -> String {
    "principal".into()
}

#[derive(Deserialize, Serialize, utoipa::ToSchema)]
pub struct SeatingJson {
    pub seats: Vec<SeatJson>,
}

pub fn seat_json(s: &Seat) -> SeatJson {
    SeatJson {
        side: s.side.code().into(),
        position: s.position,
        role: s.role.code().into(),
        name_zh: s.name_zh.clone(),
        name_other: s.name_other.clone(),
        title_zh: s.title_zh.clone(),
        title_other: s.title_other.clone(),
    }
}

/// Replaces the seating plan of a meeting, talks, signing or banquet.
#[utoipa::path(put, path = "/api/v1/itinerary-items/{id}/seating", tag = "visits", params(("id" = String, Path)),
    request_body = SeatingJson, responses((status = 200, body = SeatingJson), (status = 422)), security(("bearer" = [])))]
pub async fn items_seating(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<SeatingJson>,
) -> AppResult<Json<SeatingJson>> {
    let (user, _) = ctx.require_center(Perm::ManageVisits)?;
    let mut seats = vec![];
    for s in b.seats {
        seats.push(Seat {
            side: Side::parse(&s.side)
                .ok_or_else(|| AppError::invalid("side", "field-invalid-choice"))?,
            position: s.position,
            role: SeatRole::parse(&s.role)
                .ok_or_else(|| AppError::invalid("role", "field-invalid-choice"))?,
            name_zh: s.name_zh.trim().into(),
            name_other: s.name_other.trim().into(),
            title_zh: s.title_zh.trim().into(),
            title_other: s.title_other.trim().into(),
        });
    }
    let saved = service::save_seats(&state, &ctx.who(), &user, &id, seats).await?;
    Ok(Json(SeatingJson { seats: saved.iter().map(seat_json).collect() }))
}

/// The seating plan a meeting would start from (the delegation, the hosts
/// and the item's interpreters), to adjust and `PUT` back.
#[utoipa::path(get, path = "/api/v1/itinerary-items/{id}/seating/suggested", tag = "visits", params(("id" = String, Path)),
    responses((status = 200, body = SeatingJson), (status = 404)), security(("bearer" = [])))]
pub async fn items_seating_suggested(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<Json<SeatingJson>> {
    let (_, center_id) = ctx.require_center(Perm::ManageVisits)?;
    let seats = service::default_seating(&state, &center_id, &id).await?;
    Ok(Json(SeatingJson { seats: seats.iter().map(seat_json).collect() }))
}

// ---------------------------------------------------------------- tasks

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewTaskJson {
    /// interpretation, media, gifts, transport_lodging, materials, venue_setup, security.
    pub area: String,
    pub title: String,
    #[serde(default)]
    pub owner_id: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub due_on: String,
}

#[utoipa::path(post, path = "/api/v1/visits/{id}/tasks", tag = "visits", params(("id" = String, Path)),
    request_body = NewTaskJson, responses((status = 201, body = TaskJson), (status = 422)), security(("bearer" = [])))]
pub async fn tasks_create(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<NewTaskJson>,
) -> AppResult<Response> {
    let (user, _) = ctx.require_center(Perm::ManageVisits)?;
    let input =
        service::TaskInput { area: b.area, title: b.title, owner_id: b.owner_id, due_on: b.due_on };
    let t = service::add_task(&state, &ctx.who(), &user, &id, input).await?;
    Ok(created(format!("/api/v1/visits/{id}"), task_json(&t)))
}

#[utoipa::path(post, path = "/api/v1/visit-tasks/{id}/transition", tag = "visits", params(("id" = String, Path)),
    request_body = ItemTransitionJson, responses((status = 200, body = TaskJson), (status = 422)), security(("bearer" = [])))]
pub async fn tasks_transition(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<ItemTransitionJson>,
) -> AppResult<Json<TaskJson>> {
    let (user, _) = ctx.require_center(Perm::ManageVisits)?;
    Ok(Json(task_json(&service::set_task_status(&state, &ctx.who(), &user, &id, &b.to).await?)))
}

// ---------------------------------------------------------------- outcomes

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewOutcomeJson {
    /// mou, agreement, letter_of_intent, project_lead, investment, return_visit.
    pub kind: String,
    #[serde(default)]
    pub title_zh: String,
    #[serde(default)]
    pub title_en: String,
    #[serde(default)]
    pub parties: String,
    #[serde(default)]
    pub signed_on: String,
    #[serde(default)]
    pub document_ref: String,
    #[serde(default)]
    pub owner_id: String,
    #[serde(default)]
    pub next_action: String,
    /// When to follow up (`YYYY-MM-DD`); due ones show on the dashboard.
    #[serde(default)]
    pub next_action_on: String,
    #[serde(default)]
    pub status: String,
}

#[utoipa::path(post, path = "/api/v1/visits/{id}/outcomes", tag = "visits", params(("id" = String, Path)),
    request_body = NewOutcomeJson, responses((status = 201, body = OutcomeJson), (status = 422)), security(("bearer" = [])))]
pub async fn outcomes_create(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<NewOutcomeJson>,
) -> AppResult<Response> {
    let (user, _) = ctx.require_center(Perm::ManageVisits)?;
    let input = OutcomeInput {
        kind: b.kind,
        title: Bilingual::new(b.title_zh, b.title_en),
        parties: b.parties,
        signed_on: b.signed_on,
        document_ref: b.document_ref,
        owner_id: b.owner_id,
        next_action: b.next_action,
        next_action_on: b.next_action_on,
        status: b.status,
    };
    let o = service::add_outcome(&state, &ctx.who(), &user, &id, input).await?;
    Ok(created(format!("/api/v1/outcomes/{}", o.id), outcome_json(&o)))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OutcomeList {
    pub items: Vec<OutcomeJson>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct OutcomeQuery {
    /// Only those whose next action is due today or earlier.
    #[serde(default)]
    pub due: bool,
}

#[utoipa::path(get, path = "/api/v1/outcomes", tag = "visits", params(OutcomeQuery),
    responses((status = 200, body = OutcomeList)), security(("bearer" = [])))]
pub async fn outcomes_index(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Query(q): Query<OutcomeQuery>,
) -> AppResult<Json<OutcomeList>> {
    let (_, center_id) = ctx.require_center(Perm::ManageVisits)?;
    let list = if q.due {
        service::followups_due(&state, &center_id).await?
    } else {
        service::outcomes(&state, &center_id, "", "").await?
    };
    Ok(Json(OutcomeList { items: list.iter().map(outcome_json).collect(), next_cursor: None }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct OutcomePatch {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub next_action: String,
    #[serde(default)]
    pub next_action_on: String,
    #[serde(default)]
    pub signed_on: String,
}

#[utoipa::path(patch, path = "/api/v1/outcomes/{id}", tag = "visits", params(("id" = String, Path)),
    request_body = OutcomePatch, responses((status = 200, body = OutcomeJson), (status = 409), (status = 422)),
    security(("bearer" = [])))]
pub async fn outcomes_update(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<OutcomePatch>,
) -> AppResult<Json<OutcomeJson>> {
    let (user, _) = ctx.require_center(Perm::ManageVisits)?;
    let update = service::OutcomeUpdate {
        status: b.status,
        next_action: b.next_action,
        next_action_on: b.next_action_on,
        signed_on: b.signed_on,
    };
    let o = service::update_outcome(&state, &ctx.who(), &user, &id, update).await?;
    Ok(Json(outcome_json(&o)))
}

// ---------------------------------------------------------------- gifts

#[derive(Serialize, utoipa::ToSchema)]
pub struct GiftJson {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    /// Value of one piece in fen (1/100 yuan).
    pub unit_value: i64,
    pub stock: i64,
}

fn gift_json(g: &Gift) -> GiftJson {
    GiftJson {
        id: g.id.clone(),
        name_zh: g.name.zh.clone(),
        name_en: g.name.en.clone(),
        unit_value: g.unit_value,
        stock: g.stock,
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct GiftList {
    pub items: Vec<GiftJson>,
    pub next_cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/gifts", tag = "visits", responses((status = 200, body = GiftList)), security(("bearer" = [])))]
pub async fn gifts_index(State(state): State<AppState>, ctx: ReqCtx) -> AppResult<Json<GiftList>> {
    let (_, center_id) = ctx.require_center(Perm::ManageVisits)?;
    let items = service::gifts(&state, &center_id).await?.iter().map(gift_json).collect();
    Ok(Json(GiftList { items, next_cursor: None }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewGiftJson {
    pub name_zh: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub unit_value: i64,
}

#[utoipa::path(post, path = "/api/v1/gifts", tag = "visits", request_body = NewGiftJson,
    responses((status = 201, body = GiftJson), (status = 422)), security(("bearer" = [])))]
pub async fn gifts_create(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Json(b): Json<NewGiftJson>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.require_center(Perm::ManageVisits)?;
    let g = service::create_gift(
        &state,
        &ctx.who(),
        &center_id,
        Bilingual::new(b.name_zh, b.name_en),
        b.unit_value,
    )
    .await?;
    Ok(created(format!("/api/v1/gifts/{}", g.id), gift_json(&g)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct GiftMoveJson {
    /// Positive: stock in. Negative: given (needs `visit_id`).
    pub quantity: i64,
    #[serde(default)]
    pub visit_id: String,
    #[serde(default)]
    pub recipient: String,
    #[serde(default)]
    pub note: String,
    /// Give although the organisation already received this gift (otherwise 409 `gift-repeat`).
    #[serde(default)]
    pub confirm_repeat: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct GiftMovementJson {
    pub id: String,
    pub gift_id: String,
    pub quantity: i64,
    pub visit_id: Option<String>,
    pub organisation_id: Option<String>,
    pub recipient: String,
    pub note: String,
    pub at: String,
}

fn movement_json(m: &GiftMovement, tz: &TimeZone) -> GiftMovementJson {
    GiftMovementJson {
        id: m.id.clone(),
        gift_id: m.gift_id.clone(),
        quantity: m.quantity,
        visit_id: m.visit_id.clone(),
        organisation_id: m.organisation_id.clone(),
        recipient: m.recipient.clone(),
        note: m.note.clone(),
        at: Instant(m.at).rfc3339_in(tz),
    }
}

/// Stock in, or a gift given on a visit (409 when out of stock, or when the
/// organisation already received the same gift and it is not confirmed).
#[utoipa::path(post, path = "/api/v1/gifts/{id}/movements", tag = "visits", params(("id" = String, Path)),
    request_body = GiftMoveJson,
    responses((status = 201, body = GiftMovementJson), (status = 409), (status = 422)), security(("bearer" = [])))]
pub async fn gifts_move(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<GiftMoveJson>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.require_center(Perm::ManageVisits)?;
    let m = service::move_gift(
        &state,
        &ctx.who(),
        &user,
        GiftMove {
            gift_id: id.clone(),
            quantity: b.quantity,
            visit_id: b.visit_id,
            recipient: b.recipient,
            note: b.note,
            confirm_repeat: b.confirm_repeat,
        },
    )
    .await?;
    let tz = centers::tz(&state, &center_id).await?;
    Ok(created(format!("/api/v1/gifts/{id}"), movement_json(&m, &tz)))
}

// ---------------------------------------------------------------- organisations and figures

#[derive(Serialize, utoipa::ToSchema)]
pub struct OrganisationJson {
    pub id: String,
    pub organisation_type: String,
    pub country: String,
    pub name_zh: String,
    pub name_en: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
}

fn org_json(o: &Organisation) -> OrganisationJson {
    OrganisationJson {
        id: o.id.clone(),
        organisation_type: o.kind.code().into(),
        country: o.country.clone(),
        name_zh: o.name.zh.clone(),
        name_en: o.name.en.clone(),
        contact_name: o.contact_name.clone(),
        contact_email: o.contact_email.clone(),
        contact_phone: o.contact_phone.clone(),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OrganisationList {
    pub items: Vec<OrganisationJson>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct OrgQuery {
    #[serde(default, rename = "type")]
    pub kind: String,
}

#[utoipa::path(get, path = "/api/v1/organisations", tag = "visits", params(OrgQuery),
    responses((status = 200, body = OrganisationList)), security(("bearer" = [])))]
pub async fn organisations_index(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Query(q): Query<OrgQuery>,
) -> AppResult<Json<OrganisationList>> {
    let (_, center_id) = ctx.require_center(Perm::ManageVisits)?;
    let items = service::organisations(&state, &center_id, q.kind.trim())
        .await?
        .iter()
        .map(org_json)
        .collect();
    Ok(Json(OrganisationList { items, next_cursor: None }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OrganisationTimeline {
    #[serde(flatten)]
    pub organisation: OrganisationJson,
    pub visits: Vec<VisitJson>,
    pub outcomes: Vec<OutcomeJson>,
    pub gifts_received: Vec<GiftMovementJson>,
}

/// An organisation with its timeline: visits, outcomes and gifts received.
#[utoipa::path(get, path = "/api/v1/organisations/{id}", tag = "visits", params(("id" = String, Path)),
    responses((status = 200, body = OrganisationTimeline), (status = 404)), security(("bearer" = [])))]
pub async fn organisations_show(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<Json<OrganisationTimeline>> {
    let (_, center_id) = ctx.require_center(Perm::ManageVisits)?;
    let o = service::organisation_in(&state, &center_id, &id).await?;
    let tz = centers::tz(&state, &center_id).await?;
    let visits = service::list(
        &state,
        &VisitFilter {
            center_id: center_id.clone(),
            organisation_id: o.id.clone(),
            limit: 500,
            ..VisitFilter::default()
        },
    )
    .await?;
    Ok(Json(OrganisationTimeline {
        visits: visits.iter().map(|v| visit_json(v, &tz)).collect(),
        outcomes: service::outcomes(&state, &center_id, "", &o.id)
            .await?
            .iter()
            .map(outcome_json)
            .collect(),
        gifts_received: service::movements(&state, &center_id, "", &o.id)
            .await?
            .iter()
            .map(|m| movement_json(m, &tz))
            .collect(),
        organisation: org_json(&o),
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct OrganisationPatch {
    #[serde(default)]
    pub name_zh: String,
    #[serde(default)]
    pub name_en: String,
    pub organisation_type: String,
    pub country: String,
    #[serde(default)]
    pub contact_name: String,
    #[serde(default)]
    pub contact_email: String,
    #[serde(default)]
    pub contact_phone: String,
    #[serde(default)]
    pub notes: String,
}

/// Corrects an organisation; its visits follow its type and country.
#[utoipa::path(put, path = "/api/v1/organisations/{id}", tag = "visits", params(("id" = String, Path)),
    request_body = OrganisationPatch, responses((status = 200, body = OrganisationJson), (status = 422)),
    security(("bearer" = [])))]
pub async fn organisations_update(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<OrganisationPatch>,
) -> AppResult<Json<OrganisationJson>> {
    let (_, center_id) = ctx.require_center(Perm::ManageVisits)?;
    let input = service::OrgInput {
        name: Bilingual::new(b.name_zh, b.name_en),
        kind: b.organisation_type,
        country: b.country,
        contact_name: b.contact_name,
        contact_email: b.contact_email,
        contact_phone: b.contact_phone,
        notes: b.notes,
    };
    let o = service::update_organisation(&state, &ctx.who(), &center_id, &id, input).await?;
    Ok(Json(org_json(&o)))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct FiguresQuery {
    /// First day counted (`YYYY-MM-DD`, default 2018-01-01).
    #[serde(default)]
    pub from: String,
    /// Last day counted: the "as of" date (default today).
    #[serde(default)]
    pub as_of: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct FigureJson {
    pub organisation_type: String,
    /// Visiting parties (批).
    pub groups: i64,
    /// Person-visits (人次).
    pub persons: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct FiguresJson {
    pub from: String,
    pub as_of: String,
    pub total_groups: i64,
    pub total_persons: i64,
    /// The figure as quoted: "more than" this many groups.
    pub quoted_groups: i64,
    pub quoted_is_lower_bound: bool,
    pub by_type: Vec<FigureJson>,
}

pub async fn figures(
    state: &AppState,
    center_id: &str,
    from: &str,
    as_of: &str,
) -> AppResult<FiguresJson> {
    let tz = centers::tz(state, center_id).await?;
    let from =
        if from.trim().is_empty() { "2018-01-01".to_string() } else { from.trim().to_string() };
    let as_of = if as_of.trim().is_empty() {
        state.clock.now().local_parts(&tz).0
    } else {
        as_of.trim().to_string()
    };
    let mut errors = vec![];
    errors.extend(super::model::check_date("from", &from, true));
    errors.extend(super::model::check_date("as_of", &as_of, true));
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let rows = service::received(state, center_id, &from, &as_of).await?;
    let total_groups = rows.iter().map(|r| r.1).sum();
    let total_persons = rows.iter().map(|r| r.2).sum();
    let (quoted_groups, quoted_is_lower_bound) = super::model::quoted(total_groups);
    Ok(FiguresJson {
        from,
        as_of,
        total_groups,
        total_persons,
        quoted_groups,
        quoted_is_lower_bound,
        by_type: rows
            .into_iter()
            .map(|(k, groups, persons)| FigureJson {
                organisation_type: k.code().into(),
                groups,
                persons,
            })
            .collect(),
    })
}

/// Visits received (completed, in follow-up or closed) between two dates, by
/// counterpart type: groups and person-visits, "as of" a date.
#[utoipa::path(get, path = "/api/v1/visit-figures", tag = "visits", params(FiguresQuery),
    responses((status = 200, body = FiguresJson), (status = 422)), security(("bearer" = [])))]
pub async fn figures_show(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Query(q): Query<FiguresQuery>,
) -> AppResult<Json<FiguresJson>> {
    let (_, center_id) = ctx.require_center(Perm::ManageVisits)?;
    Ok(Json(figures(&state, &center_id, &q.from, &q.as_of).await?))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CountryJson {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CountryList {
    pub items: Vec<CountryJson>,
    pub next_cursor: Option<String>,
}

/// The reviewed ISO 3166-1 table (China's official forms for Hong Kong, Macao and Taiwan).
#[utoipa::path(get, path = "/api/v1/countries", tag = "visits", responses((status = 200, body = CountryList)))]
pub async fn countries_index() -> Json<CountryList> {
    Json(CountryList {
        items: crate::reference::countries::countries()
            .iter()
            .map(|c| CountryJson {
                code: c.code.into(),
                name_zh: c.zh.into(),
                name_en: c.en.into(),
            })
            .collect(),
        next_cursor: None,
    })
}
