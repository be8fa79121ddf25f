//! Signage: the registry of the center's bilingual signs (GB/T 30240,
//! DB5101/T 211—2025) — each at its place, of its class, Chinese above
//! English; drafted, translated, reviewed by a translator, installed, and
//! ticked or flagged on the audit walk; the glossary checks their English;
//! print-ready sheets per class and size.

pub mod model;
pub mod sign;

use axum::routing::{get, post};
use utoipa_axum::routes;

use crate::state::AppState;
use crate::web::routes::{Api, Pages};

/// This domain's pages.
pub fn pages() -> Pages<AppState> {
    Pages::new()
        .route("/signs", get(sign::pages::index).post(sign::pages::create))
        .route("/signs/walk", get(sign::pages::walk))
        .route("/signs/sheet", get(sign::pages::sheet))
        .route("/signs/sheet.pdf", get(sign::pages::sheet_pdf))
        .route("/signs/{id}", get(sign::pages::show).post(sign::pages::update))
        .route("/signs/{id}/step", post(sign::pages::step))
        .route("/signs/{id}/walk", post(sign::pages::walk_step))
        .route("/signs/{id}/photo", post(sign::pages::photo))
}

/// This domain's JSON operations.
pub fn api() -> Api<AppState> {
    Api::new()
        .routes(routes!(sign::api::index, sign::api::create))
        .routes(routes!(sign::api::show, sign::api::update))
        .routes(routes!(sign::api::step))
        .routes(routes!(sign::api::photo))
}
