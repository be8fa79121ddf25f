//! Glossary terms: who may add, approve, change and remove them, and the
//! official seed. Anyone who reads the glossary may propose a term; the
//! center's translators (`Perm::ManageGlossary`) decide what is approved.

use serde_json::json;

use super::store;
pub use super::store::Stored;
use crate::audit::Who;
use crate::auth::{CurrentUser, Perm, allows};
use crate::db::{new_id, unique_violation};
use crate::domains::glossary::model::{Term, TermInput, TermStatus, seed as official_terms};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::throttle;
use crate::write::Write;

/// The key of the lock that queues the glossary's writers per center: the
/// checker's full run, and removing a term its findings point at.
pub const LOCK: &str = "glossary";

/// Whether the user may approve, change and remove terms.
pub fn may_manage(user: &CurrentUser) -> bool {
    allows(Some(user.role), Perm::ManageGlossary)
}

/// Approved and deprecated terms: what the checker reads.
pub async fn checked(state: &AppState, center_id: &str) -> AppResult<Vec<Term>> {
    Ok(store::checked(&state.db, center_id).await?)
}

/// The checked terms, read inside a write.
pub async fn checked_in(w: &mut Write, center_id: &str) -> AppResult<Vec<Term>> {
    Ok(store::checked_in(w, center_id).await?)
}

pub async fn page(
    state: &AppState,
    center_id: &str,
    status: Option<TermStatus>,
    words: &str,
    after_id: &str,
    limit: i64,
) -> AppResult<Vec<Stored>> {
    crate::validate::search_words(words)?;
    Ok(store::page(&state.db, center_id, status, words, after_id, limit).await?)
}

pub async fn get(state: &AppState, center_id: &str, id: &str) -> AppResult<Stored> {
    store::get(&state.db, center_id, id).await?.ok_or(AppError::NotFound)
}

pub async fn count(state: &AppState, center_id: &str) -> AppResult<i64> {
    Ok(store::count(&state.db, center_id).await?)
}

fn taken(e: sqlx::Error) -> AppError {
    match unique_violation(&e, store::UNIQUE) {
        Some(_) => AppError::invalid("en", "glossary-term-taken"),
        None => e.into(),
    }
}

/// Adds a term. Without `ManageGlossary` only a proposal (403 otherwise).
pub async fn create(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    center_id: &str,
    input: TermInput,
) -> AppResult<Stored> {
    if input.status != TermStatus::Proposed && !may_manage(user) {
        return Err(AppError::Forbidden);
    }
    let id = new_id();
    let mut w = Write::begin(state, who).await?;
    let now = w.now();
    store::insert(&mut w, &id, center_id, &input, now, false).await.map_err(taken)?;
    w.audit(Some(center_id), "glossary_term", &id, "create", json!({"zh": input.zh, "en": input.en, "status": input.status.code(), "variants": input.variants}))
        .await?;
    w.commit().await?;
    get(state, center_id, &id).await
}

/// Changes a term (its pair, status, variants, source, notes).
pub async fn update(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    center_id: &str,
    id: &str,
    input: TermInput,
) -> AppResult<Stored> {
    if !may_manage(user) {
        return Err(AppError::Forbidden);
    }
    let before = get(state, center_id, id).await?;
    let mut w = Write::begin(state, who).await?;
    let now = w.now();
    store::update(&mut w, id, &input, now).await.map_err(taken)?;
    w.audit(Some(center_id), "glossary_term", id, "update", json!({
        "before": {"zh": before.term.zh, "en": before.term.en, "status": before.term.status.code(), "variants": before.term.variants},
        "after": {"zh": input.zh, "en": input.en, "status": input.status.code(), "variants": input.variants},
    }))
    .await?;
    w.commit().await?;
    get(state, center_id, id).await
}

/// Removes a term and its findings (deprecating keeps it as a warning).
pub async fn delete(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    center_id: &str,
    id: &str,
) -> AppResult<()> {
    if !may_manage(user) {
        return Err(AppError::Forbidden);
    }
    let before = get(state, center_id, id).await?;
    let mut w = Write::begin(state, who).await?;
    let now = w.now();
    throttle::lock(&mut w, LOCK, center_id, now).await?;
    store::delete(&mut w, id).await?;
    w.audit(
        Some(center_id),
        "glossary_term",
        id,
        "delete",
        json!({"zh": before.term.zh, "en": before.term.en}),
    )
    .await?;
    w.commit().await?;
    Ok(())
}

/// Adds the official terms the center lacks (`seed.tsv`); how many were added.
pub async fn seed(state: &AppState, who: &Who, center_id: &str) -> AppResult<usize> {
    let mut w = Write::begin(state, who).await?;
    let now = w.now();
    let mut added = 0;
    for t in official_terms() {
        if store::insert(&mut w, &new_id(), center_id, &t, now, true).await? {
            added += 1;
        }
    }
    if added > 0 {
        w.audit(Some(center_id), "glossary_term", center_id, "seed", json!({"added": added}))
            .await?;
    }
    w.commit().await?;
    Ok(added)
}
