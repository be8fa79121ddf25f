//! The OpenAPI document of `/api/v1`, generated from the handlers' and
//! views' annotations. Every API handler must be listed here; a test checks
//! the document against the route table.

use std::sync::OnceLock;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::domains::{accounts, audit_log, centers, venues};

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
    ),
    components(schemas(Problem, FieldProblem)),
    modifiers(&BearerAuth),
    tags(
        (name = "system", description = "Liveness"),
        (name = "accounts", description = "The caller and the users of a center"),
        (name = "centers", description = "Centers and their functional zones"),
        (name = "audit", description = "The audit log"),
        (name = "venues", description = "Rooms, availability and bookings"),
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
