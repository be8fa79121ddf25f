//! The exhibition hall for the public: an opening calendar with timed
//! slots, real-name reservations for individuals, families and groups
//! without an account, tickets checked at the door (the events' ticket
//! codes, QR and check-in page), walk-ins, no-show strikes, and the figures
//! the center reports: groups (批) and person-visits (人次) as of any date.

pub mod calendar;
pub mod door;
pub mod model;
pub mod reservation;
pub mod views;

use axum::routing::{get, post};
use utoipa_axum::routes;

use crate::state::AppState;
use crate::web::routes::{Api, Pages};

/// This domain's pages.
pub fn pages() -> Pages<AppState> {
    Pages::new()
        .route("/hall", get(calendar::pages::index))
        .route("/hall/book", get(reservation::pages::book).post(reservation::pages::book_submit))
        .route("/hall/watch", get(reservation::pages::watch).post(reservation::pages::watch_submit))
        .route("/hall/r/{secret}", get(reservation::pages::holder))
        .route("/hall/r/{secret}/people", post(reservation::pages::holder_people))
        .route("/hall/r/{secret}/cancel", post(reservation::pages::holder_cancel))
        .route("/hall/r/{secret}/{file}", get(reservation::pages::holder_file))
        .route("/hall/manage", get(calendar::pages::manage).post(calendar::pages::manage_submit))
        .route("/hall/manage/exceptions", post(calendar::pages::exception_submit))
        .route("/hall/reservations/{id}", get(reservation::pages::staff_view))
        .route("/hall/reservations/{id}/{action}", post(reservation::pages::staff_action))
        .route("/hall/day", get(door::pages::day))
        .route("/hall/door", get(door::pages::door).post(door::pages::door_submit))
        .route("/hall/door/walk-in", post(door::pages::walk_in_submit))
        .route("/hall/figures", get(door::pages::figures))
}

/// This domain's JSON operations.
pub fn api() -> Api<AppState> {
    Api::new()
        .routes(routes!(calendar::api::calendar, calendar::api::save))
        .routes(routes!(calendar::api::exception_put, calendar::api::exception_delete))
        .routes(routes!(calendar::api::slots))
        .routes(routes!(reservation::api::index, reservation::api::create))
        .routes(routes!(reservation::api::show, reservation::api::change))
        .routes(routes!(reservation::api::cancel))
        .routes(routes!(reservation::api::watch))
        .routes(routes!(door::api::admit))
        .routes(routes!(door::api::figures))
}
