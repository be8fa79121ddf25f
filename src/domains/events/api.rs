//! The events JSON API (DESIGN.md §4): events (public ones without login),
//! the lifecycle, registrations (no login for public events), the holder's
//! and staff's view and cancellation, approval, check-in and attendance.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::model::{Question, RegStatus};
use super::service::{
    self, Attendance, CategoryInput, CheckinResult, EventInput, ParticipantInput, Registered,
    RegistrationInput, SessionInput,
};
use super::store::{Category, Event, Session};
use crate::auth::Perm;
use crate::clock::Instant;
use crate::domains::centers::service as centers;
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n::Bilingual;
use crate::state::AppState;
use crate::time::Span;
use crate::web::extract::{Json, Path, Query};
use crate::web::{ReqCtx, created};

#[derive(Serialize, utoipa::ToSchema)]
pub struct CategoryJson {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// Seats of its own inside the capacity; null: none.
    pub quota: Option<i64>,
    pub taken: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SessionJson {
    pub title_zh: String,
    pub title_en: String,
    pub starts_at: String,
    pub ends_at: String,
    pub room_id: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct EventJson {
    pub id: String,
    pub reference: String,
    /// international_promotion, hk_macao_promotion, exchange, salon, training,
    /// matchmaking, industry_exchange, thematic_activity.
    pub kind: String,
    pub title_zh: String,
    pub title_en: String,
    pub summary_zh: String,
    pub summary_en: String,
    pub description_zh: String,
    pub description_en: String,
    pub organizers: String,
    /// public, invitation or internal.
    pub visibility: String,
    pub languages: Vec<String>,
    pub starts_at: String,
    pub ends_at: String,
    pub capacity: i64,
    /// Seats left now (confirmed and pending hold seats).
    pub seats_left: i64,
    pub waitlist: bool,
    /// strict or first_fit.
    pub waitlist_policy: String,
    pub requires_approval: bool,
    pub max_group: i64,
    /// planned, registration_open, held, reported, cancelled.
    pub status: String,
    pub form: Vec<Question>,
    pub categories: Vec<CategoryJson>,
    pub sessions: Vec<SessionJson>,
    /// Only for staff: the link part that opens an invitation-only event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invitation_code: Option<String>,
}

pub fn event_json(
    e: &Event,
    cats: &[Category],
    sessions: &[Session],
    tz: &TimeZone,
    staff: bool,
) -> EventJson {
    let t = |ms: i64| Instant(ms).rfc3339_in(tz);
    EventJson {
        id: e.id.clone(),
        reference: e.reference.clone(),
        kind: e.kind.code().into(),
        title_zh: e.title.zh.clone(),
        title_en: e.title.en.clone(),
        summary_zh: e.summary.zh.clone(),
        summary_en: e.summary.en.clone(),
        description_zh: e.description.zh.clone(),
        description_en: e.description.en.clone(),
        organizers: e.organizers.clone(),
        visibility: e.visibility.code().into(),
        languages: e.languages.clone(),
        starts_at: t(e.span.start),
        ends_at: t(e.span.end),
        capacity: e.capacity,
        seats_left: e.capacity - e.taken,
        waitlist: e.waitlist,
        waitlist_policy: e.policy.code().into(),
        requires_approval: e.requires_approval,
        max_group: e.max_group,
        status: e.status.code().into(),
        form: e.form.clone(),
        categories: cats
            .iter()
            .map(|c| CategoryJson {
                code: c.code.clone(),
                name_zh: c.name.zh.clone(),
                name_en: c.name.en.clone(),
                quota: c.quota,
                taken: c.taken,
            })
            .collect(),
        sessions: sessions
            .iter()
            .map(|s| SessionJson {
                title_zh: s.title.zh.clone(),
                title_en: s.title.en.clone(),
                starts_at: t(s.span.start),
                ends_at: t(s.span.end),
                room_id: s.room_id.clone(),
            })
            .collect(),
        invitation_code: staff.then(|| e.invitation_code.clone()),
    }
}

async fn full_json(state: &AppState, e: &Event, staff: bool) -> AppResult<EventJson> {
    let tz = centers::tz(state, &e.center_id).await?;
    let cats = service::categories(state, &e.id).await?;
    let sessions = service::sessions(state, &e.id).await?;
    Ok(event_json(e, &cats, &sessions, &tz, staff))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct EventList {
    pub items: Vec<EventJson>,
    pub next_cursor: Option<String>,
}

/// Upcoming events: the public ones for everyone; staff see all of their center's.
#[utoipa::path(get, path = "/api/v1/events", tag = "events", responses((status = 200, body = EventList)))]
pub async fn index(State(state): State<AppState>, ctx: ReqCtx) -> AppResult<Json<EventList>> {
    let user = ctx.actor.user().cloned();
    let staff =
        user.as_ref().filter(|u| ctx.actor.can(Perm::ManageEvents) && u.center_id.is_some());
    let center_id = match staff {
        Some(u) => u.center_id.clone().unwrap_or_default(),
        None => centers::public_center(&state).await?.ok_or(AppError::NotFound)?.id,
    };
    let from = state.clock.now().millis() - 30 * 86_400_000;
    let mut items = vec![];
    for e in service::list(&state, &center_id, from, staff.is_none()).await? {
        items.push(full_json(&state, &e, staff.is_some()).await?);
    }
    Ok(Json(EventList { items, next_cursor: None }))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct InvitationQuery {
    /// The code of an invitation link (invitation-only events).
    #[serde(default)]
    pub invitation: String,
}

#[utoipa::path(get, path = "/api/v1/events/{id}", tag = "events", params(("id" = String, Path), InvitationQuery),
    responses((status = 200, body = EventJson), (status = 404)))]
pub async fn show(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Query(q): Query<InvitationQuery>,
) -> AppResult<Json<EventJson>> {
    let user = ctx.actor.user().cloned();
    let e = service::visible(&state, user.as_ref(), &id, &q.invitation).await?;
    let staff = service::runs_events_of(user.as_ref(), &e.center_id);
    Ok(Json(full_json(&state, &e, staff).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewCategoryJson {
    pub code: String,
    #[serde(default)]
    pub name_zh: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub quota: Option<i64>,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewSessionJson {
    #[serde(default)]
    pub title_zh: String,
    #[serde(default)]
    pub title_en: String,
    pub starts_at: String,
    pub ends_at: String,
    #[serde(default)]
    pub room_id: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewEventJson {
    pub kind: String,
    pub title_zh: String,
    pub title_en: String,
    #[serde(default)]
    pub summary_zh: String,
    #[serde(default)]
    pub summary_en: String,
    #[serde(default)]
    pub description_zh: String,
    #[serde(default)]
    pub description_en: String,
    #[serde(default)]
    pub organizers: String,
    /// public (default), invitation or internal.
    #[serde(default)]
    pub visibility: String,
    #[serde(default)]
    pub languages: Vec<String>,
    pub starts_at: String,
    pub ends_at: String,
    pub capacity: i64,
    /// A room for the whole event (one session), booked through venues.
    #[serde(default)]
    pub room_id: String,
    #[serde(default)]
    pub sessions: Vec<NewSessionJson>,
    /// Default true.
    #[serde(default)]
    pub waitlist: Option<bool>,
    /// strict (default) or first_fit.
    #[serde(default)]
    pub waitlist_policy: String,
    /// Hours a waiting entry stays valid (0: until the event starts).
    #[serde(default)]
    pub waitlist_hours: i64,
    #[serde(default)]
    pub requires_approval: bool,
    /// Largest group one registration may bring (default 10).
    #[serde(default)]
    pub max_group: Option<i64>,
    #[serde(default)]
    pub categories: Vec<NewCategoryJson>,
    #[serde(default)]
    pub form: Vec<Question>,
    #[serde(default)]
    pub retention_until: String,
}

fn span_of(starts: &str, ends: &str) -> Result<Span, AppError> {
    match (Instant::parse_rfc3339(starts), Instant::parse_rfc3339(ends)) {
        (Some(s), Some(e)) => Ok(Span { start: s.millis(), end: e.millis() }),
        (None, _) => Err(AppError::invalid("starts_at", "field-invalid-instant")),
        (_, None) => Err(AppError::invalid("ends_at", "field-invalid-instant")),
    }
}

#[utoipa::path(post, path = "/api/v1/events", tag = "events", request_body = NewEventJson,
    responses((status = 201, body = EventJson), (status = 409, description = "a room is taken"), (status = 422)),
    security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Json(b): Json<NewEventJson>,
) -> AppResult<Response> {
    let (user, _) = ctx.require_center(Perm::ManageEvents)?;
    let span = span_of(&b.starts_at, &b.ends_at)?;
    let mut sessions = vec![];
    for (i, s) in b.sessions.iter().enumerate() {
        let span = span_of(&s.starts_at, &s.ends_at).map_err(|_| {
            AppError::invalid(&format!("sessions[{i}].starts_at"), "field-invalid-instant")
        })?;
        sessions.push(SessionInput {
            title: Bilingual::new(s.title_zh.clone(), s.title_en.clone()),
            span,
            room_id: s.room_id.clone(),
        });
    }
    let input = EventInput {
        kind: b.kind,
        title: Bilingual::new(b.title_zh, b.title_en),
        summary: Bilingual::new(b.summary_zh, b.summary_en),
        description: Bilingual::new(b.description_zh, b.description_en),
        organizers: b.organizers,
        visibility: b.visibility,
        languages: b.languages.join(","),
        span: Some(span),
        capacity: b.capacity,
        waitlist: b.waitlist.unwrap_or(true),
        policy: b.waitlist_policy,
        waitlist_hours: b.waitlist_hours,
        requires_approval: b.requires_approval,
        max_group: b.max_group.unwrap_or(10),
        room_id: b.room_id,
        sessions,
        categories: b
            .categories
            .into_iter()
            .map(|c| CategoryInput {
                code: c.code,
                name: Bilingual::new(c.name_zh, c.name_en),
                quota: c.quota,
            })
            .collect(),
        form: b.form,
        retention_until: b.retention_until,
    };
    let e = service::create(&state, &ctx.who(), &user, input).await?;
    Ok(created(format!("/api/v1/events/{}", e.id), full_json(&state, &e, true).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct TransitionJson {
    /// planned, registration_open, held, reported or cancelled.
    pub to: String,
    /// Required to cancel (registrants are told).
    #[serde(default)]
    pub reason: String,
}

#[utoipa::path(post, path = "/api/v1/events/{id}/transition", tag = "events", params(("id" = String, Path)),
    request_body = TransitionJson, responses((status = 200, body = EventJson), (status = 409), (status = 422)),
    security(("bearer" = [])))]
pub async fn transition(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<TransitionJson>,
) -> AppResult<Json<EventJson>> {
    let (user, _) = ctx.require_center(Perm::ManageEvents)?;
    let e = service::transition(&state, &ctx.who(), &user, &id, &b.to, &b.reason).await?;
    Ok(Json(full_json(&state, &e, true).await?))
}

/// Changes an event's details: only the fields sent change.
#[utoipa::path(put, path = "/api/v1/events/{id}", tag = "events", params(("id" = String, Path)),
    request_body = service::EventEdit, responses((status = 200, body = EventJson), (status = 409), (status = 422)),
    security(("bearer" = [])))]
pub async fn update(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<service::EventEdit>,
) -> AppResult<Json<EventJson>> {
    let (user, _) = ctx.require_center(Perm::ManageEvents)?;
    let e = service::update(&state, &ctx.who(), &user, &id, b).await?;
    Ok(Json(full_json(&state, &e, true).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CapacityJson {
    pub capacity: i64,
}

/// Changes the capacity; freed seats go to the waiting line at once.
#[utoipa::path(post, path = "/api/v1/events/{id}/capacity", tag = "events", params(("id" = String, Path)),
    request_body = CapacityJson, responses((status = 200, body = EventJson), (status = 409), (status = 422)),
    security(("bearer" = [])))]
pub async fn capacity(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<CapacityJson>,
) -> AppResult<Json<EventJson>> {
    let (user, _) = ctx.require_center(Perm::ManageEvents)?;
    let e = service::set_capacity(&state, &ctx.who(), &user, &id, b.capacity).await?;
    Ok(Json(full_json(&state, &e, true).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ParticipantJson {
    /// The first participant is the contact and must be named; others may be named later.
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    /// A category code of the event (default: its first).
    #[serde(default)]
    pub category: Option<String>,
    /// ISO 3166-1 alpha-2.
    #[serde(default)]
    pub country: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewRegistrationJson {
    pub participants: Vec<ParticipantJson>,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub answers: serde_json::Map<String, serde_json::Value>,
    /// Consent to the privacy notice; must be `true`.
    pub consent: bool,
    /// The invitation code, for invitation-only events.
    #[serde(default)]
    pub invitation: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TicketJson {
    pub participant_id: String,
    pub name: String,
    pub category: String,
    /// Unguessable; the QR code carries it.
    pub code: String,
    pub checked_in_at: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RegistrationJson {
    pub id: String,
    pub reference: String,
    pub event_id: String,
    /// confirmed, waitlisted, pending, cancelled, rejected or expired.
    pub status: String,
    pub status_reason: String,
    pub seats: i64,
    pub contact_name: String,
    pub contact_email: String,
    #[schema(value_type = Object)]
    pub answers: serde_json::Map<String, serde_json::Value>,
    /// The holder's page (keep it: it shows the tickets and cancels).
    pub manage_url: String,
    /// Only for confirmed participants.
    pub tickets: Vec<TicketJson>,
    pub participants: Vec<ParticipantOut>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ParticipantOut {
    pub id: String,
    pub name: String,
    pub email: String,
    pub category: String,
    pub country: String,
}

pub async fn registration_json(state: &AppState, r: &Registered) -> AppResult<RegistrationJson> {
    let e = service::get(state, &r.registration.event_id).await?;
    let tz = centers::tz(state, &e.center_id).await?;
    let cats = service::categories(state, &e.id).await?;
    let code_of =
        |id: &str| cats.iter().find(|c| c.id == id).map(|c| c.code.clone()).unwrap_or_default();
    let g = &r.registration;
    Ok(RegistrationJson {
        id: g.id.clone(),
        reference: g.reference.clone(),
        event_id: g.event_id.clone(),
        status: g.status.code().into(),
        status_reason: g.status_reason.clone(),
        seats: g.seats,
        contact_name: g.contact_name.clone(),
        contact_email: g.contact_email.clone(),
        answers: g.answers.clone(),
        manage_url: format!("/tickets/{}", g.manage_token),
        tickets: if g.status == RegStatus::Confirmed {
            r.participants
                .iter()
                .filter_map(|p| {
                    p.ticket_code.as_ref().map(|code| TicketJson {
                        participant_id: p.id.clone(),
                        name: p.name.clone(),
                        category: code_of(&p.category_id),
                        code: code.clone(),
                        checked_in_at: p.checked_in_at.map(|a| Instant(a).rfc3339_in(&tz)),
                    })
                })
                .collect()
        } else {
            vec![]
        },
        participants: r
            .participants
            .iter()
            .map(|p| ParticipantOut {
                id: p.id.clone(),
                name: p.name.clone(),
                email: p.email.clone(),
                category: code_of(&p.category_id),
                country: p.country.clone(),
            })
            .collect(),
    })
}

/// Registers one person or a group (no login needed for public events).
#[utoipa::path(post, path = "/api/v1/events/{id}/registrations", tag = "events", params(("id" = String, Path)),
    request_body = NewRegistrationJson,
    responses((status = 201, body = RegistrationJson), (status = 409, description = "registration closed, or full without a waiting list"),
              (status = 422), (status = 429)))]
pub async fn register(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<NewRegistrationJson>,
) -> AppResult<Response> {
    let user = ctx.actor.user().cloned();
    let input = RegistrationInput {
        participants: b
            .participants
            .into_iter()
            .map(|p| ParticipantInput {
                name: p.name,
                email: p.email,
                category: p.category.unwrap_or_default(),
                country: p.country,
            })
            .collect(),
        answers: b.answers,
        consent: b.consent,
        invitation: b.invitation,
        lang: ctx.lang,
    };
    let r = service::register(&state, &ctx.who(), user.as_ref(), &id, input).await?;
    Ok(created(
        format!("/api/v1/registrations/{}", r.registration.id),
        registration_json(&state, &r).await?,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct TokenQuery {
    /// The holder's token (from `manage_url`), when not signed in as staff.
    #[serde(default)]
    pub token: String,
}

#[utoipa::path(get, path = "/api/v1/registrations/{id}", tag = "events", params(("id" = String, Path), TokenQuery),
    responses((status = 200, body = RegistrationJson), (status = 404)))]
pub async fn registration_show(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Query(q): Query<TokenQuery>,
) -> AppResult<Json<RegistrationJson>> {
    let user = ctx.actor.user().cloned();
    let token = q.token.trim();
    let r = service::registration_for(&state, user.as_ref(), &id, token).await?;
    Ok(Json(registration_json(&state, &r).await?))
}

/// Cancels a registration (staff, or the holder with their token); freed
/// seats go to the waiting line at once.
#[utoipa::path(post, path = "/api/v1/registrations/{id}/cancel", tag = "events", params(("id" = String, Path), TokenQuery),
    responses((status = 200, body = RegistrationJson), (status = 404), (status = 409)))]
pub async fn registration_cancel(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Query(q): Query<TokenQuery>,
) -> AppResult<Json<RegistrationJson>> {
    let user = ctx.actor.user().cloned();
    let token = q.token.trim();
    let r = service::registration_for(&state, user.as_ref(), &id, token).await?;
    let r =
        service::decide(&state, &ctx.who(), &r.registration.id, RegStatus::Cancelled, "").await?;
    Ok(Json(registration_json(&state, &r).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ReasonJson {
    #[serde(default)]
    pub reason: String,
}

async fn staff_decide(
    state: &AppState,
    ctx: &ReqCtx,
    id: &str,
    to: RegStatus,
    reason: &str,
) -> AppResult<Json<RegistrationJson>> {
    let (user, _) = ctx.require_center(Perm::ManageEvents)?;
    let r = service::registration_for(state, Some(&user), id, "").await?;
    let r = service::decide(state, &ctx.who(), &r.registration.id, to, reason).await?;
    Ok(Json(registration_json(state, &r).await?))
}

/// Approves a pending registration (its tickets are issued).
#[utoipa::path(post, path = "/api/v1/registrations/{id}/approve", tag = "events", params(("id" = String, Path)),
    responses((status = 200, body = RegistrationJson), (status = 409)), security(("bearer" = [])))]
pub async fn registration_approve(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<Json<RegistrationJson>> {
    staff_decide(&state, &ctx, &id, RegStatus::Confirmed, "").await
}

/// Rejects a pending registration, with a reason; its seats go to the waiting line.
#[utoipa::path(post, path = "/api/v1/registrations/{id}/reject", tag = "events", params(("id" = String, Path)),
    request_body = ReasonJson, responses((status = 200, body = RegistrationJson), (status = 409), (status = 422)),
    security(("bearer" = [])))]
pub async fn registration_reject(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<ReasonJson>,
) -> AppResult<Json<RegistrationJson>> {
    staff_decide(&state, &ctx, &id, RegStatus::Rejected, &b.reason).await
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RegistrationList {
    pub items: Vec<RegistrationJson>,
    pub next_cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/events/{id}/registrations", tag = "events", params(("id" = String, Path)),
    responses((status = 200, body = RegistrationList)), security(("bearer" = [])))]
pub async fn registrations(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<Json<RegistrationList>> {
    let (user, _) = ctx.require_center(Perm::ManageEvents)?;
    let mut items = vec![];
    for r in service::registrations(&state, &user, &id).await? {
        items.push(registration_json(&state, &r).await?);
    }
    Ok(Json(RegistrationList { items, next_cursor: None }))
}

#[utoipa::path(get, path = "/api/v1/events/{id}/attendance", tag = "events", params(("id" = String, Path)),
    responses((status = 200, body = Attendance)), security(("bearer" = [])))]
pub async fn attendance(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<Json<Attendance>> {
    let (user, _) = ctx.require_center(Perm::ManageEvents)?;
    Ok(Json(service::attendance(&state, &user, &id).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CheckinJson {
    /// The ticket code as scanned or typed (dashes, spaces and case do not matter).
    pub code: String,
    /// A name for the device (shown on a duplicate elsewhere).
    #[serde(default)]
    pub device: String,
    /// When it happened on the device (RFC 3339), for check-ins made offline.
    #[serde(default)]
    pub at: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CheckinOut {
    /// ok, already or invalid.
    pub result: String,
    pub event_id: String,
    pub participant_id: String,
    pub name: String,
    pub category_zh: String,
    pub category_en: String,
    pub country: String,
    /// When it was checked in (the first time, for `already`).
    pub at: Option<String>,
    /// The device of the earlier check-in, for `already`.
    pub device: String,
}

/// Checks a ticket in: 200 `ok`; 409 `already` with the time and device of
/// the first check-in; 409 `invalid` for a cancelled registration; 404 for
/// an unknown code.
#[utoipa::path(post, path = "/api/v1/checkins", tag = "events", request_body = CheckinJson,
    responses((status = 200, body = CheckinOut), (status = 409, body = CheckinOut), (status = 404)),
    security(("bearer" = [])))]
pub async fn checkin(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Json(b): Json<CheckinJson>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.require_center(Perm::ManageEvents)?;
    let at = match b.at.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(
            Instant::parse_rfc3339(s)
                .ok_or_else(|| AppError::invalid("at", "field-invalid-instant"))?
                .millis(),
        ),
        None => None,
    };
    if b.code.trim().is_empty() {
        return Err(AppError::Invalid(vec![FieldError::new("code", "field-required")]));
    }
    let tz = centers::tz(&state, &center_id).await?;
    let result = service::check_in(&state, &user, &b.code, &b.device, at).await?;
    let out = |result: &str,
               p: &super::store::Participant,
               cat: &Bilingual,
               at: Option<i64>,
               device: String| CheckinOut {
        result: result.into(),
        event_id: p.event_id.clone(),
        participant_id: p.id.clone(),
        name: p.name.clone(),
        category_zh: cat.zh.clone(),
        category_en: cat.en.clone(),
        country: p.country.clone(),
        at: at.map(|a| Instant(a).rfc3339_in(&tz)),
        device,
    };
    Ok(match result {
        CheckinResult::Ok { participant, category, at } => {
            (StatusCode::OK, Json(out("ok", &participant, &category, Some(at), String::new())))
                .into_response()
        }
        CheckinResult::Already { participant, category, at, device } => {
            (StatusCode::CONFLICT, Json(out("already", &participant, &category, Some(at), device)))
                .into_response()
        }
        CheckinResult::NotValid { participant, status } => {
            let mut body = out("invalid", &participant, &Bilingual::default(), None, String::new());
            body.device = status.code().into();
            (StatusCode::CONFLICT, Json(body)).into_response()
        }
    })
}

/// Takes a check-in back (within a minute).
#[utoipa::path(post, path = "/api/v1/checkins/undo", tag = "events", request_body = CheckinJson,
    responses((status = 200), (status = 409, description = "more than a minute ago"), (status = 404)),
    security(("bearer" = [])))]
pub async fn checkin_undo(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Json(b): Json<CheckinJson>,
) -> AppResult<Json<serde_json::Value>> {
    let (user, _) = ctx.require_center(Perm::ManageEvents)?;
    let p = service::undo_check_in(&state, &ctx.who(), &user, &b.code, &b.device).await?;
    Ok(Json(json!({"result": "undone", "participant_id": p.id})))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct DoorTicket {
    pub code: String,
    pub name: String,
    pub category_zh: String,
    pub category_en: String,
    pub checked_in_at: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct DoorList {
    pub items: Vec<DoorTicket>,
    pub next_cursor: Option<String>,
}

/// Every valid ticket of an event, for a check-in device to take offline.
#[utoipa::path(get, path = "/api/v1/events/{id}/tickets", tag = "events", params(("id" = String, Path)),
    responses((status = 200, body = DoorList)), security(("bearer" = [])))]
pub async fn tickets(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<Json<DoorList>> {
    let (user, center_id) = ctx.require_center(Perm::ManageEvents)?;
    let tz = centers::tz(&state, &center_id).await?;
    let cats = service::categories(&state, &id).await?;
    let mut items = vec![];
    for r in service::registrations(&state, &user, &id).await? {
        if r.registration.status != RegStatus::Confirmed {
            continue;
        }
        for p in r.participants {
            let Some(code) = p.ticket_code else { continue };
            let cat = cats.iter().find(|c| c.id == p.category_id);
            items.push(DoorTicket {
                code,
                name: p.name,
                category_zh: cat.map(|c| c.name.zh.clone()).unwrap_or_default(),
                category_en: cat.map(|c| c.name.en.clone()).unwrap_or_default(),
                checked_in_at: p.checked_in_at.map(|a| Instant(a).rfc3339_in(&tz)),
            });
        }
    }
    Ok(Json(DoorList { items, next_cursor: None }))
}
