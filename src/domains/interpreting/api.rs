//! The interpreters JSON API: the roster with languages, unavailability, and
//! an interpreter's own assignments with accept / decline (DESIGN.md §4).

use axum::extract::State;
use axum::response::Response;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use super::model::AssignmentStatus;
use super::service;
use super::store::{Assignment, Interpreter};
use crate::auth::Perm;
use crate::clock::Instant;
use crate::error::{AppError, AppResult};
use crate::reference::languages::language_tags;
use crate::state::AppState;
use crate::time::Span;
use crate::web::extract::{Json, Path, Query};
use crate::web::list::{List, PageQuery, key_cursor};
use crate::web::{ReqCtx, created};

#[derive(Serialize, utoipa::ToSchema)]
pub struct AssignmentJson {
    pub id: String,
    pub interpreter_id: String,
    pub interpreter_name: String,
    pub item_id: String,
    /// BCP 47; interpreted to and from Chinese.
    pub language: String,
    pub starts_at: String,
    pub ends_at: String,
    /// offered, accepted, declined or cancelled.
    pub status: String,
    pub reason: String,
}

pub fn assignment_json(a: &Assignment, tz: &TimeZone) -> AssignmentJson {
    AssignmentJson {
        id: a.id.clone(),
        interpreter_id: a.interpreter_id.clone(),
        interpreter_name: a.interpreter_name.clone(),
        item_id: a.item_id.clone(),
        language: a.language.clone(),
        starts_at: Instant(a.span.start).rfc3339_in(tz),
        ends_at: Instant(a.span.end).rfc3339_in(tz),
        status: a.status.code().into(),
        reason: a.reason.clone(),
    }
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct LanguageJson {
    /// BCP 47 tag.
    #[schema(pattern = "^[A-Za-z]{2,3}([-_][A-Za-z]{4})?([-_]([A-Za-z]{2}|[0-9]{3}))?$")]
    pub tag: String,
    /// 3 senior, 2 intermediate, 1 junior.
    #[schema(minimum = 1, maximum = 3)]
    pub level: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct InterpreterJson {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub languages: Vec<LanguageJson>,
    pub active: bool,
    pub notes: String,
}

fn interpreter_json(i: &Interpreter) -> InterpreterJson {
    InterpreterJson {
        id: i.id.clone(),
        user_id: i.user_id.clone(),
        name: i.name.clone(),
        email: i.email.clone(),
        languages: i
            .languages
            .iter()
            .map(|(tag, level)| LanguageJson { tag: tag.clone(), level: *level })
            .collect(),
        active: i.active,
        notes: i.notes.clone(),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InterpreterQuery {
    /// Comma-separated BCP 47 tags (at most three): only interpreters
    /// working in all of them.
    #[serde(default)]
    #[param(
        pattern = r"^$|^[A-Za-z]{2,3}([-_][A-Za-z]{4})?([-_]([A-Za-z]{2}|[0-9]{3}))?(,[A-Za-z]{2,3}([-_][A-Za-z]{4})?([-_]([A-Za-z]{2}|[0-9]{3}))?){0,2}$"
    )]
    pub languages: String,
}

/// The center's interpreters with their languages and levels, in the order
/// they were added, a page at a time.
#[utoipa::path(get, path = "/api/v1/interpreters", tag = "interpreting", params(InterpreterQuery, PageQuery),
    responses((status = 200, body = List<InterpreterJson>), (status = 422)), security(("bearer" = [])))]
pub async fn index(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Query(q): Query<InterpreterQuery>,
    Query(page): Query<PageQuery>,
) -> AppResult<Json<List<InterpreterJson>>> {
    let (_, center_id) = ctx.require_center(Perm::ManageVisits)?;
    let (limit, (_, after)) = (page.size()?, page.after()?);
    let languages = language_tags(&q.languages)
        .map_err(|_| AppError::invalid("languages", "field-invalid-language"))?;
    let rows = service::list_page(&state, &center_id, &languages, &after, limit + 1).await?;
    Ok(Json(List::page(rows, limit as usize, |i| key_cursor(0, &i.id), |i| interpreter_json(&i))))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct SaveInterpreterJson {
    /// A user of the center (role interpreter, staff or admin).
    pub user_id: String,
    pub languages: Vec<LanguageJson>,
    #[serde(default)]
    pub notes: String,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// Makes a user an interpreter, or replaces their languages (admin).
#[utoipa::path(post, path = "/api/v1/interpreters", tag = "interpreting", request_body = SaveInterpreterJson,
    responses((status = 201, body = InterpreterJson), (status = 422)), security(("bearer" = [])))]
pub async fn save(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Json(b): Json<SaveInterpreterJson>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.require_center(Perm::ManageInterpreters)?;
    let text: Vec<String> = b.languages.iter().map(|l| format!("{}:{}", l.tag, l.level)).collect();
    let languages =
        service::parse_languages(&text.join(",")).map_err(|e| AppError::Invalid(vec![e]))?;
    let i =
        service::save(&state, &ctx.who(), &center_id, &b.user_id, languages, &b.notes, b.active)
            .await?;
    Ok(created(format!("/api/v1/interpreters/{}", i.id), interpreter_json(&i)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct UnavailabilityJson {
    /// RFC 3339.
    pub starts_at: String,
    pub ends_at: String,
    #[serde(default)]
    pub reason: String,
}

/// Marks an interpreter away (the interpreter themself, or staff).
#[utoipa::path(post, path = "/api/v1/interpreters/{id}/unavailability", tag = "interpreting",
    params(("id" = String, Path)), request_body = UnavailabilityJson,
    responses((status = 204), (status = 422)), security(("bearer" = [])))]
pub async fn unavailability_create(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<UnavailabilityJson>,
) -> AppResult<axum::http::StatusCode> {
    let (user, center_id) = ctx.require_center(Perm::Interpret)?;
    let i = service::get(&state, &center_id, &id).await?;
    if i.user_id != user.id && !crate::auth::allows(Some(user.role), Perm::ManageVisits) {
        return Err(AppError::Forbidden);
    }
    let (Some(s), Some(e)) =
        (Instant::parse_rfc3339(&b.starts_at), Instant::parse_rfc3339(&b.ends_at))
    else {
        return Err(AppError::invalid("starts_at", "field-invalid-instant"));
    };
    service::add_unavailability(
        &state,
        &ctx.who(),
        &i,
        Span { start: s.millis(), end: e.millis() },
        &b.reason,
    )
    .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// The caller's own assignments (from a month ago on).
/// The caller's assignments from a month ago on, by start, a page at a time.
#[utoipa::path(get, path = "/api/v1/assignments/mine", tag = "interpreting", params(PageQuery),
    responses((status = 200, body = List<AssignmentJson>)), security(("bearer" = [])))]
pub async fn mine(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Query(page): Query<PageQuery>,
) -> AppResult<Json<List<AssignmentJson>>> {
    let (user, center_id) = ctx.require_center(Perm::Interpret)?;
    let (limit, after) = (page.size()?, page.after()?);
    let tz = crate::domains::centers::service::tz(&state, &center_id).await?;
    let rows = match service::of_user(&state, &user).await? {
        Some(i) => service::for_interpreter_page(&state, &i, &after, limit + 1).await?,
        None => vec![],
    };
    Ok(Json(List::page(
        rows,
        limit as usize,
        |a| key_cursor(a.span.start, &a.id),
        |a| assignment_json(&a, &tz),
    )))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct DeclineJson {
    /// Required to decline.
    #[serde(default)]
    pub reason: String,
}

async fn decide(
    state: AppState,
    ctx: ReqCtx,
    id: String,
    to: AssignmentStatus,
    reason: String,
) -> AppResult<Json<AssignmentJson>> {
    let (user, center_id) = ctx.require_center(Perm::Interpret)?;
    let a = service::decide(&state, &ctx.who(), &user, &id, to, &reason).await?;
    let tz = crate::domains::centers::service::tz(&state, &center_id).await?;
    Ok(Json(assignment_json(&a, &tz)))
}

/// The interpreter accepts an assignment offered to them.
#[utoipa::path(post, path = "/api/v1/assignments/{id}/accept", tag = "interpreting", params(("id" = String, Path)),
    responses((status = 200, body = AssignmentJson), (status = 403), (status = 409)), security(("bearer" = [])))]
pub async fn accept(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<Json<AssignmentJson>> {
    decide(state, ctx, id, AssignmentStatus::Accepted, String::new()).await
}

/// The interpreter declines, with a reason.
#[utoipa::path(post, path = "/api/v1/assignments/{id}/decline", tag = "interpreting", params(("id" = String, Path)),
    request_body = DeclineJson,
    responses((status = 200, body = AssignmentJson), (status = 403), (status = 409), (status = 422)), security(("bearer" = [])))]
pub async fn decline(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<DeclineJson>,
) -> AppResult<Json<AssignmentJson>> {
    decide(state, ctx, id, AssignmentStatus::Declined, b.reason).await
}

/// Staff withdraw an assignment.
#[utoipa::path(post, path = "/api/v1/assignments/{id}/cancel", tag = "interpreting", params(("id" = String, Path)),
    responses((status = 200, body = AssignmentJson), (status = 403), (status = 409)), security(("bearer" = [])))]
pub async fn cancel(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<Json<AssignmentJson>> {
    decide(state, ctx, id, AssignmentStatus::Cancelled, String::new()).await
}
