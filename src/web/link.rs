//! The page that shows a new secret link, once: links are stored hashed
//! (`crate::links`), so this answer is the only place the link is seen.

use askama::Template;

use super::PageCtx;

#[derive(Template)]
#[template(path = "layout/new_link.html")]
pub struct NewLinkPage {
    pub ctx: PageCtx,
    /// What the link opens, already translated.
    pub title: String,
    /// The link's path on this site.
    pub path: String,
    /// Where "back" goes.
    pub back: String,
}

impl NewLinkPage {
    /// Renders the page. Like every dynamic answer it is `no-store`
    /// (web::security), which matters here: the link is secret.
    pub fn answer(self) -> crate::error::AppResult<axum::response::Response> {
        use axum::response::IntoResponse as _;
        Ok(super::render(&self)?.into_response())
    }
}
