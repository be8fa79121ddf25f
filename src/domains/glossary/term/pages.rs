//! HTML for the glossary: the terms (search, filter, add, change, remove),
//! the official seed, and "check a text" for anyone writing English.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::service::{self, Stored};
use crate::auth::Perm;
use crate::domains::glossary::finding::service as findings;
use crate::domains::glossary::model::{Finding, FindingKind, TermInput, TermStatus, lines};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::extract::{Form, Path, Query};
use crate::web::form::{FormErrors, Pairs, again, refusal};
use crate::web::list::{PageQuery, key_cursor, split_page};
use crate::web::{PageCtx, render};

/// Terms per page.
const PER_PAGE: i64 = 50;

/// A check's finding as the page shows it: the English with the place
/// marked, and the English once fixed.
pub struct Shown {
    pub f: Finding,
    pub before: String,
    pub marked: String,
    pub after: String,
    pub fixed: Option<String>,
}

fn shown(f: Finding, en: &str) -> Shown {
    let (before, marked, after) = match &f.at {
        Some(at) => {
            (tail(&en[..at.start], 60), en[at.clone()].to_string(), head(&en[at.end..], 60))
        }
        None => (String::new(), String::new(), String::new()),
    };
    Shown { fixed: f.fix(en), f, before, marked, after }
}

/// The last `n` characters, with an ellipsis if cut.
pub fn tail(s: &str, n: usize) -> String {
    let count = s.chars().count();
    if count <= n {
        s.to_string()
    } else {
        format!("…{}", s.chars().skip(count - n).collect::<String>())
    }
}

/// The first `n` characters, with an ellipsis if cut.
pub fn head(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

#[derive(Template)]
#[template(path = "glossary/terms.html")]
pub struct TermsPage {
    pub ctx: PageCtx,
    pub terms: Vec<Stored>,
    pub next: Option<String>,
    pub status: String,
    pub q: String,
    pub total: i64,
    pub open: Vec<(FindingKind, i64)>,
    pub manage: bool,
    /// The add form as typed, with what was wrong.
    pub form: Pairs,
    pub errors: FormErrors,
    /// The "check a text" form and its findings (none: not checked).
    pub check_zh: String,
    pub check_en: String,
    pub checked: Option<Vec<Shown>>,
    pub check_errors: FormErrors,
    pub notice: String,
}

impl TermsPage {
    pub fn statuses(&self) -> &'static [TermStatus] {
        TermStatus::ALL
    }

    pub fn open_total(&self) -> i64 {
        self.open.iter().map(|(_, n)| n).sum()
    }
}

struct Filter {
    status: String,
    q: String,
    cursor: String,
}

fn filter(pairs: &[(String, String)]) -> Filter {
    let p = Pairs(pairs.to_vec());
    Filter { status: p.get("status"), q: p.get("q"), cursor: p.get("cursor") }
}

async fn terms_page(state: &AppState, ctx: PageCtx, f: Filter) -> AppResult<TermsPage> {
    let (user, center_id) = ctx.0.require_center(Perm::ViewGlossary)?;
    let status = TermStatus::exact(&f.status);
    let after = PageQuery { cursor: f.cursor.clone(), limit: None }
        .after()
        .map(|a| a.1)
        .unwrap_or_default();
    let rows = service::page(state, &center_id, status, &f.q, &after, PER_PAGE + 1).await?;
    let (terms, next) = split_page(rows, PER_PAGE as usize, |t| key_cursor(0, &t.term.id));
    Ok(TermsPage {
        terms,
        next,
        status: status.map(|s| s.code().to_string()).unwrap_or_default(),
        q: f.q,
        total: service::count(state, &center_id).await?,
        open: findings::open_counts(state, &center_id).await?,
        manage: service::may_manage(&user),
        form: Pairs(vec![]),
        errors: FormErrors::default(),
        check_zh: String::new(),
        check_en: String::new(),
        checked: None,
        check_errors: FormErrors::default(),
        notice: String::new(),
        ctx,
    })
}

pub async fn index(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let mut page = terms_page(&state, ctx, filter(&q)).await?;
    let p = Pairs(q);
    if let Ok(added) = p.get("added").parse::<u64>() {
        page.notice = page.ctx.t1("glossary-seeded", "added", added.to_string());
    }
    Ok(render(&page)?.into_response())
}

fn parse(f: &Pairs, manage: bool) -> Result<TermInput, Vec<crate::error::FieldError>> {
    // Without the right to decide, what is added is a proposal.
    let status = if manage {
        TermStatus::parse(&f.get("status")).unwrap_or(TermStatus::Approved)
    } else {
        TermStatus::Proposed
    };
    let raw = |k: &str| f.raw_one(k);
    TermInput::parse(
        &raw("zh"),
        &raw("en"),
        status,
        &lines(&raw("variants")),
        &raw("source"),
        &raw("notes"),
    )
}

pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::ViewGlossary)?;
    let f = Pairs(pairs);
    let result = match parse(&f, service::may_manage(&user)) {
        Ok(input) => {
            service::create(&state, &ctx.0.who(), &user, &center_id, input).await.map(|_| ())
        }
        Err(errors) => Err(AppError::Invalid(errors)),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/glossary").into_response()),
        Err(e) => {
            let (status, errors, _) = refusal(e, ctx.lang())?;
            let mut page = terms_page(&state, ctx, filter(&[])).await?;
            page.form = f;
            page.errors = errors;
            again(status, &page)
        }
    }
}

pub async fn seed(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageGlossary)?;
    let added = service::seed(&state, &ctx.0.who(), &center_id).await?;
    Ok(Redirect::to(&format!("/glossary?added={added}")).into_response())
}

/// "Check a text": the findings for a pair, shown on the glossary page.
pub async fn check(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::ViewGlossary)?;
    let f = Pairs(pairs);
    let raw = |k: &str| f.raw_one(k);
    let (zh, en) = (raw("check_zh"), raw("check_en"));
    let result = findings::check_pair(&state, &center_id, &zh, &en).await;
    let mut page = terms_page(&state, ctx, filter(&[])).await?;
    let status = match result {
        Ok(found) => {
            page.checked = Some(found.into_iter().map(|x| shown(x, &en)).collect());
            StatusCode::OK
        }
        Err(AppError::Invalid(errors)) => {
            page.check_errors = FormErrors(
                errors
                    .into_iter()
                    .map(|mut e| {
                        e.field = format!("check_{}", e.field);
                        e
                    })
                    .collect(),
            );
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(e) => return Err(e),
    };
    page.check_zh = zh;
    page.check_en = en;
    again(status, &page)
}

#[derive(Template)]
#[template(path = "glossary/term.html")]
pub struct TermPage {
    pub ctx: PageCtx,
    pub t: Stored,
    pub manage: bool,
    pub form: Pairs,
    pub errors: FormErrors,
    pub alert: String,
}

impl TermPage {
    pub fn statuses(&self) -> &'static [TermStatus] {
        TermStatus::ALL
    }

    /// The value to show: what was typed if the form came back, else the term's.
    pub fn value(&self, field: &str) -> String {
        if let Some((_, v)) = self.form.0.iter().find(|(k, _)| k == field) {
            return v.clone();
        }
        match field {
            "zh" => self.t.term.zh.clone(),
            "en" => self.t.term.en.clone(),
            "status" => self.t.term.status.code().to_string(),
            "variants" => self.t.term.variants.join("\n"),
            "source" => self.t.source.clone(),
            "notes" => self.t.notes.clone(),
            _ => String::new(),
        }
    }
}

pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::ViewGlossary)?;
    let t = service::get(&state, &center_id, &id).await?;
    let page = TermPage {
        ctx,
        t,
        manage: service::may_manage(&user),
        form: Pairs(vec![]),
        errors: FormErrors::default(),
        alert: String::new(),
    };
    Ok(render(&page)?.into_response())
}

pub async fn update(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::ManageGlossary)?;
    let f = Pairs(pairs);
    let result = match parse(&f, true) {
        Ok(input) => {
            service::update(&state, &ctx.0.who(), &user, &center_id, &id, input).await.map(|_| ())
        }
        Err(errors) => Err(AppError::Invalid(errors)),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/glossary").into_response()),
        Err(e) => {
            let (status, errors, alert) = refusal(e, ctx.lang())?;
            let t = service::get(&state, &center_id, &id).await?;
            again(status, &TermPage { ctx, t, manage: true, form: f, errors, alert })
        }
    }
}

pub async fn delete(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::ManageGlossary)?;
    service::delete(&state, &ctx.0.who(), &user, &center_id, &id).await?;
    Ok(Redirect::to("/glossary").into_response())
}
