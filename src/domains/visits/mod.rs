//! Delegation visits (外事接待): counterpart organisations, requests and the
//! visit lifecycle, members, the itinerary in the center's rooms, the plan
//! checklist, protocol (seating, name cards, gifts), outcomes and figures.

pub mod api;
pub mod model;
pub mod pages;
pub mod records;
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
        .route("/visit-request", get(pages::request_form).post(pages::request_submit))
        .route("/visit-request/done", get(pages::request_done))
        .route("/visits", get(pages::index).post(pages::create))
        .route("/visits/new", get(pages::new))
        .route("/visits/figures", get(pages::figures))
        .route("/visits/{id}", get(pages::show))
        .route("/visits/{id}/transition", post(pages::transition))
        .route("/visits/{id}/edit", post(pages::edit))
        .route("/visits/{id}/members", post(pages::member_add))
        .route("/visits/{id}/members/{member}/delete", post(pages::member_delete))
        .route("/visits/{id}/items", post(pages::item_add))
        .route("/visits/{id}/tasks", post(pages::task_add))
        .route("/visits/{id}/outcomes", post(pages::outcome_add))
        .route("/visits/{id}/gifts", post(pages::give_gift))
        .route("/visits/{id}/itinerary", get(pages::itinerary_print))
        .route("/visits/{id}/itinerary.ics", get(pages::itinerary_ics))
        .route("/visits/tasks/{id}/status", post(pages::task_status))
        .route("/visits/outcomes/{id}", post(pages::outcome_update))
        .route("/visits/items/{id}", get(pages::item_show))
        .route("/visits/items/{id}/status", post(pages::item_status))
        .route("/visits/items/{id}/interpreters", post(pages::item_assign))
        .route("/visits/items/{id}/seating", post(pages::item_seating))
        .route("/visits/items/{id}/cards", get(pages::name_cards))
        .route("/visits/assignments/{id}/cancel", post(pages::assignment_cancel))
        .route("/organisations/{id}", get(pages::organisation).post(pages::organisation_update))
        .route("/gifts", get(pages::gifts).post(pages::gift_create))
        .route("/gifts/{id}/stock", post(pages::gift_stock))
}

/// This domain's JSON operations, each documented by its `#[utoipa::path]`.
pub fn api() -> Api<AppState> {
    Api::new()
        .routes(routes!(api::requests_create))
        .routes(routes!(api::visits_index, api::visits_create))
        .routes(routes!(api::visits_show, api::visits_update))
        .routes(routes!(api::visits_transition))
        .routes(routes!(api::members_index, api::members_create))
        .routes(routes!(api::members_delete))
        .routes(routes!(api::items_index, api::items_create))
        .routes(routes!(api::tasks_create))
        .routes(routes!(api::outcomes_create))
        .routes(routes!(api::items_transition))
        .routes(routes!(api::items_assign))
        .routes(routes!(api::items_suggestions))
        .routes(routes!(api::items_seating))
        .routes(routes!(api::items_seating_suggested))
        .routes(routes!(api::tasks_transition))
        .routes(routes!(api::outcomes_index))
        .routes(routes!(api::outcomes_update))
        .routes(routes!(api::gifts_index, api::gifts_create))
        .routes(routes!(api::gifts_move))
        .routes(routes!(api::organisations_index))
        .routes(routes!(api::organisations_show, api::organisations_update))
        .routes(routes!(api::figures_show))
        .routes(routes!(api::countries_index))
}
