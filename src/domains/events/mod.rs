//! Events: bilingual event pages, sessions in the center's rooms, ticket
//! categories with quotas, registration forms, group registrations that
//! never overfill an event, a waiting list that understands groups, tickets
//! with unguessable codes, and check-in that never counts twice.

pub mod checkin;
pub mod event;
pub mod export;
pub mod model;
pub mod registration;
pub mod views;

use axum::routing::{get, post};
use utoipa_axum::routes;

use crate::state::AppState;
use crate::web::routes::{Api, Pages};

/// This domain's pages (HTML, files, feeds).
pub fn pages() -> Pages<AppState> {
    Pages::new()
        .route("/events", get(event::pages::index).post(event::pages::create))
        .route("/events/new", get(event::pages::new))
        .route("/events/feed.ics", get(event::pages::feed))
        .route("/events/{id}", get(event::pages::show))
        .route("/events/{id}/calendar.ics", get(event::pages::event_ics))
        .route("/events/{id}/register", post(registration::pages::register))
        .route("/events/{id}/manage", get(event::pages::manage))
        .route("/events/{id}/attendance", get(event::pages::attendance))
        .route("/events/{id}/edit", get(event::pages::edit).post(event::pages::edit_submit))
        .route("/events/{id}/transition", post(event::pages::transition))
        .route("/events/{id}/capacity", post(event::pages::capacity))
        .route("/events/{id}/invitation", post(event::pages::invitation))
        .route("/events/{id}/export/{file}", get(registration::pages::export))
        .route("/events/{id}/badges", get(registration::pages::badges))
        .route(
            "/events/{id}/checkin",
            get(checkin::pages::checkin).post(checkin::pages::checkin_submit),
        )
        .route(
            "/events/registrations/{id}/{action}",
            post(registration::pages::registration_action),
        )
        .route("/tickets/{token}", get(registration::pages::ticket))
        .route("/tickets/{token}/cancel", post(registration::pages::ticket_cancel))
        .route("/tickets/{token}/names", post(registration::pages::ticket_names))
        .route("/tickets/{token}/qr/{file}", get(registration::pages::ticket_qr))
}

/// This domain's JSON operations, each documented by its `#[utoipa::path]`.
pub fn api() -> Api<AppState> {
    Api::new()
        .routes(routes!(event::api::index, event::api::create))
        .routes(routes!(event::api::show, event::api::update))
        .routes(routes!(event::api::transition))
        .routes(routes!(event::api::capacity))
        .routes(routes!(event::api::invitation))
        .routes(routes!(registration::api::registrations, registration::api::register))
        .routes(routes!(checkin::api::attendance))
        .routes(routes!(checkin::api::tickets))
        .routes(routes!(registration::api::registration_show))
        .routes(routes!(registration::api::registration_cancel))
        .routes(routes!(registration::api::registration_approve))
        .routes(routes!(registration::api::registration_reject))
        .routes(routes!(checkin::api::checkin))
        .routes(routes!(checkin::api::checkin_undo))
}
