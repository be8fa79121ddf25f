use super::service;
use crate::auth::Perm;
use crate::clock::Instant;
use crate::domains::centers::service as centers;
use crate::domains::events::checkin::service::Attendance;
use crate::domains::events::checkin::service::CheckinResult;
use crate::domains::events::{event, registration};
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n::Bilingual;
use crate::state::AppState;
use crate::web::ReqCtx;
use crate::web::extract::{Json, Path, Query};
use crate::web::list::{List, PageQuery, key_cursor};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;

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
    /// The event whose door this is: a ticket of another event is refused
    /// (409 `other_event`) and not used up.
    pub event_id: String,
    /// The ticket code as scanned or typed (dashes, spaces and case do not matter).
    #[schema(min_length = 1, max_length = 64)]
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
    /// For `other_event`: the event the ticket is for.
    pub event: Option<OtherEventJson>,
}

/// The event a ticket shown at the wrong door is for.
#[derive(Serialize, utoipa::ToSchema)]
pub struct OtherEventJson {
    pub id: String,
    pub title_zh: String,
    pub title_en: String,
    pub starts_at: String,
}

/// Checks a ticket in at an event's door: 200 `ok`; 409 `already` with the
/// time and device of the first check-in; 409 `invalid` for a cancelled
/// registration; 409 `other_event` (with that event) for a ticket of another
/// event, which is not used up; 404 for an unknown code.
#[utoipa::path(post, path = "/api/v1/checkins", tag = "events", request_body = CheckinJson,
    responses((status = 200, body = CheckinOut), (status = 409, body = CheckinOut), (status = 404)),
    security(("bearer" = [])))]
pub async fn checkin(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Json(b): Json<CheckinJson>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.require_center(Perm::ManageEvents)?;
    let at = crate::validate::optional_instant("at", b.at.as_deref())?;
    if b.code.trim().is_empty() {
        return Err(AppError::Invalid(vec![FieldError::new("code", "field-required")]));
    }
    let tz = centers::tz(&state, &center_id).await?;
    let result =
        service::check_in(&state, &user, b.event_id.trim(), &b.code, &b.device, at).await?;
    let out = |result: &str,
               p: &registration::store::Participant,
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
        event: None,
    };
    Ok(match result {
        CheckinResult::Ok { participant, category, at } => {
            (StatusCode::OK, Json(out("ok", &participant, &category, Some(at), String::new())))
                .into_response()
        }
        CheckinResult::Already { participant, category, at, device } => {
            crate::web::conflict(out("already", &participant, &category, Some(at), device))
        }
        CheckinResult::NotValid { participant, status } => {
            let mut body = out("invalid", &participant, &Bilingual::default(), None, String::new());
            body.device = status.code().into();
            crate::web::conflict(body)
        }
        CheckinResult::OtherEvent { participant, event } => {
            let mut body =
                out("other_event", &participant, &Bilingual::default(), None, String::new());
            body.event = Some(OtherEventJson {
                id: event.id.clone(),
                title_zh: event.title.zh.clone(),
                title_en: event.title.en.clone(),
                starts_at: Instant(event.span.start).rfc3339_in(&tz),
            });
            crate::web::conflict(body)
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
    let p =
        service::undo_check_in(&state, &ctx.who(), &user, b.event_id.trim(), &b.code, &b.device)
            .await?;
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

/// Every valid ticket of an event, for a check-in device to take offline.
/// A page at a time (follow `next_cursor`; `limit` up to 200).
#[utoipa::path(get, path = "/api/v1/events/{id}/tickets", tag = "events", params(("id" = String, Path), PageQuery),
    responses((status = 200, body = List<DoorTicket>)), security(("bearer" = [])))]
pub async fn tickets(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Query(page): Query<PageQuery>,
) -> AppResult<Json<List<DoorTicket>>> {
    let (user, center_id) = ctx.require_center(Perm::ManageEvents)?;
    let (limit, (_, after)) = (page.size()?, page.after()?);
    let rows = registration::service::tickets_page(&state, &user, &id, &after, limit + 1).await?;
    let tz = centers::tz(&state, &center_id).await?;
    let cats = event::service::categories(&state, &id).await?;
    let limit = usize::try_from(limit).unwrap_or(0);
    Ok(Json(List::page(
        rows,
        limit,
        |p| key_cursor(0, &p.id),
        |p| {
            let cat = cats.iter().find(|c| c.id == p.category_id);
            DoorTicket {
                code: p.ticket_code.unwrap_or_default(),
                name: p.name,
                category_zh: cat.map(|c| c.name.zh.clone()).unwrap_or_default(),
                category_en: cat.map(|c| c.name.en.clone()).unwrap_or_default(),
                checked_in_at: p.checked_in_at.map(|a| Instant(a).rfc3339_in(&tz)),
            }
        },
    )))
}
