//! The meetings API: a participant's requests, answers, cancellations,
//! outcomes and agenda (by their ticket link's secret, or staff); staff
//! bookings, the batch scheduler, attendance and the event's meetings.

use std::collections::HashMap;

use axum::extract::State;
use axum::response::Response;
use serde::{Deserialize, Serialize};

use super::service::{self, Acting, Batch, Meeting};
use crate::clock::Instant;
use crate::domains::centers::service as centers;
use crate::domains::matchmaking::model::{Attendance, MeetingStatus, Outcome};
use crate::domains::matchmaking::profile::api::SecretQuery;
use crate::domains::matchmaking::profile::service as profiles;
use crate::domains::matchmaking::setup::service as setup;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::extract::{Json, Path, Query};
use crate::web::list::{List, PageQuery, key_cursor};
use crate::web::{ReqCtx, created};

/// One side of a meeting.
#[derive(Serialize, utoipa::ToSchema)]
pub struct MeetingSideJson {
    /// The profile's id.
    pub id: String,
    pub name: String,
    pub organisation_zh: String,
    pub organisation_en: String,
    pub country: String,
    pub languages: Vec<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MeetingJson {
    pub id: String,
    pub event_id: String,
    #[schema(schema_with = MeetingStatus::openapi)]
    pub status: String,
    pub requester: MeetingSideJson,
    pub invitee: MeetingSideJson,
    pub message: String,
    /// Why it was declined or cancelled.
    pub reason: String,
    /// Booked by staff.
    pub by_staff: bool,
    /// RFC 3339, once placed.
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    /// The table's number, once placed.
    pub table: Option<i64>,
    /// Recorded on the day (empty until then).
    #[schema(schema_with = Attendance::openapi_or_empty)]
    pub attendance: String,
    pub late: bool,
    pub created_at: String,
}

/// Meetings as JSON, their people and tables read once.
pub async fn meetings_json(state: &AppState, ms: &[Meeting]) -> AppResult<Vec<MeetingJson>> {
    let Some(first) = ms.first() else { return Ok(vec![]) };
    let tz = centers::tz(state, &first.center_id).await?;
    let mut ids: Vec<String> =
        ms.iter().flat_map(|m| [m.requester_id.clone(), m.invitee_id.clone()]).collect();
    ids.sort();
    ids.dedup();
    let people: HashMap<String, profiles::Profile> =
        profiles::by_ids(state, &ids).await?.into_iter().map(|p| (p.id.clone(), p)).collect();
    let tables: HashMap<String, i64> = setup::all_tables(state, &first.event_id)
        .await?
        .into_iter()
        .map(|t| (t.id, t.number))
        .collect();
    let side = |id: &str| -> AppResult<MeetingSideJson> {
        let p = people.get(id).ok_or(AppError::NotFound)?;
        Ok(MeetingSideJson {
            id: p.id.clone(),
            name: p.name.clone(),
            organisation_zh: p.organisation.zh.clone(),
            organisation_en: p.organisation.en.clone(),
            country: p.country.clone(),
            languages: p.languages.clone(),
        })
    };
    ms.iter()
        .map(|m| {
            Ok(MeetingJson {
                id: m.id.clone(),
                event_id: m.event_id.clone(),
                status: m.status.code().into(),
                requester: side(&m.requester_id)?,
                invitee: side(&m.invitee_id)?,
                message: m.message.clone(),
                reason: m.reason.clone(),
                by_staff: m.by_staff,
                starts_at: m.span.map(|s| Instant(s.start).rfc3339_in(&tz)),
                ends_at: m.span.map(|s| Instant(s.end).rfc3339_in(&tz)),
                table: m.table_id.as_ref().and_then(|t| tables.get(t).copied()),
                attendance: m.attendance.map(|a| a.code().to_string()).unwrap_or_default(),
                late: m.late,
                created_at: Instant(m.created_at).rfc3339_in(&tz),
            })
        })
        .collect()
}

async fn one(state: &AppState, m: Meeting) -> AppResult<MeetingJson> {
    meetings_json(state, &[m]).await?.pop().ok_or(AppError::NotFound)
}

/// The participant's meetings: asked, received and placed, oldest first.
#[utoipa::path(get, path = "/api/v1/matchmaking/participants/{participant_id}/meetings", tag = "matchmaking",
    params(("participant_id" = String, Path), SecretQuery, PageQuery),
    responses((status = 200, body = List<MeetingJson>), (status = 401), (status = 404), (status = 422)))]
pub async fn mine(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(pid): Path<String>,
    Query(q): Query<SecretQuery>,
    Query(page): Query<PageQuery>,
) -> AppResult<Json<List<MeetingJson>>> {
    let h = profiles::acting_as(&state, ctx.actor.user(), &pid, &q.secret).await?;
    let limit = page.size()?;
    let rows = service::of_profile(&state, h.profile()?, &page.after()?, limit).await?;
    let (rows, next_cursor) =
        crate::web::list::split_page(rows, limit as usize, |m| key_cursor(m.created_at, &m.id));
    Ok(Json(List { items: meetings_json(&state, &rows).await?, next_cursor }))
}

/// The participant's agenda: placed meetings in time order.
#[utoipa::path(get, path = "/api/v1/matchmaking/participants/{participant_id}/agenda", tag = "matchmaking",
    params(("participant_id" = String, Path), SecretQuery),
    responses((status = 200, body = List<MeetingJson>), (status = 401), (status = 404)))]
pub async fn agenda(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(pid): Path<String>,
    Query(q): Query<SecretQuery>,
) -> AppResult<Json<List<MeetingJson>>> {
    let h = profiles::acting_as(&state, ctx.actor.user(), &pid, &q.secret).await?;
    let rows = service::agenda(&state, h.profile()?).await?;
    Ok(Json(List::whole(meetings_json(&state, &rows).await?)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct MeetingRequestJson {
    /// The secret of the participant's ticket link.
    #[serde(default)]
    #[schema(max_length = 128)]
    pub secret: String,
    /// The profile id of the person asked.
    #[schema(max_length = 64)]
    pub invitee_id: String,
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub message: String,
}

/// Asks another participant for a meeting. 409 when a live request
/// between the two exists or this person's request limit is reached.
#[utoipa::path(post, path = "/api/v1/matchmaking/participants/{participant_id}/meetings", tag = "matchmaking",
    params(("participant_id" = String, Path)), request_body = MeetingRequestJson,
    responses((status = 201, body = MeetingJson), (status = 401), (status = 404), (status = 409), (status = 422)))]
pub async fn request(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(pid): Path<String>,
    Json(b): Json<MeetingRequestJson>,
) -> AppResult<Response> {
    let h = profiles::acting_as(&state, ctx.actor.user(), &pid, &b.secret).await?;
    let m = service::request(&state, &ctx.who(), &h, &b.invitee_id, &b.message).await?;
    let location = format!("/api/v1/matchmaking/participants/{pid}/meetings/{}", m.id);
    Ok(created(location, one(&state, m).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct MeetingAnswerJson {
    /// The secret of the participant's ticket link.
    #[serde(default)]
    #[schema(max_length = 128)]
    pub secret: String,
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub reason: String,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct MeetingPath {
    pub participant_id: String,
    pub meeting_id: String,
}

/// The invitee accepts: the meeting is placed at the earliest slot both
/// are free (and a table is), or waits for one.
#[utoipa::path(post, path = "/api/v1/matchmaking/participants/{participant_id}/meetings/{meeting_id}/accept",
    tag = "matchmaking", params(MeetingPath), request_body = MeetingAnswerJson,
    responses((status = 200, body = MeetingJson), (status = 401), (status = 404), (status = 409), (status = 422)))]
pub async fn accept(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(p): Path<MeetingPath>,
    Json(b): Json<MeetingAnswerJson>,
) -> AppResult<Json<MeetingJson>> {
    let h = profiles::acting_as(&state, ctx.actor.user(), &p.participant_id, &b.secret).await?;
    let m = service::decide(&state, &ctx.who(), &h, &p.meeting_id, true, &b.reason).await?;
    Ok(Json(one(&state, m).await?))
}

/// The invitee declines.
#[utoipa::path(post, path = "/api/v1/matchmaking/participants/{participant_id}/meetings/{meeting_id}/decline",
    tag = "matchmaking", params(MeetingPath), request_body = MeetingAnswerJson,
    responses((status = 200, body = MeetingJson), (status = 401), (status = 404), (status = 409), (status = 422)))]
pub async fn decline(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(p): Path<MeetingPath>,
    Json(b): Json<MeetingAnswerJson>,
) -> AppResult<Json<MeetingJson>> {
    let h = profiles::acting_as(&state, ctx.actor.user(), &p.participant_id, &b.secret).await?;
    let m = service::decide(&state, &ctx.who(), &h, &p.meeting_id, false, &b.reason).await?;
    Ok(Json(one(&state, m).await?))
}

/// Either side cancels a live meeting; a freed slot goes to the first
/// accepted meeting still waiting whose people are free then.
#[utoipa::path(post, path = "/api/v1/matchmaking/participants/{participant_id}/meetings/{meeting_id}/cancel",
    tag = "matchmaking", params(MeetingPath), request_body = MeetingAnswerJson,
    responses((status = 200, body = MeetingJson), (status = 401), (status = 404), (status = 409), (status = 422)))]
pub async fn cancel(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(p): Path<MeetingPath>,
    Json(b): Json<MeetingAnswerJson>,
) -> AppResult<Json<MeetingJson>> {
    let h = profiles::acting_as(&state, ctx.actor.user(), &p.participant_id, &b.secret).await?;
    let me = h.profile()?;
    let m = service::cancel(
        &state,
        &ctx.who(),
        Acting::Person(me),
        &h.event.id,
        &p.meeting_id,
        &b.reason,
    )
    .await?;
    Ok(Json(one(&state, m).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct MeetingOutcomeJson {
    /// The secret of the participant's ticket link.
    #[serde(default)]
    #[schema(max_length = 128)]
    pub secret: String,
    /// What it led to (codes, at most 6).
    #[schema(schema_with = outcome_list)]
    pub outcomes: Vec<String>,
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub note: String,
}

fn outcome_list() -> utoipa::openapi::schema::Array {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(Outcome::openapi())
        .max_items(Some(6))
        .build()
}

/// One side records what a meeting led to (after its start).
#[utoipa::path(put, path = "/api/v1/matchmaking/participants/{participant_id}/meetings/{meeting_id}/outcome",
    tag = "matchmaking", params(MeetingPath), request_body = MeetingOutcomeJson,
    responses((status = 204), (status = 401), (status = 404), (status = 409), (status = 422)))]
pub async fn outcome(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(p): Path<MeetingPath>,
    Json(b): Json<MeetingOutcomeJson>,
) -> AppResult<axum::http::StatusCode> {
    let h = profiles::acting_as(&state, ctx.actor.user(), &p.participant_id, &b.secret).await?;
    let mut list = vec![];
    for (i, o) in b.outcomes.iter().enumerate().take(6) {
        let o = Outcome::exact(o)
            .ok_or_else(|| AppError::invalid(&format!("outcomes[{i}]"), "field-invalid-choice"))?;
        if !list.contains(&o) {
            list.push(o);
        }
    }
    if b.outcomes.len() > 6 {
        return Err(AppError::invalid("outcomes", "field-too-long"));
    }
    service::record_outcome(&state, &ctx.who(), h.profile()?, &p.meeting_id, &list, &b.note)
        .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventMeetingsQuery {
    /// Only meetings in this state (empty: requested and accepted).
    #[serde(default)]
    #[param(schema_with = MeetingStatus::openapi_or_empty)]
    pub status: String,
}

/// An event's meetings, for staff.
#[utoipa::path(get, path = "/api/v1/events/{id}/matchmaking/meetings", tag = "matchmaking",
    params(("id" = String, Path), EventMeetingsQuery, PageQuery),
    responses((status = 200, body = List<MeetingJson>), (status = 401), (status = 404), (status = 422)),
    security(("bearer" = [])))]
pub async fn event_meetings(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Query(q): Query<EventMeetingsQuery>,
    Query(page): Query<PageQuery>,
) -> AppResult<Json<List<MeetingJson>>> {
    let user = ctx.actor.user().ok_or(AppError::Unauthorized)?;
    let statuses = match q.status.as_str() {
        "" => vec![MeetingStatus::Requested, MeetingStatus::Accepted],
        s => vec![
            MeetingStatus::exact(s)
                .ok_or_else(|| AppError::invalid("status", "field-invalid-choice"))?,
        ],
    };
    let limit = page.size()?;
    let rows = service::of_event(&state, user, &id, &statuses, &page.after()?, limit).await?;
    let (rows, next_cursor) =
        crate::web::list::split_page(rows, limit as usize, |m| key_cursor(m.created_at, &m.id));
    Ok(Json(List { items: meetings_json(&state, &rows).await?, next_cursor }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct BookMeetingJson {
    /// Profile ids of the two people.
    #[schema(max_length = 64)]
    pub requester_id: String,
    #[schema(max_length = 64)]
    pub invitee_id: String,
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub message: String,
}

/// Staff book a meeting directly (a VIP delegation): accepted at once,
/// placed if a slot is free for both.
#[utoipa::path(post, path = "/api/v1/events/{id}/matchmaking/meetings", tag = "matchmaking",
    params(("id" = String, Path)), request_body = BookMeetingJson,
    responses((status = 201, body = MeetingJson), (status = 401), (status = 404), (status = 409), (status = 422)),
    security(("bearer" = [])))]
pub async fn book(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<BookMeetingJson>,
) -> AppResult<Response> {
    let user = ctx.actor.user().ok_or(AppError::Unauthorized)?;
    let m =
        service::book(&state, &ctx.who(), user, &id, &b.requester_id, &b.invitee_id, &b.message)
            .await?;
    let location = format!("/api/v1/events/{id}/matchmaking/meetings/{}", m.id);
    Ok(created(location, one(&state, m).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct EventMeetingPath {
    pub id: String,
    pub meeting_id: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CancelMeetingJson {
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub reason: String,
}

/// Staff cancel a meeting; both sides are told.
#[utoipa::path(post, path = "/api/v1/events/{id}/matchmaking/meetings/{meeting_id}/cancel", tag = "matchmaking",
    params(EventMeetingPath), request_body = CancelMeetingJson,
    responses((status = 200, body = MeetingJson), (status = 401), (status = 404), (status = 409), (status = 422)),
    security(("bearer" = [])))]
pub async fn staff_cancel(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(p): Path<EventMeetingPath>,
    Json(b): Json<CancelMeetingJson>,
) -> AppResult<Json<MeetingJson>> {
    let user = ctx.actor.user().ok_or(AppError::Unauthorized)?;
    let m =
        service::cancel(&state, &ctx.who(), Acting::Staff(user), &p.id, &p.meeting_id, &b.reason)
            .await?;
    Ok(Json(one(&state, m).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct MeetingAttendanceJson {
    #[schema(schema_with = Attendance::openapi)]
    pub attendance: String,
    #[serde(default)]
    pub late: bool,
}

/// Staff record who came to a placed meeting, and whether it ran late.
#[utoipa::path(put, path = "/api/v1/events/{id}/matchmaking/meetings/{meeting_id}/attendance", tag = "matchmaking",
    params(EventMeetingPath), request_body = MeetingAttendanceJson,
    responses((status = 200, body = MeetingJson), (status = 401), (status = 404), (status = 409), (status = 422)),
    security(("bearer" = [])))]
pub async fn attendance(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(p): Path<EventMeetingPath>,
    Json(b): Json<MeetingAttendanceJson>,
) -> AppResult<Json<MeetingJson>> {
    let user = ctx.actor.user().ok_or(AppError::Unauthorized)?;
    let a = Attendance::exact(&b.attendance)
        .ok_or_else(|| AppError::invalid("attendance", "field-invalid-choice"))?;
    let m = service::attend(&state, &ctx.who(), user, &p.id, &p.meeting_id, a, b.late).await?;
    Ok(Json(one(&state, m).await?))
}

/// Places every accepted meeting still waiting, at once.
#[utoipa::path(post, path = "/api/v1/events/{id}/matchmaking/schedule", tag = "matchmaking",
    params(("id" = String, Path)),
    responses((status = 200, body = Batch), (status = 401), (status = 404)), security(("bearer" = [])))]
pub async fn schedule(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<Json<Batch>> {
    let user = ctx.actor.user().ok_or(AppError::Unauthorized)?;
    Ok(Json(service::schedule_all(&state, &ctx.who(), user, &id).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct MeetingInterpreterJson {
    #[schema(max_length = 64)]
    pub interpreter_id: String,
    /// The language interpreted to and from Chinese (BCP 47).
    #[schema(max_length = 35)]
    pub language: String,
}

/// Offers a placed meeting to an interpreter from the roster (the
/// interpreting rules apply: qualified, never two places at once); the
/// table must seat three.
#[utoipa::path(post, path = "/api/v1/events/{id}/matchmaking/meetings/{meeting_id}/interpreter", tag = "matchmaking",
    params(EventMeetingPath), request_body = MeetingInterpreterJson,
    responses((status = 201, body = crate::domains::interpreting::api::AssignmentJson), (status = 401), (status = 404), (status = 409), (status = 422)),
    security(("bearer" = [])))]
pub async fn interpreter(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(p): Path<EventMeetingPath>,
    Json(b): Json<MeetingInterpreterJson>,
) -> AppResult<Response> {
    let user = ctx.actor.user().ok_or(AppError::Unauthorized)?;
    crate::error::at_most("language", &b.language, 35)?;
    let a = service::attach_interpreter(
        &state,
        &ctx.who(),
        user,
        &p.id,
        &p.meeting_id,
        &b.interpreter_id,
        &b.language,
    )
    .await?;
    let tz = centers::tz(&state, &a.center_id).await?;
    let location = format!("/api/v1/interpreting/assignments/{}", a.id);
    Ok(created(location, crate::domains::interpreting::api::assignment_json(&a, &tz)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct MoveMeetingJson {
    /// The new slot's start (RFC 3339), one of the setup's slots.
    #[schema(max_length = 40)]
    pub starts_at: String,
}

/// Staff move an agreed meeting to another slot (the smallest table free
/// then); 409 when one of the two is busy or no table is free. Both are
/// told; the slot it leaves goes to a meeting still waiting.
#[utoipa::path(post, path = "/api/v1/events/{id}/matchmaking/meetings/{meeting_id}/move", tag = "matchmaking",
    params(EventMeetingPath), request_body = MoveMeetingJson,
    responses((status = 200, body = MeetingJson), (status = 401), (status = 404), (status = 409), (status = 422)),
    security(("bearer" = [])))]
pub async fn move_meeting(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(p): Path<EventMeetingPath>,
    Json(b): Json<MoveMeetingJson>,
) -> AppResult<Json<MeetingJson>> {
    let user = ctx.actor.user().ok_or(AppError::Unauthorized)?;
    crate::error::at_most("starts_at", &b.starts_at, 40)?;
    let at = Instant::parse_rfc3339(&b.starts_at)
        .ok_or_else(|| AppError::invalid("starts_at", "field-invalid-instant"))?;
    let m = service::move_to(&state, &ctx.who(), user, &p.id, &p.meeting_id, at.millis()).await?;
    Ok(Json(one(&state, m).await?))
}
