//! One error type for the whole application, with two audiences: the user
//! gets a localized page or an `application/problem+json` body (rendered by
//! `web::errors`, which knows the request's language), the operator gets the
//! cause in the log, once. Nothing here knows a handler or a template.

use std::sync::Arc;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// An invalid field: its name in the request, a Fluent key for the message
/// and the values the message names ("the room's 40 seats"), each as
/// (name, Chinese, English), so a limit is said where it bites. The message
/// is put together by `i18n::Lang::message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub key: String,
    pub args: Vec<(&'static str, String, String)>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, key: impl Into<String>) -> FieldError {
        FieldError { field: field.into(), key: key.into(), args: vec![] }
    }

    /// The message names `value` as `{ $name }`, the same in both languages.
    pub fn with(mut self, name: &'static str, value: impl ToString) -> FieldError {
        let v = value.to_string();
        self.args.push((name, v.clone(), v));
        self
    }

    /// The message names a value that reads differently in each language.
    pub fn with_words(mut self, name: &'static str, zh: String, en: String) -> FieldError {
        self.args.push((name, zh, en));
        self
    }
}

#[derive(Debug, Clone)]
pub enum AppError {
    /// 400: the request could not be read at all (malformed body, path or query).
    BadRequest { field: Option<String> },
    /// 422: readable but invalid; one entry per field.
    Invalid(Vec<FieldError>),
    /// 401: no or bad credentials.
    Unauthorized,
    /// 403: known caller, not allowed.
    Forbidden,
    /// 403: a state-changing request without a valid CSRF token.
    Csrf,
    /// 404.
    NotFound,
    /// 409: conflicts with existing state; `key` says how, `conflicts` lists what.
    Conflict { key: &'static str, conflicts: serde_json::Value },
    /// 429 with `Retry-After`.
    TooManyRequests { retry_after_secs: i64 },
    /// 500: the cause is logged, never shown.
    Internal(String),
}

impl AppError {
    pub fn invalid(field: &str, key: &str) -> AppError {
        AppError::Invalid(vec![FieldError::new(field, key)])
    }

    pub fn internal(cause: impl std::fmt::Display) -> AppError {
        AppError::Internal(cause.to_string())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable problem slug: part of the `type` URI and of the Fluent key
    /// `problem-<slug>` that titles it.
    pub fn slug(&self) -> &'static str {
        match self {
            AppError::BadRequest { .. } => "bad-request",
            AppError::Invalid(_) => "validation",
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden => "forbidden",
            AppError::Csrf => "csrf",
            AppError::NotFound => "not-found",
            AppError::Conflict { .. } => "conflict",
            AppError::TooManyRequests { .. } => "too-many-requests",
            AppError::Internal(_) => "internal",
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> AppError {
        AppError::Internal(format!("database: {e}"))
    }
}

/// Carried in the response's extensions until `web::errors` renders it.
#[derive(Clone)]
pub struct ErrorMarker(pub Arc<AppError>);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(cause) = &self {
            tracing::error!(%cause, "internal error");
        }
        let mut response = self.status().into_response();
        if let AppError::TooManyRequests { retry_after_secs } = &self
            && let Ok(v) = HeaderValue::from_str(&retry_after_secs.max(&1).to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response.extensions_mut().insert(ErrorMarker(Arc::new(self)));
        response
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// Refuses a text longer than the API document says (`maxLength`), in characters.
pub fn at_most(field: &str, value: &str, max: usize) -> Result<(), AppError> {
    if value.chars().count() > max {
        Err(AppError::invalid(field, "field-too-long"))
    } else {
        Ok(())
    }
}

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> AppError {
        AppError::Invalid(vec![e])
    }
}
