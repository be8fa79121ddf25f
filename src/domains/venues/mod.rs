//! Venues: the rooms of a center's zones and their bookings — one-off and
//! recurring, never overlapping under any concurrency — with approvals,
//! calendars, iCalendar feeds and door displays.

pub mod api;
pub mod booking_pages;
pub mod calendar;
pub mod feeds;
pub mod model;
pub mod pages;
pub mod recurrence;
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
        .route("/venues", get(pages::index))
        .route("/venues/rooms/new", get(pages::room_new))
        .route("/venues/rooms", post(pages::room_create))
        .route("/venues/rooms/{id}", get(pages::room_calendar))
        .route("/venues/rooms/{id}/blackouts", post(pages::blackout_create))
        .route("/venues/rooms/{id}/blackouts/{blackout}/delete", post(pages::blackout_delete))
        .route("/venues/rooms/{id}/edit", get(pages::room_edit).post(pages::room_update))
        .route("/venues/zones/{code}", get(pages::zone_calendar))
        .route("/bookings/new", get(booking_pages::new))
        .route("/bookings", post(booking_pages::create))
        .route("/bookings/mine", get(booking_pages::mine))
        .route("/bookings/mine/feed", post(booking_pages::mine_feed))
        .route("/bookings/{id}", get(booking_pages::show))
        .route("/bookings/{id}/edit", post(booking_pages::edit))
        .route("/bookings/{id}/cancel", post(booking_pages::cancel))
        .route("/bookings/{id}/approve", post(booking_pages::approve))
        .route("/bookings/{id}/reject", post(booking_pages::reject))
        .route("/inbox", get(booking_pages::inbox))
        .route("/notifications", get(booking_pages::notifications))
        .route("/notifications/read", post(booking_pages::notifications_read))
        .route("/display/{token}", get(feeds::display))
        .route("/calendar/rooms/{token}", get(feeds::room_feed))
        .route("/calendar/me/{token}", get(feeds::user_feed))
}

/// This domain's JSON operations, each documented by its `#[utoipa::path]`.
pub fn api() -> Api<AppState> {
    Api::new()
        .routes(routes!(api::rooms_index, api::rooms_create))
        .routes(routes!(api::rooms_show, api::rooms_update))
        .routes(routes!(api::availability))
        .routes(routes!(api::bookings_index, api::bookings_create))
        .routes(routes!(api::bookings_show, api::bookings_update))
        .routes(routes!(api::bookings_cancel))
        .routes(routes!(api::bookings_approve))
        .routes(routes!(api::bookings_reject))
}
