//! The white list over JSON.

use axum::extract::State;
use serde::{Deserialize, Serialize};

use super::service::{self, Entry};
use crate::auth::Perm;
use crate::clock::Instant;
use crate::domains::enterprises::model::item::{Usage, parse_quantity, show_quantity};
use crate::error::{AppError, AppResult, at_most};
use crate::state::AppState;
use crate::web::ReqCtx;
use crate::web::extract::{Json, Path, Query};
use crate::web::list::{List, PageQuery, key_cursor};

#[derive(Serialize, utoipa::ToSchema)]
pub struct WhitelistEntryJson {
    pub id: String,
    pub enterprise_id: String,
    pub enterprise_name_zh: String,
    pub enterprise_name_en: String,
    /// The white-list application that made it.
    pub request_id: String,
    pub name_zh: String,
    pub name_en: String,
    pub hs_code: String,
    pub spec: String,
    pub unit: String,
    /// Quantities as decimal strings in `unit`.
    pub approved: String,
    pub imported: String,
    pub used: String,
    pub destroyed: String,
    /// Still to import under the entry.
    pub importable: String,
    /// Imported, neither used nor destroyed.
    pub on_hand: String,
    pub valid_from: String,
    pub valid_until: String,
}

pub fn entry_json(e: &Entry) -> WhitelistEntryJson {
    let b = e.balance;
    WhitelistEntryJson {
        id: e.id.clone(),
        enterprise_id: e.enterprise_id.clone(),
        enterprise_name_zh: e.enterprise_zh.clone(),
        enterprise_name_en: e.enterprise_en.clone(),
        request_id: e.request_id.clone(),
        name_zh: e.name_zh.clone(),
        name_en: e.name_en.clone(),
        hs_code: e.hs_code.clone(),
        spec: e.spec.clone(),
        unit: e.unit.clone(),
        approved: show_quantity(b.approved),
        imported: show_quantity(b.imported),
        used: show_quantity(b.used),
        destroyed: show_quantity(b.destroyed),
        importable: show_quantity(b.importable()),
        on_hand: show_quantity(b.on_hand()),
        valid_from: e.valid_from.clone(),
        valid_until: e.valid_until.clone(),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WhitelistQuery {
    /// One enterprise's entries (officers).
    #[serde(default)]
    #[param(max_length = 64)]
    pub enterprise_id: String,
}

/// White-list entries: the center's (officers), or one's own enterprise's.
#[utoipa::path(get, path = "/api/v1/whitelist", tag = "enterprises", params(WhitelistQuery, PageQuery),
    responses((status = 200, body = List<WhitelistEntryJson>)), security(("bearer" = [])))]
pub async fn index(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Query(q): Query<WhitelistQuery>,
    Query(page): Query<PageQuery>,
) -> AppResult<Json<List<WhitelistEntryJson>>> {
    let (user, center_id) = ctx.require_center(Perm::SignedIn)?;
    at_most("enterprise_id", &q.enterprise_id, 64)?;
    let (limit, (_, after)) = (page.size()?, page.after()?);
    let rows =
        service::page(&state, &user, &center_id, &q.enterprise_id, &after, limit + 1).await?;
    Ok(Json(List::page(rows, limit as usize, |e| key_cursor(0, &e.id), |e| entry_json(&e))))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct WhitelistLineJson {
    #[schema(schema_with = Usage::openapi)]
    pub kind: String,
    pub quantity: String,
    pub project: String,
    pub note: String,
    pub at: String,
    pub by: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct WhitelistEntryDetailJson {
    pub entry: WhitelistEntryJson,
    /// The latest 200 ledger lines, newest first.
    pub ledger: Vec<WhitelistLineJson>,
}

async fn detail(state: &AppState, e: Entry) -> AppResult<WhitelistEntryDetailJson> {
    let lines = service::lines(state, &e.id, 200).await?;
    let utc = jiff::tz::TimeZone::UTC;
    Ok(WhitelistEntryDetailJson {
        entry: entry_json(&e),
        ledger: lines
            .into_iter()
            .map(|l| WhitelistLineJson {
                kind: l.usage.code().into(),
                quantity: show_quantity(l.quantity),
                project: l.project,
                note: l.note,
                at: Instant(l.at).rfc3339_in(&utc),
                by: l.by_name,
            })
            .collect(),
    })
}

/// An entry with its ledger.
#[utoipa::path(get, path = "/api/v1/whitelist/{id}", tag = "enterprises", params(("id" = String, Path)),
    responses((status = 200, body = WhitelistEntryDetailJson), (status = 404)), security(("bearer" = [])))]
pub async fn show(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<Json<WhitelistEntryDetailJson>> {
    let (user, center_id) = ctx.require_center(Perm::SignedIn)?;
    let e = service::get(&state, &user, &center_id, &id).await?;
    Ok(Json(detail(&state, e).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct WhitelistUsageInputJson {
    #[schema(schema_with = Usage::openapi)]
    pub kind: String,
    /// A decimal with at most three places ("5", "0.25").
    #[schema(max_length = 20)]
    pub quantity: String,
    /// The project it was used in (required for `used`).
    #[serde(default)]
    #[schema(max_length = 200)]
    pub project: String,
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub note: String,
}

/// Records a ledger line; 409 with the balances when it would take one below zero.
#[utoipa::path(post, path = "/api/v1/whitelist/{id}/usage", tag = "enterprises", params(("id" = String, Path)),
    request_body = WhitelistUsageInputJson,
    responses((status = 200, body = WhitelistEntryDetailJson), (status = 409), (status = 422)), security(("bearer" = [])))]
pub async fn record(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<WhitelistUsageInputJson>,
) -> AppResult<Json<WhitelistEntryDetailJson>> {
    let (user, center_id) = ctx.require_center(Perm::SignedIn)?;
    let usage =
        Usage::exact(&b.kind).ok_or_else(|| AppError::invalid("kind", "field-invalid-choice"))?;
    at_most("quantity", &b.quantity, 20)?;
    at_most("project", &b.project, 200)?;
    at_most("note", &b.note, 1000)?;
    let q = parse_quantity(&b.quantity)
        .ok_or_else(|| AppError::invalid("quantity", "item-quantity"))?;
    let e =
        service::record(&state, &ctx.who(), &user, &center_id, &id, usage, q, &b.project, &b.note)
            .await?;
    Ok(Json(detail(&state, e).await?))
}
