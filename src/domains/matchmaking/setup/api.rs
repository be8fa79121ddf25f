//! The setup API: read and save an event's matchmaking setup (staff).

use axum::extract::State;
use serde::{Deserialize, Serialize};

use super::service::{self, Setup, SetupEdit, TableEdit};
use crate::clock::Instant;
use crate::domains::centers::service as centers;
use crate::domains::matchmaking::model::{MAX_TABLES, MAX_WINDOWS};
use crate::error::{AppError, AppResult, FieldError};
use crate::state::AppState;
use crate::time::Span;
use crate::web::ReqCtx;
use crate::web::extract::{Json, Path};

#[derive(Serialize, Deserialize, utoipa::ToSchema, Clone)]
pub struct MeetingWindowJson {
    /// RFC 3339.
    #[schema(max_length = 40)]
    pub starts_at: String,
    #[schema(max_length = 40)]
    pub ends_at: String,
}

#[derive(Serialize, Deserialize, utoipa::ToSchema, Clone)]
pub struct MeetingTableJson {
    #[schema(minimum = 1, maximum = 999)]
    pub number: i64,
    /// One of the rooms of the event's sessions (empty: none given).
    #[serde(default)]
    #[schema(max_length = 64)]
    pub room_id: String,
    #[schema(minimum = 2, maximum = 6)]
    pub seats: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MeetingSlotJson {
    pub starts_at: String,
    pub ends_at: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MatchmakingJson {
    pub event_id: String,
    pub meeting_minutes: i64,
    pub break_minutes: i64,
    /// A request waits for the invitee's acceptance (false: placed at once).
    pub needs_acceptance: bool,
    /// Live requests one person may have sent.
    pub request_limit: i64,
    pub windows: Vec<MeetingWindowJson>,
    pub tables: Vec<MeetingTableJson>,
    /// The meeting slots the windows make.
    pub slots: Vec<MeetingSlotJson>,
}

pub(crate) async fn setup_json(state: &AppState, s: &Setup) -> AppResult<MatchmakingJson> {
    let tz = centers::tz(state, &s.center_id).await?;
    let at = |ms: i64| Instant(ms).rfc3339_in(&tz);
    let tables = service::tables(state, &s.event_id).await?;
    Ok(MatchmakingJson {
        event_id: s.event_id.clone(),
        meeting_minutes: s.meeting_minutes,
        break_minutes: s.break_minutes,
        needs_acceptance: s.needs_acceptance,
        request_limit: s.request_limit,
        windows: s
            .windows
            .iter()
            .map(|w| MeetingWindowJson { starts_at: at(w.start), ends_at: at(w.end) })
            .collect(),
        tables: tables
            .iter()
            .map(|t| MeetingTableJson {
                number: t.number,
                room_id: t.room_id.clone().unwrap_or_default(),
                seats: t.seats,
            })
            .collect(),
        slots: service::slots(s)
            .iter()
            .map(|w| MeetingSlotJson { starts_at: at(w.start), ends_at: at(w.end) })
            .collect(),
    })
}

/// An event's matchmaking setup (404 while matchmaking is off).
#[utoipa::path(get, path = "/api/v1/events/{id}/matchmaking", tag = "matchmaking",
    params(("id" = String, Path)),
    responses((status = 200, body = MatchmakingJson), (status = 401), (status = 404)), security(("bearer" = [])))]
pub async fn show(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<Json<MatchmakingJson>> {
    let user = ctx.actor.user().ok_or(AppError::Unauthorized)?;
    service::staff_event(&state, user, &id).await?;
    let s = service::require(&state, &id).await?;
    Ok(Json(setup_json(&state, &s).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct SaveMatchmakingJson {
    #[schema(minimum = 5, maximum = 120)]
    pub meeting_minutes: i64,
    #[schema(minimum = 0, maximum = 60)]
    pub break_minutes: i64,
    #[serde(default = "yes")]
    pub needs_acceptance: bool,
    #[serde(default = "twenty")]
    #[schema(minimum = 1, maximum = 200)]
    pub request_limit: i64,
    #[schema(max_items = 20)]
    pub windows: Vec<MeetingWindowJson>,
    /// Every table in use (a table left out is removed).
    #[schema(max_items = 200)]
    pub tables: Vec<MeetingTableJson>,
}

fn yes() -> bool {
    true
}

fn twenty() -> i64 {
    20
}

/// Reads windows given as RFC 3339 pairs.
pub fn windows_from(w: &[MeetingWindowJson]) -> Result<Vec<Span>, Vec<FieldError>> {
    if w.len() > MAX_WINDOWS {
        return Err(vec![
            FieldError::new("windows", "mm-too-many").with("max", MAX_WINDOWS as i64),
        ]);
    }
    let mut out = vec![];
    let mut errors = vec![];
    for (i, w) in w.iter().enumerate() {
        match (Instant::parse_rfc3339(&w.starts_at), Instant::parse_rfc3339(&w.ends_at)) {
            (Some(a), Some(b)) => out.push(Span::new(a.millis(), b.millis())),
            _ => errors.push(FieldError::new(format!("windows[{i}]"), "field-invalid-instant")),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// Switches matchmaking on for an event, or changes its setup. 409 when
/// the slots would change while meetings are placed, or a table holding
/// meetings to come would go or shrink.
#[utoipa::path(put, path = "/api/v1/events/{id}/matchmaking", tag = "matchmaking",
    params(("id" = String, Path)), request_body = SaveMatchmakingJson,
    responses((status = 200, body = MatchmakingJson), (status = 401), (status = 404), (status = 409), (status = 422)),
    security(("bearer" = [])))]
pub async fn save(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<SaveMatchmakingJson>,
) -> AppResult<Json<MatchmakingJson>> {
    let user = ctx.actor.user().ok_or(AppError::Unauthorized)?;
    if b.tables.len() > MAX_TABLES {
        return Err(AppError::Invalid(vec![
            FieldError::new("tables", "mm-too-many").with("max", MAX_TABLES as i64),
        ]));
    }
    let windows = windows_from(&b.windows).map_err(AppError::Invalid)?;
    let edit = SetupEdit {
        meeting_minutes: b.meeting_minutes,
        break_minutes: b.break_minutes,
        needs_acceptance: b.needs_acceptance,
        request_limit: b.request_limit,
        windows,
        tables: b
            .tables
            .iter()
            .map(|t| TableEdit {
                number: t.number,
                room_id: Some(t.room_id.trim().to_string()).filter(|r| !r.is_empty()),
                seats: t.seats,
            })
            .collect(),
    };
    let s = service::save(&state, &ctx.who(), user, &id, edit).await?;
    Ok(Json(setup_json(&state, &s).await?))
}
