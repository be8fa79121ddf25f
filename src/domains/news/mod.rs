//! News: the center's articles with Chinese and English side by side, the
//! editorial workflow (draft → review → approved → published → withdrawn),
//! credits as on the center's releases (来源 Source, 排版 Typesetting,
//! 审核校对 Senior Editor), revisions with a side-by-side diff, "may be out
//! of date" when one language changes after approval, and the public site:
//! the list and articles per language at clean addresses, Atom feeds and the
//! sitemap; readers' comments, held for moderation; the site's own pages
//! (about, zones, contact, privacy notice, accessibility statement).

pub mod article;
pub mod comment;
pub mod model;
pub mod site;
pub mod static_page;

use axum::routing::{get, post};
use utoipa_axum::routes;

use crate::state::AppState;
use crate::web::routes::{Api, Pages};

/// This domain's pages.
pub fn pages() -> Pages<AppState> {
    Pages::new()
        .route("/news", get(site::pages::list))
        .route("/news/{lang}/{slug}", get(site::pages::article))
        .route("/news/{lang}/{slug}/comments", post(site::pages::comment))
        .route("/news/{lang}/feed.atom", get(site::pages::feed))
        .route("/sitemap.xml", get(site::pages::sitemap))
        .route("/about", get(static_page::pages::show))
        .route("/zones", get(static_page::pages::show))
        .route("/contact", get(static_page::pages::show))
        .route("/privacy", get(static_page::pages::show))
        .route("/accessibility", get(static_page::pages::show))
        .route("/news/pages", get(static_page::pages::index))
        .route("/news/pages/{key}", get(static_page::pages::edit).post(static_page::pages::save))
        .route("/news/articles", get(article::pages::index).post(article::pages::create))
        .route("/news/articles/new", get(article::pages::new))
        .route("/news/articles/{id}", get(article::pages::show).post(article::pages::update))
        .route("/news/articles/{id}/step", post(article::pages::step))
        .route("/news/articles/{id}/cover", post(article::pages::cover))
        .route("/news/articles/{id}/cover/delete", post(article::pages::remove_cover))
        .route("/news/articles/{id}/revisions/{n}", get(article::pages::revision))
        .route("/news/comments", get(comment::pages::index))
        .route("/news/comments/{id}/decide", post(comment::pages::decide))
        .route("/news/comments/{id}/block", post(comment::pages::block))
        .route("/news/blocks", get(comment::pages::blocks))
        .route("/news/blocks/{id}/delete", post(comment::pages::unblock))
}

/// This domain's JSON operations, each documented by its `#[utoipa::path]`.
pub fn api() -> Api<AppState> {
    Api::new()
        .routes(routes!(article::api::index, article::api::create))
        .routes(routes!(article::api::show, article::api::update))
        .routes(routes!(article::api::step))
        .routes(routes!(article::api::set_cover, article::api::remove_cover))
        .routes(routes!(article::api::revisions))
        .routes(routes!(article::api::revision))
        .routes(routes!(article::api::published))
        .routes(routes!(article::api::published_one))
        .routes(routes!(comment::api::index))
        .routes(routes!(comment::api::decide))
        .routes(routes!(comment::api::block))
        .routes(routes!(comment::api::blocks))
        .routes(routes!(comment::api::unblock))
        .routes(routes!(comment::api::published))
        .routes(routes!(static_page::api::index))
        .routes(routes!(static_page::api::show, static_page::api::update))
}
