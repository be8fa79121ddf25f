//! Accounts: users and their roles, signing in and out, API tokens, and the
//! throttle on failed logins. The permission table itself is `auth::allows`.

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
        .route("/login", get(handlers::login_page).post(handlers::login))
        .route("/logout", post(handlers::logout))
        .route("/account", get(handlers::account))
        .route("/account/password", post(handlers::account_password))
        .route("/account/tokens", post(handlers::create_token))
        .route("/account/tokens/{id}/revoke", post(handlers::token_revoke))
        .route("/admin/users", get(handlers::users_index).post(handlers::users_create))
        .route("/admin/users/{id}", post(handlers::users_update))
}

/// This domain's JSON operations, each documented by its `#[utoipa::path]`.
pub fn api() -> Api<AppState> {
    Api::new()
        .routes(routes!(handlers::api_me))
        .routes(routes!(handlers::api_users, handlers::api_users_create))
        .routes(routes!(handlers::api_user_show))
}
