//! Articles over JSON: the newsroom's (drafts, edits, steps, revisions with
//! their diff) and the public's (published articles by language and slug).

use axum::extract::State;
use axum::response::Response;
use serde::{Deserialize, Serialize};

use super::service;
use crate::auth::Perm;
use crate::clock::Instant;
use crate::domains::centers::service as centers;
use crate::domains::news::model::{
    Article, ArticleInput, ArticleStatus, Change, MAX_BODY, MAX_CREDIT, MAX_SLUG, MAX_SUMMARY,
    MAX_TAG, MAX_TAGS, MAX_TITLE, RawArticle, Revision, Step, diff, render_markdown, segment_lang,
};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::extract::{Json, Path, Query};
use crate::web::list::{List, PageQuery, key_cursor};
use crate::web::{ReqCtx, created};

// The document's limits are the model's.
const _: () = assert!(
    MAX_TITLE == 200
        && MAX_SUMMARY == 1000
        && MAX_BODY == 50_000
        && MAX_TAGS == 10
        && MAX_TAG == 40
        && MAX_CREDIT == 100
        && MAX_SLUG == 80
);

fn utc(ms: i64) -> String {
    Instant(ms).rfc3339_in(&jiff::tz::TimeZone::UTC)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SideJson {
    pub title: String,
    pub summary: String,
    /// Markdown as written.
    pub body: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct LangFlags {
    pub zh: bool,
    pub en: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ArticleJson {
    pub id: String,
    /// draft, review, approved, published or withdrawn.
    #[schema(schema_with = ArticleStatus::openapi)]
    pub status: String,
    pub zh: SideJson,
    pub en: SideJson,
    pub slug_zh: String,
    pub slug_en: String,
    pub tags: Vec<String>,
    pub zone_id: Option<String>,
    pub event_id: Option<String>,
    pub cover: Option<CoverJson>,
    /// 来源 Source.
    pub source: String,
    /// 排版 Typesetting.
    pub typesetter: String,
    /// 审核校对 Senior Editor: who approved it.
    pub senior_editor: String,
    /// Published without English, by the senior editor's decision.
    pub chinese_only: bool,
    /// A language that may be out of date: the other changed after approval.
    pub may_be_out_of_date: LangFlags,
    /// When it is (or is to be) public.
    pub published_at: Option<String>,
    /// Public now.
    pub public: bool,
    /// Saved versions so far; send it back with an edit to refuse it if
    /// someone saved in between.
    pub version: i64,
    /// The workflow steps the caller may take now.
    pub allowed_steps: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CoverJson {
    /// The picture (JPEG, at most 1600 px a side).
    pub url: String,
    pub width: i64,
    pub height: i64,
    pub alt_zh: String,
    pub alt_en: String,
}

fn cover_json(a: &Article) -> Option<CoverJson> {
    a.cover.as_ref().map(|c| CoverJson {
        url: c.href(),
        width: c.width,
        height: c.height,
        alt_zh: a.cover_alt_zh.clone(),
        alt_en: a.cover_alt_en.clone(),
    })
}

/// A cover as sent: `multipart/form-data`.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct CoverForm {
    /// JPEG, PNG or WebP, at most 10 MB (read from its content).
    #[schema(format = Binary, value_type = String)]
    pub file: Vec<u8>,
    #[schema(max_length = 200)]
    pub alt_zh: String,
    #[schema(max_length = 200)]
    pub alt_en: String,
    /// The version the change is made on.
    pub version: i64,
}

/// Sets the article's cover: the picture is scaled to fit 1600 px and kept
/// as JPEG; alt text in both languages is required.
#[utoipa::path(put, path = "/api/v1/news/articles/{id}/cover", tag = "news", params(("id" = String, Path)),
    request_body(content = CoverForm, content_type = "multipart/form-data"),
    responses((status = 200, body = ArticleJson), (status = 400), (status = 403), (status = 404), (status = 409), (status = 422)),
    security(("bearer" = [])))]
pub async fn set_cover(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    upload: crate::web::extract::Upload,
) -> AppResult<Json<ArticleJson>> {
    let (user, center_id) = ctx.require_center(Perm::WriteNews)?;
    let a = save_cover(&state, &ctx, &user, &center_id, &id, upload).await?;
    Ok(Json(article_json(&a, &service::steps_for(&user, &a), state.clock.now().millis())))
}

/// The cover of an upload (the page's form and the API share it): checks,
/// keeps the picture, sets it.
pub async fn save_cover(
    state: &AppState,
    ctx: &ReqCtx,
    user: &crate::auth::CurrentUser,
    center_id: &str,
    id: &str,
    upload: crate::web::extract::Upload,
) -> AppResult<Article> {
    service::get(state, center_id, id).await?;
    let version = upload
        .field("version")
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::invalid("version", "field-required"));
    let alt =
        crate::domains::news::model::cover_alt(&upload.field("alt_zh"), &upload.field("alt_en"));
    let mut errors = vec![];
    if upload.file.is_none() {
        errors.push(crate::error::FieldError::new("file", "image-required"));
    }
    if let Err(AppError::Invalid(e)) = &version {
        errors.extend(e.iter().cloned());
    }
    if let Err(e) = &alt {
        errors.extend(e.iter().cloned());
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let (version, alt) = (version?, alt.map_err(AppError::Invalid)?);
    let picture =
        crate::images::keep(&state.config.files_dir, "file", upload.file.unwrap_or_default())
            .await?;
    let cover = crate::domains::news::model::Cover {
        key: picture.key,
        width: i64::from(picture.width),
        height: i64::from(picture.height),
    };
    service::set_cover(state, &ctx.who(), user, center_id, id, version, Some(cover), alt).await
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersionQuery {
    /// The version the change is made on.
    pub version: i64,
}

/// Removes the article's cover.
#[utoipa::path(delete, path = "/api/v1/news/articles/{id}/cover", tag = "news", params(("id" = String, Path), VersionQuery),
    responses((status = 200, body = ArticleJson), (status = 403), (status = 404), (status = 409)), security(("bearer" = [])))]
pub async fn remove_cover(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Query(q): Query<VersionQuery>,
) -> AppResult<Json<ArticleJson>> {
    let (user, center_id) = ctx.require_center(Perm::WriteNews)?;
    let no_alt = (String::new(), String::new());
    let a = service::set_cover(&state, &ctx.who(), &user, &center_id, &id, q.version, None, no_alt)
        .await?;
    Ok(Json(article_json(&a, &service::steps_for(&user, &a), state.clock.now().millis())))
}

fn side(s: &crate::domains::news::model::Side) -> SideJson {
    SideJson { title: s.title.clone(), summary: s.summary.clone(), body: s.body.clone() }
}

pub fn article_json(a: &Article, steps: &[Step], now: i64) -> ArticleJson {
    ArticleJson {
        id: a.id.clone(),
        status: a.status.code().into(),
        zh: side(&a.texts.zh),
        en: side(&a.texts.en),
        slug_zh: a.slug_zh.clone(),
        slug_en: a.slug_en.clone(),
        tags: a.tags.clone(),
        zone_id: a.zone_id.clone(),
        event_id: a.event_id.clone(),
        cover: cover_json(a),
        source: a.source.clone(),
        typesetter: a.typesetter.clone(),
        senior_editor: a.editor_name.clone(),
        chinese_only: a.chinese_only,
        may_be_out_of_date: LangFlags { zh: a.zh_stale, en: a.en_stale },
        published_at: a.published_at.map(utc),
        public: a.is_public(now),
        version: a.version,
        allowed_steps: steps.iter().map(|s| s.code().to_string()).collect(),
        created_at: utc(a.created_at),
        updated_at: utc(a.updated_at),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ArticleQuery {
    /// Only articles in this status (empty: all).
    #[serde(default)]
    #[param(schema_with = ArticleStatus::openapi_or_empty)]
    pub status: String,
    /// Words in either title.
    #[serde(default)]
    #[param(max_length = 100)]
    pub q: String,
}

/// The center's articles, newest first, a page at a time.
#[utoipa::path(get, path = "/api/v1/news/articles", tag = "news", params(ArticleQuery, PageQuery),
    responses((status = 200, body = List<ArticleJson>), (status = 422)), security(("bearer" = [])))]
pub async fn index(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Query(q): Query<ArticleQuery>,
    Query(page): Query<PageQuery>,
) -> AppResult<Json<List<ArticleJson>>> {
    let (user, center_id) = ctx.require_center(Perm::WriteNews)?;
    let (limit, (_, before)) = (page.size()?, page.after()?);
    let status = match q.status.as_str() {
        "" => None,
        s => Some(
            ArticleStatus::exact(s)
                .ok_or_else(|| AppError::invalid("status", "field-invalid-choice"))?,
        ),
    };
    let rows = service::page(&state, &center_id, status, &q.q, &before, limit + 1).await?;
    let now = state.clock.now().millis();
    Ok(Json(List::page(
        rows,
        limit as usize,
        |a| key_cursor(0, &a.id),
        |a| article_json(&a, &service::steps_for(&user, &a), now),
    )))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ArticleInputJson {
    #[serde(default)]
    #[schema(max_length = 200)]
    pub title_zh: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub title_en: String,
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub summary_zh: String,
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub summary_en: String,
    /// Markdown (no raw HTML reaches a page).
    #[serde(default)]
    #[schema(max_length = 50000)]
    pub body_zh: String,
    #[serde(default)]
    #[schema(max_length = 50000)]
    pub body_en: String,
    /// Empty: made from the title (pinyin for Chinese).
    #[serde(default)]
    #[schema(max_length = 80, pattern = "^$|^[a-z0-9]+(-[a-z0-9]+)*$")]
    pub slug_zh: String,
    #[serde(default)]
    #[schema(max_length = 80, pattern = "^$|^[a-z0-9]+(-[a-z0-9]+)*$")]
    pub slug_en: String,
    #[serde(default)]
    #[schema(max_items = 10, inline)]
    pub tags: Vec<TagJson>,
    #[serde(default)]
    #[schema(max_length = 64)]
    pub zone_id: Option<String>,
    #[serde(default)]
    #[schema(max_length = 64)]
    pub event_id: Option<String>,
    /// 来源 Source.
    #[serde(default)]
    #[schema(max_length = 100)]
    pub source: String,
    /// 排版 Typesetting.
    #[serde(default)]
    #[schema(max_length = 100)]
    pub typesetter: String,
    /// Publish without English: the senior editor's decision (403 for others).
    #[serde(default)]
    pub chinese_only: Option<bool>,
    /// The version the edit was made on (required for an edit, ignored for a
    /// new article): 409 if someone saved since.
    #[serde(default)]
    pub version: Option<i64>,
}

/// A tag.
#[derive(Deserialize, utoipa::ToSchema)]
#[schema(max_length = 40)]
pub struct TagJson(pub String);

fn input(b: &ArticleInputJson) -> AppResult<ArticleInput> {
    let raw = RawArticle {
        title_zh: &b.title_zh,
        title_en: &b.title_en,
        summary_zh: &b.summary_zh,
        summary_en: &b.summary_en,
        body_zh: &b.body_zh,
        body_en: &b.body_en,
        slug_zh: &b.slug_zh,
        slug_en: &b.slug_en,
        tags: b.tags.iter().map(|t| t.0.clone()).collect(),
        zone_id: b.zone_id.as_deref().unwrap_or(""),
        event_id: b.event_id.as_deref().unwrap_or(""),
        source: &b.source,
        typesetter: &b.typesetter,
        chinese_only: b.chinese_only,
    };
    ArticleInput::parse(&raw).map_err(AppError::Invalid)
}

/// Starts a draft, in either language or both.
#[utoipa::path(post, path = "/api/v1/news/articles", tag = "news", request_body = ArticleInputJson,
    responses((status = 201, body = ArticleJson), (status = 403), (status = 422)), security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Json(b): Json<ArticleInputJson>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.require_center(Perm::WriteNews)?;
    let a = service::create(&state, &ctx.who(), &user, &center_id, input(&b)?).await?;
    let json = article_json(&a, &service::steps_for(&user, &a), state.clock.now().millis());
    Ok(created(format!("/api/v1/news/articles/{}", a.id), json))
}

/// One article.
#[utoipa::path(get, path = "/api/v1/news/articles/{id}", tag = "news", params(("id" = String, Path)),
    responses((status = 200, body = ArticleJson), (status = 404)), security(("bearer" = [])))]
pub async fn show(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<Json<ArticleJson>> {
    let (user, center_id) = ctx.require_center(Perm::WriteNews)?;
    let a = service::get(&state, &center_id, &id).await?;
    Ok(Json(article_json(&a, &service::steps_for(&user, &a), state.clock.now().millis())))
}

/// Saves an edit: every text, slug, tag and credit as sent.
#[utoipa::path(put, path = "/api/v1/news/articles/{id}", tag = "news", params(("id" = String, Path)),
    request_body = ArticleInputJson,
    responses((status = 200, body = ArticleJson), (status = 403), (status = 404),
              (status = 409, description = "saved by someone else since `version`"), (status = 422)),
    security(("bearer" = [])))]
pub async fn update(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<ArticleInputJson>,
) -> AppResult<Json<ArticleJson>> {
    let (user, center_id) = ctx.require_center(Perm::WriteNews)?;
    // An edit says which version it was made on: nobody's work is overwritten blindly.
    let version = b.version.ok_or_else(|| AppError::invalid("version", "field-required"))?;
    let a = service::update(&state, &ctx.who(), &user, &center_id, &id, Some(version), input(&b)?)
        .await?;
    Ok(Json(article_json(&a, &service::steps_for(&user, &a), state.clock.now().millis())))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct StepJson {
    /// submit, return, approve, publish, withdraw, redraft or confirm.
    #[schema(schema_with = Step::openapi)]
    pub step: String,
    /// For publish: when it goes public (RFC 3339; default now).
    #[serde(default)]
    pub at: Option<String>,
    /// The version the step is taken on: 409 if the text changed since.
    #[serde(default)]
    pub version: Option<i64>,
}

/// Moves the article along its workflow; 409 with the allowed steps when
/// the step is not possible from its status.
#[utoipa::path(post, path = "/api/v1/news/articles/{id}/step", tag = "news", params(("id" = String, Path)),
    request_body = StepJson,
    responses((status = 200, body = ArticleJson), (status = 403), (status = 404),
              (status = 409, description = "not possible from the current status"), (status = 422)),
    security(("bearer" = [])))]
pub async fn step(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<StepJson>,
) -> AppResult<Json<ArticleJson>> {
    let (user, center_id) = ctx.require_center(Perm::WriteNews)?;
    let step =
        Step::exact(&b.step).ok_or_else(|| AppError::invalid("step", "field-invalid-choice"))?;
    let at = crate::validate::optional_instant("at", b.at.as_deref())?.map(Instant);
    let a =
        service::take_step(&state, &ctx.who(), &user, &center_id, &id, step, at, b.version).await?;
    Ok(Json(article_json(&a, &service::steps_for(&user, &a), state.clock.now().millis())))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct DiffRowJson {
    /// same, removed, added or changed.
    pub change: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct FieldDiffJson {
    /// title, summary or body.
    pub field: String,
    /// zh or en.
    pub lang: String,
    pub rows: Vec<DiffRowJson>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RevisionJson {
    pub n: i64,
    pub by: String,
    pub at: String,
    pub zh: SideJson,
    pub en: SideJson,
    /// Against the revision before (everything added for the first); only
    /// fields that changed.
    pub changes: Vec<FieldDiffJson>,
}

/// Each field of each language that changed from `before` to `this`.
pub fn changes(before: Option<&Revision>, this: &Revision) -> Vec<FieldDiffJson> {
    let empty = crate::domains::news::model::Texts::default();
    let old = before.map(|r| &r.texts).unwrap_or(&empty);
    let mut out = vec![];
    for lang in [Lang::Zh, Lang::En] {
        let (o, n) = (old.side(lang), this.texts.side(lang));
        for (field, a, b) in [
            ("title", &o.title, &n.title),
            ("summary", &o.summary, &n.summary),
            ("body", &o.body, &n.body),
        ] {
            let rows = diff(a, b);
            if rows.iter().any(|r| r.change != Change::Same) {
                out.push(FieldDiffJson {
                    field: field.into(),
                    lang: crate::domains::news::model::lang_segment(lang).into(),
                    rows: rows
                        .into_iter()
                        .map(|r| DiffRowJson {
                            change: r.change.code().into(),
                            old: r.old,
                            new: r.new,
                        })
                        .collect(),
                });
            }
        }
    }
    out
}

fn revision_json(before: Option<&Revision>, r: &Revision) -> RevisionJson {
    RevisionJson {
        n: r.n,
        by: r.by_name.clone(),
        at: utc(r.at),
        zh: side(&r.texts.zh),
        en: side(&r.texts.en),
        changes: changes(before, r),
    }
}

/// The article's saved versions, the newest first, a page at a time (each
/// without its diff: ask for one revision to get it).
#[utoipa::path(get, path = "/api/v1/news/articles/{id}/revisions", tag = "news",
    params(("id" = String, Path), PageQuery),
    responses((status = 200, body = List<RevisionJson>), (status = 404), (status = 422)), security(("bearer" = [])))]
pub async fn revisions(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Query(page): Query<PageQuery>,
) -> AppResult<Json<List<RevisionJson>>> {
    let (_, center_id) = ctx.require_center(Perm::WriteNews)?;
    let (limit, (n, _)) = (page.size()?, page.after()?);
    let before = if page.cursor.is_empty() { i64::MAX } else { n };
    let rows = service::revisions(&state, &center_id, &id, before, limit + 1).await?;
    Ok(Json(List::page(
        rows,
        limit as usize,
        |r| key_cursor(r.n, "n"),
        |r| RevisionJson { changes: vec![], ..revision_json(None, &r) },
    )))
}

/// One saved version with what changed since the one before, per language
/// and field, line by line side by side.
#[utoipa::path(get, path = "/api/v1/news/articles/{id}/revisions/{n}", tag = "news",
    params(("id" = String, Path), ("n" = i64, Path, minimum = 1)),
    responses((status = 200, body = RevisionJson), (status = 404)), security(("bearer" = [])))]
pub async fn revision(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path((id, n)): Path<(String, i64)>,
) -> AppResult<Json<RevisionJson>> {
    let (_, center_id) = ctx.require_center(Perm::WriteNews)?;
    let (before, this) = service::revision_pair(&state, &center_id, &id, n).await?;
    Ok(Json(revision_json(before.as_ref(), &this)))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PublicArticleJson {
    pub lang: String,
    pub url: String,
    /// The other language's address.
    pub alternate_url: String,
    pub title: String,
    pub summary: String,
    /// Rendered and sanitized.
    pub body_html: String,
    /// This language has no text of its own: shown in the other
    /// (Chinese only, by the senior editor's decision).
    pub chinese_only: bool,
    /// This language may be out of date: the other changed since approval.
    pub may_be_out_of_date: bool,
    pub tags: Vec<String>,
    pub source: String,
    pub typesetter: String,
    pub senior_editor: String,
    pub published_at: String,
}

pub fn public_json(a: &Article, lang: Lang) -> PublicArticleJson {
    let shown = if a.lacks(lang) { lang.other() } else { lang };
    let s = a.texts.side(shown);
    PublicArticleJson {
        lang: crate::domains::news::model::lang_segment(lang).into(),
        url: a.href(lang),
        alternate_url: a.href(lang.other()),
        title: s.title.clone(),
        summary: s.summary.clone(),
        body_html: render_markdown(&s.body),
        chinese_only: a.chinese_only && lang == Lang::En,
        may_be_out_of_date: match lang {
            Lang::Zh => a.zh_stale,
            Lang::En => a.en_stale,
        },
        tags: a.tags.clone(),
        source: a.source.clone(),
        typesetter: a.typesetter.clone(),
        senior_editor: a.editor_name.clone(),
        published_at: utc(a.published_at.unwrap_or(a.updated_at)),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PublicQuery {
    /// zh or en (default zh).
    #[serde(default)]
    #[param(pattern = "^$|^(zh|en)$")]
    pub lang: String,
}

/// The center's published articles, the latest first, in one language.
#[utoipa::path(get, path = "/api/v1/news/published", tag = "news", params(PublicQuery, PageQuery),
    responses((status = 200, body = List<PublicArticleJson>), (status = 404), (status = 422)))]
pub async fn published(
    State(state): State<AppState>,
    Query(q): Query<PublicQuery>,
    Query(page): Query<PageQuery>,
) -> AppResult<Json<List<PublicArticleJson>>> {
    let lang = match q.lang.as_str() {
        "" => Lang::Zh,
        s => segment_lang(s).ok_or_else(|| AppError::invalid("lang", "field-invalid-choice"))?,
    };
    let center = centers::public_center(&state).await?.ok_or(AppError::NotFound)?;
    let (limit, (k, id)) = (page.size()?, page.after()?);
    let before = if page.cursor.is_empty() { (i64::MAX, String::new()) } else { (k, id) };
    let rows = service::public_page(&state, &center.id, (before.0, &before.1), limit + 1).await?;
    Ok(Json(List::page(
        rows,
        limit as usize,
        |a| key_cursor(a.published_at.unwrap_or(0), &a.id),
        |a| public_json(&a, lang),
    )))
}

/// One published article by its language and slug.
#[utoipa::path(get, path = "/api/v1/news/published/{lang}/{slug}", tag = "news",
    params(("lang" = String, Path, pattern = "^(zh|en)$"), ("slug" = String, Path, max_length = 80)),
    responses((status = 200, body = PublicArticleJson), (status = 404)))]
pub async fn published_one(
    State(state): State<AppState>,
    Path((lang, slug)): Path<(String, String)>,
) -> AppResult<Json<PublicArticleJson>> {
    let lang = segment_lang(&lang).ok_or(AppError::NotFound)?;
    let center = centers::public_center(&state).await?.ok_or(AppError::NotFound)?;
    let a = service::public_by_slug(&state, &center.id, lang, &slug).await?;
    Ok(Json(public_json(&a, lang)))
}
