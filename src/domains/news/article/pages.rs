//! The newsroom's pages: the articles (filter, search), a new article, the
//! side-by-side editor with its workflow buttons, the glossary's findings
//! with their one-click fixes, and each revision's side-by-side diff.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use super::api::{FieldDiffJson, changes};
use super::service;
use crate::auth::Perm;
use crate::bilingual::Place;
use crate::clock::Instant;
use crate::domains::centers::service as centers;
use crate::domains::events::event::service as events;
use crate::domains::glossary::finding::service::{self as glossary, Stored as FindingRow};
use crate::domains::news::model::{
    Article, ArticleInput, ArticleStatus, RawArticle, Revision, Step, split_tags,
};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::extract::{Form, Path, Query};
use crate::web::form::{Choice, FormErrors, Pairs, again, refusal};
use crate::web::list::{PageQuery, key_cursor, split_page};
use crate::web::{PageCtx, render};

/// Articles per page.
const PER_PAGE: i64 = 30;
/// Revisions listed on the editor.
const REVISIONS_SHOWN: i64 = 20;
/// Findings listed on the editor.
const FINDINGS_SHOWN: i64 = 50;

#[derive(Template)]
#[template(path = "news/articles.html")]
pub struct ArticlesPage {
    pub ctx: PageCtx,
    pub articles: Vec<Article>,
    pub next: Option<String>,
    pub status: String,
    pub q: String,
}

impl ArticlesPage {
    pub fn statuses(&self) -> &'static [ArticleStatus] {
        ArticleStatus::ALL
    }
}

pub async fn index(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::WriteNews)?;
    let p = Pairs(q);
    let status = ArticleStatus::exact(&p.get("status"));
    let before =
        PageQuery { cursor: p.get("cursor"), limit: None }.after().map(|a| a.1).unwrap_or_default();
    let rows =
        service::page(&state, &center_id, status, &p.get("q"), &before, PER_PAGE + 1).await?;
    let (articles, next) = split_page(rows, PER_PAGE as usize, |a| key_cursor(0, &a.id));
    let page = ArticlesPage {
        articles,
        next,
        status: status.map(|s| s.code().to_string()).unwrap_or_default(),
        q: p.get("q"),
        ctx,
    };
    Ok(render(&page)?.into_response())
}

#[derive(Template)]
#[template(path = "news/article.html")]
pub struct ArticlePage {
    pub ctx: PageCtx,
    /// None: a new article.
    pub a: Option<Article>,
    pub form: Pairs,
    pub errors: FormErrors,
    pub alert: String,
    pub steps: Vec<Step>,
    pub editor: bool,
    pub zones: Vec<Choice>,
    pub events: Vec<Choice>,
    pub revisions: Vec<Revision>,
    pub findings: Vec<FindingRow>,
    pub may_fix: bool,
    /// The article is on the public site now.
    pub public_now: bool,
    /// The center's local "now", for the publish form.
    pub today: String,
    pub tz: jiff::tz::TimeZone,
}

impl ArticlePage {
    /// The field as typed, else as stored.
    pub fn value(&self, field: &str) -> String {
        if let Some((_, v)) = self.form.0.iter().find(|(k, _)| k == field) {
            return v.clone();
        }
        let Some(a) = &self.a else { return String::new() };
        let t = &a.texts;
        match field {
            "title_zh" => t.zh.title.clone(),
            "title_en" => t.en.title.clone(),
            "summary_zh" => t.zh.summary.clone(),
            "summary_en" => t.en.summary.clone(),
            "body_zh" => t.zh.body.clone(),
            "body_en" => t.en.body.clone(),
            "slug_zh" => a.slug_zh.clone(),
            "slug_en" => a.slug_en.clone(),
            "tags" => a.tags.join(", "),
            "zone_id" => a.zone_id.clone().unwrap_or_default(),
            "event_id" => a.event_id.clone().unwrap_or_default(),
            "source" => a.source.clone(),
            "typesetter" => a.typesetter.clone(),
            "version" => a.version.to_string(),
            _ => String::new(),
        }
    }

    pub fn chinese_only(&self) -> bool {
        if self.form.0.iter().any(|(k, _)| k == "chinese_only_shown") {
            return self.form.0.iter().any(|(k, v)| k == "chinese_only" && v == "1");
        }
        self.a.as_ref().is_some_and(|a| a.chinese_only)
    }

    pub fn when(&self, ms: &i64) -> String {
        Instant(*ms).display_in(&self.tz)
    }

    pub fn article_id(&self) -> &str {
        self.a.as_ref().map(|a| a.id.as_str()).unwrap_or("")
    }

    pub fn action(&self) -> String {
        match &self.a {
            Some(a) => format!("/news/articles/{}", a.id),
            None => "/news/articles".into(),
        }
    }

    /// A step's button is the main one (the way forward).
    pub fn forward(&self, s: &Step) -> bool {
        !matches!(s, Step::Return | Step::Withdraw)
    }

    /// The finding's field named in the reader's language.
    pub fn field_label(&self, f: &FindingRow) -> String {
        self.ctx.t(format!("news-field-{}", f.field))
    }
}

async fn article_page(
    state: &AppState,
    ctx: PageCtx,
    a: Option<Article>,
) -> AppResult<ArticlePage> {
    let (user, center_id) = ctx.0.require_center(Perm::WriteNews)?;
    let lang = ctx.lang();
    let zones = centers::zones(state, &center_id)
        .await?
        .into_iter()
        .map(|z| Choice::pick(z.id, &z.name.zh, &z.name.en, lang))
        .collect();
    let since = state.clock.now().millis() - 365 * 86_400_000;
    let events = events::list(state, &center_id, since, false)
        .await?
        .into_iter()
        .map(|e| Choice::pick(e.id, &e.title.zh, &e.title.en, lang))
        .collect();
    let (revisions, findings) = match &a {
        Some(a) => (
            service::revisions(state, &center_id, &a.id, i64::MAX, REVISIONS_SHOWN).await?,
            glossary::open_of(state, &center_id, Place::Article, &a.id, FINDINGS_SHOWN).await?,
        ),
        None => (vec![], vec![]),
    };
    let tz = centers::tz(state, &center_id).await?;
    Ok(ArticlePage {
        steps: a.as_ref().map(|a| service::steps_for(&user, a)).unwrap_or_default(),
        editor: service::is_editor(&user),
        may_fix: crate::auth::allows(Some(user.role), Place::Article.perm()),
        today: state.clock.now().local_parts(&tz).0,
        public_now: a.as_ref().is_some_and(|a| a.is_public(state.clock.now().millis())),
        a,
        form: Pairs(vec![]),
        errors: FormErrors::default(),
        alert: String::new(),
        zones,
        events,
        revisions,
        findings,
        tz,
        ctx,
    })
}

pub async fn new(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    Ok(render(&article_page(&state, ctx, None).await?)?.into_response())
}

pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::WriteNews)?;
    let a = service::get(&state, &center_id, &id).await?;
    Ok(render(&article_page(&state, ctx, Some(a)).await?)?.into_response())
}

fn parse(f: &Pairs, editor: bool) -> Result<ArticleInput, Vec<crate::error::FieldError>> {
    let raw = |k: &str| f.raw_one(k);
    let (title_zh, title_en, summary_zh, summary_en, body_zh, body_en) = (
        raw("title_zh"),
        raw("title_en"),
        raw("summary_zh"),
        raw("summary_en"),
        raw("body_zh"),
        raw("body_en"),
    );
    let (slug_zh, slug_en, zone_id, event_id, source, typesetter) = (
        f.get("slug_zh"),
        f.get("slug_en"),
        f.get("zone_id"),
        f.get("event_id"),
        raw("source"),
        raw("typesetter"),
    );
    // Only the senior editor is shown the box; an unticked box sends nothing.
    let chinese_only = (editor && f.0.iter().any(|(k, _)| k == "chinese_only_shown"))
        .then(|| f.0.iter().any(|(k, v)| k == "chinese_only" && v == "1"));
    ArticleInput::parse(&RawArticle {
        title_zh: &title_zh,
        title_en: &title_en,
        summary_zh: &summary_zh,
        summary_en: &summary_en,
        body_zh: &body_zh,
        body_en: &body_en,
        slug_zh: &slug_zh,
        slug_en: &slug_en,
        tags: split_tags(&raw("tags")),
        zone_id: &zone_id,
        event_id: &event_id,
        source: &source,
        typesetter: &typesetter,
        chinese_only,
    })
}

async fn refused(
    state: &AppState,
    ctx: PageCtx,
    a: Option<Article>,
    f: Pairs,
    e: AppError,
) -> AppResult<Response> {
    let (status, errors, alert) = refusal(e, ctx.lang())?;
    let mut page = article_page(state, ctx, a).await?;
    page.form = f;
    page.errors = errors;
    page.alert = alert;
    again(status, &page)
}

pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::WriteNews)?;
    let f = Pairs(pairs);
    let result = match parse(&f, service::is_editor(&user)) {
        Ok(input) => service::create(&state, &ctx.0.who(), &user, &center_id, input).await,
        Err(errors) => Err(AppError::Invalid(errors)),
    };
    match result {
        Ok(a) => Ok(Redirect::to(&format!("/news/articles/{}", a.id)).into_response()),
        Err(e) => refused(&state, ctx, None, f, e).await,
    }
}

pub async fn update(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::WriteNews)?;
    let before = service::get(&state, &center_id, &id).await?;
    let f = Pairs(pairs);
    let version = f.get("version").parse::<i64>().ok();
    let result = match parse(&f, service::is_editor(&user)) {
        Ok(input) => {
            service::update(&state, &ctx.0.who(), &user, &center_id, &id, version, input).await
        }
        Err(errors) => Err(AppError::Invalid(errors)),
    };
    match result {
        Ok(a) => Ok(Redirect::to(&format!("/news/articles/{}?saved=1", a.id)).into_response()),
        Err(e) => {
            // A save refused because someone saved since shows their version.
            let current = service::get(&state, &center_id, &id).await.unwrap_or(before);
            refused(&state, ctx, Some(current), f, e).await
        }
    }
}

pub async fn step(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::WriteNews)?;
    let f = Pairs(pairs);
    let tz = centers::tz(&state, &center_id).await?;
    let result = match Step::exact(&f.get("step")) {
        None => Err(AppError::invalid("step", "field-invalid-choice")),
        Some(step) => {
            let (date, time) = (f.get("date"), f.get("time"));
            let at = if date.is_empty() && time.is_empty() {
                Ok(None)
            } else {
                Instant::parse_local(&date, if time.is_empty() { "00:00" } else { &time }, &tz)
                    .map(Some)
                    .ok_or_else(|| AppError::invalid("date", "field-invalid-instant"))
            };
            match at {
                Ok(at) => {
                    let version = f.get("version").parse::<i64>().ok();
                    let who = ctx.0.who();
                    service::take_step(&state, &who, &user, &center_id, &id, step, at, version)
                        .await
                }
                Err(e) => Err(e),
            }
        }
    };
    match result {
        Ok(a) => Ok(Redirect::to(&format!("/news/articles/{}", a.id)).into_response()),
        Err(e) => {
            let a = service::get(&state, &center_id, &id).await?;
            refused(&state, ctx, Some(a), Pairs(vec![]), e).await
        }
    }
}

#[derive(Template)]
#[template(path = "news/diff.html")]
pub struct DiffPage {
    pub ctx: PageCtx,
    pub a: Article,
    pub this: Revision,
    pub before: Option<Revision>,
    pub changes: Vec<FieldDiffJson>,
    pub tz: jiff::tz::TimeZone,
}

impl DiffPage {
    pub fn when(&self, ms: &i64) -> String {
        Instant(*ms).display_in(&self.tz)
    }

    pub fn field_label(&self, c: &FieldDiffJson) -> String {
        let lang = if c.lang == "zh" { "language-zh" } else { "language-en" };
        format!("{} · {}", self.ctx.t(format!("news-field-{}", c.field)), self.ctx.t(lang))
    }
}

pub async fn revision(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((id, n)): Path<(String, i64)>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::WriteNews)?;
    let a = service::get(&state, &center_id, &id).await?;
    let (before, this) = service::revision_pair(&state, &center_id, &id, n).await?;
    let page = DiffPage {
        changes: changes(before.as_ref(), &this),
        tz: centers::tz(&state, &center_id).await?,
        a,
        this,
        before,
        ctx,
    };
    Ok(render(&page)?.into_response())
}

/// The cover form (a picture and its alt text, `multipart/form-data`).
pub async fn cover(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    upload: crate::web::extract::Upload,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::WriteNews)?;
    let typed = Pairs(upload.fields.clone());
    match super::api::save_cover(&state, &ctx.0, &user, &center_id, &id, upload).await {
        Ok(a) => Ok(Redirect::to(&format!("/news/articles/{}", a.id)).into_response()),
        Err(e) => {
            let a = service::get(&state, &center_id, &id).await?;
            let mut f = typed;
            f.0.retain(|(k, _)| k.starts_with("alt_"));
            refused(&state, ctx, Some(a), f, e).await
        }
    }
}

pub async fn remove_cover(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::WriteNews)?;
    let f = Pairs(pairs);
    let version = f.get("version").parse::<i64>().unwrap_or(-1);
    let none = (String::new(), String::new());
    let who = ctx.0.who();
    match service::set_cover(&state, &who, &user, &center_id, &id, version, None, none).await {
        Ok(a) => Ok(Redirect::to(&format!("/news/articles/{}", a.id)).into_response()),
        Err(e) => {
            let a = service::get(&state, &center_id, &id).await?;
            refused(&state, ctx, Some(a), Pairs(vec![]), e).await
        }
    }
}
