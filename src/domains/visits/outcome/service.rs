use super::store;
use crate::audit::Who;
use crate::auth::CurrentUser;
use crate::db::new_id;
use crate::domains::visits::model::{OutcomeKind, OutcomeStatus, check_date};
use crate::domains::visits::organisation;
use crate::domains::visits::records::Outcome;
use crate::domains::visits::visit::service::*;
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n::Bilingual;
use crate::notify;
use crate::state::AppState;
use crate::write::Write;
use jiff::tz::TimeZone;
use serde_json::json;

#[derive(Debug, Clone, Default)]
pub struct OutcomeInput {
    pub kind: String,
    pub title: Bilingual,
    pub parties: String,
    pub signed_on: String,
    pub document_ref: String,
    pub owner_id: String,
    pub next_action: String,
    pub next_action_on: String,
    pub status: String,
}

pub async fn add_outcome(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    visit_id: &str,
    o: OutcomeInput,
) -> AppResult<Outcome> {
    let center_id = user.center_id.clone().ok_or(AppError::Forbidden)?;
    let visit = visit_in(state, &center_id, visit_id).await?;
    let mut errors = vec![];
    let kind = OutcomeKind::parse(&o.kind).unwrap_or_else(|| {
        errors.push(FieldError::new("kind", "field-invalid-choice"));
        OutcomeKind::ProjectLead
    });
    let status = match o.status.trim() {
        "" => OutcomeStatus::Proposed,
        s => OutcomeStatus::parse(s).unwrap_or_else(|| {
            errors.push(FieldError::new("status", "field-invalid-choice"));
            OutcomeStatus::Proposed
        }),
    };
    if o.title.zh.is_empty() && o.title.en.is_empty() {
        errors.push(FieldError::new("title_zh", "field-required"));
    }
    errors.extend(o.title.limit("title", 300));
    errors.extend(check_date("signed_on", &o.signed_on, false));
    errors.extend(check_date("next_action_on", &o.next_action_on, false));
    let owner = match o.owner_id.trim() {
        "" => Some(user.id.clone()),
        id => crate::domains::accounts::service::user_in(state, &center_id, id)
            .await
            .ok()
            .map(|u| u.id),
    };
    if owner.is_none() {
        errors.push(FieldError::new("owner_id", "field-invalid-choice"));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let outcome = Outcome {
        id: new_id(),
        organisation_id: visit.organisation_id.clone(),
        organisation_name: visit.org_name.clone(),
        visit_id: Some(visit.id.clone()),
        kind,
        title: o.title,
        parties: o.parties.trim().into(),
        signed_on: o.signed_on.trim().into(),
        document_ref: o.document_ref.trim().into(),
        owner_id: owner,
        owner_name: String::new(),
        next_action: o.next_action.trim().into(),
        next_action_on: o.next_action_on.trim().into(),
        status,
    };
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    store::insert_outcome(&mut tx, &center_id, &outcome, now).await?;
    tx.audit(Some(&center_id), "outcome", &outcome.id, "create", json!({"visit": visit.reference, "kind": kind.code(), "title": outcome.title, "status": status.code()}))
            .await?;
    tx.commit().await?;
    outcome_in(state, &center_id, &outcome.id).await
}

pub async fn outcome_in(state: &AppState, center_id: &str, id: &str) -> AppResult<Outcome> {
    let o = store::outcome(&state.db, id).await?.ok_or(AppError::NotFound)?;
    organisation::store::org(&state.db, &o.organisation_id)
        .await?
        .filter(|org| org.center_id == center_id)
        .ok_or(AppError::NotFound)?;
    Ok(o)
}

/// Moves an outcome along (proposed → signed → in progress → realised /
/// dormant / terminated) and sets its next action.
/// A change to an outcome: its status, next action, signing date.
#[derive(Debug, Clone, Default)]
pub struct OutcomeUpdate {
    pub status: String,
    pub next_action: String,
    pub next_action_on: String,
    pub signed_on: String,
}

pub async fn update_outcome(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    id: &str,
    u: OutcomeUpdate,
) -> AppResult<Outcome> {
    let center_id = user.center_id.clone().ok_or(AppError::Forbidden)?;
    let before = outcome_in(state, &center_id, id).await?;
    let OutcomeUpdate { status, next_action, next_action_on, signed_on } = &u;
    let to = match status.trim() {
        "" => before.status,
        s => OutcomeStatus::parse(s)
            .ok_or_else(|| AppError::invalid("status", "field-invalid-choice"))?,
    };
    if to != before.status && !before.status.can_become(to) {
        return Err(AppError::Conflict {
            key: "outcome-illegal-transition",
            conflicts: json!({"from": before.status.code(), "to": to.code()}),
        });
    }
    let mut errors = vec![];
    errors.extend(check_date("next_action_on", next_action_on, false));
    errors.extend(check_date("signed_on", signed_on, false));
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let after = Outcome {
        status: to,
        next_action: next_action.trim().into(),
        next_action_on: next_action_on.trim().into(),
        signed_on: if signed_on.trim().is_empty() {
            before.signed_on.clone()
        } else {
            signed_on.trim().into()
        },
        ..before.clone()
    };
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    store::update_outcome(&mut tx, &after, now).await?;
    tx.audit(
        Some(&center_id),
        "outcome",
        id,
        "update",
        json!({"from": before.status.code(), "to": to.code(), "next_action": after.next_action,
                            "next_action_on": after.next_action_on}),
    )
    .await?;
    tx.commit().await?;
    outcome_in(state, &center_id, id).await
}

/// A page of a center's outcomes, newest first.
pub async fn outcomes_page(
    state: &AppState,
    center_id: &str,
    before_id: &str,
    limit: i64,
) -> AppResult<Vec<Outcome>> {
    Ok(store::outcomes_page(&state.db, center_id, before_id, limit).await?)
}

pub async fn outcomes(
    state: &AppState,
    center_id: &str,
    visit_id: &str,
    organisation_id: &str,
) -> AppResult<Vec<Outcome>> {
    Ok(store::outcomes(&state.db, center_id, visit_id, organisation_id).await?)
}

/// Outcomes whose next action is due (the staff dashboard's reminders).
pub async fn followups_due(state: &AppState, center_id: &str) -> AppResult<Vec<Outcome>> {
    let tz = crate::domains::centers::service::tz(state, center_id).await?;
    Ok(store::followups_due(&state.db, center_id, &today(state, &tz)).await?)
}

/// Reminds each owner, once per follow-up date, of outcomes whose next
/// action is due. Returns how many reminders were sent.
pub async fn remind_followups(state: &AppState) -> AppResult<usize> {
    let tz = TimeZone::get("Asia/Shanghai").unwrap_or(TimeZone::UTC);
    let today = today(state, &tz);
    let due = store::reminders_due(&state.db, &today).await?;
    for o in &due {
        let Some(owner) = &o.owner_id else { continue };
        let mut tx = Write::begin(state, &Who::system()).await?;
        let message = notify::Message {
            kind: "outcome_followup".into(),
            subject_id: o.id.clone(),
            key: "notify-outcome-followup".into(),
            args: vec![
                ("title".into(), o.title.clone()),
                ("organisation".into(), o.organisation_name.clone()),
                ("action".into(), Bilingual::new(o.next_action.clone(), o.next_action.clone())),
            ],
            reason: String::new(),
            link: o.visit_id.as_ref().map(|v| format!("/visits/{v}#outcomes")).unwrap_or_default(),
        };
        tx.notify(owner, &message).await?;
        store::mark_reminded(&mut tx, &o.id, &o.next_action_on).await?;
        tx.commit().await?;
    }
    Ok(due.len())
}
