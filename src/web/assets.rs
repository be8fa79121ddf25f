//! Static files, compiled into the binary so one file is the whole product.
//! Front-end libraries come from npm (pinned) and are copied into `static/`
//! with their licences; nothing is ever loaded from another origin.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::extract::Path;
use crate::error::AppError;

/// (name, content type, bytes).
const FILES: &[(&str, &str, &[u8])] = &[
    ("app.css", "text/css; charset=utf-8", include_bytes!("../../static/app.css")),
    ("calendar.css", "text/css; charset=utf-8", include_bytes!("../../static/calendar.css")),
    // Print-ready signs (`/signs/sheet`).
    ("signs.css", "text/css; charset=utf-8", include_bytes!("../../static/signs.css")),
    ("app.js", "text/javascript; charset=utf-8", include_bytes!("../../static/app.js")),
    ("checkin.js", "text/javascript; charset=utf-8", include_bytes!("../../static/checkin.js")),
    ("htmx.min.js", "text/javascript; charset=utf-8", include_bytes!("../../static/htmx.min.js")),
    (
        "htmx.LICENSE.txt",
        "text/plain; charset=utf-8",
        include_bytes!("../../static/htmx.LICENSE.txt"),
    ),
    // The check-in page's QR decoder where the browser has no BarcodeDetector.
    ("jsqr.js", "text/javascript; charset=utf-8", include_bytes!("../../static/jsqr.js")),
    (
        "jsqr.LICENSE.txt",
        "text/plain; charset=utf-8",
        include_bytes!("../../static/jsqr.LICENSE.txt"),
    ),
    ("favicon.svg", "image/svg+xml", include_bytes!("../../static/favicon.svg")),
];

/// Appended to asset URLs so a new release is fetched afresh.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub async fn serve(Path(name): Path<String>) -> Response {
    match FILES.iter().find(|(n, _, _)| *n == name) {
        Some((_, content_type, bytes)) => {
            let mut r = (StatusCode::OK, *bytes).into_response();
            let h = r.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
            r
        }
        None => AppError::NotFound.into_response(),
    }
}
