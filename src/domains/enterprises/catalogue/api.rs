//! The service catalogue over JSON.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::service::{self, ServiceType};
use crate::auth::{Perm, allows};
use crate::domains::enterprises::model::flow::Flow;
use crate::domains::enterprises::model::form::FormSpec;
use crate::error::{AppError, AppResult, at_most};
use crate::state::AppState;
use crate::web::ReqCtx;
use crate::web::extract::{Json, Path};

#[derive(Serialize, utoipa::ToSchema)]
pub struct ServiceTypeJson {
    pub id: String,
    pub code: String,
    #[schema(schema_with = Flow::openapi)]
    pub flow: String,
    pub name_zh: String,
    pub name_en: String,
    pub summary_zh: String,
    pub summary_en: String,
    /// Approval makes white-list entries.
    pub whitelist: bool,
    pub active: bool,
    /// The version new requests are filed under.
    pub form_version: i64,
    /// That version's form (in `show`; empty in lists).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub form: Option<FormSpec>,
}

pub fn type_json(t: &ServiceType, form: Option<FormSpec>) -> ServiceTypeJson {
    ServiceTypeJson {
        id: t.id.clone(),
        code: t.code.clone(),
        flow: t.flow.code().into(),
        name_zh: t.name_zh.clone(),
        name_en: t.name_en.clone(),
        summary_zh: t.summary_zh.clone(),
        summary_en: t.summary_en.clone(),
        whitelist: t.whitelist,
        active: t.active,
        form_version: t.form_version,
        form,
    }
}

/// The center's services (enterprises see the open ones).
#[utoipa::path(get, path = "/api/v1/service-types", tag = "enterprises",
    responses((status = 200, body = Vec<ServiceTypeJson>)), security(("bearer" = [])))]
pub async fn index(
    State(state): State<AppState>,
    ctx: ReqCtx,
) -> AppResult<Json<Vec<ServiceTypeJson>>> {
    let (user, center_id) = ctx.require_center(Perm::SignedIn)?;
    let staff = allows(Some(user.role), Perm::HandleRequests);
    if !staff && !allows(Some(user.role), Perm::FileRequests) {
        return Err(AppError::Forbidden);
    }
    let types = service::types(&state, &center_id, !staff).await?;
    Ok(Json(types.iter().map(|t| type_json(t, None)).collect()))
}

async fn readable(state: &AppState, ctx: &ReqCtx, id: &str) -> AppResult<(ServiceType, bool)> {
    let (user, center_id) = ctx.require_center(Perm::SignedIn)?;
    let staff = allows(Some(user.role), Perm::HandleRequests);
    if !staff && !allows(Some(user.role), Perm::FileRequests) {
        return Err(AppError::Forbidden);
    }
    let t = service::get(state, &center_id, id).await?;
    if !t.active && !staff {
        return Err(AppError::NotFound);
    }
    Ok((t, staff))
}

/// A service with the form new requests are filed under.
#[utoipa::path(get, path = "/api/v1/service-types/{id}", tag = "enterprises", params(("id" = String, Path)),
    responses((status = 200, body = ServiceTypeJson), (status = 404)), security(("bearer" = [])))]
pub async fn show(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<Json<ServiceTypeJson>> {
    let (t, _) = readable(&state, &ctx, &id).await?;
    let form = service::form(&state, &t.id, t.form_version).await?;
    Ok(Json(type_json(&t, Some(form))))
}

/// One version of a service's form (what older requests were filed under).
#[utoipa::path(get, path = "/api/v1/service-types/{id}/forms/{version}", tag = "enterprises",
    params(("id" = String, Path), ("version" = i64, Path)),
    responses((status = 200, body = FormSpec), (status = 404)), security(("bearer" = [])))]
pub async fn form(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path((id, version)): Path<(String, i64)>,
) -> AppResult<Json<FormSpec>> {
    let (t, _) = readable(&state, &ctx, &id).await?;
    Ok(Json(service::form(&state, &t.id, version).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ServiceFormInputJson {
    /// The version this one was made from (409 when another was saved meanwhile).
    pub from_version: i64,
    pub form: FormSpec,
}

/// Saves a new version of the form (admins); filed requests keep theirs.
#[utoipa::path(put, path = "/api/v1/service-types/{id}/form", tag = "enterprises", params(("id" = String, Path)),
    request_body = ServiceFormInputJson,
    responses((status = 200, body = ServiceTypeJson), (status = 409), (status = 422)), security(("bearer" = [])))]
pub async fn save_form(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(body): Json<ServiceFormInputJson>,
) -> AppResult<Json<ServiceTypeJson>> {
    let (user, center_id) = ctx.require_center(Perm::ManageCatalogue)?;
    let t = service::save_form(
        &state,
        &ctx.who(),
        &user,
        &center_id,
        &id,
        body.from_version,
        body.form,
    )
    .await?;
    let form = service::form(&state, &t.id, t.form_version).await?;
    Ok(Json(type_json(&t, Some(form))))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ServiceTypeInputJson {
    #[schema(max_length = 200)]
    pub name_zh: String,
    #[schema(max_length = 200)]
    pub name_en: String,
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub summary_zh: String,
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub summary_en: String,
    pub active: bool,
}

/// Renames, describes, opens or closes a service (admins).
#[utoipa::path(put, path = "/api/v1/service-types/{id}", tag = "enterprises", params(("id" = String, Path)),
    request_body = ServiceTypeInputJson,
    responses((status = 200, body = ServiceTypeJson), (status = 422)), security(("bearer" = [])))]
pub async fn update(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<ServiceTypeInputJson>,
) -> AppResult<Json<ServiceTypeJson>> {
    let (user, center_id) = ctx.require_center(Perm::ManageCatalogue)?;
    let names =
        (b.name_zh.as_str(), b.name_en.as_str(), b.summary_zh.as_str(), b.summary_en.as_str());
    let t =
        service::update_type(&state, &ctx.who(), &user, &center_id, &id, names, b.active).await?;
    Ok(Json(type_json(&t, None)))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ItemCategoryJson {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// A special item (特殊物品): needs health-quarantine approval.
    pub special: bool,
    pub risk_class: String,
}

/// The item categories of the center.
#[utoipa::path(get, path = "/api/v1/item-categories", tag = "enterprises",
    responses((status = 200, body = Vec<ItemCategoryJson>)), security(("bearer" = [])))]
pub async fn categories(
    State(state): State<AppState>,
    ctx: ReqCtx,
) -> AppResult<Json<Vec<ItemCategoryJson>>> {
    let (user, center_id) = ctx.require_center(Perm::SignedIn)?;
    if !allows(Some(user.role), Perm::HandleRequests)
        && !allows(Some(user.role), Perm::FileRequests)
    {
        return Err(AppError::Forbidden);
    }
    let cats = service::categories(&state, &center_id).await?;
    Ok(Json(
        cats.into_iter()
            .map(|c| ItemCategoryJson {
                code: c.code,
                name_zh: c.name_zh,
                name_en: c.name_en,
                special: c.special,
                risk_class: c.risk_class,
            })
            .collect(),
    ))
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct CenterDayJson {
    /// YYYY-MM-DD.
    #[schema(max_length = 10)]
    pub day: String,
    /// Closed on a working day (true), or open on a day off (false).
    pub closed: bool,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub note_zh: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub note_en: String,
}

/// The center's own working-day calendar (on top of the national holidays).
#[utoipa::path(get, path = "/api/v1/center-days", tag = "enterprises",
    responses((status = 200, body = Vec<CenterDayJson>)), security(("bearer" = [])))]
pub async fn days(
    State(state): State<AppState>,
    ctx: ReqCtx,
) -> AppResult<Json<Vec<CenterDayJson>>> {
    let (_, center_id) = ctx.require_center(Perm::HandleRequests)?;
    let days = service::days(&state, &center_id).await?;
    Ok(Json(
        days.into_iter()
            .map(|d| CenterDayJson {
                day: d.day,
                closed: d.closed,
                note_zh: d.note_zh,
                note_en: d.note_en,
            })
            .collect(),
    ))
}

/// Marks a day closed or open (admins).
#[utoipa::path(post, path = "/api/v1/center-days", tag = "enterprises", request_body = CenterDayJson,
    responses((status = 204), (status = 422)), security(("bearer" = [])))]
pub async fn set_day(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Json(d): Json<CenterDayJson>,
) -> AppResult<StatusCode> {
    let (user, center_id) = ctx.require_center(Perm::ManageCatalogue)?;
    at_most("day", &d.day, 10)?;
    service::set_day(
        &state,
        &ctx.who(),
        &user,
        &center_id,
        &d.day,
        d.closed,
        &d.note_zh,
        &d.note_en,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes a day of the center's own calendar (admins).
#[utoipa::path(delete, path = "/api/v1/center-days/{day}", tag = "enterprises", params(("day" = String, Path)),
    responses((status = 204), (status = 404)), security(("bearer" = [])))]
pub async fn remove_day(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(day): Path<String>,
) -> AppResult<StatusCode> {
    let (user, center_id) = ctx.require_center(Perm::ManageCatalogue)?;
    service::remove_day(&state, &ctx.who(), &user, &center_id, &day).await?;
    Ok(StatusCode::NO_CONTENT)
}
