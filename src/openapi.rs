//! The parts of the OpenAPI document of `/api/v1` that belong to no domain:
//! the description of the conventions, the tags, the problem schema and the
//! bearer scheme. The operations come from the domains' routes (see
//! `web::routes::Api`), merged into this base by the router.

use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

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

/// The base document the domains' operations are merged into.
pub fn base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// `GET /api/v1/openapi.json`: the document the router was built with.
pub fn serve<S: Clone + Send + Sync + 'static>(
    doc: &utoipa::openapi::OpenApi,
) -> axum::routing::MethodRouter<S> {
    let json: std::sync::Arc<str> = doc.to_json().unwrap_or_else(|_| "{}".into()).into();
    axum::routing::get(move || {
        let json = json.clone();
        async move {
            let mut r = json.to_string().into_response();
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            r
        }
    })
}
