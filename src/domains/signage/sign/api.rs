//! Signs over JSON.

use axum::extract::State;
use axum::response::Response;
use serde::{Deserialize, Serialize};

use super::service::{self, Filter, Sign};
use crate::auth::Perm;
use crate::clock::Instant;
use crate::domains::signage::model::{
    MAX_FLOOR, MAX_NOTE, MAX_SIGN_TEXT, SignClass, SignInput, SignSize, SignStatus, SignStep,
};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::extract::{Json, Path, Query};
use crate::web::list::{List, PageQuery, key_cursor};
use crate::web::{ReqCtx, created};

const _: () = assert!(MAX_SIGN_TEXT == 200 && MAX_FLOOR == 20 && MAX_NOTE == 1000);

#[derive(Serialize, utoipa::ToSchema)]
pub struct SignJson {
    pub id: String,
    /// SG-2026-001.
    pub reference: String,
    pub zone_id: Option<String>,
    pub room_id: Option<String>,
    pub floor: String,
    #[schema(schema_with = SignClass::openapi)]
    pub class: String,
    #[schema(schema_with = SignSize::openapi)]
    pub size: String,
    pub text_zh: String,
    pub text_en: String,
    pub standard_ref: String,
    #[schema(schema_with = SignStatus::openapi)]
    pub status: String,
    /// What the last audit found wrong.
    pub finding: String,
    /// The photo of the sign as it hangs.
    pub photo_url: Option<String>,
    pub audited_at: Option<String>,
    pub version: i64,
    pub allowed_steps: Vec<String>,
}

pub fn sign_json(s: &Sign) -> SignJson {
    SignJson {
        id: s.id.clone(),
        reference: s.reference.clone(),
        zone_id: s.zone_id.clone(),
        room_id: s.room_id.clone(),
        floor: s.floor.clone(),
        class: s.class.code().into(),
        size: s.size.code().into(),
        text_zh: s.text_zh.clone(),
        text_en: s.text_en.clone(),
        standard_ref: s.standard_ref.clone(),
        status: s.status.code().into(),
        finding: s.finding.clone(),
        photo_url: s.photo_href(),
        audited_at: s.audited_at.map(|t| Instant(t).rfc3339_in(&jiff::tz::TimeZone::UTC)),
        version: s.version,
        allowed_steps: s.status.steps().iter().map(|x| x.code().to_string()).collect(),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SignQuery {
    #[serde(default)]
    #[param(max_length = 64)]
    pub zone_id: String,
    #[serde(default)]
    #[param(schema_with = SignClass::openapi_or_empty)]
    pub class: String,
    #[serde(default)]
    #[param(schema_with = SignStatus::openapi_or_empty)]
    pub status: String,
    #[serde(default)]
    #[param(schema_with = SignSize::openapi_or_empty)]
    pub size: String,
}

fn choice<T>(field: &str, v: &str, exact: fn(&str) -> Option<T>) -> AppResult<Option<T>> {
    if v.is_empty() {
        return Ok(None);
    }
    exact(v).map(Some).ok_or_else(|| AppError::invalid(field, "field-invalid-choice"))
}

pub fn filter(q: &SignQuery) -> AppResult<Filter> {
    if q.zone_id.len() > 64 {
        return Err(AppError::invalid("zone_id", "field-invalid-choice"));
    }
    Ok(Filter {
        zone_id: q.zone_id.clone(),
        class: choice("class", &q.class, SignClass::exact)?,
        status: choice("status", &q.status, SignStatus::exact)?,
        size: choice("size", &q.size, SignSize::exact)?,
    })
}

/// The center's signs, filtered by zone, class, status and size.
#[utoipa::path(get, path = "/api/v1/signs", tag = "signage", params(SignQuery, PageQuery),
    responses((status = 200, body = List<SignJson>), (status = 422)), security(("bearer" = [])))]
pub async fn index(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Query(q): Query<SignQuery>,
    Query(page): Query<PageQuery>,
) -> AppResult<Json<List<SignJson>>> {
    let (_, center_id) = ctx.require_center(Perm::ManageSigns)?;
    let (limit, (_, after)) = (page.size()?, page.after()?);
    let rows = service::page(&state, &center_id, &filter(&q)?, &after, limit + 1).await?;
    Ok(Json(List::page(rows, limit as usize, |s| key_cursor(0, &s.id), |s| sign_json(&s))))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct SignInputJson {
    #[serde(default)]
    #[schema(max_length = 64)]
    pub zone_id: String,
    #[serde(default)]
    #[schema(max_length = 64)]
    pub room_id: String,
    #[serde(default)]
    #[schema(max_length = 20)]
    pub floor: String,
    #[schema(schema_with = SignClass::openapi)]
    pub class: String,
    #[schema(schema_with = SignSize::openapi)]
    pub size: String,
    #[schema(max_length = 200)]
    pub text_zh: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub text_en: String,
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub standard_ref: String,
    /// For an edit: the version it was made on (409 if saved since).
    #[serde(default)]
    pub version: Option<i64>,
}

fn input(b: &SignInputJson) -> AppResult<SignInput> {
    SignInput::parse(
        &b.zone_id,
        &b.room_id,
        &b.floor,
        &b.class,
        &b.size,
        &b.text_zh,
        &b.text_en,
        &b.standard_ref,
    )
    .map_err(AppError::Invalid)
}

/// Registers a sign (a draft).
#[utoipa::path(post, path = "/api/v1/signs", tag = "signage", request_body = SignInputJson,
    responses((status = 201, body = SignJson), (status = 422)), security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Json(b): Json<SignInputJson>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.require_center(Perm::ManageSigns)?;
    let s = service::create(&state, &ctx.who(), &user, &center_id, input(&b)?).await?;
    Ok(created(format!("/api/v1/signs/{}", s.id), sign_json(&s)))
}

/// One sign.
#[utoipa::path(get, path = "/api/v1/signs/{id}", tag = "signage", params(("id" = String, Path)),
    responses((status = 200, body = SignJson), (status = 404)), security(("bearer" = [])))]
pub async fn show(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<Json<SignJson>> {
    let (_, center_id) = ctx.require_center(Perm::ManageSigns)?;
    Ok(Json(sign_json(&service::get(&state, &center_id, &id).await?)))
}

/// Changes a draft or translated sign (a reviewed one is redrafted first).
#[utoipa::path(put, path = "/api/v1/signs/{id}", tag = "signage", params(("id" = String, Path)),
    request_body = SignInputJson,
    responses((status = 200, body = SignJson), (status = 404), (status = 409), (status = 422)), security(("bearer" = [])))]
pub async fn update(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<SignInputJson>,
) -> AppResult<Json<SignJson>> {
    let (user, center_id) = ctx.require_center(Perm::ManageSigns)?;
    let version = b.version.ok_or_else(|| AppError::invalid("version", "field-required"))?;
    let s =
        service::update(&state, &ctx.who(), &user, &center_id, &id, version, input(&b)?).await?;
    Ok(Json(sign_json(&s)))
}

/// A photo as sent: `multipart/form-data`.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct SignPhotoForm {
    /// JPEG, PNG or WebP, at most 10 MB (read from its content).
    #[schema(format = Binary, value_type = String)]
    pub file: Vec<u8>,
}

/// Keeps a photo of the sign as it hangs (scaled to fit 1600 px, as JPEG).
#[utoipa::path(put, path = "/api/v1/signs/{id}/photo", tag = "signage", params(("id" = String, Path)),
    request_body(content = SignPhotoForm, content_type = "multipart/form-data"),
    responses((status = 200, body = SignJson), (status = 400), (status = 404), (status = 422)), security(("bearer" = [])))]
pub async fn photo(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    upload: crate::web::extract::Upload,
) -> AppResult<Json<SignJson>> {
    let (user, center_id) = ctx.require_center(Perm::ManageSigns)?;
    let file = upload.file.ok_or_else(|| AppError::invalid("file", "image-required"))?;
    service::get(&state, &center_id, &id).await?;
    let picture = crate::images::keep(&state.config.files_dir, "file", file).await?;
    let s = service::set_photo(&state, &ctx.who(), &user, &center_id, &id, picture).await?;
    Ok(Json(sign_json(&s)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct SignStepJson {
    /// translate, review, install, pass, flag or redraft.
    #[schema(schema_with = SignStep::openapi)]
    pub step: String,
    /// For flag: what is wrong.
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub finding: String,
}

/// Moves a sign along: 409 with the possible steps when not possible.
#[utoipa::path(post, path = "/api/v1/signs/{id}/step", tag = "signage", params(("id" = String, Path)),
    request_body = SignStepJson,
    responses((status = 200, body = SignJson), (status = 403), (status = 404), (status = 409), (status = 422)),
    security(("bearer" = [])))]
pub async fn step(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<SignStepJson>,
) -> AppResult<Json<SignJson>> {
    let (user, center_id) = ctx.require_center(Perm::ManageSigns)?;
    let step = SignStep::exact(&b.step)
        .ok_or_else(|| AppError::invalid("step", "field-invalid-choice"))?;
    let s =
        service::take_step(&state, &ctx.who(), &user, &center_id, &id, step, &b.finding).await?;
    Ok(Json(sign_json(&s)))
}
