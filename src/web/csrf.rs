//! Cross-site request forgery defence: a synchronizer token (the session's,
//! or for anonymous visitors a random token in an HttpOnly cookie) that every
//! state-changing form or htmx request sends back, plus a same-origin check
//! on `Origin` and `Sec-Fetch-Site`. Requests authenticated by a bearer token
//! carry no ambient credentials and are exempt, and so is the anonymous JSON
//! API (no cookie, nothing to forge).

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, Method, header};

use super::{ReqCtx, cookies};
use crate::auth::secret;
use crate::error::AppError;

/// The form field and header that carry the token.
pub const FIELD: &str = "csrf_token";
pub const HEADER: &str = "x-csrf-token";

/// Largest form body read while looking for the token.
const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;
/// The largest form with a picture.
const MAX_UPLOAD_BYTES: usize = crate::web::extract::Upload::MAX_FILE + 512 * 1024;

pub fn needs_check(method: &Method, ctx: &ReqCtx, by_bearer: bool, headers: &HeaderMap) -> bool {
    let unsafe_method = !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    if !unsafe_method || by_bearer {
        return false;
    }
    let has_session = cookies::get(headers, cookies::SESSION).is_some();
    !ctx.is_api || has_session
}

fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        return false;
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
        let origin_host = origin.split_once("://").map_or("", |(_, h)| h);
        if origin == "null" || origin_host != host {
            return false;
        }
    }
    true
}

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

/// Checks the token and hands back the request (with its body restored).
pub async fn verify(req: Request, ctx: &ReqCtx) -> Result<Request, AppError> {
    if !same_origin(req.headers()) || ctx.csrf_token.is_empty() {
        return Err(AppError::Csrf);
    }
    let from_header = req.headers().get(HEADER).and_then(|v| v.to_str().ok()).map(str::to_string);
    if let Some(sent) = from_header {
        return if secret::same(&sent, &ctx.csrf_token) { Ok(req) } else { Err(AppError::Csrf) };
    }
    let boundary = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| multer::parse_boundary(v).ok());
    if !is_form(req.headers()) && boundary.is_none() {
        return Err(AppError::Csrf);
    }
    // Nobody uploads without signing in: an anonymous multipart body is not
    // read at all.
    if boundary.is_some() && ctx.actor.user().is_none() {
        return Err(AppError::Csrf);
    }
    // A form with a picture is read whole here (up to the picture's limit):
    // its token is one of its fields.
    let limit = if boundary.is_some() { MAX_UPLOAD_BYTES } else { MAX_FORM_BYTES };
    let (parts, body) = req.into_parts();
    let bytes = to_bytes(body, limit).await.map_err(|_| AppError::BadRequest { field: None })?;
    let sent = match boundary {
        Some(b) => multipart_field(bytes.clone(), b, FIELD).await,
        None => form_urlencoded_field(&bytes, FIELD),
    };
    match sent {
        Some(s) if secret::same(&s, &ctx.csrf_token) => {
            Ok(Request::from_parts(parts, Body::from(bytes)))
        }
        _ => Err(AppError::Csrf),
    }
}

/// The first text field `name` of a multipart body.
async fn multipart_field(body: axum::body::Bytes, boundary: String, name: &str) -> Option<String> {
    let mut form = multer::Multipart::new(Body::from(body).into_data_stream(), boundary);
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some(name) {
            return field.text().await.ok();
        }
    }
    None
}

fn form_urlencoded_field(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn cross_site_requests_are_not_same_origin() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("center.example:8080"));
        assert!(same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("http://center.example:8080"));
        assert!(same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("https://evil.example"));
        assert!(!same_origin(&h));
        h.remove(header::ORIGIN);
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(!same_origin(&h));
    }

    #[test]
    fn finds_the_token_in_a_form() {
        assert_eq!(form_urlencoded_field(b"a=1&csrf_token=xyz", FIELD).as_deref(), Some("xyz"));
        assert_eq!(form_urlencoded_field(b"a=1", FIELD), None);
        assert_eq!(form_urlencoded_field(b"%%%", FIELD), None);
    }
}
