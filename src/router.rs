//! The one file that composes the application: every domain's pages and
//! documented API (each domain's `mod.rs` lists its own), the OpenAPI
//! document made from the same routes, static files, and the layers every
//! request passes through. Nothing imports this file but the CLI and tests.

use axum::Router;
use axum::http::HeaderName;
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use utoipa_axum::routes;

use crate::domains::{
    accounts, audit_log, centers, dashboard, enterprises, events, glossary, hall, interpreting,
    matchmaking, news, signage, venues, visits,
};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::routes::{Api, Pages};
use crate::web::{assets, context, health, security};

/// Every documented JSON operation, and the document describing them.
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    Api::new()
        .routes(routes!(health::healthz))
        .merge(accounts::api())
        .merge(centers::api())
        .merge(audit_log::api())
        .merge(venues::api())
        .merge(visits::api())
        .merge(interpreting::api())
        .merge(events::api())
        .merge(hall::api())
        .merge(matchmaking::api())
        .merge(glossary::api())
        .merge(news::api())
        .merge(signage::api())
        .merge(enterprises::api())
        .split(crate::openapi::base())
}

/// The API's routes with their contract enforced where a handler cannot:
/// anonymous calls of protected operations are 401 before anything else.
fn contract(api: Router<AppState>, doc: &utoipa::openapi::OpenApi) -> Router<AppState> {
    let protected = std::sync::Arc::new(crate::openapi::Protected::of(doc));
    api.route_layer(middleware::from_fn_with_state(protected, crate::openapi::refuse_anonymous))
}

/// Every page, file and feed.
pub fn pages() -> Router<AppState> {
    Pages::new()
        .merge(centers::pages())
        .merge(accounts::pages())
        .merge(dashboard::pages())
        .merge(audit_log::pages())
        .merge(venues::pages())
        .merge(visits::pages())
        .merge(interpreting::pages())
        .merge(events::pages())
        .merge(hall::pages())
        .merge(matchmaking::pages())
        .merge(glossary::pages())
        .merge(news::pages())
        .merge(signage::pages())
        .merge(enterprises::pages())
        .into_router()
}

pub fn router(state: AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    let (api, doc) = api();
    let api = contract(api, &doc);
    pages()
        .merge(api)
        .route("/api/v1/openapi.json", crate::openapi::serve(&doc))
        .route("/static/{name}", get(assets::serve))
        .route("/media/{name}", get(crate::images::media))
        .fallback(not_found)
        // Inner first: a panic becomes an AppError that the context renders.
        .layer(CatchPanicLayer::custom(panicked))
        .layer(middleware::from_fn_with_state(state.clone(), context::middleware))
        .layer(middleware::from_fn(security::headers))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http())
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .with_state(state)
}

async fn not_found() -> AppError {
    AppError::NotFound
}

/// A panic in a handler becomes a plain 500: it is logged, never shown.
fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("handler panicked");
    AppError::Internal("panic".into()).into_response()
}
