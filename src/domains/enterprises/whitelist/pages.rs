//! White-list pages: the entries (the center's, or one's own enterprise's)
//! and an entry's ledger with the form to record a line.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use super::service::{self, Entry, Line};
use crate::auth::Perm;
use crate::domains::enterprises::model::item::{Usage, parse_quantity, show_quantity};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::extract::{Form, Path, Query};
use crate::web::form::{FormErrors, Pairs, again, refusal};
use crate::web::list::{PageQuery, key_cursor, split_page};
use crate::web::{PageCtx, render};

const PER_PAGE: i64 = 50;

#[derive(Template)]
#[template(path = "enterprises/whitelist.html")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub rows: Vec<Entry>,
    pub next: Option<String>,
    pub enterprise_id: String,
}

impl ListPage {
    pub fn pick<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.ctx.lang().pick_either(zh, en)
    }
    pub fn qty(&self, q: impl std::borrow::Borrow<i64>) -> String {
        show_quantity(*q.borrow())
    }
}

pub async fn index(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::SignedIn)?;
    let q = Pairs(q);
    let enterprise_id: String = q.get("enterprise_id").chars().take(64).collect();
    let after =
        PageQuery { cursor: q.get("cursor"), limit: None }.after().map(|a| a.1).unwrap_or_default();
    let rows =
        service::page(&state, &user, &center_id, &enterprise_id, &after, PER_PAGE + 1).await?;
    let (rows, next) = split_page(rows, PER_PAGE as usize, |e| key_cursor(0, &e.id));
    Ok(render(&ListPage { ctx, rows, next, enterprise_id })?.into_response())
}

#[derive(Template)]
#[template(path = "enterprises/entry.html")]
pub struct EntryPage {
    pub ctx: PageCtx,
    pub e: Entry,
    pub lines: Vec<Line>,
    pub tz: jiff::tz::TimeZone,
    pub form: Pairs,
    pub errors: FormErrors,
    pub alert: String,
}

impl EntryPage {
    pub fn pick<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.ctx.lang().pick_either(zh, en)
    }
    pub fn qty(&self, q: impl std::borrow::Borrow<i64>) -> String {
        show_quantity(*q.borrow())
    }
    pub fn usages(&self) -> &'static [Usage] {
        Usage::ALL
    }
    pub fn when(&self, ms: &i64) -> String {
        crate::clock::Instant(*ms).display_in(&self.tz)
    }
}

async fn entry_page(state: &AppState, ctx: PageCtx, id: &str) -> AppResult<EntryPage> {
    let (user, center_id) = ctx.0.require_center(Perm::SignedIn)?;
    let e = service::get(state, &user, &center_id, id).await?;
    let lines = service::lines(state, id, 200).await?;
    let tz = crate::domains::centers::service::tz(state, &center_id).await?;
    Ok(EntryPage {
        ctx,
        e,
        lines,
        tz,
        form: Pairs(vec![]),
        errors: FormErrors::default(),
        alert: String::new(),
    })
}

pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> AppResult<Response> {
    Ok(render(&entry_page(&state, ctx, &id).await?)?.into_response())
}

pub async fn record(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::SignedIn)?;
    let f = Pairs(pairs);
    let result = match (Usage::exact(&f.get("kind")), parse_quantity(&f.get("quantity"))) {
        (None, _) => Err(AppError::invalid("kind", "field-invalid-choice")),
        (_, None) => Err(AppError::invalid("quantity", "item-quantity")),
        (Some(u), Some(q)) => {
            service::record(
                &state,
                &ctx.0.who(),
                &user,
                &center_id,
                &id,
                u,
                q,
                &f.raw_one("project"),
                &f.raw_one("note"),
            )
            .await
        }
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/services/whitelist/{id}")).into_response()),
        Err(e) => {
            let (status, errors, alert) = refusal(e, ctx.lang())?;
            let mut page = entry_page(&state, ctx, &id).await?;
            page.form = f;
            page.errors = errors;
            page.alert = alert;
            again(status, &page)
        }
    }
}
