//! Matchmaking: one-to-one meetings at an event — bilingual profiles with
//! offers and needs, a catalogue and suggestions, meeting requests,
//! a schedule of tables and slots that never gives one person or one table
//! two meetings at once, agendas and table cards, attendance on the day,
//! outcomes and figures.

pub mod figures;
pub mod meeting;
pub mod model;
pub mod profile;
pub mod setup;
pub mod views;

use axum::routing::{get, post};
use utoipa_axum::routes;

use crate::state::AppState;
use crate::web::routes::{Api, Pages};

/// This domain's pages.
pub fn pages() -> Pages<AppState> {
    Pages::new()
        .route("/events/{id}/matchmaking", get(setup::pages::show).post(setup::pages::save))
        .route("/events/{id}/matchmaking/schedule", post(setup::pages::schedule))
        .route(
            "/events/{id}/matchmaking/meetings",
            get(meeting::staff::index).post(meeting::staff::book),
        )
        .route("/events/{id}/matchmaking/meetings/{mid}/{action}", post(meeting::staff::act))
        .route("/events/{id}/matchmaking/tables", get(meeting::staff::tables))
        .route("/events/{id}/matchmaking/day", get(meeting::staff::day))
        .route("/events/{id}/matchmaking/figures", get(figures::pages::figures))
        .route("/tickets/{token}/meet/{pid}", get(meeting::pages::me))
        .route("/tickets/{token}/meet/{pid}/agenda.ics", get(meeting::pages::agenda_ics))
        .route(
            "/tickets/{token}/meet/{pid}/profile",
            get(profile::pages::profile_form).post(profile::pages::profile_submit),
        )
        .route("/tickets/{token}/meet/{pid}/people", get(profile::pages::people))
        .route(
            "/tickets/{token}/meet/{pid}/people/{other}",
            get(profile::pages::person).post(profile::pages::ask),
        )
        .route("/tickets/{token}/meet/{pid}/meetings/{mid}/{action}", post(meeting::pages::act))
}

/// This domain's JSON operations.
pub fn api() -> Api<AppState> {
    Api::new()
        .routes(routes!(setup::api::show, setup::api::save))
        .routes(routes!(meeting::api::event_meetings, meeting::api::book))
        .routes(routes!(meeting::api::staff_cancel))
        .routes(routes!(meeting::api::attendance))
        .routes(routes!(meeting::api::interpreter))
        .routes(routes!(meeting::api::move_meeting))
        .routes(routes!(meeting::api::schedule))
        .routes(routes!(figures::api::figures))
        .routes(routes!(profile::api::show, profile::api::save))
        .routes(routes!(profile::api::catalogue))
        .routes(routes!(profile::api::suggestions))
        .routes(routes!(meeting::api::mine, meeting::api::request))
        .routes(routes!(meeting::api::agenda))
        .routes(routes!(meeting::api::accept))
        .routes(routes!(meeting::api::decline))
        .routes(routes!(meeting::api::cancel))
        .routes(routes!(meeting::api::outcome))
}
