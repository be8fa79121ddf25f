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
    let (parts, body) = req.into_parts();
    let (sent, body) = match boundary {
        // A multipart form's token is its first field: only the bytes up to
        // its end are read here; the rest (a 50 MB document) streams on.
        Some(b) => multipart_token(body, &b).await?,
        None => {
            let bytes = to_bytes(body, MAX_FORM_BYTES)
                .await
                .map_err(|_| AppError::BadRequest { field: None })?;
            (form_urlencoded_field(&bytes, FIELD), Body::from(bytes))
        }
    };
    match sent {
        Some(s) if secret::same(&s, &ctx.csrf_token) => Ok(Request::from_parts(parts, body)),
        _ => Err(AppError::Csrf),
    }
}

/// The most read of a multipart body while looking for its first field.
const MAX_HEAD_BYTES: usize = 64 * 1024;

/// Reads a multipart body only as far as the end of its first field and
/// gives back that field's value when it is the token, and the whole body
/// again (what was read, then the rest of the stream).
async fn multipart_token(body: Body, boundary: &str) -> Result<(Option<String>, Body), AppError> {
    use futures_util::StreamExt;
    let mut stream = body.into_data_stream();
    let mut head = Vec::new();
    let token = loop {
        if let Some(decided) = first_field(&head, boundary) {
            break decided;
        }
        if head.len() > MAX_HEAD_BYTES {
            break None;
        }
        match stream.next().await {
            Some(Ok(chunk)) => head.extend_from_slice(&chunk),
            Some(Err(_)) => return Err(AppError::BadRequest { field: None }),
            None => break None,
        }
    };
    let first = futures_util::stream::once(async move { Ok(axum::body::Bytes::from(head)) });
    Ok((token, Body::from_stream(first.chain(stream))))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// `Some(Some(token))` when the body starts with the token field,
/// `Some(None)` when it starts with another, `None` while more is needed.
fn first_field(head: &[u8], boundary: &str) -> Option<Option<String>> {
    let open = format!("--{boundary}\r\n");
    if head.len() < open.len() {
        return None;
    }
    let Some(rest) = head.strip_prefix(open.as_bytes()) else { return Some(None) };
    let end_of_headers = find(rest, b"\r\n\r\n")?;
    let Ok(headers) = std::str::from_utf8(&rest[..end_of_headers]) else { return Some(None) };
    let is_token = headers.split("\r\n").any(|l| {
        l.to_ascii_lowercase().starts_with("content-disposition:")
            && l.contains(&format!("name=\"{FIELD}\""))
    });
    if !is_token {
        return Some(None);
    }
    let value = &rest[end_of_headers + 4..];
    let end = find(value, format!("\r\n--{boundary}").as_bytes())?;
    Some(String::from_utf8(value[..end].to_vec()).ok())
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
    fn a_multipart_token_is_read_from_the_first_field_only() {
        let b = "XyZ";
        let body =
            "--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nt0k\r\n--XyZ\r\n";
        assert_eq!(first_field(body.as_bytes(), b), Some(Some("t0k".into())));
        // Not all there yet: more is read.
        assert_eq!(first_field(&body.as_bytes()[..50], b), None);
        let other =
            "--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token2\"\r\n\r\nt0k\r\n--XyZ";
        assert_eq!(first_field(other.as_bytes(), b), Some(None));
        assert_eq!(first_field(b"garbage that is long enough", b), Some(None));
    }

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
