//! Interpreter rules and transactions. Every assignment write takes the
//! interpreter's turn first (a guarded UPDATE of the interpreter row), then
//! looks for overlapping live assignments and unavailability, then inserts —
//! so no interpreter is ever in two places at once, whatever the concurrency.

use serde_json::json;

use super::model::{AssignmentStatus, Candidate, rank};
use super::store::{self, NewAssignment};
pub use super::store::{Assignment, Interpreter, MAX_ITEM_MS, Unavailability};
use crate::audit::Who;
use crate::auth::{CurrentUser, Role};
use crate::clock::Instant;
use crate::db::new_id;
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n::Bilingual;
use crate::notify;
use crate::reference::languages::{language_tag, primary_language};
use crate::state::AppState;
use crate::time::Span;
use crate::write::Write;

use crate::time::DAY_MS;

/// The whole roster, for the pages that show or pick from it (the API
/// pages it, filtered by language in SQL: [`list_page`]).
pub async fn list(state: &AppState, center_id: &str) -> AppResult<Vec<Interpreter>> {
    Ok(store::interpreters(&state.db, center_id).await?)
}

/// The most languages one roster query may name.
pub const MAX_FILTER_LANGUAGES: usize = 3;

/// A page of the roster by id, of interpreters working in all `languages`
/// (at most three; the primary subtag matches, `en` for `en-GB`).
pub async fn list_page(
    state: &AppState,
    center_id: &str,
    languages: &[String],
    after_id: &str,
    limit: i64,
) -> AppResult<Vec<Interpreter>> {
    if languages.len() > MAX_FILTER_LANGUAGES {
        return Err(AppError::invalid("languages", "interpreter-filter-too-many"));
    }
    let primaries: Vec<&str> = languages.iter().map(|l| primary_language(l)).collect();
    Ok(store::interpreters_page(&state.db, center_id, &primaries, after_id, limit).await?)
}

pub async fn get(state: &AppState, center_id: &str, id: &str) -> AppResult<Interpreter> {
    store::interpreter(&state.db, id)
        .await?
        .filter(|i| i.center_id == center_id)
        .ok_or(AppError::NotFound)
}

/// The interpreter record of the signed-in user, if they have one.
pub async fn of_user(state: &AppState, user: &CurrentUser) -> AppResult<Option<Interpreter>> {
    Ok(store::interpreter_by_user(&state.db, &user.id).await?)
}

/// The interpreter record of a user, by the user's id.
pub async fn of_user_id(state: &AppState, user_id: &str) -> AppResult<Option<Interpreter>> {
    Ok(store::interpreter_by_user(&state.db, user_id).await?)
}

/// Reads `en:3, fr:2` (tag and optional level 1–3, default 2).
pub fn parse_languages(text: &str) -> Result<Vec<(String, i64)>, FieldError> {
    let mut out: Vec<(String, i64)> = vec![];
    for part in text.split([',', ';', '\n']).map(str::trim).filter(|p| !p.is_empty()) {
        let (tag, level) = match part.split_once(':') {
            Some((t, l)) => (
                t,
                l.trim()
                    .parse::<i64>()
                    .map_err(|_| FieldError::new("languages", "interp-level-invalid"))?,
            ),
            None => (part, 2),
        };
        let tag = language_tag(tag)
            .ok_or_else(|| FieldError::new("languages", "field-invalid-language"))?;
        if !(1..=3).contains(&level) {
            return Err(FieldError::new("languages", "interp-level-invalid"));
        }
        if primary_language(&tag) == "zh" {
            // Chinese is the other side of every pair.
            continue;
        }
        out.retain(|(t, _)| *t != tag);
        out.push((tag, level));
    }
    if out.is_empty() {
        return Err(FieldError::new("languages", "field-required"));
    }
    Ok(out)
}

/// Makes a user an interpreter (or updates their languages).
pub async fn save(
    state: &AppState,
    who: &Who,
    center_id: &str,
    user_id: &str,
    languages: Vec<(String, i64)>,
    notes: &str,
    active: bool,
) -> AppResult<Interpreter> {
    let user = crate::domains::accounts::service::user_in(state, center_id, user_id).await?;
    if !matches!(user.role, Role::Interpreter | Role::Staff | Role::Admin) {
        return Err(AppError::invalid("user_id", "interp-user-role"));
    }
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    store::save_interpreter(
        &mut tx,
        &new_id(),
        center_id,
        user_id,
        &languages,
        notes.trim(),
        active,
        now,
    )
    .await?;
    tx.audit(
        Some(center_id),
        "interpreter",
        user_id,
        "save",
        json!({"user": user.email, "languages": languages, "active": active}),
    )
    .await?;
    tx.commit().await?;
    store::interpreter_by_user(&state.db, user_id).await?.ok_or(AppError::NotFound)
}

pub async fn add_unavailability(
    state: &AppState,
    who: &Who,
    interpreter: &Interpreter,
    span: Span,
    reason: &str,
) -> AppResult<()> {
    if span.end <= span.start {
        return Err(AppError::invalid("ends_at", "field-end-before-start"));
    }
    let now = state.clock.now();
    let id = new_id();
    let mut tx = Write::begin(state, who).await?;
    store::lock_interpreter(&mut tx, &interpreter.id).await?;
    store::insert_unavailability(&mut tx, &id, &interpreter.id, span, reason.trim(), now).await?;
    tx.audit(
        Some(&interpreter.center_id),
        "interpreter",
        &interpreter.id,
        "unavailable",
        json!({"starts_at": span.start, "ends_at": span.end, "reason": reason.trim()}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove_unavailability(
    state: &AppState,
    who: &Who,
    interpreter: &Interpreter,
    id: &str,
) -> AppResult<()> {
    let _now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    if !store::delete_unavailability(&mut tx, &interpreter.id, id).await? {
        return Err(AppError::NotFound);
    }
    tx.audit(
        Some(&interpreter.center_id),
        "interpreter",
        &interpreter.id,
        "available",
        json!({"removed": id}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn unavailability(
    state: &AppState,
    interpreter: &Interpreter,
) -> AppResult<Vec<Unavailability>> {
    let from = state.clock.now().millis() - 30 * DAY_MS;
    Ok(store::unavailability(&state.db, &interpreter.id, from).await?)
}

/// What an assignment is for: an itinerary item, told by the visits slice.
pub struct ItemRef<'a> {
    pub id: &'a str,
    /// `itinerary` or `meeting`.
    pub kind: &'a str,
    pub center_id: &'a str,
    pub span: Span,
    pub title: &'a Bilingual,
    pub link: String,
}

/// Offers an item to an interpreter for a language. 409 with the clashing
/// assignments and unavailability when they are not free then.
pub async fn assign(
    state: &AppState,
    who: &Who,
    by: &CurrentUser,
    item: &ItemRef<'_>,
    interpreter_id: &str,
    language: &str,
) -> AppResult<Assignment> {
    let language = language_tag(language)
        .ok_or_else(|| AppError::invalid("language", "field-invalid-language"))?;
    let interpreter = get(state, item.center_id, interpreter_id)
        .await
        .map_err(|_| AppError::invalid("interpreter_id", "interp-unknown"))?;
    if !interpreter.active {
        return Err(AppError::invalid("interpreter_id", "interp-inactive"));
    }
    let primary = primary_language(&language);
    if !interpreter.languages.iter().any(|(t, _)| primary_language(t) == primary) {
        return Err(AppError::invalid("language", "interp-not-qualified"));
    }
    if item.span.end - item.span.start > MAX_ITEM_MS {
        return Err(AppError::invalid("ends_at", "item-too-long"));
    }
    let tz = crate::domains::centers::service::tz(state, item.center_id).await?;
    let now = state.clock.now();
    let id = new_id();
    let mut tx = Write::begin(state, who).await?;
    if !store::lock_interpreter(&mut tx, &interpreter.id).await? {
        return Err(AppError::NotFound);
    }
    let clashes = store::live_overlapping(&mut tx, &interpreter.id, item.span).await?;
    let away = store::unavailable_overlapping(&mut **tx, &interpreter.id, item.span).await?;
    if !clashes.is_empty() || !away.is_empty() {
        tx.rollback().await?;
        let mut conflicts: Vec<serde_json::Value> = clashes
            .iter()
            .map(|a| {
                json!({"kind": "assignment", "assignment_id": a.id, "item_id": a.item_id,
                       "starts_at": Instant(a.span.start).rfc3339_in(&tz), "ends_at": Instant(a.span.end).rfc3339_in(&tz)})
            })
            .collect();
        conflicts.extend(away.iter().map(|u| {
            json!({"kind": "unavailable", "starts_at": Instant(u.span.start).rfc3339_in(&tz),
                   "ends_at": Instant(u.span.end).rfc3339_in(&tz), "reason": u.reason})
        }));
        return Err(AppError::Conflict {
            key: "interp-conflict",
            conflicts: json!({"conflicts": conflicts}),
        });
    }
    let new = NewAssignment {
        id: &id,
        center_id: item.center_id,
        interpreter_id: &interpreter.id,
        item_id: item.id,
        item_kind: item.kind,
        title: item.title,
        language: &language,
        span: item.span,
        created_by: Some(&by.id),
    };
    store::insert_assignment(&mut tx, &new, now).await?;
    tx.audit(
        Some(item.center_id),
        "interpreter_assignment",
        &id,
        "offer",
        json!({"interpreter": interpreter.name, "item": item.id, "language": language}),
    )
    .await?;
    let when = Instant(item.span.start).display_in(&tz);
    let message = notify::Message {
        kind: "assignment_offered".into(),
        subject_id: id.clone(),
        key: "notify-assignment-offered".into(),
        args: vec![
            ("title".into(), item.title.clone()),
            ("when".into(), Bilingual::new(when.clone(), when)),
            ("language".into(), Bilingual::new(language.clone(), language.clone())),
        ],
        reason: String::new(),
        link: "/interpreting/mine".into(),
    };
    tx.notify(&interpreter.user_id, &message).await?;
    tx.commit().await?;
    store::assignment(&state.db, &id).await?.ok_or(AppError::NotFound)
}

/// One ranked suggestion.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Suggestion {
    pub interpreter_id: String,
    pub name: String,
    /// The tag they hold that matched.
    pub language: String,
    /// 3 senior, 2 intermediate, 1 junior.
    pub level: i64,
    /// Live assignments in the four weeks around the item.
    pub workload: i64,
}

/// Who is free at `span` and works in `language`, best first.
pub async fn suggestions(
    state: &AppState,
    center_id: &str,
    span: Span,
    language: &str,
) -> AppResult<Vec<Suggestion>> {
    let language = language_tag(language)
        .ok_or_else(|| AppError::invalid("language", "field-invalid-language"))?;
    let qualified = store::qualified(&state.db, center_id, primary_language(&language)).await?;
    if qualified.is_empty() {
        return Ok(vec![]);
    }
    let busy = store::busy(&state.db, center_id, span).await?;
    let window = Span::new(span.start - 14 * DAY_MS, span.start + 14 * DAY_MS);
    let load = store::workload(&state.db, center_id, window).await?;
    let mut candidates: Vec<Candidate> = vec![];
    for (id, name, tag, level) in qualified {
        // One interpreter may hold en and en-GB: keep their best match.
        if let Some(c) = candidates.iter_mut().find(|c| c.interpreter_id == id) {
            if tag == language || level > c.level {
                c.tag = tag;
                c.level = level;
            }
            continue;
        }
        candidates.push(Candidate {
            busy: busy.contains(&id),
            workload: load.iter().find(|(i, _)| *i == id).map(|(_, n)| *n).unwrap_or(0),
            interpreter_id: id,
            name,
            tag,
            level,
        });
    }
    Ok(rank(&language, candidates)
        .into_iter()
        .map(|c| Suggestion {
            interpreter_id: c.interpreter_id,
            name: c.name,
            language: c.tag,
            level: c.level,
            workload: c.workload,
        })
        .collect())
}

pub async fn assignment_in(state: &AppState, center_id: &str, id: &str) -> AppResult<Assignment> {
    store::assignment(&state.db, id)
        .await?
        .filter(|a| a.center_id == center_id)
        .ok_or(AppError::NotFound)
}

/// Offers not yet accepted or declined, for work still to come.
pub async fn unanswered(
    state: &AppState,
    center_id: &str,
    from: Instant,
    limit: i64,
) -> AppResult<Vec<Assignment>> {
    Ok(store::unanswered(&state.db, center_id, from.millis(), limit).await?)
}

pub async fn for_items(state: &AppState, item_ids: &[String]) -> AppResult<Vec<Assignment>> {
    Ok(store::for_items(&state.db, item_ids).await?)
}

/// The interpreter's assignments from a month ago on.
pub async fn for_interpreter(
    state: &AppState,
    interpreter: &Interpreter,
) -> AppResult<Vec<Assignment>> {
    let from = state.clock.now().millis() - 30 * DAY_MS;
    Ok(store::for_interpreter(&state.db, &interpreter.id, from).await?)
}

/// A page of [`for_interpreter`], by start.
pub async fn for_interpreter_page(
    state: &AppState,
    interpreter: &Interpreter,
    after: &(i64, String),
    limit: i64,
) -> AppResult<Vec<Assignment>> {
    let from = state.clock.now().millis() - 30 * DAY_MS;
    Ok(store::for_interpreter_page(&state.db, &interpreter.id, from, after, limit).await?)
}

/// Accept or decline (the interpreter), or cancel (staff). A decline needs a
/// reason; the staff who offered it are told.
pub async fn decide(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    assignment_id: &str,
    to: AssignmentStatus,
    reason: &str,
) -> AppResult<Assignment> {
    let center_id = user.center_id.clone().ok_or(AppError::Forbidden)?;
    let a = assignment_in(state, &center_id, assignment_id).await?;
    let own = a.interpreter_user_id == user.id;
    let staff = matches!(user.role, Role::Admin | Role::Staff);
    let allowed = match to {
        AssignmentStatus::Accepted | AssignmentStatus::Declined => own,
        AssignmentStatus::Cancelled => staff,
        AssignmentStatus::Offered => false,
    };
    if !allowed {
        return Err(AppError::Forbidden);
    }
    if to == AssignmentStatus::Declined && reason.trim().is_empty() {
        return Err(AppError::invalid("reason", "interp-reason-required"));
    }
    let illegal = || AppError::Conflict {
        key: "interp-illegal-transition",
        conflicts: json!({"from": a.status.code(), "to": to.code()}),
    };
    if !a.status.can_become(to) {
        return Err(illegal());
    }
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    store::lock_interpreter(&mut tx, &a.interpreter_id).await?;
    if !store::set_status(&mut tx, &a.id, a.status, to, reason.trim(), now).await? {
        tx.rollback().await?;
        return Err(illegal());
    }
    tx.audit(
        Some(&center_id),
        "interpreter_assignment",
        &a.id,
        to.code(),
        json!({"from": a.status.code(), "to": to.code(), "reason": reason.trim()}),
    )
    .await?;
    if to == AssignmentStatus::Declined
        && let Some(offered_by) = store::offered_by(&state.db, &a.id).await?
    {
        let message = notify::Message {
            kind: "assignment_declined".into(),
            subject_id: a.id.clone(),
            key: "notify-assignment-declined".into(),
            args: vec![(
                "name".into(),
                Bilingual::new(a.interpreter_name.clone(), a.interpreter_name.clone()),
            )],
            reason: reason.trim().to_string(),
            link: format!("/visits/items/{}", a.item_id),
        };
        tx.notify(&offered_by, &message).await?;
    }
    tx.commit().await?;
    assignment_in(state, &center_id, assignment_id).await
}

/// Releases the interpreters of a cancelled item, in the caller's transaction.
pub async fn release_item(tx: &mut crate::db::Tx, item_id: &str, now: Instant) -> AppResult<()> {
    store::cancel_for_item(tx, item_id, now).await?;
    Ok(())
}
