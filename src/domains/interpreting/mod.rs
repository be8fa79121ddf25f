//! Interpreters: foreign-language staff with their languages (BCP 47) and
//! levels, their unavailability, and their assignments to itinerary items —
//! never two overlapping ones, under any concurrency — with a ranked "who is
//! free and qualified" suggestion and the interpreter's own accept/decline.

pub mod api;
pub mod model;
pub mod pages;
pub mod service;
mod store;

use axum::routing::{get, post};
use utoipa_axum::routes;

use crate::state::AppState;
use crate::web::routes::{Api, Pages};

/// This domain's pages (HTML, files, feeds).
pub fn pages() -> Pages<AppState> {
    Pages::new()
        .route("/interpreting", get(pages::roster).post(pages::roster_save))
        .route("/interpreting/mine", get(pages::mine))
        .route("/interpreting/assignments/{id}/accept", post(pages::accept))
        .route("/interpreting/assignments/{id}/decline", post(pages::decline))
        .route("/interpreting/away", post(pages::away_add))
        .route("/interpreting/away/{id}/delete", post(pages::away_delete))
}

/// This domain's JSON operations, each documented by its `#[utoipa::path]`.
pub fn api() -> Api<AppState> {
    Api::new()
        .routes(routes!(api::index, api::save))
        .routes(routes!(api::unavailability_create))
        .routes(routes!(api::mine))
        .routes(routes!(api::accept))
        .routes(routes!(api::decline))
        .routes(routes!(api::cancel))
}
