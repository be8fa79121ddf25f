//! The glossary's terms over JSON.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};

use super::service::{self, Stored};
use crate::auth::Perm;
use crate::clock::Instant;
use crate::domains::glossary::model::{
    MAX_NOTE_CHARS, MAX_TERM_CHARS, MAX_VARIANTS, TermInput, TermStatus,
};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::extract::{Json, Path, Query};
use crate::web::list::{List, PageQuery, key_cursor};
use crate::web::{ReqCtx, created};

#[derive(Serialize, utoipa::ToSchema)]
pub struct TermJson {
    pub id: String,
    pub zh: String,
    pub en: String,
    /// approved, proposed or deprecated.
    #[schema(schema_with = TermStatus::openapi)]
    pub status: String,
    /// English forms never to be used for this term.
    pub variants: Vec<String>,
    pub source: String,
    pub notes: String,
    pub updated_at: String,
}

pub fn term_json(t: &Stored) -> TermJson {
    TermJson {
        id: t.term.id.clone(),
        zh: t.term.zh.clone(),
        en: t.term.en.clone(),
        status: t.term.status.code().into(),
        variants: t.term.variants.clone(),
        source: t.source.clone(),
        notes: t.notes.clone(),
        updated_at: Instant(t.updated_at).rfc3339_in(&jiff::tz::TimeZone::UTC),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TermQuery {
    /// Only terms of this status (empty: all).
    #[serde(default)]
    #[param(schema_with = TermStatus::openapi_or_empty)]
    pub status: String,
    /// Words in the Chinese, the English or a variant.
    #[serde(default)]
    #[param(max_length = 100)]
    pub q: String,
}

fn status_of(field: &str, s: &str) -> AppResult<Option<TermStatus>> {
    if s.is_empty() {
        return Ok(None);
    }
    TermStatus::exact(s).map(Some).ok_or_else(|| AppError::invalid(field, "field-invalid-choice"))
}

/// The center's terms in the order they were added, a page at a time.
#[utoipa::path(get, path = "/api/v1/glossary/terms", tag = "glossary", params(TermQuery, PageQuery),
    responses((status = 200, body = List<TermJson>), (status = 422)), security(("bearer" = [])))]
pub async fn index(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Query(q): Query<TermQuery>,
    Query(page): Query<PageQuery>,
) -> AppResult<Json<List<TermJson>>> {
    let (_, center_id) = ctx.require_center(Perm::ViewGlossary)?;
    let (limit, (_, after)) = (page.size()?, page.after()?);
    let status = status_of("status", &q.status)?;
    let rows = service::page(&state, &center_id, status, &q.q, &after, limit + 1).await?;
    Ok(Json(List::page(rows, limit as usize, |t| key_cursor(0, &t.term.id), |t| term_json(&t))))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct TermInputJson {
    #[schema(max_length = 200)]
    pub zh: String,
    #[schema(max_length = 200)]
    pub en: String,
    /// approved or deprecated needs the right to manage the glossary;
    /// anyone who reads it may propose.
    #[schema(schema_with = TermStatus::openapi)]
    pub status: String,
    #[serde(default)]
    #[schema(max_items = 20, inline)]
    pub variants: Vec<VariantJson>,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub source: String,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub notes: String,
}

/// A forbidden English form.
#[derive(Deserialize, utoipa::ToSchema)]
#[schema(max_length = 200)]
pub struct VariantJson(pub String);

// The document's limits are the model's.
const _: () = assert!(MAX_TERM_CHARS == 200 && MAX_VARIANTS == 20 && MAX_NOTE_CHARS == 2000);

fn input(b: TermInputJson) -> AppResult<TermInput> {
    let status = TermStatus::exact(&b.status)
        .ok_or_else(|| AppError::invalid("status", "field-invalid-choice"));
    let variants: Vec<String> = b.variants.into_iter().map(|v| v.0).collect();
    let parsed = TermInput::parse(
        &b.zh,
        &b.en,
        status.clone().unwrap_or(TermStatus::Proposed),
        &variants,
        &b.source,
        &b.notes,
    );
    match (status, parsed) {
        (Ok(_), Ok(t)) => Ok(t),
        (Ok(_), Err(e)) => Err(AppError::Invalid(e)),
        (Err(AppError::Invalid(mut first)), rest) => {
            first.extend(rest.err().unwrap_or_default());
            Err(AppError::Invalid(first))
        }
        (Err(e), _) => Err(e),
    }
}

/// Adds a term (a proposal, unless the caller manages the glossary).
#[utoipa::path(post, path = "/api/v1/glossary/terms", tag = "glossary", request_body = TermInputJson,
    responses((status = 201, body = TermJson), (status = 403), (status = 422)), security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Json(b): Json<TermInputJson>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.require_center(Perm::ViewGlossary)?;
    let t = service::create(&state, &ctx.who(), &user, &center_id, input(b)?).await?;
    Ok(created(format!("/api/v1/glossary/terms/{}", t.term.id), term_json(&t)))
}

/// One term.
#[utoipa::path(get, path = "/api/v1/glossary/terms/{id}", tag = "glossary", params(("id" = String, Path)),
    responses((status = 200, body = TermJson), (status = 404)), security(("bearer" = [])))]
pub async fn show(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<Json<TermJson>> {
    let (_, center_id) = ctx.require_center(Perm::ViewGlossary)?;
    Ok(Json(term_json(&service::get(&state, &center_id, &id).await?)))
}

/// Changes a term: its pair, status, variants, source and notes.
#[utoipa::path(put, path = "/api/v1/glossary/terms/{id}", tag = "glossary", params(("id" = String, Path)),
    request_body = TermInputJson,
    responses((status = 200, body = TermJson), (status = 403), (status = 404), (status = 422)), security(("bearer" = [])))]
pub async fn update(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<TermInputJson>,
) -> AppResult<Json<TermJson>> {
    let (user, center_id) = ctx.require_center(Perm::ManageGlossary)?;
    let t = service::update(&state, &ctx.who(), &user, &center_id, &id, input(b)?).await?;
    Ok(Json(term_json(&t)))
}

/// Removes a term and its findings.
#[utoipa::path(delete, path = "/api/v1/glossary/terms/{id}", tag = "glossary", params(("id" = String, Path)),
    responses((status = 204), (status = 403), (status = 404)), security(("bearer" = [])))]
pub async fn delete(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    let (user, center_id) = ctx.require_center(Perm::ManageGlossary)?;
    service::delete(&state, &ctx.who(), &user, &center_id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SeededJson {
    /// Official terms added (those the center lacked).
    pub added: usize,
}

/// Adds the official terms the center's glossary lacks.
#[utoipa::path(post, path = "/api/v1/glossary/seed", tag = "glossary",
    responses((status = 200, body = SeededJson), (status = 403)), security(("bearer" = [])))]
pub async fn seed(State(state): State<AppState>, ctx: ReqCtx) -> AppResult<Json<SeededJson>> {
    let (_, center_id) = ctx.require_center(Perm::ManageGlossary)?;
    Ok(Json(SeededJson { added: service::seed(&state, &ctx.who(), &center_id).await? }))
}
