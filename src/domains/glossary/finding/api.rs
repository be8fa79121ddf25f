//! The checker over JSON: check a pair, check everything, the findings
//! queue, fix and dismiss.

use axum::extract::State;
use serde::{Deserialize, Serialize};

use super::service::{self, Stored};
use crate::auth::Perm;
use crate::bilingual::Place;
use crate::domains::glossary::model::{Finding, FindingKind, FindingStatus};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::ReqCtx;
use crate::web::extract::{Json, Path, Query};
use crate::web::list::{List, PageQuery, key_cursor};

#[derive(Serialize, utoipa::ToSchema)]
pub struct CheckFindingJson {
    /// forbidden, case or missing.
    #[schema(schema_with = FindingKind::openapi)]
    pub kind: String,
    pub term_id: String,
    /// The term's Chinese and its approved English.
    pub zh: String,
    pub expected: String,
    /// The English as written (empty when missing).
    pub found: String,
    /// Where `found` starts and ends in the English, in UTF-8 bytes.
    pub start: Option<usize>,
    pub end: Option<usize>,
    /// The English with this one fixed (none when missing: where the
    /// rendering goes is the translator's call).
    pub fixed: Option<String>,
}

fn check_finding_json(f: &Finding, en: &str) -> CheckFindingJson {
    CheckFindingJson {
        kind: f.kind.code().into(),
        term_id: f.term_id.clone(),
        zh: f.zh.clone(),
        expected: f.expected.clone(),
        found: f.found.clone(),
        start: f.at.as_ref().map(|a| a.start),
        end: f.at.as_ref().map(|a| a.end),
        fixed: f.fix(en),
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CheckJson {
    #[serde(default)]
    #[schema(max_length = 20000)]
    pub zh: String,
    #[serde(default)]
    #[schema(max_length = 20000)]
    pub en: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CheckedJson {
    pub findings: Vec<CheckFindingJson>,
}

/// Checks a Chinese-English pair against the glossary (records nothing).
#[utoipa::path(post, path = "/api/v1/glossary/check", tag = "glossary", request_body = CheckJson,
    responses((status = 200, body = CheckedJson), (status = 422)), security(("bearer" = [])))]
pub async fn check(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Json(b): Json<CheckJson>,
) -> AppResult<Json<CheckedJson>> {
    let (_, center_id) = ctx.require_center(Perm::ViewGlossary)?;
    let found = service::check_pair(&state, &center_id, &b.zh, &b.en).await?;
    Ok(Json(CheckedJson { findings: found.iter().map(|f| check_finding_json(f, &b.en)).collect() }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SweepJson {
    /// Texts read (one per field of each record).
    pub texts: usize,
    /// Terms enforced (approved ones).
    pub terms: usize,
    /// Open findings now.
    pub open: usize,
}

/// Checks every bilingual text of the center; the open findings become
/// what is found now (dismissed ones are not raised again).
#[utoipa::path(post, path = "/api/v1/glossary/sweep", tag = "glossary",
    responses((status = 200, body = SweepJson)), security(("bearer" = [])))]
pub async fn sweep(State(state): State<AppState>, ctx: ReqCtx) -> AppResult<Json<SweepJson>> {
    let (_, center_id) = ctx.require_center(Perm::ViewGlossary)?;
    let s = service::sweep(&state, &ctx.who(), &center_id).await?;
    Ok(Json(SweepJson { texts: s.texts, terms: s.terms, open: s.open }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct FindingJson {
    pub id: String,
    /// The kind of record: center, zone, room, event.
    #[schema(schema_with = Place::openapi)]
    pub place: String,
    pub record_id: String,
    /// The text field (`title`, `description`…).
    pub field: String,
    /// The record's name in both languages.
    pub label_zh: String,
    pub label_en: String,
    /// Where a person edits the record.
    pub edit_href: String,
    #[schema(schema_with = FindingKind::openapi)]
    pub kind: String,
    pub term_id: String,
    pub zh: String,
    pub expected: String,
    pub found: String,
    pub start: Option<usize>,
    pub end: Option<usize>,
    /// open, fixed or dismissed.
    #[schema(schema_with = FindingStatus::openapi)]
    pub status: String,
    /// Whether the one-click fix applies (a replacement exists).
    pub fixable: bool,
}

pub fn finding_json(f: &Stored) -> FindingJson {
    FindingJson {
        id: f.id.clone(),
        place: f.place.code().into(),
        record_id: f.record_id.clone(),
        field: f.field.clone(),
        label_zh: f.label.zh.clone(),
        label_en: f.label.en.clone(),
        edit_href: f.place.edit_href(&f.record_id),
        kind: f.finding.kind.code().into(),
        term_id: f.finding.term_id.clone(),
        zh: f.finding.zh.clone(),
        expected: f.finding.expected.clone(),
        found: f.finding.found.clone(),
        start: f.finding.at.as_ref().map(|a| a.start),
        end: f.finding.at.as_ref().map(|a| a.end),
        status: f.status.code().into(),
        fixable: f.finding.at.is_some(),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FindingQuery {
    /// open (default), fixed or dismissed.
    #[serde(default)]
    #[param(schema_with = FindingStatus::openapi_or_empty)]
    pub status: String,
    /// Only findings in this kind of record.
    #[serde(default)]
    #[param(schema_with = Place::openapi_or_empty)]
    pub place: String,
    /// Only findings of this kind.
    #[serde(default)]
    #[param(schema_with = FindingKind::openapi_or_empty)]
    pub kind: String,
}

fn choice<T>(field: &str, s: &str, exact: impl Fn(&str) -> Option<T>) -> AppResult<Option<T>> {
    if s.is_empty() {
        return Ok(None);
    }
    exact(s).map(Some).ok_or_else(|| AppError::invalid(field, "field-invalid-choice"))
}

/// The findings queue, oldest first, a page at a time.
#[utoipa::path(get, path = "/api/v1/glossary/findings", tag = "glossary", params(FindingQuery, PageQuery),
    responses((status = 200, body = List<FindingJson>), (status = 422)), security(("bearer" = [])))]
pub async fn index(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Query(q): Query<FindingQuery>,
    Query(page): Query<PageQuery>,
) -> AppResult<Json<List<FindingJson>>> {
    let (_, center_id) = ctx.require_center(Perm::ViewGlossary)?;
    let (limit, (_, after)) = (page.size()?, page.after()?);
    let status = choice("status", &q.status, FindingStatus::exact)?.unwrap_or(FindingStatus::Open);
    let place = choice("place", &q.place, Place::exact)?;
    let kind = choice("kind", &q.kind, FindingKind::exact)?;
    let rows = service::page(&state, &center_id, status, place, kind, &after, limit + 1).await?;
    Ok(Json(List::page(rows, limit as usize, |f| key_cursor(0, &f.id), |f| finding_json(&f))))
}

/// Applies a finding's fix to its text (who may edit the record only).
#[utoipa::path(post, path = "/api/v1/glossary/findings/{id}/fix", tag = "glossary", params(("id" = String, Path)),
    responses((status = 200, body = FindingJson), (status = 403), (status = 404), (status = 409)), security(("bearer" = [])))]
pub async fn fix(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<Json<FindingJson>> {
    let (user, center_id) = ctx.require_center(Perm::ViewGlossary)?;
    Ok(Json(finding_json(&service::fix(&state, &ctx.who(), &user, &center_id, &id).await?)))
}

/// Marks a finding right as written: it is not raised again for that text.
#[utoipa::path(post, path = "/api/v1/glossary/findings/{id}/dismiss", tag = "glossary", params(("id" = String, Path)),
    responses((status = 200, body = FindingJson), (status = 403), (status = 404), (status = 409)), security(("bearer" = [])))]
pub async fn dismiss(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<Json<FindingJson>> {
    let (user, center_id) = ctx.require_center(Perm::ManageGlossary)?;
    Ok(Json(finding_json(&service::dismiss(&state, &ctx.who(), &user, &center_id, &id).await?)))
}
