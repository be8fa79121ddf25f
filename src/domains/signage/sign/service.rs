//! Signs: staff and translators (`Perm::ManageSigns`) register and word
//! them; a translator (`Perm::ManageGlossary`) reviews the English against
//! the standard and the glossary; staff install them and walk the center to
//! tick or flag each. Every save is checked against the glossary; every
//! step is audited.

use serde_json::json;

use super::store;
pub use super::store::{Filter, Sign};
use crate::audit::Who;
use crate::auth::{CurrentUser, Perm, allows};
use crate::bilingual::Place;
use crate::db::{new_id, next_reference};
use crate::domains::centers::service as centers;
use crate::domains::glossary::finding::service as glossary;
use crate::domains::signage::model::{MAX_NOTE, SignInput, SignStep};
use crate::domains::venues::room::service as rooms;
use crate::error::{AppError, AppResult, FieldError};
use crate::state::AppState;
use crate::write::Write;

pub fn may_step(user: &CurrentUser, step: SignStep) -> bool {
    allows(Some(user.role), Perm::ManageSigns)
        && (!step.needs_translator() || allows(Some(user.role), Perm::ManageGlossary))
}

pub async fn get(state: &AppState, center_id: &str, id: &str) -> AppResult<Sign> {
    store::get(&state.db, center_id, id).await?.ok_or(AppError::NotFound)
}

pub async fn page(
    state: &AppState,
    center_id: &str,
    f: &Filter,
    after_id: &str,
    limit: i64,
) -> AppResult<Vec<Sign>> {
    Ok(store::page(&state.db, center_id, f, after_id, limit).await?)
}

/// The zone and room must be the center's own.
async fn check_place(state: &AppState, center_id: &str, s: &SignInput) -> AppResult<()> {
    let mut errors = vec![];
    if let Some(z) = &s.zone_id
        && !centers::zones(state, center_id).await?.iter().any(|x| &x.id == z)
    {
        errors.push(FieldError::new("zone_id", "field-invalid-choice"));
    }
    if let Some(r) = &s.room_id
        && !rooms::rooms(state, center_id).await?.iter().any(|x| &x.id == r)
    {
        errors.push(FieldError::new("room_id", "field-invalid-choice"));
    }
    if errors.is_empty() { Ok(()) } else { Err(AppError::Invalid(errors)) }
}

pub async fn create(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    center_id: &str,
    input: SignInput,
) -> AppResult<Sign> {
    if !allows(Some(user.role), Perm::ManageSigns) {
        return Err(AppError::Forbidden);
    }
    check_place(state, center_id, &input).await?;
    let checker = glossary::checker(state, center_id).await?;
    let tz = centers::tz(state, center_id).await?;
    let mut w = Write::begin(state, who).await?;
    let now = w.now();
    let year = crate::time::year_of(now.millis(), &tz).unwrap_or(2026);
    let reference = next_reference(&mut w, center_id, "SG", year).await?;
    let id = new_id();
    store::insert(&mut w, &id, center_id, &reference, &input, now.millis()).await?;
    w.audit(
        Some(center_id),
        "sign",
        &id,
        "create",
        json!({"reference": reference, "zh": input.text_zh, "en": input.text_en}),
    )
    .await?;
    glossary::recheck(&mut w, &checker, center_id, Place::Sign, &id).await?;
    w.commit().await?;
    get(state, center_id, &id).await
}

/// Saves an edit made on `version`; only a draft or a translated sign
/// changes its wording (409 otherwise, with its status).
pub async fn update(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    center_id: &str,
    id: &str,
    version: i64,
    input: SignInput,
) -> AppResult<Sign> {
    if !allows(Some(user.role), Perm::ManageSigns) {
        return Err(AppError::Forbidden);
    }
    check_place(state, center_id, &input).await?;
    let checker = glossary::checker(state, center_id).await?;
    let mut w = Write::begin(state, who).await?;
    let now = w.now().millis();
    let before = store::get_in(&mut w, center_id, id).await?.ok_or(AppError::NotFound)?;
    if !before.status.editable() {
        return Err(AppError::Conflict {
            key: "sign-not-editable",
            conflicts: json!({"current_status": before.status.code()}),
        });
    }
    if !store::update(&mut w, id, version, before.status, &input, now).await? {
        return Err(AppError::Conflict {
            key: "news-saved-meanwhile",
            conflicts: json!({"version": before.version}),
        });
    }
    w.audit(
        Some(center_id),
        "sign",
        id,
        "update",
        json!({
            "before": {"zh": before.text_zh, "en": before.text_en},
            "after": {"zh": input.text_zh, "en": input.text_en},
        }),
    )
    .await?;
    glossary::recheck(&mut w, &checker, center_id, Place::Sign, id).await?;
    w.commit().await?;
    get(state, center_id, id).await
}

/// Keeps a photo of the sign as it hangs (the audit walk's, or any time).
pub async fn set_photo(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    center_id: &str,
    id: &str,
    picture: crate::images::Picture,
) -> AppResult<Sign> {
    if !allows(Some(user.role), Perm::ManageSigns) {
        return Err(AppError::Forbidden);
    }
    let mut w = Write::begin(state, who).await?;
    let now = w.now().millis();
    store::get_in(&mut w, center_id, id).await?.ok_or(AppError::NotFound)?;
    store::set_photo(&mut w, id, &picture.key, now).await?;
    w.audit(Some(center_id), "sign", id, "photo", json!({"photo": picture.key})).await?;
    w.commit().await?;
    get(state, center_id, id).await
}

/// Takes a step: 409 with the possible ones when it cannot be taken from
/// the sign's status; translating needs the English, flagging a finding.
pub async fn take_step(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    center_id: &str,
    id: &str,
    step: SignStep,
    finding: &str,
) -> AppResult<Sign> {
    if !may_step(user, step) {
        return Err(AppError::Forbidden);
    }
    let finding = finding.trim();
    if finding.chars().count() > MAX_NOTE || finding.chars().any(|c| c.is_control() && c != '\n') {
        return Err(AppError::invalid("finding", "field-invalid"));
    }
    let mut w = Write::begin(state, who).await?;
    let now = w.now().millis();
    let s = store::get_in(&mut w, center_id, id).await?.ok_or(AppError::NotFound)?;
    let Some(to) = step.from(s.status) else {
        let allowed: Vec<&str> = s.status.steps().iter().map(|x| x.code()).collect();
        return Err(AppError::Conflict {
            key: "sign-step-not-allowed",
            conflicts: json!({"current_status": s.status.code(), "allowed_steps": allowed}),
        });
    };
    if step == SignStep::Translate && s.text_en.is_empty() {
        return Err(AppError::invalid("text_en", "sign-english-needed"));
    }
    if step == SignStep::Flag && finding.is_empty() {
        return Err(AppError::invalid("finding", "sign-finding-needed"));
    }
    let (kept, audited) = match step {
        SignStep::Flag => (finding, Some(now)),
        SignStep::Pass => ("", Some(now)),
        SignStep::Redraft => (s.finding.as_str(), None),
        _ => ("", None),
    };
    if !store::step(&mut w, id, s.status, to, kept, audited, now).await? {
        return Err(AppError::Conflict {
            key: "sign-step-not-allowed",
            conflicts: json!({"current_status": s.status.code(), "allowed_steps": []}),
        });
    }
    w.audit(
        Some(center_id),
        "sign",
        id,
        step.code(),
        json!({"from": s.status.code(), "to": to.code(), "finding": finding}),
    )
    .await?;
    w.commit().await?;
    get(state, center_id, id).await
}
