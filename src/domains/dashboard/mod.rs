//! The signed-in home: the modules of Liaison this role works with, and
//! which of them are open yet.

pub mod handlers;
pub mod service;
pub mod views;

use axum::routing::get;

use crate::state::AppState;
use crate::web::routes::Pages;

/// This domain's pages (HTML, files, feeds).
pub fn pages() -> Pages<AppState> {
    Pages::new().route("/dashboard", get(handlers::index))
}
