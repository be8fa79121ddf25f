//! Browsing the audit log (admins, their own center). Writing it is
//! `crate::audit`'s job, done inside every change's transaction.

pub mod handlers;
pub mod views;

use axum::routing::get;
use utoipa_axum::routes;

use crate::state::AppState;
use crate::web::routes::{Api, Pages};

/// This domain's pages (HTML, files, feeds).
pub fn pages() -> Pages<AppState> {
    Pages::new().route("/admin/audit", get(handlers::index))
}

/// This domain's JSON operations, each documented by its `#[utoipa::path]`.
pub fn api() -> Api<AppState> {
    Api::new().routes(routes!(handlers::api_index))
}
