//! The OpenAPI document of `/api/v1`, generated from the handlers' and
//! views' annotations. Every API handler must be listed here; a test checks
//! the document against the route table.

use std::sync::OnceLock;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::domains::{accounts, audit_log, centers, events, interpreting, venues, visits};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Liaison API",
        version = "1",
        description = "JSON API of Liaison (联络), which runs an International Exchange Center. \
Conventions: snake_case JSON; instants in RFC 3339 with offset; bilingual text as `<field>_zh` / \
`<field>_en`; lists are `{\"items\": [...], \"next_cursor\": ...}`; errors are \
`application/problem+json` with a stable `type`, a `title` in the request's language \
(`?lang=` or `Accept-Language`) and `errors: [{field, message}]` for 422."
    ),
    paths(
        crate::app::healthz,
        accounts::handlers::api_me,
        accounts::handlers::api_users,
        accounts::handlers::api_users_create,
        accounts::handlers::api_user_show,
        centers::handlers::api_zones,
        centers::handlers::api_zone_update,
        audit_log::handlers::api_index,
        venues::api::rooms_index,
        venues::api::rooms_create,
        venues::api::rooms_show,
        venues::api::rooms_update,
        venues::api::availability,
        venues::api::bookings_index,
        venues::api::bookings_create,
        venues::api::bookings_show,
        venues::api::bookings_update,
        venues::api::bookings_cancel,
        venues::api::bookings_approve,
        venues::api::bookings_reject,
        visits::api::requests_create,
        visits::api::visits_index,
        visits::api::visits_create,
        visits::api::visits_show,
        visits::api::visits_update,
        visits::api::visits_transition,
        visits::api::members_index,
        visits::api::members_create,
        visits::api::members_delete,
        visits::api::items_index,
        visits::api::items_create,
        visits::api::items_transition,
        visits::api::items_assign,
        visits::api::items_suggestions,
        visits::api::items_seating,
        visits::api::tasks_create,
        visits::api::tasks_transition,
        visits::api::outcomes_create,
        visits::api::outcomes_index,
        visits::api::outcomes_update,
        visits::api::gifts_index,
        visits::api::gifts_create,
        visits::api::gifts_move,
        visits::api::organisations_index,
        visits::api::organisations_show,
        visits::api::organisations_update,
        visits::api::figures_show,
        visits::api::countries_index,
        interpreting::api::index,
        interpreting::api::save,
        interpreting::api::unavailability_create,
        interpreting::api::mine,
        interpreting::api::accept,
        interpreting::api::decline,
        interpreting::api::cancel,
        events::api::index,
        events::api::show,
        events::api::create,
        events::api::transition,
        events::api::capacity,
        events::api::update,
        events::api::register,
        events::api::registrations,
        events::api::attendance,
        events::api::tickets,
        events::api::registration_show,
        events::api::registration_cancel,
        events::api::registration_approve,
        events::api::registration_reject,
        events::api::checkin,
        events::api::checkin_undo,
    ),
    components(schemas(Problem, FieldProblem)),
    modifiers(&BearerAuth),
    tags(
        (name = "system", description = "Liveness"),
        (name = "accounts", description = "The caller and the users of a center"),
        (name = "centers", description = "Centers and their functional zones"),
        (name = "audit", description = "The audit log"),
        (name = "venues", description = "Rooms, availability and bookings"),
        (name = "visits", description = "Delegation visits: requests, members, itinerary, protocol, outcomes, figures"),
        (name = "events", description = "Events, registration, waiting lists, tickets and check-in"),
        (name = "interpreting", description = "Interpreters, their languages, unavailability and assignments"),
    )
)]
pub struct ApiDoc;

/// An error body (RFC 9457).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// Stable identifier, e.g. `/problems/validation`.
    pub r#type: String,
    /// Short description in the request's language.
    pub title: String,
    pub status: u16,
    /// For 422: one entry per invalid field.
    pub errors: Option<Vec<FieldProblem>>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components
            .add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

/// The document, built once.
pub fn document() -> &'static str {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| ApiDoc::openapi().to_json().unwrap_or_else(|_| "{}".into()))
}

pub async fn openapi_json() -> Response {
    let mut r = document().into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}
