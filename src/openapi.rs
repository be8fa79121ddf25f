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
        (name = "glossary", description = "Official Chinese-English terms, the checker of bilingual texts, its findings and fixes"),
        (name = "signage", description = "The sign registry: bilingual signs at their places, their review and audit walk"),
        (name = "enterprises", description = "Enterprise services: settled enterprises, the service catalogue, requests with documents, messages and SLA clocks, the R&D white list, figures and webhooks"),
        (name = "news", description = "Articles in Chinese and English: drafts, the editorial workflow, revisions and their diff, the published articles"),
        (name = "hall", description = "The exhibition hall: opening calendar, slots, reservations, the door and its figures"),
        (name = "matchmaking", description = "One-to-one meetings at events: setup, profiles with offers and needs, catalogue, requests, scheduling, agendas, attendance, outcomes"),
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

/// Completes the document with what every operation can answer besides its
/// own successes, as the server really answers it: malformed input (400),
/// no or bad credentials (401), not found (404, also "no such center"),
/// invalid fields (422); with a bearer scheme, not allowed (403); with a
/// body, too large (413) and not JSON (415); writes, a conflict with the
/// current state (409) and too many attempts (429). Every 4xx is
/// `application/problem+json` (a `Problem`, or the operation's own schema).
pub fn complete(doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let Ok(mut v) = serde_json::to_value(&doc) else { return doc };
    if let Some(paths) = v.get_mut("paths").and_then(|p| p.as_object_mut()) {
        for item in paths.values_mut() {
            let Some(item) = item.as_object_mut() else { continue };
            for (method, op) in item.iter_mut() {
                complete_operation(method, op);
                for p in
                    op.get_mut("parameters").and_then(|p| p.as_array_mut()).into_iter().flatten()
                {
                    let name = p["name"].as_str().unwrap_or_default().to_string();
                    if let Some(schema) = p.get_mut("schema") {
                        constrain(&name, schema, true);
                    }
                }
            }
        }
    }
    link_creations(&mut v);
    if let Some(schemas) = v.pointer_mut("/components/schemas").and_then(|s| s.as_object_mut()) {
        for schema in schemas.values_mut() {
            for (name, property) in
                schema.get_mut("properties").and_then(|p| p.as_object_mut()).into_iter().flatten()
            {
                constrain(name, property, false);
            }
        }
    }
    // A schema utoipa cannot read back would drop every completion: fail
    // loudly (the API tests build the document) rather than serve less.
    match serde_path_to_error::deserialize::<_, utoipa::openapi::OpenApi>(v) {
        Ok(done) => done,
        Err(e) => {
            tracing::error!(at = %e.path(), error = %e, "the completed API document does not read back");
            doc
        }
    }
}

/// Links each creating operation (POST answering 201) to the operations
/// that read or act on what it made: those whose path is the creating path
/// plus one `{parameter}`, or `/api/v1/<resource>/{parameter}…` for the
/// resource the 201's `Location` names; the parameter is the created `id`.
fn link_creations(v: &mut serde_json::Value) {
    use serde_json::json;
    let Some(paths) = v.get("paths").and_then(|p| p.as_object()) else { return };
    let mut links: Vec<(String, String, serde_json::Value)> = vec![];
    for (path, item) in paths {
        if item.pointer("/post/responses/201").is_none() {
            continue;
        }
        let mut made = serde_json::Map::new();
        // The creating path's own parameters pass through from its request.
        let inherited: Vec<&str> =
            path.split('{').skip(1).filter_map(|p| p.split_once('}').map(|(n, _)| n)).collect();
        let resource = path.rsplit('/').next().unwrap_or_default();
        // A nested creation (`/visits/{id}/outcomes`) makes what the top-level
        // paths of that name act on (`/outcomes/{id}`), unless the top level
        // creates its own kind (`/interpreters` vs `/itinerary-items/{id}/interpreters`).
        let top = format!("/api/v1/{resource}");
        let top = if paths.get(&top).is_some_and(|t| t.get("post").is_some()) {
            path.clone()
        } else {
            top
        };
        for (other, other_item) in paths {
            let rest = other
                .strip_prefix(path.as_str())
                .or_else(|| other.strip_prefix(top.as_str()).filter(|_| top != *path))
                .and_then(|r| r.strip_prefix("/{"));
            let Some(rest) = rest else { continue };
            let Some((param, tail)) = rest.split_once('}') else { continue };
            if tail.contains('{') {
                continue;
            }
            let mut parameters = serde_json::Map::new();
            if other.starts_with(path.as_str()) {
                for name in &inherited {
                    parameters.insert((*name).into(), json!(format!("$request.path.{name}")));
                }
            }
            parameters.insert(param.into(), json!("$response.body#/id"));
            for (method, op) in other_item.as_object().into_iter().flatten() {
                let Some(id) = op["operationId"].as_str() else { continue };
                let name = format!("{method}_{}", id);
                made.insert(
                    name,
                    json!({"operationId": id, "parameters": parameters.clone(),
                           "description": format!("{} {other} of what this made", method.to_uppercase())}),
                );
            }
        }
        if !made.is_empty() {
            links.push((path.clone(), "201".into(), serde_json::Value::Object(made)));
        }
    }
    for (path, code, made) in links {
        if let Some(r) = v.pointer_mut(&format!(
            "/paths/{}/post/responses/{code}",
            path.replace('~', "~0").replace('/', "~1")
        )) {
            r["links"] = made;
        }
    }
}

/// An instant as the API reads it: RFC 3339 with an offset, in 1900–2199.
const INSTANT: &str = r"^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,9})?)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$";
/// A day (`YYYY-MM-DD`, 1900–2199), or empty where the field is optional.
const DAY: &str = r"^$|^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$";
/// A BCP 47 tag as `reference::languages` reads it.
const LANGUAGE: &str = r"^[A-Za-z]{2,3}([-_][A-Za-z]{4})?([-_]([A-Za-z]{2}|[0-9]{3}))?$";
/// An e-mail address as `validate::looks_like_email` reads it.
const EMAIL: &str = r"^[^@\s]+@[^@\s.][^@\s]*\.[^@\s]*[^@\s.]$";

/// The request constraints every domain shares, by the field's name (the
/// API names them alike everywhere): instants, days, countries (the
/// reviewed ISO 3166-1 table), BCP 47 languages, e-mail addresses.
fn constrain(name: &str, schema: &mut serde_json::Value, in_query: bool) {
    use serde_json::json;
    let is_string = |s: &serde_json::Value| {
        s["type"] == "string" || s["type"].as_array().is_some_and(|t| t.contains(&json!("string")))
    };
    if name == "languages" && schema["type"] == "array" {
        if let Some(items) = schema.get_mut("items").filter(|i| is_string(i)) {
            items["pattern"] = json!(LANGUAGE);
        }
        return;
    }
    if !is_string(schema) || schema.get("enum").is_some() || schema.get("pattern").is_some() {
        return;
    }
    let pattern = match name {
        "starts_at" | "ends_at" | "at" => INSTANT.to_string(),
        "from" | "to" | "as_of" if in_query => format!("{DAY}|{INSTANT}"),
        n if n.ends_with("_on") || n.starts_with("preferred_") || n == "retention_until" => {
            DAY.to_string()
        }
        "language" => LANGUAGE.to_string(),
        "email" | "contact_email" => format!("^$|{EMAIL}"),
        // A filter may name any code (it finds nothing); a record needs a known one.
        "country" if !in_query => {
            let mut codes = vec![json!("")];
            codes.extend(crate::reference::countries::countries().iter().map(|c| json!(c.code)));
            schema["enum"] = json!(codes);
            return;
        }
        _ => return,
    };
    schema["pattern"] = json!(pattern);
    if name.ends_with("email") {
        schema["maxLength"] = json!(254);
    }
}

fn complete_operation(method: &str, op: &mut serde_json::Value) {
    use serde_json::json;
    let secured = op.get("security").and_then(|s| s.as_array()).is_some_and(|s| !s.is_empty());
    let has_body = op.get("requestBody").is_some();
    let writes = matches!(method, "post" | "put" | "patch" | "delete");
    let mut codes = vec![
        ("400", "The request is malformed (not JSON, a parameter of the wrong type)."),
        ("401", "Not signed in, or the bearer token is not valid."),
        ("404", "No such resource (or not one the caller may see)."),
        ("422", "Invalid fields: `errors` names each with a message."),
    ];
    if secured {
        codes.push(("403", "The caller's role may not do this."));
    }
    if has_body {
        codes.push(("413", "The body is too large."));
        codes.push(("415", "The body is not `application/json`."));
    }
    if writes {
        codes.push(("409", "Refused by the current state (a conflict, an illegal transition)."));
        codes.push((
            "429",
            "Too many attempts from this address; `Retry-After` says when to retry.",
        ));
    }
    let problem = json!({"schema": {"$ref": "#/components/schemas/Problem"}});
    let Some(responses) = op.get_mut("responses").and_then(|r| r.as_object_mut()) else { return };
    for (code, description) in codes {
        responses.entry(code).or_insert_with(|| json!({"description": description}));
    }
    for (code, response) in responses.iter_mut() {
        if !code.starts_with('4') {
            continue;
        }
        let Some(r) = response.as_object_mut() else { continue };
        let schema = r
            .get("content")
            .and_then(|c| c.as_object())
            .and_then(|c| c.values().next())
            .cloned()
            .unwrap_or_else(|| problem.clone());
        r.insert("content".into(), json!({"application/problem+json": schema}));
        r.entry("description").or_insert_with(|| json!("Refused."));
    }
}

/// Operations the document says need a bearer token: their (method, path).
#[derive(Debug, Default)]
pub struct Protected(std::collections::HashSet<(String, String)>);

impl Protected {
    /// Operations whose every security alternative names a scheme (none is
    /// the empty requirement that lets anonymous callers in).
    pub fn of(doc: &utoipa::openapi::OpenApi) -> Protected {
        let Ok(v) = serde_json::to_value(doc) else { return Protected::default() };
        let mut set = std::collections::HashSet::new();
        for (path, item) in v["paths"].as_object().into_iter().flatten() {
            for (method, op) in item.as_object().into_iter().flatten() {
                let alternatives = op["security"].as_array();
                if alternatives.is_some_and(|a| {
                    !a.is_empty() && a.iter().all(|r| r.as_object().is_some_and(|o| !o.is_empty()))
                }) {
                    set.insert((method.to_ascii_uppercase(), path.clone()));
                }
            }
        }
        Protected(set)
    }

    pub fn contains(&self, method: &str, path: &str) -> bool {
        self.0.contains(&(method.to_string(), path.to_string()))
    }
}

/// Answers 401 to an anonymous call of a protected operation before its
/// handler reads the body: no credentials is the first thing wrong.
pub async fn refuse_anonymous(
    axum::extract::State(protected): axum::extract::State<std::sync::Arc<Protected>>,
    matched: Option<axum::extract::MatchedPath>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let anonymous =
        req.extensions().get::<crate::web::ReqCtx>().is_none_or(|ctx| ctx.actor.user().is_none());
    if anonymous
        && let Some(m) = matched
        && protected.contains(req.method().as_str(), m.as_str())
    {
        return crate::error::AppError::Unauthorized.into_response();
    }
    next.run(req).await
}
