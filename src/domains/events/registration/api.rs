use super::service;
use crate::auth::Perm;
use crate::clock::Instant;
use crate::domains::centers::service as centers;
use crate::domains::events::event;
use crate::domains::events::event::store::Category;
use crate::domains::events::model::RegStatus;
use crate::domains::events::registration::service::ParticipantInput;
use crate::domains::events::registration::service::Registered;
use crate::domains::events::registration::service::RegistrationInput;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::extract::{Json, Path, Query};
use crate::web::list::{List, PageQuery, key_cursor};
use crate::web::{ReqCtx, created};
use axum::extract::State;
use axum::response::Response;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ParticipantJson {
    /// The first participant is the contact and must be named; others may be named later.
    #[serde(default)]
    #[schema(max_length = 200)]
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
    /// The holder's page (keep it: it shows the tickets and cancels). Only in
    /// the answer that makes the registration and to a caller who presents
    /// the link's secret: it is stored as a hash, so staff reads omit it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manage_url: Option<String>,
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
    let e = event::service::get(state, &r.registration.event_id).await?;
    let tz = centers::tz(state, &e.center_id).await?;
    let cats = event::service::categories(state, &e.id).await?;
    Ok(registration_json_in(r, &tz, &cats))
}

/// A registration as JSON, with its event's time zone and categories.
fn registration_json_in(r: &Registered, tz: &TimeZone, cats: &[Category]) -> RegistrationJson {
    let code_of =
        |id: &str| cats.iter().find(|c| c.id == id).map(|c| c.code.clone()).unwrap_or_default();
    let g = &r.registration;
    RegistrationJson {
        id: g.id.clone(),
        reference: g.reference.clone(),
        event_id: g.event_id.clone(),
        status: g.status.code().into(),
        status_reason: g.status_reason.clone(),
        seats: g.seats,
        contact_name: g.contact_name.clone(),
        contact_email: g.contact_email.clone(),
        answers: g.answers.clone(),
        manage_url: (!g.link.is_empty()).then(|| format!("/tickets/{}", g.link)),
        tickets: if g.status == RegStatus::Confirmed {
            r.participants
                .iter()
                .filter_map(|p| {
                    p.ticket_code.as_ref().map(|code| TicketJson {
                        participant_id: p.id.clone(),
                        name: p.name.clone(),
                        category: code_of(&p.category_id),
                        code: code.clone(),
                        checked_in_at: p.checked_in_at.map(|a| Instant(a).rfc3339_in(tz)),
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
    }
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
    // It carries the ticket link's secret; like every dynamic answer it is
    // `no-store` (web::security).
    Ok(created(
        format!("/api/v1/registrations/{}", r.registration.id),
        registration_json(&state, &r).await?,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
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

pub(in crate::domains::events) async fn staff_decide(
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

/// An event's registrations in the order they came, a page at a time.
#[utoipa::path(get, path = "/api/v1/events/{id}/registrations", tag = "events", params(("id" = String, Path), PageQuery),
    responses((status = 200, body = List<RegistrationJson>)), security(("bearer" = [])))]
pub async fn registrations(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Query(page): Query<PageQuery>,
) -> AppResult<Json<List<RegistrationJson>>> {
    let (user, center_id) = ctx.require_center(Perm::ManageEvents)?;
    let (limit, after) = (page.size()?, page.after()?);
    let rows = service::registrations_page(&state, &user, &id, &after, limit + 1).await?;
    let tz = centers::tz(&state, &center_id).await?;
    let cats = event::service::categories(&state, &id).await?;
    let limit = usize::try_from(limit).unwrap_or(0);
    Ok(Json(List::page(
        rows,
        limit,
        |r| key_cursor(r.registration.created_at, &r.registration.id),
        |r| registration_json_in(&r, &tz, &cats),
    )))
}
