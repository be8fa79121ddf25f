//! Events: bilingual event pages, sessions in the center's rooms, ticket
//! categories with quotas, registration forms, group registrations that
//! never overfill an event, a waiting list that understands groups, tickets
//! with unguessable codes, and check-in that never counts twice.

pub mod api;
pub mod export;
pub mod model;
pub mod pages;
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
        .route("/events", get(pages::index).post(pages::create))
        .route("/events/new", get(pages::new))
        .route("/events/feed.ics", get(pages::feed))
        .route("/events/{id}", get(pages::show))
        .route("/events/{id}/calendar.ics", get(pages::event_ics))
        .route("/events/{id}/register", post(pages::register))
        .route("/events/{id}/manage", get(pages::manage))
        .route("/events/{id}/attendance", get(pages::attendance))
        .route("/events/{id}/edit", get(pages::edit).post(pages::edit_submit))
        .route("/events/{id}/transition", post(pages::transition))
        .route("/events/{id}/capacity", post(pages::capacity))
        .route("/events/{id}/export/{file}", get(pages::export))
        .route("/events/{id}/badges", get(pages::badges))
        .route("/events/{id}/checkin", get(pages::checkin).post(pages::checkin_submit))
        .route("/events/registrations/{id}/{action}", post(pages::registration_action))
        .route("/tickets/{token}", get(pages::ticket))
        .route("/tickets/{token}/cancel", post(pages::ticket_cancel))
        .route("/tickets/{token}/names", post(pages::ticket_names))
        .route("/tickets/{token}/qr/{file}", get(pages::ticket_qr))
}

/// This domain's JSON operations, each documented by its `#[utoipa::path]`.
pub fn api() -> Api<AppState> {
    Api::new()
        .routes(routes!(api::index, api::create))
        .routes(routes!(api::show, api::update))
        .routes(routes!(api::transition))
        .routes(routes!(api::capacity))
        .routes(routes!(api::registrations, api::register))
        .routes(routes!(api::attendance))
        .routes(routes!(api::tickets))
        .routes(routes!(api::registration_show))
        .routes(routes!(api::registration_cancel))
        .routes(routes!(api::registration_approve))
        .routes(routes!(api::registration_reject))
        .routes(routes!(api::checkin))
        .routes(routes!(api::checkin_undo))
}
