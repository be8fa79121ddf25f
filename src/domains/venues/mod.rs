//! Venues: the rooms of a center's zones and their bookings — one-off and
//! recurring, never overlapping under any concurrency — with approvals,
//! calendars, iCalendar feeds and door displays.

/// A room query: the shared SELECT head and join, then the given tail.
macro_rules! room_sql {
    ($tail:literal) => {
        concat!(
            "SELECT r.*, z.code AS zone_code FROM room r JOIN zone z ON z.id = r.zone_id ",
            $tail
        )
    };
}

/// A booking query: the shared SELECT head and join, then the given tail.
macro_rules! booking_sql {
    ($tail:literal) => {
        concat!(
            "SELECT b.*, u.display_name AS organizer_name FROM booking b JOIN app_user u ON u.id = b.organizer_id ",
            $tail
        )
    };
}

pub mod booking;
pub mod calendar;
pub mod feed;
pub mod model;
pub mod recurrence;
pub mod room;
pub mod views;

use axum::routing::{get, post};
use utoipa_axum::routes;

use crate::state::AppState;
use crate::web::routes::{Api, Pages};

/// This domain's pages (HTML, files, feeds).
pub fn pages() -> Pages<AppState> {
    Pages::new()
        .route("/venues", get(room::pages::index))
        .route("/venues/rooms/new", get(room::pages::room_new))
        .route("/venues/rooms", post(room::pages::room_create))
        .route("/venues/rooms/{id}", get(room::pages::room_calendar))
        .route("/venues/rooms/{id}/blackouts", post(room::pages::blackout_create))
        .route("/venues/rooms/{id}/links/{which}", post(room::pages::renew_link))
        .route("/venues/rooms/{id}/blackouts/{blackout}/delete", post(room::pages::blackout_delete))
        .route(
            "/venues/rooms/{id}/edit",
            get(room::pages::room_edit).post(room::pages::room_update),
        )
        .route("/venues/zones/{code}", get(room::pages::zone_calendar))
        .route("/bookings/new", get(booking::pages::new))
        .route("/bookings", post(booking::pages::create))
        .route("/bookings/mine", get(booking::pages::mine))
        .route("/bookings/mine/feed", post(booking::pages::mine_feed))
        .route("/bookings/{id}", get(booking::pages::show))
        .route("/bookings/{id}/edit", post(booking::pages::edit))
        .route("/bookings/{id}/cancel", post(booking::pages::cancel))
        .route("/bookings/{id}/approve", post(booking::pages::approve))
        .route("/bookings/{id}/reject", post(booking::pages::reject))
        .route("/inbox", get(booking::pages::inbox))
        .route("/notifications", get(booking::pages::notifications))
        .route("/notifications/read", post(booking::pages::notifications_read))
        .route("/display/{token}", get(feed::pages::display))
        .route("/calendar/rooms/{token}", get(feed::pages::room_feed))
        .route("/calendar/me/{token}", get(feed::pages::user_feed))
}

/// This domain's JSON operations, each documented by its `#[utoipa::path]`.
pub fn api() -> Api<AppState> {
    Api::new()
        .routes(routes!(room::api::rooms_index, room::api::rooms_create))
        .routes(routes!(room::api::rooms_show, room::api::rooms_update))
        .routes(routes!(room::api::availability))
        .routes(routes!(booking::api::bookings_index, booking::api::bookings_create))
        .routes(routes!(booking::api::bookings_show, booking::api::bookings_update))
        .routes(routes!(booking::api::bookings_cancel))
        .routes(routes!(booking::api::bookings_approve))
        .routes(routes!(booking::api::bookings_reject))
}
