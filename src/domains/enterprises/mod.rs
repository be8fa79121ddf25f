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

use utoipa_axum::routes;

use crate::state::AppState;
use crate::web::routes::{Api, Pages};

/// This domain's pages.
pub fn pages() -> Pages<AppState> {
    Pages::new()
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
