//! The calendar API: the hall's rules and hours (public to read, staff to
//! change), dated exceptions, and the slots with their free places.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::service::{self, HallEdit};
use crate::auth::Perm;
use crate::clock::Instant;
use crate::domains::centers::service as centers;
use crate::domains::hall::model::{Hours, Rules, hm};
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n::Bilingual;
use crate::state::AppState;
use crate::web::ReqCtx;
use crate::web::extract::{Json, Path, Query};
use crate::web::list::List;

#[derive(Serialize, Deserialize, utoipa::ToSchema, Clone)]
pub struct DayHoursJson {
    /// 1 = Monday … 7 = Sunday.
    #[schema(minimum = 1, maximum = 7)]
    pub weekday: i64,
    /// `HH:MM`.
    #[schema(pattern = "^[0-2][0-9]:[0-5][0-9]$")]
    pub opens: String,
    #[schema(pattern = "^[0-2][0-9]:[0-5][0-9]$")]
    pub closes: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ExceptionJson {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// Empty: closed that day.
    pub opens: String,
    pub closes: String,
    pub note_zh: String,
    pub note_en: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CalendarJson {
    pub name_zh: String,
    pub name_en: String,
    /// IANA time zone the hours are in.
    pub time_zone: String,
    pub rules: Rules,
    /// Open weekdays; a weekday not listed is closed.
    pub week: Vec<DayHoursJson>,
    /// Dated exceptions from today on.
    pub exceptions: Vec<ExceptionJson>,
}

async fn calendar_json(state: &AppState, center_id: &str) -> AppResult<CalendarJson> {
    let hall = service::require(state, center_id).await?;
    let center = centers::get(state, center_id).await?;
    let today: jiff::civil::Date =
        state.clock.now().local_parts(&center.tz()).0.parse().map_err(AppError::internal)?;
    Ok(CalendarJson {
        name_zh: hall.name.zh.clone(),
        name_en: hall.name.en.clone(),
        time_zone: center.timezone.clone(),
        week: hall
            .calendar
            .week
            .iter()
            .enumerate()
            .filter_map(|(i, h)| {
                h.map(|h| DayHoursJson {
                    weekday: i as i64 + 1,
                    opens: hm(h.opens),
                    closes: hm(h.closes),
                })
            })
            .collect(),
        exceptions: hall
            .calendar
            .exceptions
            .iter()
            .filter(|(d, _)| **d >= today)
            .take(400)
            .map(|(d, h)| {
                let note = hall.notes.get(d).cloned().unwrap_or_default();
                ExceptionJson {
                    day: d.to_string(),
                    opens: h.map(|h| hm(h.opens)).unwrap_or_default(),
                    closes: h.map(|h| hm(h.closes)).unwrap_or_default(),
                    note_zh: note.zh,
                    note_en: note.en,
                }
            })
            .collect(),
        rules: hall.rules,
    })
}

/// The hall's opening calendar and rules (staff: their center's; everyone
/// else: the public center's).
#[utoipa::path(get, path = "/api/v1/hall/calendar", tag = "hall",
    responses((status = 200, body = CalendarJson), (status = 404)))]
pub async fn calendar(State(state): State<AppState>, ctx: ReqCtx) -> AppResult<Json<CalendarJson>> {
    let center_id = service::center_for(&state, ctx.actor.user()).await?;
    Ok(Json(calendar_json(&state, &center_id).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct SaveCalendarJson {
    #[serde(default)]
    #[schema(max_length = 200)]
    pub name_zh: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub name_en: String,
    pub rules: Rules,
    /// Open weekdays (at most one entry each).
    #[schema(max_items = 7)]
    pub week: Vec<DayHoursJson>,
}

/// Reads a week of hours: each weekday once, opening before closing.
pub fn week_from(days: &[DayHoursJson]) -> Result<[Option<Hours>; 7], Vec<FieldError>> {
    let mut week = [None; 7];
    let mut errors = vec![];
    if days.len() > 7 {
        return Err(vec![FieldError::new("week", "field-too-long")]);
    }
    for d in days {
        let i = usize::try_from(d.weekday - 1).ok().filter(|i| *i < 7);
        match (i, Hours::parse(&d.opens, &d.closes)) {
            (Some(i), Some(h)) if week[i].is_none() => week[i] = Some(h),
            (Some(i), None) => {
                errors.push(FieldError::new(format!("week_{}", i + 1), "hall-hours-invalid"))
            }
            _ => errors.push(FieldError::new("week", "field-invalid")),
        }
    }
    if errors.is_empty() { Ok(week) } else { Err(errors) }
}

/// Sets the hall's name, rules and weekly hours (staff). Future slots and
/// days take the new limits; reservations without a place in the new
/// calendar are listed for staff on `/hall/manage`, never dropped.
#[utoipa::path(put, path = "/api/v1/hall/calendar", tag = "hall", request_body = SaveCalendarJson,
    responses((status = 200, body = CalendarJson), (status = 422)), security(("bearer" = [])))]
pub async fn save(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Json(b): Json<SaveCalendarJson>,
) -> AppResult<Json<CalendarJson>> {
    let (user, center_id) = ctx.require_center(Perm::ManageHall)?;
    let week = week_from(&b.week).map_err(AppError::Invalid)?;
    let edit = HallEdit { name: Bilingual::new(b.name_zh, b.name_en), rules: b.rules, week };
    service::save(&state, &ctx.who(), &user, edit).await?;
    Ok(Json(calendar_json(&state, &center_id).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ExceptionBody {
    /// `HH:MM`; both empty: closed that day.
    #[serde(default)]
    #[schema(max_length = 5)]
    pub opens: String,
    #[serde(default)]
    #[schema(max_length = 5)]
    pub closes: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub note_zh: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub note_en: String,
}

/// Reads an exception's hours: both empty is closed.
pub fn exception_hours(opens: &str, closes: &str) -> Result<Option<Hours>, AppError> {
    if opens.trim().is_empty() && closes.trim().is_empty() {
        return Ok(None);
    }
    Hours::parse(opens, closes)
        .map(Some)
        .ok_or_else(|| AppError::invalid("opens", "hall-hours-invalid"))
}

/// Closes the hall on a day, or opens it with other hours (a public
/// holiday, a special opening).
#[utoipa::path(put, path = "/api/v1/hall/calendar/exceptions/{day}", tag = "hall",
    params(("day" = String, Path, description = "YYYY-MM-DD")), request_body = ExceptionBody,
    responses((status = 204), (status = 422)), security(("bearer" = [])))]
pub async fn exception_put(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(day): Path<String>,
    Json(b): Json<ExceptionBody>,
) -> AppResult<StatusCode> {
    let (user, _) = ctx.require_center(Perm::ManageHall)?;
    let hours = exception_hours(&b.opens, &b.closes)?;
    service::set_exception(
        &state,
        &ctx.who(),
        &user,
        &day,
        hours,
        Bilingual::new(b.note_zh, b.note_en),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes a dated exception: the day follows its weekday again.
#[utoipa::path(delete, path = "/api/v1/hall/calendar/exceptions/{day}", tag = "hall",
    params(("day" = String, Path, description = "YYYY-MM-DD")),
    responses((status = 204), (status = 404)), security(("bearer" = [])))]
pub async fn exception_delete(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(day): Path<String>,
) -> AppResult<StatusCode> {
    let (user, _) = ctx.require_center(Perm::ManageHall)?;
    service::remove_exception(&state, &ctx.who(), &user, day.trim()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SlotsQuery {
    /// First day (`YYYY-MM-DD`; default today).
    #[serde(default)]
    pub from: String,
    /// Last day (default: the last bookable day; at most 62 days after `from`).
    #[serde(default)]
    pub to: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SlotJson {
    /// `YYYY-MM-DDTHH:MM` local: pass as `slot` to book it.
    pub key: String,
    pub starts_at: String,
    pub ends_at: String,
    pub capacity: i64,
    /// Places still free.
    pub free: i64,
    /// Open for booking now (not begun, within the horizon, bookings open).
    pub bookable: bool,
}

/// Days the slot list may cover at once.
pub const MAX_DAYS: i64 = 62;

/// The slots of a span of days with their free places.
#[utoipa::path(get, path = "/api/v1/hall/slots", tag = "hall", params(SlotsQuery),
    responses((status = 200, body = List<SlotJson>), (status = 422), (status = 404)))]
pub async fn slots(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Query(q): Query<SlotsQuery>,
) -> AppResult<Json<List<SlotJson>>> {
    let center_id = service::center_for(&state, ctx.actor.user()).await?;
    let hall = service::require(&state, &center_id).await?;
    let tz = centers::tz(&state, &center_id).await?;
    let now = state.clock.now();
    let today: jiff::civil::Date = service::today(&state, &tz)?;
    let from = crate::time::parse_day("from", &q.from, false)?.unwrap_or(today);
    let to = match crate::time::parse_day("to", &q.to, false)? {
        Some(d) => d,
        None => {
            let last = service::last_bookable_day(&hall.rules, now, &tz).unwrap_or(from).max(from);
            let cap = from.checked_add(jiff::Span::new().days(MAX_DAYS)).unwrap_or(from);
            last.min(cap)
        }
    };
    if to < from || (to - from).get_days() as i64 > MAX_DAYS {
        return Err(AppError::Invalid(vec![
            FieldError::new("to", "hall-range-too-long").with("days", MAX_DAYS),
        ]));
    }
    let items = service::slots(&state, &hall, from, to)
        .await?
        .into_iter()
        .map(|s| SlotJson {
            key: s.key,
            starts_at: Instant(s.start).rfc3339_in(&tz),
            ends_at: Instant(s.end).rfc3339_in(&tz),
            capacity: s.capacity,
            free: s.free,
            bookable: s.bookable,
        })
        .collect();
    Ok(Json(List::whole(items)))
}
