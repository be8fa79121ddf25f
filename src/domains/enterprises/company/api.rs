//! Enterprises over JSON.

use axum::extract::State;
use axum::response::Response;
use serde::{Deserialize, Serialize};

use super::service::{self, Enterprise};
use crate::auth::Perm;
use crate::domains::enterprises::model::EnterpriseDraft;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::extract::{Json, Path, Query};
use crate::web::list::{List, PageQuery, key_cursor};
use crate::web::{ReqCtx, created};

#[derive(Serialize, Deserialize, utoipa::ToSchema, Clone, Default)]
pub struct EnterpriseContactJson {
    #[schema(max_length = 100)]
    pub name: String,
    #[serde(default)]
    #[schema(max_length = 100)]
    pub title: String,
    #[serde(default)]
    #[schema(max_length = 40)]
    pub phone: String,
    #[serde(default)]
    #[schema(max_length = 254)]
    pub email: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct EnterpriseJson {
    pub id: String,
    /// Unified social credit code (GB 32100).
    pub uscc: String,
    pub name_zh: String,
    pub name_en: String,
    pub address_zh: String,
    pub address_en: String,
    pub settled: bool,
    /// YYYY-MM-DD.
    pub settled_on: Option<String>,
    pub contacts: Vec<EnterpriseContactJson>,
    pub version: i64,
}

pub fn enterprise_json(e: &Enterprise) -> EnterpriseJson {
    EnterpriseJson {
        id: e.id.clone(),
        uscc: e.uscc.clone(),
        name_zh: e.name_zh.clone(),
        name_en: e.name_en.clone(),
        address_zh: e.address_zh.clone(),
        address_en: e.address_en.clone(),
        settled: e.settled,
        settled_on: e.settled_on.clone(),
        contacts: e
            .contacts
            .iter()
            .map(|c| EnterpriseContactJson {
                name: c.name.clone(),
                title: c.title.clone(),
                phone: c.phone.clone(),
                email: c.email.clone(),
            })
            .collect(),
        version: e.version,
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct EnterpriseInputJson {
    /// 18 characters with its check character; spaces and hyphens are dropped.
    #[schema(max_length = 40)]
    pub uscc: String,
    #[schema(max_length = 200)]
    pub name_zh: String,
    #[schema(max_length = 200)]
    pub name_en: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub address_zh: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub address_en: String,
    #[serde(default)]
    pub settled: bool,
    /// YYYY-MM-DD; required when settled.
    #[serde(default)]
    #[schema(max_length = 10)]
    pub settled_on: String,
    #[serde(default)]
    #[schema(max_items = 10)]
    pub contacts: Vec<EnterpriseContactJson>,
    /// The version edited (updates only).
    #[serde(default)]
    pub version: i64,
}

impl EnterpriseInputJson {
    pub fn draft(&self) -> EnterpriseDraft<'_> {
        EnterpriseDraft {
            uscc: &self.uscc,
            name_zh: &self.name_zh,
            name_en: &self.name_en,
            address_zh: &self.address_zh,
            address_en: &self.address_en,
            settled: self.settled,
            settled_on: &self.settled_on,
            contacts: self
                .contacts
                .iter()
                .map(|c| (c.name.as_str(), c.title.as_str(), c.phone.as_str(), c.email.as_str()))
                .collect(),
        }
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EnterpriseQuery {
    /// Words of either name, or part of the code.
    #[serde(default)]
    #[param(max_length = 100)]
    pub q: String,
}

/// The center's enterprises (staff).
#[utoipa::path(get, path = "/api/v1/enterprises", tag = "enterprises", params(EnterpriseQuery, PageQuery),
    responses((status = 200, body = List<EnterpriseJson>), (status = 422)), security(("bearer" = [])))]
pub async fn index(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Query(q): Query<EnterpriseQuery>,
    Query(page): Query<PageQuery>,
) -> AppResult<Json<List<EnterpriseJson>>> {
    let (_, center_id) = ctx.require_center(Perm::ManageEnterprises)?;
    let (limit, (_, after)) = (page.size()?, page.after()?);
    let rows = service::page(&state, &center_id, &q.q, &after, limit + 1).await?;
    Ok(Json(List::page(rows, limit as usize, |e| key_cursor(0, &e.id), |e| enterprise_json(&e))))
}

/// Registers an enterprise: its code is checked (GB 32100), both names are required.
#[utoipa::path(post, path = "/api/v1/enterprises", tag = "enterprises", request_body = EnterpriseInputJson,
    responses((status = 201, body = EnterpriseJson), (status = 422)), security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Json(body): Json<EnterpriseInputJson>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.require_center(Perm::ManageEnterprises)?;
    let input = body.draft().check().map_err(AppError::Invalid)?;
    let e = service::create(&state, &ctx.who(), &user, &center_id, input).await?;
    Ok(created(format!("/api/v1/enterprises/{}", e.id), enterprise_json(&e)))
}

/// One enterprise: staff, or its own members.
#[utoipa::path(get, path = "/api/v1/enterprises/{id}", tag = "enterprises", params(("id" = String, Path)),
    responses((status = 200, body = EnterpriseJson), (status = 404)), security(("bearer" = [])))]
pub async fn show(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<Json<EnterpriseJson>> {
    let (user, center_id) = ctx.require_center(Perm::SignedIn)?;
    Ok(Json(enterprise_json(&service::get(&state, &user, &center_id, &id).await?)))
}

/// Changes an enterprise (send the `version` read; 409 when changed meanwhile).
#[utoipa::path(put, path = "/api/v1/enterprises/{id}", tag = "enterprises", params(("id" = String, Path)),
    request_body = EnterpriseInputJson,
    responses((status = 200, body = EnterpriseJson), (status = 409), (status = 422)), security(("bearer" = [])))]
pub async fn update(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(body): Json<EnterpriseInputJson>,
) -> AppResult<Json<EnterpriseJson>> {
    let (user, center_id) = ctx.require_center(Perm::ManageEnterprises)?;
    let input = body.draft().check().map_err(AppError::Invalid)?;
    let e =
        service::update(&state, &ctx.who(), &user, &center_id, &id, body.version, input).await?;
    Ok(Json(enterprise_json(&e)))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct EnterpriseMemberJson {
    pub user_id: String,
    pub email: String,
    pub display_name: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct EnterpriseMemberInputJson {
    /// An enterprise account of the center.
    #[schema(max_length = 254)]
    pub email: String,
}

/// The accounts acting for an enterprise.
#[utoipa::path(get, path = "/api/v1/enterprises/{id}/members", tag = "enterprises", params(("id" = String, Path)),
    responses((status = 200, body = Vec<EnterpriseMemberJson>), (status = 404)), security(("bearer" = [])))]
pub async fn members(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<EnterpriseMemberJson>>> {
    let (user, center_id) = ctx.require_center(Perm::SignedIn)?;
    let e = service::get(&state, &user, &center_id, &id).await?;
    let m = service::members(&state, &e.id).await?;
    Ok(Json(
        m.into_iter()
            .map(|m| EnterpriseMemberJson {
                user_id: m.user_id,
                email: m.email,
                display_name: m.display_name,
            })
            .collect(),
    ))
}

/// Lets an enterprise account act for this enterprise (409 if it acts for another).
#[utoipa::path(post, path = "/api/v1/enterprises/{id}/members", tag = "enterprises", params(("id" = String, Path)),
    request_body = EnterpriseMemberInputJson,
    responses((status = 204), (status = 409), (status = 422)), security(("bearer" = [])))]
pub async fn add_member(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(body): Json<EnterpriseMemberInputJson>,
) -> AppResult<axum::http::StatusCode> {
    let (user, center_id) = ctx.require_center(Perm::ManageEnterprises)?;
    crate::error::at_most("email", &body.email, 254)?;
    service::add_member(&state, &ctx.who(), &user, &center_id, &id, &body.email).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// Stops an account acting for the enterprise.
#[utoipa::path(delete, path = "/api/v1/enterprises/{id}/members/{user_id}", tag = "enterprises",
    params(("id" = String, Path), ("user_id" = String, Path)),
    responses((status = 204), (status = 404)), security(("bearer" = [])))]
pub async fn remove_member(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path((id, user_id)): Path<(String, String)>,
) -> AppResult<axum::http::StatusCode> {
    let (user, center_id) = ctx.require_center(Perm::ManageEnterprises)?;
    service::remove_member(&state, &ctx.who(), &user, &center_id, &id, &user_id).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
