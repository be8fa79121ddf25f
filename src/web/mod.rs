//! HTTP machinery every slice shares: the per-request context (language,
//! caller, CSRF token, client address), our own extractors, cookies, CSRF,
//! error rendering, security headers and static assets. Nothing here knows a
//! domain.

pub mod assets;
pub mod cache;
pub mod context;
pub mod cookies;
pub mod csrf;
pub mod errors;
pub mod extract;
pub mod form;
pub mod health;
pub mod link;
pub mod list;
pub mod page;
pub mod redirect;
pub mod routes;
pub mod security;

pub use context::ReqCtx;
pub use page::{PageCtx, render};

/// `201 Created` with a `Location` and the created resource as JSON.
/// A 409 whose body is the operation's own shape (a door's verdict), sent
/// as `application/problem+json` like every refusal the document lists.
pub fn conflict<T: serde::Serialize>(body: T) -> axum::response::Response {
    use axum::response::IntoResponse as _;
    let mut r = (axum::http::StatusCode::CONFLICT, extract::Json(body)).into_response();
    r.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/problem+json"),
    );
    r
}

pub fn created<T: serde::Serialize>(location: String, body: T) -> axum::response::Response {
    use axum::response::IntoResponse as _;
    let mut r = (axum::http::StatusCode::CREATED, extract::Json(body)).into_response();
    if let Ok(v) = axum::http::HeaderValue::from_str(&location) {
        r.headers_mut().insert(axum::http::header::LOCATION, v);
    }
    r
}
