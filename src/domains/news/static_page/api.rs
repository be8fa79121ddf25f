//! The site's pages over JSON: anyone reads them; the senior editor saves.

use axum::extract::State;
use serde::{Deserialize, Serialize};

use super::service;
use crate::auth::Perm;
use crate::domains::centers::service as centers;
use crate::domains::news::model::{PageInput, PageKey, SitePage, render_markdown};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::ReqCtx;
use crate::web::extract::{Json, Path};
use crate::web::list::List;

#[derive(Serialize, utoipa::ToSchema)]
pub struct SitePageJson {
    /// about, zones, contact, privacy or accessibility.
    #[schema(schema_with = PageKey::openapi)]
    pub key: String,
    /// The public address.
    pub url: String,
    pub title_zh: String,
    pub title_en: String,
    /// Markdown as written.
    pub body_zh: String,
    pub body_en: String,
    /// Rendered and sanitized.
    pub body_html_zh: String,
    pub body_html_en: String,
    /// Not yet written: the program's default text.
    pub is_default: bool,
    /// Send it back with an edit (0 for a page not yet written).
    pub version: i64,
}

fn page_json(p: &SitePage) -> SitePageJson {
    SitePageJson {
        key: p.key.code().into(),
        url: format!("/{}", p.key.code()),
        title_zh: p.title_zh.clone(),
        title_en: p.title_en.clone(),
        body_zh: p.body_zh.clone(),
        body_en: p.body_en.clone(),
        body_html_zh: render_markdown(&p.body_zh),
        body_html_en: render_markdown(&p.body_en),
        is_default: p.id.is_none(),
        version: p.version,
    }
}

fn key(s: &str) -> AppResult<PageKey> {
    PageKey::exact(s).ok_or(AppError::NotFound)
}

/// The public site's pages (five, never more).
#[utoipa::path(get, path = "/api/v1/pages", tag = "news",
    responses((status = 200, body = List<SitePageJson>), (status = 404)))]
pub async fn index(State(state): State<AppState>) -> AppResult<Json<List<SitePageJson>>> {
    let center = centers::public_center(&state).await?.ok_or(AppError::NotFound)?;
    let mut items = vec![];
    for k in PageKey::ALL {
        items.push(page_json(&service::get(&state, &center.id, *k).await?));
    }
    Ok(Json(List::whole(items)))
}

/// One of the public site's pages.
#[utoipa::path(get, path = "/api/v1/pages/{key}", tag = "news",
    params(("key" = String, Path, pattern = "^(about|zones|contact|privacy|accessibility)$")),
    responses((status = 200, body = SitePageJson), (status = 404)))]
pub async fn show(
    State(state): State<AppState>,
    Path(k): Path<String>,
) -> AppResult<Json<SitePageJson>> {
    let center = centers::public_center(&state).await?.ok_or(AppError::NotFound)?;
    Ok(Json(page_json(&service::get(&state, &center.id, key(&k)?).await?)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct SitePageInputJson {
    #[schema(max_length = 200, min_length = 1)]
    pub title_zh: String,
    #[schema(max_length = 200, min_length = 1)]
    pub title_en: String,
    #[schema(max_length = 50000, min_length = 1)]
    pub body_zh: String,
    #[schema(max_length = 50000, min_length = 1)]
    pub body_en: String,
    /// The version read (0 for a page not yet written): 409 if saved since.
    pub version: i64,
}

/// Saves one of the site's pages, both languages (the senior editor).
#[utoipa::path(put, path = "/api/v1/pages/{key}", tag = "news",
    params(("key" = String, Path, pattern = "^(about|zones|contact|privacy|accessibility)$")),
    request_body = SitePageInputJson,
    responses((status = 200, body = SitePageJson), (status = 403), (status = 404), (status = 409), (status = 422)),
    security(("bearer" = [])))]
pub async fn update(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(k): Path<String>,
    Json(b): Json<SitePageInputJson>,
) -> AppResult<Json<SitePageJson>> {
    let (user, center_id) = ctx.require_center(Perm::PublishNews)?;
    let k = key(&k)?;
    let input = PageInput::parse(&b.title_zh, &b.title_en, &b.body_zh, &b.body_en)
        .map_err(AppError::Invalid)?;
    let p = service::save(&state, &ctx.who(), &user, &center_id, k, b.version, input).await?;
    Ok(Json(page_json(&p)))
}
