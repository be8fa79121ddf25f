//! Comments over JSON: the moderation queue, decisions, blocks, and the
//! approved comments of a published article. (Posting is the article
//! page's form: its honeypot and fill time are what a person passes.)

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::service::{self, Block};
use crate::auth::Perm;
use crate::clock::Instant;
use crate::domains::centers::service as centers;
use crate::domains::news::article::service as articles;
use crate::domains::news::model::{BlockKind, Comment, CommentStatus, segment_lang};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::ReqCtx;
use crate::web::extract::{Json, Path, Query};
use crate::web::list::{List, PageQuery, key_cursor};

fn utc(ms: i64) -> String {
    Instant(ms).rfc3339_in(&jiff::tz::TimeZone::UTC)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CommentJson {
    pub id: String,
    pub article_id: String,
    /// held, approved or rejected.
    #[schema(schema_with = CommentStatus::openapi)]
    pub status: String,
    /// The language of the page it was written on.
    pub lang: String,
    pub name: String,
    /// Plain text.
    pub body: String,
    /// An e-mail was given (never shown); false once purged.
    pub has_email: bool,
    pub created_at: String,
}

pub fn comment_json(c: &Comment) -> CommentJson {
    CommentJson {
        id: c.id.clone(),
        article_id: c.article_id.clone(),
        status: c.status.code().into(),
        lang: c.lang.clone(),
        name: c.name.clone(),
        body: c.body.clone(),
        has_email: c.has_email,
        created_at: utc(c.created_at),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// held (default), approved or rejected.
    #[serde(default)]
    #[param(schema_with = CommentStatus::openapi_or_empty)]
    pub status: String,
}

/// The center's comments in one status (held: the moderation queue), oldest first.
#[utoipa::path(get, path = "/api/v1/news/comments", tag = "news", params(QueueQuery, PageQuery),
    responses((status = 200, body = List<CommentJson>), (status = 422)), security(("bearer" = [])))]
pub async fn index(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Query(q): Query<QueueQuery>,
    Query(page): Query<PageQuery>,
) -> AppResult<Json<List<CommentJson>>> {
    let (_, center_id) = ctx.require_center(Perm::WriteNews)?;
    let status = match q.status.as_str() {
        "" => CommentStatus::Held,
        s => CommentStatus::exact(s)
            .ok_or_else(|| AppError::invalid("status", "field-invalid-choice"))?,
    };
    let (limit, (_, after)) = (page.size()?, page.after()?);
    let rows = service::page(&state, &center_id, status, &after, limit + 1).await?;
    Ok(Json(List::page(rows, limit as usize, |c| key_cursor(0, &c.id), |c| comment_json(&c))))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CommentDecisionJson {
    /// approved or rejected.
    #[schema(pattern = "^(approved|rejected)$")]
    pub decision: String,
}

/// Approves or rejects a comment (409 if it already is so).
#[utoipa::path(post, path = "/api/v1/news/comments/{id}/decision", tag = "news", params(("id" = String, Path)),
    request_body = CommentDecisionJson,
    responses((status = 200, body = CommentJson), (status = 404), (status = 409), (status = 422)),
    security(("bearer" = [])))]
pub async fn decide(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<CommentDecisionJson>,
) -> AppResult<Json<CommentJson>> {
    let (user, center_id) = ctx.require_center(Perm::WriteNews)?;
    let to = CommentStatus::exact(&b.decision)
        .filter(|s| *s != CommentStatus::Held)
        .ok_or_else(|| AppError::invalid("decision", "field-invalid-choice"))?;
    let c = service::decide(&state, &ctx.who(), &user.id, &center_id, &id, to).await?;
    Ok(Json(comment_json(&c)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CommentBlockJson {
    /// address or email: which of the comment's to block.
    #[schema(schema_with = BlockKind::openapi)]
    pub kind: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CommentBlockedJson {
    /// Comments still held from the same sender, now rejected.
    pub rejected: u64,
}

/// Blocks the address or e-mail a comment came from; what is held from it
/// is rejected, and what it sends later is dropped.
#[utoipa::path(post, path = "/api/v1/news/comments/{id}/block", tag = "news", params(("id" = String, Path)),
    request_body = CommentBlockJson,
    responses((status = 200, body = CommentBlockedJson), (status = 404), (status = 422)), security(("bearer" = [])))]
pub async fn block(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<CommentBlockJson>,
) -> AppResult<Json<CommentBlockedJson>> {
    let (user, center_id) = ctx.require_center(Perm::WriteNews)?;
    let kind = BlockKind::exact(&b.kind)
        .ok_or_else(|| AppError::invalid("kind", "field-invalid-choice"))?;
    let rejected = service::block(&state, &ctx.who(), &user.id, &center_id, &id, kind).await?;
    Ok(Json(CommentBlockedJson { rejected }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CommentBlockRowJson {
    pub id: String,
    /// address or email (which is never shown: a block keeps only a hash).
    pub kind: String,
    /// The name on the comment the block was made from.
    pub label: String,
    pub created_at: String,
    pub expires_at: String,
}

fn block_json(b: &Block) -> CommentBlockRowJson {
    CommentBlockRowJson {
        id: b.id.clone(),
        kind: b.kind.code().into(),
        label: b.label.clone(),
        created_at: utc(b.created_at),
        expires_at: utc(b.expires_at),
    }
}

/// The center's blocked addresses and e-mails.
#[utoipa::path(get, path = "/api/v1/news/blocks", tag = "news", params(PageQuery),
    responses((status = 200, body = List<CommentBlockRowJson>), (status = 422)), security(("bearer" = [])))]
pub async fn blocks(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Query(page): Query<PageQuery>,
) -> AppResult<Json<List<CommentBlockRowJson>>> {
    let (_, center_id) = ctx.require_center(Perm::WriteNews)?;
    let (limit, (_, after)) = (page.size()?, page.after()?);
    let rows = service::blocks(&state, &center_id, &after, limit + 1).await?;
    Ok(Json(List::page(rows, limit as usize, |b| key_cursor(0, &b.id), |b| block_json(&b))))
}

/// Lifts a block.
#[utoipa::path(delete, path = "/api/v1/news/blocks/{id}", tag = "news", params(("id" = String, Path)),
    responses((status = 204), (status = 404)), security(("bearer" = [])))]
pub async fn unblock(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    let (_, center_id) = ctx.require_center(Perm::WriteNews)?;
    service::unblock(&state, &ctx.who(), &center_id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PublicCommentJson {
    pub name: String,
    pub body: String,
    pub created_at: String,
}

/// The approved comments of a published article, oldest first.
#[utoipa::path(get, path = "/api/v1/news/published/{lang}/{slug}/comments", tag = "news",
    params(("lang" = String, Path, pattern = "^(zh|en)$"), ("slug" = String, Path, max_length = 80), PageQuery),
    responses((status = 200, body = List<PublicCommentJson>), (status = 404), (status = 422)))]
pub async fn published(
    State(state): State<AppState>,
    Path((lang, slug)): Path<(String, String)>,
    Query(page): Query<PageQuery>,
) -> AppResult<Json<List<PublicCommentJson>>> {
    let lang = segment_lang(&lang).ok_or(AppError::NotFound)?;
    let center = centers::public_center(&state).await?.ok_or(AppError::NotFound)?;
    let a = articles::public_by_slug(&state, &center.id, lang, &slug).await?;
    let (limit, (_, after)) = (page.size()?, page.after()?);
    let rows = service::approved(&state, &a.id, &after, limit + 1).await?;
    Ok(Json(List::page(
        rows,
        limit as usize,
        |c| key_cursor(0, &c.id),
        |c| PublicCommentJson { name: c.name, body: c.body, created_at: utc(c.created_at) },
    )))
}
