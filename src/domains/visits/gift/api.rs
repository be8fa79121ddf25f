use super::service;
use crate::auth::Perm;
use crate::clock::Instant;
use crate::domains::centers::service as centers;
use crate::domains::visits::gift::service::GiftMove;
use crate::domains::visits::records::{Gift, GiftMovement};
use crate::error::AppResult;
use crate::i18n::Bilingual;
use crate::state::AppState;
use crate::web::extract::{Json, Path, Query};
use crate::web::list::{List, PageQuery, key_cursor};
use crate::web::{ReqCtx, created};
use axum::extract::State;
use axum::response::Response;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

#[derive(Serialize, utoipa::ToSchema)]
pub struct GiftJson {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    /// Value of one piece in fen (1/100 yuan).
    pub unit_value: i64,
    pub stock: i64,
}

pub(in crate::domains::visits) fn gift_json(g: &Gift) -> GiftJson {
    GiftJson {
        id: g.id.clone(),
        name_zh: g.name.zh.clone(),
        name_en: g.name.en.clone(),
        unit_value: g.unit_value,
        stock: g.stock,
    }
}

/// The gift register in the order gifts were added, a page at a time.
#[utoipa::path(get, path = "/api/v1/gifts", tag = "visits", params(PageQuery), responses((status = 200, body = List<GiftJson>)), security(("bearer" = [])))]
pub async fn gifts_index(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Query(page): Query<PageQuery>,
) -> AppResult<Json<List<GiftJson>>> {
    let (_, center_id) = ctx.require_center(Perm::ManageVisits)?;
    let (limit, (_, after)) = (page.size()?, page.after()?);
    let rows = service::gifts_page(&state, &center_id, &after, limit + 1).await?;
    Ok(Json(List::page(rows, limit as usize, |g| key_cursor(0, &g.id), |g| gift_json(&g))))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewGiftJson {
    #[schema(min_length = 1, max_length = 200)]
    pub name_zh: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    #[schema(minimum = 0, maximum = 100000000)]
    pub unit_value: i64,
}

#[utoipa::path(post, path = "/api/v1/gifts", tag = "visits", request_body = NewGiftJson,
    responses((status = 201, body = GiftJson), (status = 422)), security(("bearer" = [])))]
pub async fn gifts_create(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Json(b): Json<NewGiftJson>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.require_center(Perm::ManageVisits)?;
    // The limit is on the text as sent (the name is trimmed when kept).
    crate::error::at_most("name_zh", &b.name_zh, 200)?;
    let g = service::create_gift(
        &state,
        &ctx.who(),
        &center_id,
        Bilingual::new(b.name_zh, b.name_en),
        b.unit_value,
    )
    .await?;
    Ok(created(format!("/api/v1/gifts/{}", g.id), gift_json(&g)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct GiftMoveJson {
    /// Positive: stock in. Negative: given (needs `visit_id`).
    #[schema(minimum = -100000, maximum = 100000)]
    pub quantity: i64,
    #[serde(default)]
    pub visit_id: String,
    #[serde(default)]
    pub recipient: String,
    #[serde(default)]
    pub note: String,
    /// Give although the organisation already received this gift (otherwise 409 `gift-repeat`).
    #[serde(default)]
    pub confirm_repeat: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct GiftMovementJson {
    pub id: String,
    pub gift_id: String,
    pub quantity: i64,
    pub visit_id: Option<String>,
    pub organisation_id: Option<String>,
    pub recipient: String,
    pub note: String,
    pub at: String,
}

pub(in crate::domains::visits) fn movement_json(
    m: &GiftMovement,
    tz: &TimeZone,
) -> GiftMovementJson {
    GiftMovementJson {
        id: m.id.clone(),
        gift_id: m.gift_id.clone(),
        quantity: m.quantity,
        visit_id: m.visit_id.clone(),
        organisation_id: m.organisation_id.clone(),
        recipient: m.recipient.clone(),
        note: m.note.clone(),
        at: Instant(m.at).rfc3339_in(tz),
    }
}

/// Stock in, or a gift given on a visit (409 when out of stock, or when the
/// organisation already received the same gift and it is not confirmed).
#[utoipa::path(post, path = "/api/v1/gifts/{id}/movements", tag = "visits", params(("id" = String, Path)),
    request_body = GiftMoveJson,
    responses((status = 201, body = GiftMovementJson), (status = 409), (status = 422)), security(("bearer" = [])))]
pub async fn gifts_move(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<GiftMoveJson>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.require_center(Perm::ManageVisits)?;
    let m = service::move_gift(
        &state,
        &ctx.who(),
        &user,
        GiftMove {
            gift_id: id.clone(),
            quantity: b.quantity,
            visit_id: b.visit_id,
            recipient: b.recipient,
            note: b.note,
            confirm_repeat: b.confirm_repeat,
        },
    )
    .await?;
    let tz = centers::tz(&state, &center_id).await?;
    Ok(created(format!("/api/v1/gifts/{id}"), movement_json(&m, &tz)))
}
