use super::service;
use crate::auth::Perm;
use crate::clock::Instant;
use crate::domains::centers::service as centers;
use crate::domains::interpreting::api::{AssignmentJson, assignment_json};
use crate::domains::interpreting::service::{self as interpreting, Suggestion};
use crate::domains::visits::itinerary::service::ItemInput;
use crate::domains::visits::model::{SeatRole, Side};
use crate::domains::visits::records::{Item, Seat};
use crate::domains::visits::visit;
use crate::error::{AppError, AppResult};
use crate::i18n::Bilingual;
use crate::state::AppState;
use crate::time::Span;
use crate::web::extract::{Json, Path, Query};
use crate::web::list::List;
use crate::web::{ReqCtx, created};
use axum::extract::State;
use axum::response::Response;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

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

pub(in crate::domains::visits) fn item_json(
    i: &Item,
    assignments: Vec<AssignmentJson>,
    tz: &TimeZone,
) -> ItemJson {
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

#[utoipa::path(get, path = "/api/v1/visits/{id}/itinerary-items", tag = "visits", params(("id" = String, Path)),
    responses((status = 200, body = List<ItemJson>)), security(("bearer" = [])))]
pub async fn items_index(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<Json<List<ItemJson>>> {
    let (_, center_id) = ctx.require_center(Perm::ManageVisits)?;
    let v = visit::service::visit_in(&state, &center_id, &id).await?;
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
    Ok(Json(List { items, next_cursor: None }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewItemJson {
    /// arrival, meeting, talks, banquet, site_visit, signing, event, departure.
    #[schema(schema_with = crate::domains::visits::model::ItemKind::openapi)]
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
    #[schema(schema_with = crate::domains::visits::model::ItemStatus::openapi_or_empty)]
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
#[into_params(parameter_in = Query)]
pub struct SuggestionQuery {
    /// BCP 47 tag.
    pub language: String,
}

/// Interpreters free at the item's time who work in the language, best first
/// (exact tag, level, then lightest workload).
#[utoipa::path(get, path = "/api/v1/itinerary-items/{id}/interpreter-suggestions", tag = "visits",
    params(("id" = String, Path), SuggestionQuery),
    responses((status = 200, body = List<Suggestion>), (status = 422)), security(("bearer" = [])))]
pub async fn items_suggestions(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Query(q): Query<SuggestionQuery>,
) -> AppResult<Json<List<Suggestion>>> {
    let (_, center_id) = ctx.require_center(Perm::ManageVisits)?;
    let item = service::item_in(&state, &center_id, &id).await?;
    let items = interpreting::suggestions(&state, &center_id, item.span, &q.language).await?;
    Ok(Json(List { items, next_cursor: None }))
}

#[derive(Deserialize, Serialize, utoipa::ToSchema)]
pub struct SeatJson {
    /// host or guest.
    #[schema(schema_with = crate::domains::visits::model::Side::openapi)]
    pub side: String,
    /// 1 is the principal seat of the side.
    #[schema(minimum = 1, maximum = 60)]
    pub position: i64,
    /// principal or interpreter.
    #[serde(default = "principal")]
    #[schema(schema_with = crate::domains::visits::model::SeatRole::openapi)]
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

pub(in crate::domains::visits) fn principal() -> String {
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
    responses((status = 200, body = SeatingJson), (status = 401), (status = 403), (status = 404)),
    security(("bearer" = [])))]
pub async fn items_seating_suggested(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<Json<SeatingJson>> {
    let (_, center_id) = ctx.require_center(Perm::ManageVisits)?;
    let seats = service::default_seating(&state, &center_id, &id).await?;
    Ok(Json(SeatingJson { seats: seats.iter().map(seat_json).collect() }))
}
