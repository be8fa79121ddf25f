//! What every HTML form shares: the pairs it sent (repeated keys kept), the
//! errors to show beside its fields, and the page shown again after a
//! refused submission — 422 for invalid input, 409 for a conflict with the
//! state of things — with what was typed still in it.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::page::{PageCtx, render};
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n::Lang;

/// Form or query pairs, keeping repeated keys (checkboxes).
pub struct Pairs(pub Vec<(String, String)>);

impl Pairs {
    pub fn get(&self, k: &str) -> String {
        self.0
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    }

    /// The first value exactly as sent (not trimmed): for limits counted on
    /// what was typed, as the API document counts them.
    pub fn raw_one(&self, k: &str) -> String {
        self.0.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()).unwrap_or_default()
    }

    /// Every value of a repeated key, blanks kept (columns of a table form).
    pub fn raw(&self, k: &str) -> Vec<String> {
        self.0.iter().filter(|(key, _)| key == k).map(|(_, v)| v.trim().to_string()).collect()
    }

    /// A list picked with checkboxes named `k` plus a free `{k}_other`
    /// field, as one comma-separated value (the language picker).
    pub fn joined(&self, k: &str) -> String {
        let mut all = self.all(k);
        all.extend(self.all(&format!("{k}_other")));
        all.join(", ")
    }

    pub fn all(&self, k: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(key, _)| key == k)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect()
    }
}

/// An option of a select: its value and its words in the reader's
/// language (the other's when this one has none).
pub struct Choice {
    pub id: String,
    pub label: String,
}

impl Choice {
    pub fn pick(id: String, zh: &str, en: &str, lang: Lang) -> Choice {
        Choice { label: lang.pick_either(zh, en).to_string(), id }
    }
}

/// A form's state when shown again: the values sent and what was wrong.
#[derive(Default)]
pub struct FormErrors(pub Vec<FieldError>);

impl FormErrors {
    /// The translated message for `field`, or empty.
    pub fn get(&self, ctx: &PageCtx, field: &str) -> String {
        self.0.iter().find(|e| e.field == field).map(|e| ctx.lang().message(e)).unwrap_or_default()
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field == field)
    }

    pub fn any(&self) -> bool {
        !self.0.is_empty()
    }
}

/// Why a submission was refused, as the form shows it: the status, the
/// field errors (422) or an alert in the reader's language (409). Any other
/// error is not the form's to show, and is handed back.
pub fn refusal(e: AppError, lang: Lang) -> Result<(StatusCode, FormErrors, String), AppError> {
    match e {
        AppError::Invalid(errors) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, FormErrors(errors), String::new()))
        }
        AppError::Conflict { key, conflicts } => {
            Ok((StatusCode::CONFLICT, FormErrors::default(), lang.conflict(key, &conflicts)))
        }
        other => Err(other),
    }
}

/// The page shown again with `status` (422 or 409).
pub fn again<T: Template>(status: StatusCode, page: &T) -> AppResult<Response> {
    Ok((status, render(page)?).into_response())
}
