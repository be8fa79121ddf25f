use super::service;
use crate::auth::{CurrentUser, Perm};
use crate::clock::Instant;
use crate::domains::venues::booking::service::BookingRequest;
use crate::domains::venues::booking::service::Conflict;
use crate::domains::venues::booking::service::Scope;
use crate::domains::venues::booking::service::Skipped;
use crate::domains::venues::booking::store::BookingRow;
use crate::domains::venues::model::{BookingStatus, Recurrence, Span};
use crate::domains::venues::room::api::*;
use crate::domains::venues::room::service::Alternative;
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n::Bilingual;
use crate::state::AppState;
use crate::web::ReqCtx;
use crate::web::extract::{Json, Path, Query};
use crate::web::list::{List, PageQuery, key_cursor};
use axum::extract::State;
use axum::response::Response;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use crate::web::created;

#[derive(Deserialize, utoipa::ToSchema)]
pub struct RecurrenceJson {
    /// `daily`, `weekly` or `monthly`.
    #[schema(pattern = "^(daily|weekly|monthly)$")]
    pub freq: String,
    #[serde(default)]
    #[schema(minimum = 1, maximum = 99)]
    pub interval: Option<i64>,
    /// For weekly series: `mo`, `tu`, … (default: the first occurrence's weekday).
    #[serde(default)]
    pub by_weekday: Vec<String>,
    /// Last date (inclusive), `YYYY-MM-DD`; or give `count`.
    #[serde(default)]
    pub until: Option<String>,
    #[serde(default)]
    #[schema(minimum = 1, maximum = 366)]
    pub count: Option<i64>,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewBookingJson {
    #[schema(min_length = 1)]
    pub room_id: String,
    /// RFC 3339.
    pub starts_at: String,
    pub ends_at: String,
    #[serde(default)]
    pub title_zh: String,
    #[serde(default)]
    pub title_en: String,
    #[schema(minimum = 1)]
    pub attendees: i64,
    #[serde(default)]
    pub recurrence: Option<RecurrenceJson>,
    /// Create the free occurrences of a series and report the others.
    #[serde(default)]
    pub skip_conflicts: bool,
    /// Equipment an alternative room must have, if this one is taken.
    #[serde(default)]
    pub equipment: Vec<String>,
    #[serde(default)]
    pub purpose: String,
}

/// Reads a booking request's time, repeat rule and title (shared by the API
/// and the form; the attendees go straight to the venues rules).
pub fn parse_request(
    room_id: &str,
    starts_at: &str,
    ends_at: &str,
    title: Bilingual,
    recurrence: Option<&RecurrenceJson>,
) -> AppResult<(Span, Option<Recurrence>, Bilingual)> {
    let mut errors = vec![];
    if room_id.trim().is_empty() {
        errors.push(FieldError::new("room_id", "field-required"));
    }
    let start = Instant::parse_rfc3339(starts_at);
    let end = Instant::parse_rfc3339(ends_at);
    for (field, text, parsed) in [("starts_at", starts_at, start), ("ends_at", ends_at, end)] {
        if text.trim().is_empty() {
            errors.push(FieldError::new(field, "field-required"));
        } else if parsed.is_none() {
            errors.push(FieldError::new(field, "field-invalid-instant"));
        }
    }
    let rec = match recurrence {
        Some(r) => {
            match Recurrence::parse(&r.freq, r.interval, &r.by_weekday, r.until.as_deref(), r.count)
            {
                Ok(rule) => Some(rule),
                Err(e) => {
                    errors.extend(e);
                    None
                }
            }
        }
        None => None,
    };
    match (start, end) {
        (Some(s), Some(e)) if errors.is_empty() => {
            Ok((Span::new(s.millis(), e.millis()), rec, title))
        }
        _ => Err(AppError::Invalid(errors)),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OccurrenceJson {
    pub id: String,
    pub reference: String,
    pub starts_at: String,
    pub ends_at: String,
    pub status: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct BookingCreatedJson {
    /// The (first) booking.
    pub id: String,
    pub reference: String,
    /// `confirmed`, or `requested` when the room needs approval.
    pub status: String,
    pub series_id: Option<String>,
    pub occurrences: Vec<OccurrenceJson>,
    pub skipped: Vec<Skipped>,
}

/// The body of a 409: what is in the way, and what would work instead.
#[derive(Serialize, utoipa::ToSchema)]
pub struct BookingConflictJson {
    pub r#type: String,
    pub title: String,
    pub status: u16,
    pub conflicts: Vec<Conflict>,
    pub alternatives: Vec<Alternative>,
}

/// Books a room once or as a series.
#[utoipa::path(post, path = "/api/v1/bookings", tag = "venues", request_body = NewBookingJson,
    responses((status = 201, body = BookingCreatedJson),
              (status = 409, body = BookingConflictJson, description = "overlaps existing bookings"),
              (status = 422, description = "invalid field")),
    security(("bearer" = [])))]
pub async fn bookings_create(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Json(b): Json<NewBookingJson>,
) -> AppResult<Response> {
    let user = ctx.require(Perm::BookRooms)?;
    let (span, recurrence, title) = parse_request(
        &b.room_id,
        &b.starts_at,
        &b.ends_at,
        Bilingual::new(b.title_zh, b.title_en),
        b.recurrence.as_ref(),
    )?;
    let req = BookingRequest {
        room_id: b.room_id,
        span,
        title,
        attendees: b.attendees,
        recurrence,
        skip_conflicts: b.skip_conflicts,
        needs: b.equipment,
        purpose: b.purpose,
        purpose_id: String::new(),
    };
    let made = service::book(&state, &user, &ctx.who(), req).await?;
    let tz = crate::domains::centers::service::tz(&state, user.center_id.as_deref().unwrap_or(""))
        .await?;
    let first = &made.bookings[0];
    let body = BookingCreatedJson {
        id: first.id.clone(),
        reference: first.reference.clone(),
        status: made.status.code().into(),
        series_id: made.series_id.clone(),
        occurrences: made
            .bookings
            .iter()
            .map(|o| OccurrenceJson {
                id: o.id.clone(),
                reference: o.reference.clone(),
                starts_at: Instant(o.span.start).rfc3339_in(&tz),
                ends_at: Instant(o.span.end).rfc3339_in(&tz),
                status: o.status.code().into(),
            })
            .collect(),
        skipped: made.skipped,
    };
    Ok(created(format!("/api/v1/bookings/{}", first.id), body))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct BookingJson {
    pub id: String,
    pub reference: String,
    pub room_id: String,
    pub series_id: Option<String>,
    /// RRULE of the series, if any.
    pub rrule: Option<String>,
    pub title_zh: String,
    pub title_en: String,
    pub organizer_id: String,
    pub organizer_name: String,
    pub attendees: i64,
    pub purpose: String,
    pub starts_at: String,
    pub ends_at: String,
    pub status: String,
    pub status_reason: String,
}

pub fn booking_json(b: &BookingRow, rrule: Option<String>, tz: &TimeZone) -> BookingJson {
    BookingJson {
        id: b.id.clone(),
        reference: b.reference.clone(),
        room_id: b.room_id.clone(),
        series_id: b.series_id.clone(),
        rrule,
        title_zh: b.title.zh.clone(),
        title_en: b.title.en.clone(),
        organizer_id: b.organizer_id.clone(),
        organizer_name: b.organizer_name.clone(),
        attendees: b.attendees,
        purpose: b.purpose.clone(),
        starts_at: Instant(b.span.start).rfc3339_in(tz),
        ends_at: Instant(b.span.end).rfc3339_in(tz),
        status: b.status.code().into(),
        status_reason: b.status_reason.clone(),
    }
}

/// A booking the caller may see: all of the center's for staff and admins,
/// their own for everyone else.
pub async fn visible_booking(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> AppResult<BookingRow> {
    let center_id = user.center_id.clone().ok_or(AppError::Forbidden)?;
    let b = service::booking_in(state, &center_id, id).await?;
    if crate::auth::allows(Some(user.role), Perm::SeeAllBookings) || b.organizer_id == user.id {
        Ok(b)
    } else {
        Err(AppError::NotFound)
    }
}

/// One booking.
#[utoipa::path(get, path = "/api/v1/bookings/{id}", tag = "venues", params(("id" = String, Path)),
    responses((status = 200, body = BookingJson), (status = 404)), security(("bearer" = [])))]
pub async fn bookings_show(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<Json<BookingJson>> {
    let user = ctx.require(Perm::ViewVenues)?;
    let b = visible_booking(&state, &user, &id).await?;
    let tz = crate::domains::centers::service::tz(&state, &b.center_id).await?;
    let rrule = match &b.series_id {
        Some(s) => service::series_rrule(&state, s).await?,
        None => None,
    };
    Ok(Json(booking_json(&b, rrule, &tz)))
}

/// Bookings in a window (at most 92 days), optionally of one room, by start
/// time, a page at a time.
#[utoipa::path(get, path = "/api/v1/bookings", tag = "venues", params(WindowQuery, PageQuery),
    responses((status = 200, body = List<BookingJson>), (status = 422)), security(("bearer" = [])))]
pub async fn bookings_index(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Query(q): Query<WindowQuery>,
    Query(page): Query<PageQuery>,
) -> AppResult<Json<List<BookingJson>>> {
    let (user, center_id) = ctx.require_center(Perm::ViewVenues)?;
    let (limit, after) = (page.size()?, page.after()?);
    let tz = crate::domains::centers::service::tz(&state, &center_id).await?;
    let w = window(&q, &tz, state.clock.now(), 92)?;
    let organizer = if crate::auth::allows(Some(user.role), Perm::SeeAllBookings) {
        ""
    } else {
        user.id.as_str()
    };
    let rows =
        service::list_page(&state, &center_id, q.room_id.trim(), organizer, w, &after, limit + 1)
            .await?;
    let limit = usize::try_from(limit).unwrap_or(0);
    Ok(Json(List::page(
        rows,
        limit,
        |b| key_cursor(b.span.start, &b.id),
        |b| booking_json(&b, None, &tz),
    )))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct DecisionJson {
    /// `occurrence` (default) or `series`.
    #[serde(default)]
    #[schema(pattern = "^(occurrence|series)?$")]
    pub scope: String,
    /// Required to reject; shown to the organizer.
    #[serde(default)]
    pub reason: String,
}

pub(in crate::domains::venues) fn scope_of(s: &str) -> AppResult<Scope> {
    match s {
        "" | "occurrence" => Ok(Scope::Occurrence),
        "series" => Ok(Scope::Series),
        _ => Err(AppError::invalid("scope", "field-invalid")),
    }
}

pub(in crate::domains::venues) async fn decide(
    state: AppState,
    ctx: ReqCtx,
    id: String,
    body: Option<DecisionJson>,
    to: BookingStatus,
) -> AppResult<Json<List<BookingJson>>> {
    let user = ctx.require(Perm::ViewVenues)?;
    let body = body.unwrap_or_default();
    let changed = service::transition(
        &state,
        &user,
        &ctx.who(),
        &id,
        to,
        scope_of(&body.scope)?,
        &body.reason,
    )
    .await?;
    let tz = crate::domains::centers::service::tz(&state, user.center_id.as_deref().unwrap_or(""))
        .await?;
    Ok(Json(List {
        items: changed.iter().map(|b| booking_json(b, None, &tz)).collect(),
        next_cursor: None,
    }))
}

/// Reads an optional JSON body (an empty body means the defaults).
pub(in crate::domains::venues) async fn optional_body(
    req: axum::extract::Request,
) -> AppResult<Option<DecisionJson>> {
    let bytes = axum::body::to_bytes(req.into_body(), 64 * 1024)
        .await
        .map_err(|_| AppError::BadRequest { field: None })?;
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(None);
    }
    serde_json::from_slice(&bytes).map(Some).map_err(|_| AppError::BadRequest { field: None })
}

/// Cancels a booking, or with `scope: series` every coming occurrence of its series.
#[utoipa::path(post, path = "/api/v1/bookings/{id}/cancel", tag = "venues", params(("id" = String, Path)),
    request_body = DecisionJson, responses((status = 200, body = List<BookingJson>), (status = 403), (status = 409)),
    security(("bearer" = [])))]
pub async fn bookings_cancel(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    req: axum::extract::Request,
) -> AppResult<Json<List<BookingJson>>> {
    let body = optional_body(req).await?;
    decide(state, ctx, id, body, BookingStatus::Cancelled).await
}

/// Approves a requested booking (admin).
#[utoipa::path(post, path = "/api/v1/bookings/{id}/approve", tag = "venues", params(("id" = String, Path)),
    request_body = DecisionJson, responses((status = 200, body = List<BookingJson>), (status = 403), (status = 409)),
    security(("bearer" = [])))]
pub async fn bookings_approve(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    req: axum::extract::Request,
) -> AppResult<Json<List<BookingJson>>> {
    let body = optional_body(req).await?;
    decide(state, ctx, id, body, BookingStatus::Confirmed).await
}

/// Rejects a requested booking with a reason (admin).
#[utoipa::path(post, path = "/api/v1/bookings/{id}/reject", tag = "venues", params(("id" = String, Path)),
    request_body = DecisionJson, responses((status = 200, body = List<BookingJson>), (status = 403), (status = 409), (status = 422)),
    security(("bearer" = [])))]
pub async fn bookings_reject(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    req: axum::extract::Request,
) -> AppResult<Json<List<BookingJson>>> {
    let body = optional_body(req).await?;
    decide(state, ctx, id, body, BookingStatus::Rejected).await
}

/// An edit: every field optional. `scope: series` changes title and
/// attendees of the series' coming occurrences; times are edited one
/// occurrence at a time.
#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct BookingPatchJson {
    #[serde(default)]
    #[schema(pattern = "^(occurrence|series)?$")]
    pub scope: String,
    pub title_zh: Option<String>,
    pub title_en: Option<String>,
    #[schema(minimum = 1)]
    pub attendees: Option<i64>,
    /// RFC 3339; give both or neither.
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
}

/// Reads an edit (shared by the API and the form).
pub fn parse_edit(p: &BookingPatchJson, current: &BookingRow) -> AppResult<service::BookingEdit> {
    let span = match (&p.starts_at, &p.ends_at) {
        (None, None) => None,
        (s, e) => {
            let start =
                s.as_deref().map_or(Some(Instant(current.span.start)), Instant::parse_rfc3339);
            let end = e.as_deref().map_or(Some(Instant(current.span.end)), Instant::parse_rfc3339);
            match (start, end) {
                (Some(a), Some(b)) => Some(Span::new(a.millis(), b.millis())),
                (None, _) => return Err(AppError::invalid("starts_at", "field-invalid-instant")),
                (_, None) => return Err(AppError::invalid("ends_at", "field-invalid-instant")),
            }
        }
    };
    let title = match (&p.title_zh, &p.title_en) {
        (None, None) => None,
        (zh, en) => Some(Bilingual::new(
            zh.clone().unwrap_or_else(|| current.title.zh.clone()),
            en.clone().unwrap_or_else(|| current.title.en.clone()),
        )),
    };
    Ok(service::BookingEdit { span, title, attendees: p.attendees })
}

/// Edits a booking or its series.
#[utoipa::path(patch, path = "/api/v1/bookings/{id}", tag = "venues", params(("id" = String, Path)),
    request_body = BookingPatchJson,
    responses((status = 200, body = List<BookingJson>), (status = 403), (status = 404),
              (status = 409, body = BookingConflictJson), (status = 422)),
    security(("bearer" = [])))]
pub async fn bookings_update(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(p): Json<BookingPatchJson>,
) -> AppResult<Json<List<BookingJson>>> {
    let user = ctx.require(Perm::BookRooms)?;
    let current = visible_booking(&state, &user, &id).await?;
    let change = parse_edit(&p, &current)?;
    let changed =
        service::edit(&state, &user, &ctx.who(), &id, scope_of(&p.scope)?, change).await?;
    let tz = crate::domains::centers::service::tz(&state, &current.center_id).await?;
    Ok(Json(List {
        items: changed.iter().map(|b| booking_json(b, None, &tz)).collect(),
        next_cursor: None,
    }))
}
