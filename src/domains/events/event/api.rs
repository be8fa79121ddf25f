use super::service;
use crate::auth::Perm;
use crate::clock::Instant;
use crate::domains::centers::service as centers;
use crate::domains::events::event::service::CategoryInput;
use crate::domains::events::event::service::EventInput;
use crate::domains::events::event::service::SessionInput;
use crate::domains::events::event::store::Category;
use crate::domains::events::event::store::Event;
use crate::domains::events::event::store::Session;
use crate::domains::events::model::Question;
use crate::error::{AppError, AppResult};
use crate::i18n::Bilingual;
use crate::state::AppState;
use crate::time::Span;
use crate::web::extract::{Json, Path, Query};
use crate::web::list::{List, PageQuery, key_cursor, split_page};
use crate::web::{ReqCtx, created};
use axum::extract::State;
use axum::response::Response;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

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
}

pub fn event_json(e: &Event, cats: &[Category], sessions: &[Session], tz: &TimeZone) -> EventJson {
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
    }
}

pub(in crate::domains::events) async fn full_json(
    state: &AppState,
    e: &Event,
) -> AppResult<EventJson> {
    let tz = centers::tz(state, &e.center_id).await?;
    let cats = service::categories(state, &e.id).await?;
    let sessions = service::sessions(state, &e.id).await?;
    Ok(event_json(e, &cats, &sessions, &tz))
}

/// Upcoming events (and those of the last 30 days) by start, a page at a
/// time: the public ones for everyone; staff see all of their center's.
#[utoipa::path(get, path = "/api/v1/events", tag = "events", params(PageQuery), responses((status = 200, body = List<EventJson>)))]
pub async fn index(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Query(page): Query<PageQuery>,
) -> AppResult<Json<List<EventJson>>> {
    let (limit, after) = (page.size()?, page.after()?);
    let user = ctx.actor.user().cloned();
    let staff =
        user.as_ref().filter(|u| ctx.actor.can(Perm::ManageEvents) && u.center_id.is_some());
    let center_id = match staff {
        Some(u) => u.center_id.clone().unwrap_or_default(),
        None => centers::public_center(&state).await?.ok_or(AppError::NotFound)?.id,
    };
    let from = state.clock.now().millis() - 30 * 86_400_000;
    let rows =
        service::list_page(&state, &center_id, from, staff.is_none(), &after, limit + 1).await?;
    // The page first; then each event's JSON, which reads its sessions.
    let (rows, next_cursor) = split_page(rows, limit as usize, |e| key_cursor(e.span.start, &e.id));
    let mut items = vec![];
    for e in &rows {
        items.push(full_json(&state, e).await?);
    }
    Ok(Json(List { items, next_cursor }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
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
    Ok(Json(full_json(&state, &e).await?))
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
    #[schema(schema_with = crate::domains::events::model::EventKind::openapi)]
    pub kind: String,
    #[schema(max_length = 200)]
    pub title_zh: String,
    #[schema(max_length = 200)]
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
    #[schema(schema_with = crate::domains::events::model::Visibility::openapi_or_empty)]
    pub visibility: String,
    #[serde(default)]
    pub languages: Vec<String>,
    pub starts_at: String,
    pub ends_at: String,
    #[schema(minimum = 1, maximum = 100000)]
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
    #[schema(minimum = 1, maximum = 100)]
    pub max_group: Option<i64>,
    #[serde(default)]
    pub categories: Vec<NewCategoryJson>,
    #[serde(default)]
    pub form: Vec<Question>,
    #[serde(default)]
    pub retention_until: String,
}

pub(in crate::domains::events) fn span_of(starts: &str, ends: &str) -> Result<Span, AppError> {
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
    Ok(created(format!("/api/v1/events/{}", e.id), full_json(&state, &e).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct EventTransitionJson {
    /// planned, registration_open, held, reported or cancelled.
    #[schema(schema_with = crate::domains::events::model::EventStatus::openapi)]
    pub to: String,
    /// Required to cancel (registrants are told).
    #[serde(default)]
    pub reason: String,
}

#[utoipa::path(post, path = "/api/v1/events/{id}/transition", tag = "events", params(("id" = String, Path)),
    request_body = EventTransitionJson, responses((status = 200, body = EventJson), (status = 409), (status = 422)),
    security(("bearer" = [])))]
pub async fn transition(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<EventTransitionJson>,
) -> AppResult<Json<EventJson>> {
    let (user, _) = ctx.require_center(Perm::ManageEvents)?;
    let e = service::transition(&state, &ctx.who(), &user, &id, &b.to, &b.reason).await?;
    Ok(Json(full_json(&state, &e).await?))
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
    Ok(Json(full_json(&state, &e).await?))
}

/// A new invitation code: shown only in this answer (it is kept hashed).
#[derive(Serialize, utoipa::ToSchema)]
pub struct InvitationJson {
    /// The code to pass as `invitation` when reading or registering.
    pub code: String,
    /// The event's page with the code: the link to send.
    pub url: String,
}

/// Makes a new invitation code for an event; the earlier codes stop working.
#[utoipa::path(post, path = "/api/v1/events/{id}/invitation", tag = "events", params(("id" = String, Path)),
    responses((status = 201, body = InvitationJson), (status = 401, body = crate::openapi::Problem),
        (status = 403, body = crate::openapi::Problem), (status = 404, body = crate::openapi::Problem)),
    security(("bearer" = [])))]
pub async fn invitation(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<axum::response::Response> {
    let (user, _) = ctx.require_center(Perm::ManageEvents)?;
    let code = service::renew_invitation(&state, &ctx.who(), &user, &id).await?;
    let url = format!("/events/{id}?invitation={code}");
    // No `Location`: the secret stays out of headers proxies log (and, like
    // every dynamic answer, it is `no-store`: web::security).
    Ok(axum::response::IntoResponse::into_response((
        axum::http::StatusCode::CREATED,
        Json(InvitationJson { code, url }),
    )))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CapacityJson {
    #[schema(minimum = 1, maximum = 100000)]
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
    Ok(Json(full_json(&state, &e).await?))
}
