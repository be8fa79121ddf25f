use super::service;
use crate::auth::Perm;
use crate::clock::Instant;
use crate::domains::venues::model::{
    OpeningHours, Room, RoomInput, RoomRules, Span, WEEKDAYS, parse_range,
};
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n::Bilingual;
use crate::state::AppState;
use crate::time::DAY_MS;
use crate::web::extract::{Json, Path, Query};
use crate::web::list::List;
use crate::web::{ReqCtx, created};
use axum::extract::State;
use axum::response::Response;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

#[derive(Serialize, utoipa::ToSchema)]
pub struct RoomJson {
    pub id: String,
    pub zone_code: String,
    pub name_zh: String,
    pub name_en: String,
    pub description_zh: String,
    pub description_en: String,
    pub location_zh: String,
    pub location_en: String,
    pub capacity: i64,
    /// Codes: si_booths, projector, video_conference, bilingual_screen, …
    pub equipment: Vec<String>,
    pub bookable: bool,
    pub requires_approval: bool,
    /// Bookable hours per weekday (`mo` … `su`): `HH:MM-HH:MM`, or empty when closed.
    #[schema(value_type = Object)]
    pub opening_hours: serde_json::Map<String, serde_json::Value>,
    pub min_minutes: i64,
    pub max_minutes: i64,
    pub max_advance_days: i64,
    pub setup_minutes: i64,
    pub teardown_minutes: i64,
}

impl From<&Room> for RoomJson {
    fn from(r: &Room) -> RoomJson {
        let opening_hours = WEEKDAYS
            .iter()
            .enumerate()
            .map(|(i, d)| (d.to_string(), serde_json::Value::String(r.rules.hours.day_text(i))))
            .collect();
        RoomJson {
            id: r.id.clone(),
            zone_code: r.zone_code.clone(),
            name_zh: r.name.zh.clone(),
            name_en: r.name.en.clone(),
            description_zh: r.description.zh.clone(),
            description_en: r.description.en.clone(),
            location_zh: r.location.zh.clone(),
            location_en: r.location.en.clone(),
            capacity: r.rules.capacity,
            equipment: r.equipment.clone(),
            bookable: r.rules.bookable,
            requires_approval: r.requires_approval,
            opening_hours,
            min_minutes: r.rules.min_minutes,
            max_minutes: r.rules.max_minutes,
            max_advance_days: r.rules.max_advance_days,
            setup_minutes: r.rules.setup_minutes,
            teardown_minutes: r.rules.teardown_minutes,
        }
    }
}

/// The rooms of the caller's center.
#[utoipa::path(get, path = "/api/v1/rooms", tag = "venues",
    responses((status = 200, body = List<RoomJson>), (status = 401), (status = 403)), security(("bearer" = [])))]
pub async fn rooms_index(
    State(state): State<AppState>,
    ctx: ReqCtx,
) -> AppResult<Json<List<RoomJson>>> {
    let (_, center_id) = ctx.require_center(Perm::ViewVenues)?;
    let rooms = service::rooms(&state, &center_id).await?;
    Ok(Json(List::whole(rooms.iter().map(RoomJson::from).collect())))
}

/// A new room (admin). Only `zone_code`, the names and `capacity` are required.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewRoomJson {
    pub zone_code: String,
    pub name_zh: String,
    #[schema(min_length = 1, max_length = 200)]
    pub name_en: String,
    #[serde(default)]
    pub description_zh: String,
    #[serde(default)]
    pub description_en: String,
    #[serde(default)]
    pub location_zh: String,
    #[serde(default)]
    pub location_en: String,
    #[schema(minimum = 1, maximum = 5000)]
    pub capacity: i64,
    #[serde(default)]
    pub equipment: Vec<String>,
    #[serde(default = "yes")]
    pub bookable: bool,
    #[serde(default)]
    pub requires_approval: bool,
    /// `mo` … `su` → `HH:MM-HH:MM` or empty; default Monday–Friday 08:30–18:00.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub opening_hours: Option<std::collections::BTreeMap<String, String>>,
    #[serde(default = "default_min")]
    #[schema(minimum = 5, maximum = 1440)]
    pub min_minutes: i64,
    #[serde(default = "default_max")]
    #[schema(minimum = 5, maximum = 1440)]
    pub max_minutes: i64,
    #[serde(default = "default_advance")]
    #[schema(minimum = 0, maximum = 730)]
    pub max_advance_days: i64,
    #[serde(default)]
    #[schema(minimum = 0, maximum = 240)]
    pub setup_minutes: i64,
    #[serde(default)]
    #[schema(minimum = 0, maximum = 240)]
    pub teardown_minutes: i64,
}

pub(in crate::domains::venues) fn yes() -> bool {
    true
}

pub(in crate::domains::venues) fn default_min() -> i64 {
    30
}

pub(in crate::domains::venues) fn default_max() -> i64 {
    480
}

pub(in crate::domains::venues) fn default_advance() -> i64 {
    180
}

/// Parses `{"mo": "08:30-18:00", …}`; missing days are closed.
pub fn parse_hours(
    map: &std::collections::BTreeMap<String, String>,
) -> Result<OpeningHours, FieldError> {
    let mut days = [None; 7];
    for (k, v) in map {
        let i = WEEKDAYS
            .iter()
            .position(|d| d == k)
            .ok_or_else(|| FieldError::new(format!("opening_hours.{k}"), "field-invalid"))?;
        days[i] = parse_range(v)
            .ok_or_else(|| FieldError::new(format!("opening_hours.{k}"), "room-hours-invalid"))?;
    }
    Ok(OpeningHours(days))
}

/// Reads a room body (create and replace share it).
pub(in crate::domains::venues) fn room_input(b: NewRoomJson) -> AppResult<RoomInput> {
    let hours = match &b.opening_hours {
        Some(map) => parse_hours(map).map_err(|e| AppError::Invalid(vec![e]))?,
        None => OpeningHours::office(),
    };
    let rules = RoomRules {
        capacity: b.capacity,
        bookable: b.bookable,
        hours,
        min_minutes: b.min_minutes,
        max_minutes: b.max_minutes,
        max_advance_days: b.max_advance_days,
        setup_minutes: b.setup_minutes,
        teardown_minutes: b.teardown_minutes,
    };
    RoomInput::parse(
        &b.zone_code,
        Bilingual::new(b.name_zh, b.name_en),
        Bilingual::new(b.description_zh, b.description_en),
        Bilingual::new(b.location_zh, b.location_en),
        &b.equipment,
        b.requires_approval,
        rules,
    )
    .map_err(AppError::Invalid)
}

/// Creates a room in a zone of the caller's center (admin).
#[utoipa::path(post, path = "/api/v1/rooms", tag = "venues", request_body = NewRoomJson,
    responses((status = 201, body = RoomJson), (status = 403), (status = 422)), security(("bearer" = [])))]
pub async fn rooms_create(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Json(b): Json<NewRoomJson>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.require_center(Perm::ManageRooms)?;
    let room = service::create_room(&state, &ctx.who(), &center_id, room_input(b)?).await?;
    Ok(created(format!("/api/v1/rooms/{}", room.id), RoomJson::from(&room)))
}

/// Replaces a room's details and rules (admin); the body is as for creating.
/// Existing bookings stay; new rules apply from now on.
#[utoipa::path(put, path = "/api/v1/rooms/{id}", tag = "venues", params(("id" = String, Path)), request_body = NewRoomJson,
    responses((status = 200, body = RoomJson), (status = 403), (status = 404), (status = 422)), security(("bearer" = [])))]
pub async fn rooms_update(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<NewRoomJson>,
) -> AppResult<Json<RoomJson>> {
    let (_, center_id) = ctx.require_center(Perm::ManageRooms)?;
    let room = service::update_room(&state, &ctx.who(), &center_id, &id, room_input(b)?).await?;
    Ok(Json(RoomJson::from(&room)))
}

/// One room.
#[utoipa::path(get, path = "/api/v1/rooms/{id}", tag = "venues", params(("id" = String, Path)),
    responses((status = 200, body = RoomJson), (status = 404)), security(("bearer" = [])))]
pub async fn rooms_show(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<Json<RoomJson>> {
    let (_, center_id) = ctx.require_center(Perm::ViewVenues)?;
    Ok(Json(RoomJson::from(&service::room_in(&state, &center_id, &id).await?)))
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WindowQuery {
    /// RFC 3339 instant or `YYYY-MM-DD` (center's time zone); default: now.
    #[serde(default)]
    pub from: String,
    /// RFC 3339 instant or `YYYY-MM-DD` (exclusive); default: 7 days after `from`.
    #[serde(default)]
    pub to: String,
    /// Only this room (bookings list).
    #[serde(default)]
    pub room_id: String,
}

/// Reads `from`/`to` as a window of at most `max_days`.
pub fn window(q: &WindowQuery, tz: &TimeZone, now: Instant, max_days: i64) -> AppResult<Span> {
    let parse = |s: &str, field: &str| -> AppResult<Option<i64>> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(None);
        }
        Instant::parse_rfc3339(s)
            .or_else(|| Instant::parse_local_date(s, tz))
            .map(|i| Some(i.millis()))
            .ok_or_else(|| AppError::invalid(field, "field-invalid-instant"))
    };
    let from = parse(&q.from, "from")?.unwrap_or(now.millis());
    let to = parse(&q.to, "to")?.unwrap_or(from + 7 * DAY_MS);
    if to <= from {
        return Err(AppError::invalid("to", "booking-end-before-start"));
    }
    if to - from > max_days * DAY_MS {
        return Err(AppError::invalid("to", "window-too-long"));
    }
    Ok(Span::new(from, to))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SpanJson {
    pub starts_at: String,
    pub ends_at: String,
    /// The booking holding this time (empty for a blackout); busy spans only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub booking_id: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AvailabilityJson {
    pub room_id: String,
    pub from: String,
    pub to: String,
    /// Held time, set-up and tear-down buffers included.
    pub busy: Vec<SpanJson>,
    pub free: Vec<SpanJson>,
}

/// Busy and free intervals of a room (at most 92 days).
#[utoipa::path(get, path = "/api/v1/rooms/{id}/availability", tag = "venues",
    params(("id" = String, Path), WindowQuery),
    responses((status = 200, body = AvailabilityJson), (status = 404), (status = 422)), security(("bearer" = [])))]
pub async fn availability(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Query(q): Query<WindowQuery>,
) -> AppResult<Json<AvailabilityJson>> {
    let (_, center_id) = ctx.require_center(Perm::ViewVenues)?;
    let room = service::room_in(&state, &center_id, &id).await?;
    let tz = crate::domains::centers::service::tz(&state, &center_id).await?;
    let w = window(&q, &tz, state.clock.now(), 92)?;
    let a = service::availability(&state, &room, w).await?;
    let fmt = |ms: i64| Instant(ms).rfc3339_in(&tz);
    Ok(Json(AvailabilityJson {
        room_id: room.id,
        from: fmt(w.start),
        to: fmt(w.end),
        busy: a
            .busy
            .iter()
            .map(|(s, b)| SpanJson {
                starts_at: fmt(s.start),
                ends_at: fmt(s.end),
                booking_id: Some(b.clone()),
            })
            .collect(),
        free: a
            .free
            .iter()
            .map(|s| SpanJson { starts_at: fmt(s.start), ends_at: fmt(s.end), booking_id: None })
            .collect(),
    }))
}
