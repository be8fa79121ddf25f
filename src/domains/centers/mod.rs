//! Centers, their functional zones (功能区) and settings, and the public home
//! page. Every record of every other slice belongs to one center.

pub mod handlers;
pub mod model;
pub mod service;
mod store;
pub mod views;

use axum::routing::{get, post};
use utoipa_axum::routes;

use crate::state::AppState;
use crate::web::routes::{Api, Pages};

/// This domain's pages (HTML, files, feeds).
pub fn pages() -> Pages<AppState> {
    Pages::new()
        .route("/", get(handlers::home))
        .route("/admin/zones", get(handlers::zones_index))
        .route("/admin/zones/{id}", post(handlers::zones_update))
        .route("/admin/settings", get(handlers::settings_page).post(handlers::settings_update))
}

/// This domain's JSON operations, each documented by its `#[utoipa::path]`.
pub fn api() -> Api<AppState> {
    Api::new().routes(routes!(handlers::api_zones)).routes(routes!(handlers::api_zone_update))
}
