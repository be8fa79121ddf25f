//! The public site's news: the list and each article per language at a
//! clean address (`/news/en/<slug>`, `/news/zh/<slug>`), an Atom feed per
//! language, and the sitemap. Anonymous readers get them from the page
//! cache; the feed and sitemap are made on each request from one query.

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};

use crate::center::Center;
use crate::clock::Instant;
use crate::domains::centers::service as centers;
use crate::domains::news::article::service;
use crate::domains::news::comment::service::{self as comments, Posted};
use crate::domains::news::model::{
    Article, Comment, CommentInput, lang_segment, render_markdown, segment_lang,
};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::extract::{Form, Path, Query};
use crate::web::form::{FormErrors, Pairs, again, refusal};
use crate::web::list::{PageQuery, key_cursor, split_page};
use crate::web::{PageCtx, render};

/// Articles per page of the public list.
const PER_PAGE: i64 = 20;
/// Entries in a feed.
const FEED_ENTRIES: i64 = 30;
/// Articles in the sitemap (the newest; the sitemap protocol allows 50,000 URLs).
const SITEMAP_ARTICLES: i64 = 10_000;

async fn center(state: &AppState) -> AppResult<Center> {
    centers::public_center(state).await?.ok_or(AppError::NotFound)
}

/// An article as a list shows it in one language.
pub struct Item {
    pub href: String,
    pub title: String,
    pub summary: String,
    pub date: String,
    /// Shown in the other language (none of this one's).
    pub other_lang: bool,
}

fn item(a: &Article, lang: Lang, tz: &jiff::tz::TimeZone) -> Item {
    let other_lang = a.lacks(lang);
    let s = a.texts.side(if other_lang { lang.other() } else { lang });
    Item {
        href: a.href(lang),
        title: s.title.clone(),
        summary: s.summary.clone(),
        date: a.published_at.map(|t| Instant(t).local_parts(tz).0).unwrap_or_default(),
        other_lang,
    }
}

#[derive(Template)]
#[template(path = "news/public_list.html")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub center: Center,
    pub items: Vec<Item>,
    pub next: Option<String>,
    pub feed: String,
}

/// The news list in the reader's language.
pub async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let cursor = Pairs(q).get("cursor");
    let pages = state.pages.clone();
    pages
        .public(ctx, "news", |ctx| async move {
            let center = center(&state).await?;
            let page = PageQuery { cursor: cursor.clone(), limit: None };
            let before = match page.after() {
                Ok((k, id)) if !cursor.is_empty() => (k, id),
                _ => (i64::MAX, String::new()),
            };
            let rows =
                service::public_page(&state, &center.id, (before.0, &before.1), PER_PAGE + 1)
                    .await?;
            let (rows, next) = split_page(rows, PER_PAGE as usize, |a| {
                key_cursor(a.published_at.unwrap_or(0), &a.id)
            });
            let (lang, tz) = (ctx.lang(), center.tz());
            let page = ListPage {
                items: rows.iter().map(|a| item(a, lang, &tz)).collect(),
                next,
                feed: format!("/news/{}/feed.atom", lang_segment(lang)),
                center,
                ctx,
            };
            Ok(render(&page)?.0)
        })
        .await
}

#[derive(Template)]
#[template(path = "news/public_article.html")]
pub struct ArticlePage {
    pub ctx: PageCtx,
    pub center: Center,
    pub a: Article,
    pub title: String,
    pub summary: String,
    pub body_html: String,
    /// The text shown is the other language's (Chinese only).
    pub other_lang: bool,
    pub may_be_out_of_date: bool,
    pub date: String,
    pub url: String,
    pub alternate: String,
    pub base: String,
    pub comments: Vec<Comment>,
    /// More approved comments than shown: the cursor of the next ones.
    pub more_comments: Option<String>,
    /// When the page was made (ms): the comment form's fill time starts here.
    pub started: i64,
    /// The comment form as typed, with what was wrong.
    pub form: Pairs,
    pub errors: FormErrors,
    pub alert: String,
    /// The comment was sent (`?comment=held`).
    pub held: bool,
    pub tz: jiff::tz::TimeZone,
}

impl ArticlePage {
    pub fn og_locale(&self) -> &'static str {
        match self.ctx.lang() {
            Lang::Zh => "zh_CN",
            Lang::En => "en_US",
        }
    }

    pub fn og_locale_other(&self) -> &'static str {
        match self.ctx.lang() {
            Lang::Zh => "en_US",
            Lang::En => "zh_CN",
        }
    }

    pub fn when(&self, ms: &i64) -> String {
        Instant(*ms).display_in(&self.tz)
    }

    pub fn comments_href(&self) -> String {
        format!("{}/comments", self.a.href(self.ctx.lang()))
    }

    pub fn shown_lang(&self) -> &'static str {
        let lang = if self.other_lang { self.ctx.lang().other() } else { self.ctx.lang() };
        lang.tag()
    }
}

/// One article in the language its address names. Asking for the other
/// language (the language switch's `?lang=`) leads to that language's own
/// address.
pub async fn article(
    State(state): State<AppState>,
    mut ctx: PageCtx,
    Path((segment, slug)): Path<(String, String)>,
) -> AppResult<Response> {
    let lang = segment_lang(&segment).ok_or(AppError::NotFound)?;
    if ctx.lang() != lang && !Pairs(query_pairs(&ctx)).get("lang").is_empty() {
        let center = center(&state).await?;
        let a = service::public_by_slug(&state, &center.id, lang, &slug).await?;
        return Ok(Redirect::to(&a.href(ctx.lang())).into_response());
    }
    ctx.0.lang = lang;
    let q = Pairs(query_pairs(&ctx));
    let (held, cursor) = (q.get("comment") == "held", q.get("comments"));
    let pages = state.pages.clone();
    pages
        .public(ctx, &format!("news|{slug}"), |ctx| async move {
            let mut page = article_page(&state, ctx, lang, &slug, &cursor).await?;
            page.held = held;
            Ok(render(&page)?.0)
        })
        .await
}

/// Approved comments shown under an article at once.
const COMMENTS_SHOWN: i64 = 50;

async fn article_page(
    state: &AppState,
    ctx: PageCtx,
    lang: Lang,
    slug: &str,
    comments_after: &str,
) -> AppResult<ArticlePage> {
    let center = center(state).await?;
    let a = service::public_by_slug(state, &center.id, lang, slug).await?;
    let other_lang = a.lacks(lang);
    let s = a.texts.side(if other_lang { lang.other() } else { lang }).clone();
    let base = state.config.public_url.clone();
    let after = PageQuery { cursor: comments_after.to_string(), limit: None }
        .after()
        .map(|a| a.1)
        .unwrap_or_default();
    let rows = comments::approved(state, &a.id, &after, COMMENTS_SHOWN + 1).await?;
    let (comments, more_comments) =
        split_page(rows, COMMENTS_SHOWN as usize, |c| key_cursor(0, &c.id));
    let tz = center.tz();
    Ok(ArticlePage {
        title: s.title,
        summary: s.summary,
        body_html: render_markdown(&s.body),
        may_be_out_of_date: !other_lang
            && match lang {
                Lang::Zh => a.zh_stale,
                Lang::En => a.en_stale,
            },
        other_lang,
        date: a.published_at.map(|t| Instant(t).local_parts(&tz).0).unwrap_or_default(),
        url: format!("{base}{}", a.href(lang)),
        alternate: format!("{base}{}", a.href(lang.other())),
        base,
        comments,
        more_comments,
        started: state.clock.now().millis(),
        form: Pairs(vec![]),
        errors: FormErrors::default(),
        alert: String::new(),
        held: false,
        tz,
        center,
        a,
        ctx,
    })
}

/// A reader's comment on an article: held for moderation, then back to the
/// article with a word of thanks; a refused form is shown again as typed.
pub async fn comment(
    State(state): State<AppState>,
    mut ctx: PageCtx,
    Path((segment, slug)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let lang = segment_lang(&segment).ok_or(AppError::NotFound)?;
    ctx.0.lang = lang;
    let center = center(&state).await?;
    let a = service::public_by_slug(&state, &center.id, lang, &slug).await?;
    let f = Pairs(pairs);
    let result =
        match CommentInput::parse(&f.raw_one("name"), &f.raw_one("email"), &f.raw_one("body")) {
            Ok(input) => {
                let posted = Posted {
                    input,
                    honeypot: &f.raw_one("website"),
                    started_ms: f.get("started").parse().ok(),
                    client_ip: &ctx.0.client_ip,
                    lang,
                };
                comments::post(&state, &ctx.0.who(), &a, posted).await
            }
            Err(errors) => Err(AppError::Invalid(errors)),
        };
    match result {
        Ok(()) => {
            Ok(Redirect::to(&format!("{}?comment=held#comments", a.href(lang))).into_response())
        }
        Err(e) => {
            let (status, errors, alert) = refusal(e, lang)?;
            let mut page = article_page(&state, ctx, lang, &slug, "").await?;
            page.form = f;
            page.errors = errors;
            page.alert = alert;
            again(status, &page)
        }
    }
}

fn query_pairs(ctx: &PageCtx) -> Vec<(String, String)> {
    serde_urlencoded::from_str(&ctx.0.query).unwrap_or_default()
}

/// An Atom feed entry.
pub struct Entry {
    pub id: String,
    pub url: String,
    pub title: String,
    pub summary: String,
    pub content: String,
    pub published: String,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "news/feed.xml", escape = "html")]
pub struct Feed {
    pub id: String,
    pub title: String,
    pub lang: &'static str,
    pub self_url: String,
    pub site_url: String,
    pub author: String,
    pub updated: String,
    pub entries: Vec<Entry>,
}

fn utc(ms: i64) -> String {
    Instant(ms).rfc3339_in(&jiff::tz::TimeZone::UTC)
}

/// The latest articles in one language as an Atom 1.0 feed (RFC 4287),
/// made at most once per moment (the documents' cache).
pub async fn feed(
    State(state): State<AppState>,
    Path(segment): Path<String>,
) -> AppResult<Response> {
    let lang = segment_lang(&segment).ok_or(AppError::NotFound)?;
    let pages = state.pages.clone();
    let xml = pages.document(&format!("feed|{segment}"), || make_feed(&state, lang)).await?;
    let kind = "application/atom+xml; charset=utf-8";
    Ok(([(header::CONTENT_TYPE, kind)], (*xml).clone()).into_response())
}

async fn make_feed(state: &AppState, lang: Lang) -> AppResult<String> {
    let segment = lang_segment(lang);
    let center = center(state).await?;
    let rows = service::public_page(state, &center.id, (i64::MAX, ""), FEED_ENTRIES).await?;
    let base = &state.config.public_url;
    let name = lang.pick_either(&center.name.zh, &center.name.en).to_string();
    let entries: Vec<Entry> = rows
        .iter()
        .map(|a| {
            let s = a.texts.side(if a.lacks(lang) { lang.other() } else { lang });
            let published = a.published_at.unwrap_or(a.updated_at);
            Entry {
                id: format!("urn:uuid:{}", a.id),
                url: format!("{base}{}", a.href(lang)),
                title: s.title.clone(),
                summary: s.summary.clone(),
                content: render_markdown(&s.body),
                published: utc(published),
                updated: utc(a.updated_at.max(published)),
            }
        })
        .collect();
    let updated =
        rows.iter().map(|a| a.updated_at.max(a.published_at.unwrap_or(0))).max().unwrap_or(0);
    let feed = Feed {
        id: format!("{base}/news/{segment}/feed.atom"),
        title: format!("{name} · {}", lang.t("news-title")),
        lang: lang.tag(),
        self_url: format!("{base}/news/{segment}/feed.atom"),
        site_url: format!("{base}/news?lang={}", lang.tag()),
        author: name,
        updated: utc(updated),
        entries,
    };
    feed.render().map_err(AppError::internal)
}

/// A sitemap address with its other-language alternate.
pub struct Url {
    pub loc: String,
    pub lastmod: String,
    pub alternates: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "news/sitemap.xml", escape = "html")]
pub struct Sitemap {
    pub urls: Vec<Url>,
}

/// The public pages and every public article in both languages, each
/// naming the other as its alternate (sitemaps.org 0.9 with `xhtml:link`).
pub async fn sitemap(State(state): State<AppState>) -> AppResult<Response> {
    let pages = state.pages.clone();
    let xml = pages.document("sitemap", || make_sitemap(&state)).await?;
    Ok(([(header::CONTENT_TYPE, "application/xml; charset=utf-8")], (*xml).clone()).into_response())
}

async fn make_sitemap(state: &AppState) -> AppResult<String> {
    let center = center(state).await?;
    let rows = service::public_links(state, &center.id, SITEMAP_ARTICLES).await?;
    let base = &state.config.public_url;
    let mut urls = vec![];
    for path in
        ["/", "/news", "/hall", "/about", "/zones", "/contact", "/privacy", "/accessibility"]
    {
        urls.push(Url {
            loc: format!("{base}{path}"),
            lastmod: String::new(),
            alternates: [Lang::Zh, Lang::En]
                .into_iter()
                .map(|l| (l.tag(), format!("{base}{path}?lang={}", l.tag())))
                .collect(),
        });
    }
    for (slugs, updated_at) in &rows {
        let href = |l: Lang| {
            let slug = if l == Lang::Zh { &slugs.0 } else { &slugs.1 };
            format!("{base}/news/{}/{slug}", lang_segment(l))
        };
        let alternates: Vec<(&'static str, String)> =
            [Lang::Zh, Lang::En].into_iter().map(|l| (l.tag(), href(l))).collect();
        for l in [Lang::Zh, Lang::En] {
            urls.push(Url {
                loc: href(l),
                lastmod: utc(*updated_at),
                alternates: alternates.clone(),
            });
        }
    }
    Sitemap { urls }.render().map_err(AppError::internal)
}
