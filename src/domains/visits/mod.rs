//! Delegation visits (外事接待): counterpart organisations, requests and the
//! visit lifecycle, members, the itinerary in the center's rooms, the plan
//! checklist, protocol (seating, name cards, gifts), outcomes and figures.

pub mod gift;
pub mod itinerary;
pub mod member;
pub mod model;
pub mod organisation;
pub mod outcome;
pub mod records;
pub mod task;
pub mod views;
pub mod visit;

use axum::routing::{get, post};
use utoipa_axum::routes;

use crate::state::AppState;
use crate::web::routes::{Api, Pages};

/// This domain's pages (HTML, files, feeds).
pub fn pages() -> Pages<AppState> {
    Pages::new()
        .route("/visit-request", get(visit::pages::request_form).post(visit::pages::request_submit))
        .route("/visit-request/done", get(visit::pages::request_done))
        .route("/visits", get(visit::pages::index).post(visit::pages::create))
        .route("/visits/new", get(visit::pages::new))
        .route("/visits/figures", get(visit::pages::figures))
        .route("/visits/{id}", get(visit::pages::show))
        .route("/visits/{id}/transition", post(visit::pages::transition))
        .route("/visits/{id}/edit", post(visit::pages::edit))
        .route("/visits/{id}/members", post(member::pages::member_add))
        .route("/visits/{id}/members/{member}", post(member::pages::member_update))
        .route("/visits/{id}/members/{member}/delete", post(member::pages::member_delete))
        .route("/visits/{id}/items", post(itinerary::pages::item_add))
        .route("/visits/{id}/tasks", post(task::pages::task_add))
        .route("/visits/{id}/outcomes", post(outcome::pages::outcome_add))
        .route("/visits/{id}/gifts", post(gift::pages::give_gift))
        .route("/visits/{id}/itinerary", get(itinerary::pages::itinerary_print))
        .route("/visits/{id}/itinerary.ics", get(itinerary::pages::itinerary_ics))
        .route("/visits/tasks/{id}/status", post(task::pages::task_status))
        .route("/visits/outcomes/{id}", post(outcome::pages::outcome_update))
        .route("/visits/items/{id}", get(itinerary::pages::item_show))
        .route("/visits/items/{id}/status", post(itinerary::pages::item_status))
        .route("/visits/items/{id}/interpreters", post(itinerary::pages::item_assign))
        .route("/visits/items/{id}/seating", post(itinerary::pages::item_seating))
        .route("/visits/items/{id}/cards", get(itinerary::pages::name_cards))
        .route("/visits/assignments/{id}/cancel", post(itinerary::pages::assignment_cancel))
        .route(
            "/organisations/{id}",
            get(organisation::pages::organisation).post(organisation::pages::organisation_update),
        )
        .route("/gifts", get(gift::pages::gifts).post(gift::pages::gift_create))
        .route("/gifts/{id}/stock", post(gift::pages::gift_stock))
}

/// This domain's JSON operations, each documented by its `#[utoipa::path]`.
pub fn api() -> Api<AppState> {
    Api::new()
        .routes(routes!(visit::api::requests_create))
        .routes(routes!(visit::api::visits_index, visit::api::visits_create))
        .routes(routes!(visit::api::visits_show, visit::api::visits_update))
        .routes(routes!(visit::api::visits_transition))
        .routes(routes!(member::api::members_index, member::api::members_create))
        .routes(routes!(member::api::members_delete, member::api::members_update))
        .routes(routes!(itinerary::api::items_index, itinerary::api::items_create))
        .routes(routes!(task::api::tasks_create))
        .routes(routes!(outcome::api::outcomes_create))
        .routes(routes!(itinerary::api::items_transition))
        .routes(routes!(itinerary::api::items_assign))
        .routes(routes!(itinerary::api::items_suggestions))
        .routes(routes!(itinerary::api::items_seating))
        .routes(routes!(itinerary::api::items_seating_suggested))
        .routes(routes!(task::api::tasks_transition))
        .routes(routes!(outcome::api::outcomes_index))
        .routes(routes!(outcome::api::outcomes_update))
        .routes(routes!(gift::api::gifts_index, gift::api::gifts_create))
        .routes(routes!(gift::api::gifts_move))
        .routes(routes!(organisation::api::organisations_index))
        .routes(routes!(
            organisation::api::organisations_show,
            organisation::api::organisations_update
        ))
        .routes(routes!(visit::api::figures_show))
        .routes(routes!(visit::api::countries_index))
}
