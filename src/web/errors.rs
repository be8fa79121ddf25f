//! Turns an [`AppError`] into what the caller reads: a localized HTML page,
//! or `application/problem+json` (RFC 9457) under `/api/`.

use askama::Template;
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;

use super::{PageCtx, ReqCtx};
use crate::error::AppError;

/// The stable `type` of a problem.
pub fn problem_type(slug: &str) -> String {
    format!("/problems/{slug}")
}

#[derive(Template)]
#[template(path = "errors/error.html")]
struct ErrorPage {
    ctx: PageCtx,
    status: u16,
    title: String,
    message: String,
    fields: Vec<(String, String)>,
}

pub fn render(ctx: &ReqCtx, error: AppError) -> Response {
    if matches!(error, AppError::Unauthorized) && !ctx.is_api {
        return login_redirect(ctx);
    }
    let status = error.status();
    let lang = ctx.lang;
    let title = lang.t(&format!("problem-{}", error.slug()));
    let fields: Vec<(String, String)> = match &error {
        AppError::Invalid(errs) => {
            errs.iter().map(|e| (e.field.clone(), lang.message(e))).collect()
        }
        AppError::BadRequest { field: Some(f) } => vec![(f.clone(), lang.t("field-unreadable"))],
        _ => vec![],
    };
    let mut response = if ctx.is_api {
        let mut body = json!({
            "type": problem_type(error.slug()),
            "title": title,
            "status": status.as_u16(),
        });
        if !fields.is_empty() {
            body["errors"] = fields
                .iter()
                .map(|(field, message)| json!({"field": field, "message": message}))
                .collect();
        }
        if let AppError::Conflict { key, conflicts } = &error {
            body["detail"] = json!(lang.conflict(key, conflicts));
            // An object carries several lists (`conflicts`, `alternatives`, …).
            match conflicts {
                serde_json::Value::Object(parts) => {
                    for (k, v) in parts {
                        // The problem's own members are never overwritten.
                        let k = match k.as_str() {
                            "type" | "title" | "status" | "detail" | "instance" | "errors" => {
                                format!("conflict_{k}")
                            }
                            _ => k.clone(),
                        };
                        body[k.as_str()] = v.clone();
                    }
                }
                other => body["conflicts"] = other.clone(),
            }
        }
        if let AppError::TooManyRequests { retry_after_secs } = &error {
            body["retry_after"] = json!(retry_after_secs);
        }
        let mut r = (status, body.to_string()).into_response();
        r.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        r
    } else {
        let message = match &error {
            AppError::Conflict { key, conflicts } => lang.conflict(key, conflicts),
            _ => lang.t(&format!("problem-{}-detail", error.slug())),
        };
        let page = ErrorPage {
            ctx: PageCtx(ctx.clone()),
            status: status.as_u16(),
            title,
            message,
            fields,
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(e) => {
                tracing::error!(error = %e, "error page failed to render");
                (status, lang.t("problem-internal")).into_response()
            }
        }
    };
    if let AppError::TooManyRequests { retry_after_secs } = &error
        && let Ok(v) = HeaderValue::from_str(&retry_after_secs.max(&1).to_string())
    {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
    response
}

/// Pages that need a login send the public to it, and back afterwards.
fn login_redirect(ctx: &ReqCtx) -> Response {
    let mut next = ctx.path.clone();
    if !ctx.query.is_empty() {
        next.push('?');
        next.push_str(&ctx.query);
    }
    let target =
        format!("/login?{}", serde_urlencoded::to_string([("next", next)]).unwrap_or_default());
    axum::response::Redirect::to(&target).into_response()
}
