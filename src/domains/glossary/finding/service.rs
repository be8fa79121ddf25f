//! The checker at work: a pair checked on demand, every bilingual text of
//! the center checked at once (the findings queue), one text re-checked
//! after a change, and a finding fixed in one click or dismissed.

use serde_json::json;

use super::store;
pub use super::store::Stored;
use crate::audit::Who;
use crate::auth::{CurrentUser, allows};
use crate::bilingual::{self, Place, Replaced, Text};
use crate::domains::glossary::model::{Checker, Finding, FindingKind, FindingStatus};
use crate::domains::glossary::term::service::{self as terms, LOCK};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::throttle;
use crate::write::Write;

/// Records read per query while checking everything.
const BATCH: i64 = 500;

/// The checker for the center's glossary as it is now.
pub async fn checker(state: &AppState, center_id: &str) -> AppResult<Checker> {
    Ok(Checker::new(&terms::checked(state, center_id).await?))
}

/// The longest text one on-demand check reads, in characters per side.
pub const MAX_CHECK_CHARS: usize = 20_000;

/// Checks one pair against the glossary (nothing is recorded).
pub async fn check_pair(
    state: &AppState,
    center_id: &str,
    zh: &str,
    en: &str,
) -> AppResult<Vec<Finding>> {
    let mut errors = vec![];
    for (field, text) in [("zh", zh), ("en", en)] {
        if text.chars().count() > MAX_CHECK_CHARS {
            errors.push(crate::error::FieldError::new(field, "field-too-long"));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    Ok(checker(state, center_id).await?.check(zh, en))
}

/// What a full check read and found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sweep {
    pub texts: usize,
    pub terms: usize,
    /// Open findings recorded (dismissed ones are not raised again).
    pub open: usize,
}

/// Checks every bilingual text of the center and replaces the open
/// findings with what it finds now. The texts are read first, page by page;
/// the findings are written in one write, under the glossary's lock, so two
/// runs at once leave one run's findings, never both.
pub async fn sweep(state: &AppState, who: &Who, center_id: &str) -> AppResult<Sweep> {
    let checker = checker(state, center_id).await?;
    let mut found: Vec<(Text, Vec<Finding>)> = vec![];
    let mut report = Sweep { terms: checker.len(), ..Sweep::default() };
    for &place in Place::ALL {
        let mut after = String::new();
        loop {
            let (texts, last) =
                bilingual::texts(&state.db, center_id, place, &after, BATCH).await?;
            for t in texts {
                report.texts += 1;
                let f = checker.check(&t.zh, &t.en);
                if !f.is_empty() {
                    found.push((t, f));
                }
            }
            match last {
                Some(id) => after = id,
                None => break,
            }
        }
    }
    let mut w = Write::begin(state, who).await?;
    let now = w.now();
    throttle::lock(&mut w, LOCK, center_id, now).await?;
    let dismissed = store::dismissed(&mut w, center_id, None).await?;
    store::clear_open(&mut w, center_id, None).await?;
    for (text, f) in &found {
        report.open += store::insert_open(&mut w, center_id, text, f, &dismissed, now).await?;
    }
    w.audit(
        Some(center_id),
        "glossary",
        center_id,
        "check",
        json!({"texts": report.texts, "terms": report.terms, "open": report.open}),
    )
    .await?;
    w.commit().await?;
    Ok(report)
}

/// Re-checks one text inside the caller's write (after a fix, or after the
/// record was saved) and replaces its open findings.
pub async fn refresh(
    w: &mut Write,
    checker: &Checker,
    center_id: &str,
    text: &Text,
) -> AppResult<usize> {
    let now = w.now();
    let dismissed = store::dismissed(w, center_id, Some(text)).await?;
    store::clear_open(w, center_id, Some(text)).await?;
    Ok(store::insert_open(w, center_id, text, &checker.check(&text.zh, &text.en), &dismissed, now)
        .await?)
}

/// Re-checks every text of one record inside the caller's write (the
/// record was just saved by its own domain); the number of open findings.
pub async fn recheck(
    w: &mut Write,
    checker: &Checker,
    center_id: &str,
    place: Place,
    record_id: &str,
) -> AppResult<usize> {
    let mut open = 0;
    for text in bilingual::record_texts(w, center_id, place, record_id).await? {
        open += refresh(w, checker, center_id, &text).await?;
    }
    Ok(open)
}

/// Re-checks a record just saved by its own domain, in that domain's write,
/// against the glossary as it is (read in the same write): the one line a
/// domain adds so the findings follow its texts.
pub async fn recheck_in(
    w: &mut Write,
    center_id: &str,
    place: Place,
    record_id: &str,
) -> AppResult<usize> {
    let checker = Checker::new(&terms::checked_in(w, center_id).await?);
    recheck(w, &checker, center_id, place, record_id).await
}

/// The open findings of one record (at most `limit`), for its edit page.
pub async fn open_of(
    state: &AppState,
    center_id: &str,
    place: Place,
    record_id: &str,
    limit: i64,
) -> AppResult<Vec<Stored>> {
    Ok(store::open_of(&state.db, center_id, place, record_id, limit).await?)
}

pub async fn page(
    state: &AppState,
    center_id: &str,
    status: FindingStatus,
    place: Option<Place>,
    kind: Option<FindingKind>,
    after_id: &str,
    limit: i64,
) -> AppResult<Vec<Stored>> {
    Ok(store::page(&state.db, center_id, status, place, kind, after_id, limit).await?)
}

pub async fn open_counts(state: &AppState, center_id: &str) -> AppResult<Vec<(FindingKind, i64)>> {
    Ok(store::open_counts(&state.db, center_id).await?)
}

/// Whether the user may change the text a finding is in.
pub fn may_fix(user: &CurrentUser, f: &Stored) -> bool {
    allows(Some(user.role), f.place.perm()) && f.finding.at.is_some()
}

fn not_open(f: &Stored) -> AppError {
    AppError::Conflict {
        key: "glossary-finding-not-open",
        conflicts: json!({"status": f.status.code()}),
    }
}

/// Applies a finding's fix to its text: the English is replaced only if it
/// still reads as when the finding was made (else 409: check again), the
/// finding becomes `fixed` once (a second click is 409), and the text is
/// re-checked so its other findings point at the right places.
pub async fn fix(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    center_id: &str,
    id: &str,
) -> AppResult<Stored> {
    let checker = checker(state, center_id).await?;
    let mut w = Write::begin(state, who).await?;
    let now = w.now();
    // Queued with full checks: a fix's re-check and a full check's
    // replacement of the open findings never interleave.
    throttle::lock(&mut w, LOCK, center_id, now).await?;
    let f = store::get(&mut w, center_id, id).await?.ok_or(AppError::NotFound)?;
    if !allows(Some(user.role), f.place.perm()) {
        return Err(AppError::Forbidden);
    }
    if f.status != FindingStatus::Open {
        return Err(not_open(&f));
    }
    let stale = || AppError::Conflict { key: "glossary-finding-stale", conflicts: json!({}) };
    let text = bilingual::text(&mut w, center_id, f.place, &f.record_id, &f.field)
        .await?
        .ok_or_else(stale)?;
    let Some(fixed) = f.finding.fix(&text.en) else {
        return Err(if f.finding.at.is_none() {
            AppError::Conflict { key: "glossary-finding-no-fix", conflicts: json!({}) }
        } else {
            stale()
        });
    };
    if !store::decide(&mut w, id, FindingStatus::Fixed, &user.id, now).await? {
        return Err(not_open(&f));
    }
    match bilingual::replace_en(
        &mut w,
        center_id,
        f.place,
        &f.record_id,
        &f.field,
        &text.en,
        &fixed,
        now,
    )
    .await?
    {
        Replaced::Done => {}
        Replaced::Stale => return Err(stale()),
        Replaced::NameTaken => {
            return Err(AppError::Conflict {
                key: "glossary-fix-name-taken",
                conflicts: json!({"name": fixed}),
            });
        }
    }
    let after = Text { en: fixed.clone(), ..text.clone() };
    refresh(&mut w, &checker, center_id, &after).await?;
    w.audit(Some(center_id), f.place.code(), &f.record_id, "glossary-fix", json!({
        "field": f.field, "before": text.en, "after": fixed, "term": f.finding.term_id, "finding": id,
    }))
    .await?;
    w.commit().await?;
    if matches!(f.place, Place::Center | Place::Zone) {
        // The center and its zones are kept a moment for every request.
        state.centers.clear();
    }
    let mut done = f;
    done.status = FindingStatus::Fixed;
    Ok(done)
}

/// Marks a finding right as written: the same finding in the same text is
/// not raised again.
pub async fn dismiss(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    center_id: &str,
    id: &str,
) -> AppResult<Stored> {
    if !terms::may_manage(user) {
        return Err(AppError::Forbidden);
    }
    let mut w = Write::begin(state, who).await?;
    let now = w.now();
    let f = store::get(&mut w, center_id, id).await?.ok_or(AppError::NotFound)?;
    if !store::decide(&mut w, id, FindingStatus::Dismissed, &user.id, now).await? {
        return Err(not_open(&f));
    }
    w.audit(Some(center_id), "glossary_finding", id, "dismiss", json!({"place": f.place.code(), "record": f.record_id, "field": f.field, "found": f.finding.found, "expected": f.finding.expected}))
        .await?;
    w.commit().await?;
    let mut done = f;
    done.status = FindingStatus::Dismissed;
    Ok(done)
}
