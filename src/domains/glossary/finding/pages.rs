//! HTML for the findings queue: check every text, then fix or dismiss what
//! was found, a page at a time, filtered by kind of record and of finding.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use super::service::{self, Stored};
use crate::auth::Perm;
use crate::bilingual::Place;
use crate::domains::glossary::model::{FindingKind, FindingStatus};
use crate::domains::glossary::term::service::may_manage;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::extract::{Form, Path, Query};
use crate::web::form::{Pairs, again, refusal};
use crate::web::list::{PageQuery, key_cursor, split_page};
use crate::web::{PageCtx, render};

const PER_PAGE: i64 = 50;

/// A finding with what the reader may do with it.
pub struct Line {
    pub f: Stored,
    pub may_fix: bool,
    pub edit_href: String,
}

#[derive(Template)]
#[template(path = "glossary/findings.html")]
pub struct FindingsPage {
    pub ctx: PageCtx,
    pub lines: Vec<Line>,
    pub next: Option<String>,
    pub status: String,
    pub place: String,
    pub kind: String,
    pub open: Vec<(FindingKind, i64)>,
    pub may_dismiss: bool,
    pub notice: String,
    pub alert: String,
}

impl FindingsPage {
    pub fn places(&self) -> &'static [Place] {
        Place::ALL
    }

    pub fn kinds(&self) -> &'static [FindingKind] {
        FindingKind::ALL
    }

    pub fn statuses(&self) -> &'static [FindingStatus] {
        FindingStatus::ALL
    }

    /// The field's name in the reader's language.
    pub fn field_label(&self, field: &str) -> String {
        self.ctx.t(format!("glossary-field-{}", field.replace('_', "-")))
    }

    /// This page's filters as a query (for the next page's link).
    pub fn query(&self) -> String {
        format!("status={}&place={}&kind={}", self.status, self.place, self.kind)
    }
}

struct Filter {
    status: String,
    place: String,
    kind: String,
    cursor: String,
}

async fn findings_page(state: &AppState, ctx: PageCtx, f: Filter) -> AppResult<FindingsPage> {
    let (user, center_id) = ctx.0.require_center(Perm::ViewGlossary)?;
    let status = FindingStatus::exact(&f.status).unwrap_or(FindingStatus::Open);
    let (place, kind) = (Place::exact(&f.place), FindingKind::exact(&f.kind));
    let after =
        PageQuery { cursor: f.cursor, limit: None }.after().map(|a| a.1).unwrap_or_default();
    let rows = service::page(state, &center_id, status, place, kind, &after, PER_PAGE + 1).await?;
    let (rows, next) = split_page(rows, PER_PAGE as usize, |r| key_cursor(0, &r.id));
    let lines = rows
        .into_iter()
        .map(|f| Line {
            may_fix: f.status == FindingStatus::Open && service::may_fix(&user, &f),
            edit_href: f.place.edit_href(&f.record_id),
            f,
        })
        .collect();
    Ok(FindingsPage {
        lines,
        next,
        status: status.code().into(),
        place: place.map(|p| p.code()).unwrap_or("").into(),
        kind: kind.map(|k| k.code()).unwrap_or("").into(),
        open: service::open_counts(state, &center_id).await?,
        may_dismiss: may_manage(&user),
        notice: String::new(),
        alert: String::new(),
        ctx,
    })
}

fn filter(pairs: &[(String, String)]) -> Filter {
    let p = Pairs(pairs.to_vec());
    Filter {
        status: p.get("status"),
        place: p.get("place"),
        kind: p.get("kind"),
        cursor: p.get("cursor"),
    }
}

pub async fn index(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let mut page = findings_page(&state, ctx, filter(&q)).await?;
    let p = Pairs(q);
    if let (Ok(texts), Ok(open)) = (p.get("texts").parse::<u64>(), p.get("open").parse::<u64>()) {
        page.notice = page
            .ctx
            .lang()
            .t_args("glossary-swept", &[("texts", texts.to_string()), ("open", open.to_string())]);
    }
    Ok(render(&page)?.into_response())
}

pub async fn sweep(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::ViewGlossary)?;
    let s = service::sweep(&state, &ctx.0.who(), &center_id).await?;
    Ok(Redirect::to(&format!("/glossary/findings?texts={}&open={}", s.texts, s.open))
        .into_response())
}

async fn decided(
    state: AppState,
    ctx: PageCtx,
    result: AppResult<Stored>,
    back: Vec<(String, String)>,
) -> AppResult<Response> {
    match result {
        // Asked from the record's own page: back to it.
        Ok(s) if back.iter().any(|(k, v)| k == "back" && v == "record") => {
            Ok(Redirect::to(&s.place.edit_href(&s.record_id)).into_response())
        }
        Ok(_) => {
            // Only codes go back into the address: what was sent is not trusted.
            let f = filter(&back);
            let code = |v: Option<&'static str>| v.unwrap_or("");
            let query = format!(
                "status={}&place={}&kind={}",
                code(FindingStatus::exact(&f.status).map(|s| s.code())),
                code(Place::exact(&f.place).map(|p| p.code())),
                code(FindingKind::exact(&f.kind).map(|k| k.code())),
            );
            Ok(Redirect::to(&format!("/glossary/findings?{query}")).into_response())
        }
        Err(e) => {
            let (status, _, alert) = refusal(e, ctx.lang())?;
            let mut page = findings_page(&state, ctx, filter(&back)).await?;
            page.alert = alert;
            again(status, &page)
        }
    }
}

pub async fn fix(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::ViewGlossary)?;
    let result = service::fix(&state, &ctx.0.who(), &user, &center_id, &id).await;
    decided(state, ctx, result, pairs).await
}

pub async fn dismiss(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::ManageGlossary)?;
    let result = service::dismiss(&state, &ctx.0.who(), &user, &center_id, &id).await;
    decided(state, ctx, result, pairs).await
}
