//! The moderators' pages: the queue (approve, reject, block the sender) and
//! the blocked addresses and e-mails.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use super::service::{self, Block};
use crate::auth::Perm;
use crate::clock::Instant;
use crate::domains::centers::service as centers;
use crate::domains::news::article::service as articles;
use crate::domains::news::model::{BlockKind, Comment, CommentStatus};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::extract::{Form, Path, Query};
use crate::web::form::{Pairs, refusal};
use crate::web::list::{PageQuery, key_cursor, split_page};
use crate::web::{PageCtx, render};

const PER_PAGE: i64 = 30;

/// A comment with the title of its article.
pub struct Line {
    pub c: Comment,
    pub title: String,
    pub article_href: String,
    pub when: String,
}

#[derive(Template)]
#[template(path = "news/comments.html")]
pub struct QueuePage {
    pub ctx: PageCtx,
    pub status: String,
    pub lines: Vec<Line>,
    pub next: Option<String>,
    pub notice: String,
    pub alert: String,
}

impl QueuePage {
    pub fn statuses(&self) -> &'static [CommentStatus] {
        CommentStatus::ALL
    }
}

fn after(p: &Pairs) -> String {
    PageQuery { cursor: p.get("cursor"), limit: None }.after().map(|a| a.1).unwrap_or_default()
}

async fn queue(state: &AppState, ctx: PageCtx, p: &Pairs) -> AppResult<QueuePage> {
    let (_, center_id) = ctx.0.require_center(Perm::WriteNews)?;
    let status = CommentStatus::exact(&p.get("status")).unwrap_or(CommentStatus::Held);
    let rows = service::page(state, &center_id, status, &after(p), PER_PAGE + 1).await?;
    let (rows, next) = split_page(rows, PER_PAGE as usize, |c| key_cursor(0, &c.id));
    let tz = centers::tz(state, &center_id).await?;
    let mut lines = vec![];
    for c in rows {
        let a = articles::get(state, &center_id, &c.article_id).await?;
        lines.push(Line {
            title: ctx.pick_either(&a.texts.zh.title, &a.texts.en.title).to_string(),
            article_href: format!("/news/articles/{}", a.id),
            when: Instant(c.created_at).display_in(&tz),
            c,
        });
    }
    Ok(QueuePage {
        status: status.code().into(),
        lines,
        next,
        notice: String::new(),
        alert: String::new(),
        ctx,
    })
}

pub async fn index(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let p = Pairs(q);
    let mut page = queue(&state, ctx, &p).await?;
    if let Ok(n) = p.get("rejected").parse::<u64>() {
        page.notice = page.ctx.t1("news-blocked-notice", "n", n.to_string());
    }
    Ok(render(&page)?.into_response())
}

async fn done(
    state: AppState,
    ctx: PageCtx,
    result: AppResult<String>,
    back: &Pairs,
) -> AppResult<Response> {
    // Only a known status goes back into the address.
    let status = CommentStatus::exact(&back.get("status")).unwrap_or(CommentStatus::Held).code();
    match result {
        Ok(extra) => {
            Ok(Redirect::to(&format!("/news/comments?status={status}{extra}")).into_response())
        }
        Err(e) => {
            let (code, _, alert) = refusal(e, ctx.lang())?;
            let mut page = queue(&state, ctx, back).await?;
            page.alert = alert;
            crate::web::form::again(code, &page)
        }
    }
}

pub async fn decide(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::WriteNews)?;
    let p = Pairs(pairs);
    let result =
        match CommentStatus::exact(&p.get("decision")).filter(|s| *s != CommentStatus::Held) {
            Some(to) => service::decide(&state, &ctx.0.who(), &user.id, &center_id, &id, to)
                .await
                .map(|_| String::new()),
            None => Err(AppError::invalid("decision", "field-invalid-choice")),
        };
    done(state, ctx, result, &p).await
}

pub async fn block(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::WriteNews)?;
    let p = Pairs(pairs);
    let result = match BlockKind::exact(&p.get("kind")) {
        Some(kind) => service::block(&state, &ctx.0.who(), &user.id, &center_id, &id, kind)
            .await
            .map(|n| format!("&rejected={n}")),
        None => Err(AppError::invalid("kind", "field-invalid-choice")),
    };
    done(state, ctx, result, &p).await
}

#[derive(Template)]
#[template(path = "news/blocks.html")]
pub struct BlocksPage {
    pub ctx: PageCtx,
    pub blocks: Vec<Block>,
    pub next: Option<String>,
    pub tz: jiff::tz::TimeZone,
}

impl BlocksPage {
    pub fn day(&self, ms: &i64) -> String {
        Instant(*ms).local_parts(&self.tz).0
    }
}

pub async fn blocks(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::WriteNews)?;
    let rows = service::blocks(&state, &center_id, &after(&Pairs(q)), PER_PAGE + 1).await?;
    let (blocks, next) = split_page(rows, PER_PAGE as usize, |b| key_cursor(0, &b.id));
    let tz = centers::tz(&state, &center_id).await?;
    Ok(render(&BlocksPage { ctx, blocks, next, tz })?.into_response())
}

pub async fn unblock(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::WriteNews)?;
    service::unblock(&state, &ctx.0.who(), &center_id, &id).await?;
    Ok(Redirect::to("/news/blocks").into_response())
}
