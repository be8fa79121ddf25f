//! Enterprise services: the settled enterprises and their people, the
//! service catalogue (versioned forms, checklists, SLAs), requests with
//! their lifecycle, items, documents, messages and SLA clocks, the R&D
//! white list and its ledger, figures, and webhooks.
//!
//! Resources depend one way: company ← catalogue ← whitelist ← request ←
//! document; figures and hook read through the services.

pub mod catalogue;
pub mod company;
pub mod document;
pub mod figures;
pub mod hook;
pub mod model;
pub mod request;
pub mod whitelist;

use axum::routing::{get, post};
use utoipa_axum::routes;

use crate::state::AppState;
use crate::web::routes::{Api, Pages};

/// This domain's pages.
pub fn pages() -> Pages<AppState> {
    Pages::new()
        .route("/services", get(request::pages::home))
        .route("/services/queue", get(request::pages::queue))
        .route(
            "/services/new/{type_id}",
            get(request::pages::new_form).post(request::pages::create),
        )
        .route("/services/requests/{id}", get(request::pages::show))
        .route(
            "/services/requests/{id}/edit",
            get(request::pages::edit_form).post(request::pages::update),
        )
        .route("/services/requests/{id}/move", post(request::pages::take_move))
        .route("/services/requests/{id}/messages", post(request::pages::post_message))
        .route("/services/requests/{id}/officer", post(request::pages::assign))
        .route("/services/requests/{id}/documents", post(request::pages::upload))
        .route("/services/documents/{id}", get(request::pages::download))
        .route("/services/enterprises", get(company::pages::index).post(company::pages::create))
        .route("/services/enterprises/{id}", get(company::pages::show).post(company::pages::update))
        .route("/services/enterprises/{id}/members", post(company::pages::add_member))
        .route(
            "/services/enterprises/{id}/members/{user_id}/remove",
            post(company::pages::remove_member),
        )
        .route("/services/catalogue", get(catalogue::pages::index))
        .route(
            "/services/catalogue/{id}",
            get(catalogue::pages::edit).post(catalogue::pages::save_type),
        )
        .route("/services/catalogue/{id}/form", post(catalogue::pages::save_form))
        .route(
            "/services/calendar",
            get(catalogue::pages::calendar).post(catalogue::pages::set_day),
        )
        .route("/services/calendar/{day}/remove", post(catalogue::pages::remove_day))
        .route("/services/whitelist", get(whitelist::pages::index))
        .route("/services/whitelist/{id}", get(whitelist::pages::show))
        .route("/services/whitelist/{id}/usage", post(whitelist::pages::record))
        .route("/services/figures", get(figures::pages::figures))
        .route("/services/webhooks", get(hook::pages::index).post(hook::pages::create))
        .route("/services/webhooks/{id}/remove", post(hook::pages::remove))
        .route("/services/webhooks/deliveries/{id}/redeliver", post(hook::pages::redeliver))
}

/// This domain's JSON operations.
pub fn api() -> Api<AppState> {
    Api::new()
        .routes(routes!(company::api::index, company::api::create))
        .routes(routes!(company::api::show, company::api::update))
        .routes(routes!(company::api::members, company::api::add_member))
        .routes(routes!(company::api::remove_member))
        .routes(routes!(catalogue::api::index))
        .routes(routes!(catalogue::api::show, catalogue::api::update))
        .routes(routes!(catalogue::api::form))
        .routes(routes!(catalogue::api::save_form))
        .routes(routes!(catalogue::api::categories))
        .routes(routes!(catalogue::api::days, catalogue::api::set_day))
        .routes(routes!(catalogue::api::remove_day))
        .routes(routes!(request::api::index, request::api::create))
        .routes(routes!(request::api::show, request::api::update))
        .routes(routes!(request::api::take_move))
        .routes(routes!(request::api::steps))
        .routes(routes!(request::api::messages, request::api::post_message))
        .routes(routes!(request::api::assign))
        .routes(routes!(document::api::index, document::api::upload))
        .routes(routes!(document::api::content))
        .routes(routes!(whitelist::api::index))
        .routes(routes!(whitelist::api::show))
        .routes(routes!(whitelist::api::record))
        .routes(routes!(figures::api::figures))
        .routes(routes!(hook::api::index, hook::api::create))
        .routes(routes!(hook::api::remove))
        .routes(routes!(hook::api::deliveries))
        .routes(routes!(hook::api::redeliver))
}
