//! The glossary: the center's official Chinese-English terms (approved,
//! proposed, deprecated; forbidden variants; where each comes from), and a
//! checker that reads every bilingual text of the center (`bilingual::Place`)
//! for English that strays from them — with the place, the expected form,
//! a one-click fix where a fix is a replacement, and a findings queue.

pub mod finding;
pub mod model;
pub mod term;

use axum::routing::{get, post};
use utoipa_axum::routes;

use crate::state::AppState;
use crate::web::routes::{Api, Pages};

/// This domain's pages.
pub fn pages() -> Pages<AppState> {
    Pages::new()
        .route("/glossary", get(term::pages::index))
        .route("/glossary/terms", post(term::pages::create))
        .route("/glossary/terms/{id}", get(term::pages::show).post(term::pages::update))
        .route("/glossary/terms/{id}/delete", post(term::pages::delete))
        .route("/glossary/seed", post(term::pages::seed))
        .route("/glossary/check", post(term::pages::check))
        .route("/glossary/findings", get(finding::pages::index))
        .route("/glossary/sweep", post(finding::pages::sweep))
        .route("/glossary/findings/{id}/fix", post(finding::pages::fix))
        .route("/glossary/findings/{id}/dismiss", post(finding::pages::dismiss))
}

/// This domain's JSON operations, each documented by its `#[utoipa::path]`.
pub fn api() -> Api<AppState> {
    Api::new()
        .routes(routes!(term::api::index, term::api::create))
        .routes(routes!(term::api::show, term::api::update, term::api::delete))
        .routes(routes!(term::api::seed))
        .routes(routes!(finding::api::check))
        .routes(routes!(finding::api::sweep))
        .routes(routes!(finding::api::index))
        .routes(routes!(finding::api::fix))
        .routes(routes!(finding::api::dismiss))
}
