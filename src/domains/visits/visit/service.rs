use super::store;
use crate::audit::{self, Entry, Who};
use crate::auth::{CurrentUser, Role};
use crate::bilingual::Place;
use crate::clock::Instant;
use crate::db::{new_id, next_reference};
use crate::domains::glossary::finding::service as glossary;
use crate::domains::visits::model::{OrgKind, VisitStatus, name_key};
use crate::domains::visits::records::{Gift, GiftMovement, Organisation, Transition, Visit};
use crate::domains::visits::visit::store::VisitFilter;
use crate::domains::visits::{gift, organisation};
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n::Bilingual;
use crate::notify;
use crate::reference::countries::country;
use crate::reference::languages::language_tags;
use crate::state::AppState;
use crate::throttle;
use crate::time::parse_day;
use crate::validate::{looks_like_email, normalize_email};
use crate::write::Write;
use jiff::tz::TimeZone;
use serde_json::json;

/// Public visit requests per client address per hour.
pub const REQUEST_LIMIT: throttle::Limit =
    throttle::Limit { kind: "visit_request", max: 10, window_secs: 3600 };

/// A visit request or a new visit, as typed.
#[derive(Debug, Clone, Default)]
pub struct VisitInput {
    /// An existing organisation; otherwise the names, type and country below.
    pub organisation_id: String,
    pub organisation_name: Bilingual,
    pub organisation_type: String,
    pub country: String,
    pub title: Bilingual,
    pub purpose: String,
    pub preferred_from: String,
    pub preferred_to: String,
    pub starts_on: String,
    pub ends_on: String,
    pub party_size: i64,
    pub languages: String,
    pub protocol_level: String,
    pub hosts: String,
    pub approval_ref: String,
    pub budget: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub consent: bool,
    /// For staff: `inquiry` or `request_received` (default).
    pub status: String,
    pub retention_until: String,
}

pub(in crate::domains::visits) fn today(state: &AppState, tz: &TimeZone) -> String {
    state.clock.now().local_parts(tz).0
}

pub(in crate::domains::visits) fn year_of(date: &str) -> Option<i64> {
    date.get(..4)?.parse().ok()
}

/// `days` after `date`; past the calendar's end, the date itself (so every
/// dated visit has a retention date, and it is never later than asked).
pub(in crate::domains::visits) fn plus_days(date: &str, days: i64) -> String {
    let Ok(d) = date.parse::<jiff::civil::Date>() else { return String::new() };
    d.checked_add(jiff::Span::new().days(days)).unwrap_or(d).to_string()
}

/// Checks the parts of a visit both forms share. Returns the languages.
pub(in crate::domains::visits) fn check_input(
    v: &VisitInput,
    public: bool,
) -> Result<Vec<String>, Vec<FieldError>> {
    let mut errors = vec![];
    if v.organisation_id.is_empty() {
        if v.organisation_name.zh.is_empty() && v.organisation_name.en.is_empty() {
            errors.push(FieldError::new("organisation_name", "field-required"));
        }
        errors.extend(v.organisation_name.limit("organisation_name", 200));
        if OrgKind::parse(&v.organisation_type).is_none() {
            errors.push(FieldError::new("organisation_type", "org-kind-invalid"));
        }
        if country(&v.country).is_none() {
            errors.push(FieldError::new("country", "field-invalid-country"));
        }
    }
    if v.purpose.trim().is_empty() && public {
        errors.push(FieldError::new("purpose", "field-required"));
    }
    if v.purpose.chars().count() > 4000 {
        errors.push(FieldError::new("purpose", "field-too-long"));
    }
    errors.extend(v.title.limit("title", 200));
    let mut day = |field: &str, value: &str, required: bool| {
        parse_day(field, value, required).unwrap_or_else(|e| {
            errors.push(e);
            None
        })
    };
    let preferred_from = day("preferred_from", &v.preferred_from, public);
    let preferred_to = day("preferred_to", &v.preferred_to, public);
    let starts_on = day("starts_on", &v.starts_on, false);
    let ends_on = day("ends_on", &v.ends_on, false);
    day("retention_until", &v.retention_until, false);
    if let (Some(from), Some(to)) = (preferred_from, preferred_to)
        && to < from
    {
        errors.push(FieldError::new("preferred_to", "field-end-before-start"));
    }
    if let (Some(from), Some(to)) = (starts_on, ends_on)
        && to < from
    {
        errors.push(FieldError::new("ends_on", "field-end-before-start"));
    }
    if !(1..=500).contains(&v.party_size) {
        errors.push(FieldError::new("party_size", "visit-party-size"));
    }
    let languages = match language_tags(&v.languages) {
        Ok(l) => l,
        Err(_) => {
            errors.push(FieldError::new("languages", "field-invalid-language"));
            vec![]
        }
    };
    if public {
        if v.contact_name.trim().is_empty() {
            errors.push(FieldError::new("contact_name", "field-required"));
        }
        if !looks_like_email(v.contact_email.trim()) {
            errors.push(FieldError::new("contact_email", "field-invalid-email"));
        }
        if !v.consent {
            errors.push(FieldError::new("consent", "visit-consent-required"));
        }
    } else if !v.contact_email.trim().is_empty() && !looks_like_email(v.contact_email.trim()) {
        errors.push(FieldError::new("contact_email", "field-invalid-email"));
    }
    for (field, text, max) in [
        ("contact_name", &v.contact_name, 200),
        ("contact_phone", &v.contact_phone, 50),
        ("protocol_level", &v.protocol_level, 200),
        ("hosts", &v.hosts, 500),
        ("approval_ref", &v.approval_ref, 200),
        ("budget", &v.budget, 200),
    ] {
        if text.chars().count() > max {
            errors.push(FieldError::new(field, "field-too-long"));
        }
    }
    if errors.is_empty() { Ok(languages) } else { Err(errors) }
}

/// A visit request from the public form or `POST /api/v1/visit-requests`.
pub async fn request(
    state: &AppState,
    who: &Who,
    center_id: &str,
    input: VisitInput,
) -> AppResult<Visit> {
    let input = VisitInput { organisation_id: String::new(), ..input };
    let languages = check_input(&input, true).map_err(AppError::Invalid)?;
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    throttle::hit(&mut tx, REQUEST_LIMIT, &who.client_ip, now).await?;
    let visit = insert(
        state,
        &mut tx,
        who,
        center_id,
        input,
        languages,
        VisitStatus::RequestReceived,
        None,
        now,
    )
    .await?;
    // The center's staff and admins learn of it in the app and by e-mail.
    let message = notify::Message {
        kind: "visit_request".into(),
        subject_id: visit.id.clone(),
        key: "notify-visit-request".into(),
        args: vec![
            ("reference".into(), Bilingual::new(visit.reference.clone(), visit.reference.clone())),
            ("organisation".into(), visit.org_name.clone()),
        ],
        reason: String::new(),
        link: format!("/visits/{}", visit.id),
    };
    for u in crate::domains::accounts::service::users_in(state, center_id).await? {
        if u.active && matches!(u.role, Role::Admin | Role::Staff) {
            tx.notify(&u.id, &message).await?;
        }
    }
    tx.commit().await?;
    Ok(visit)
}

/// A visit made by staff (a call, a letter, a note from the Foreign Affairs Office).
pub async fn create(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    input: VisitInput,
) -> AppResult<Visit> {
    let center_id = user.center_id.clone().ok_or(AppError::Forbidden)?;
    let languages = check_input(&input, false).map_err(AppError::Invalid)?;
    let status = match input.status.trim() {
        "" => VisitStatus::RequestReceived,
        s => match VisitStatus::parse(s) {
            Some(s @ (VisitStatus::Inquiry | VisitStatus::RequestReceived)) => s,
            _ => return Err(AppError::invalid("status", "visit-initial-status")),
        },
    };
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    let visit =
        insert(state, &mut tx, who, &center_id, input, languages, status, Some(&user.id), now)
            .await?;
    glossary::recheck_in(&mut tx, &center_id, Place::Visit, &visit.id).await?;
    tx.commit().await?;
    Ok(visit)
}

#[allow(clippy::too_many_arguments)]
pub(in crate::domains::visits) async fn insert(
    state: &AppState,
    tx: &mut crate::db::Tx,
    who: &Who,
    center_id: &str,
    input: VisitInput,
    languages: Vec<String>,
    status: VisitStatus,
    created_by: Option<&str>,
    now: Instant,
) -> AppResult<Visit> {
    let tz = crate::domains::centers::service::tz(state, center_id).await?;
    let org = organisation_for(tx, state, center_id, &input, now).await?;
    let first_day = [&input.starts_on, &input.preferred_from]
        .into_iter()
        .find(|d| !d.is_empty())
        .cloned()
        .unwrap_or_else(|| today(state, &tz));
    let last_day = [&input.ends_on, &input.preferred_to, &first_day]
        .into_iter()
        .find(|d| !d.is_empty())
        .cloned()
        .unwrap_or_default();
    let year = year_of(&first_day).ok_or(AppError::invalid("starts_on", "field-invalid-date"))?;
    let reference = next_reference(tx, center_id, "V", year as i32).await?;
    let title = if input.title.zh.is_empty() && input.title.en.is_empty() {
        org.name.clone()
    } else {
        input.title.clone()
    };
    let public = created_by.is_none();
    let visit = Visit {
        id: new_id(),
        center_id: center_id.to_string(),
        reference,
        organisation_id: org.id.clone(),
        org_name: org.name.clone(),
        kind: org.kind,
        country: org.country.clone(),
        status,
        status_reason: String::new(),
        title,
        purpose: input.purpose.trim().to_string(),
        preferred_from: input.preferred_from.trim().to_string(),
        preferred_to: input.preferred_to.trim().to_string(),
        starts_on: input.starts_on.trim().to_string(),
        ends_on: input.ends_on.trim().to_string(),
        year,
        party_size: input.party_size,
        languages,
        protocol_level: input.protocol_level.trim().to_string(),
        hosts: input.hosts.trim().to_string(),
        approval_ref: input.approval_ref.trim().to_string(),
        budget: input.budget.trim().to_string(),
        summary: String::new(),
        contact_name: input.contact_name.trim().to_string(),
        contact_email: normalize_email(&input.contact_email),
        contact_phone: input.contact_phone.trim().to_string(),
        source: if public { "public" } else { "staff" }.into(),
        consent_at: input.consent.then_some(now.millis()),
        retention_until: if input.retention_until.is_empty() {
            plus_days(&last_day, 365)
        } else {
            input.retention_until.clone()
        },
        purged_at: None,
        created_at: now.millis(),
        updated_at: now.millis(),
    };
    store::insert_visit(tx, &visit, created_by).await?;
    store::insert_transition(
        tx,
        &visit.id,
        &Transition {
            from: String::new(),
            to: status.code().into(),
            reason: String::new(),
            actor_label: who.label.clone(),
            at: now.millis(),
        },
        who.user_id.as_deref(),
    )
    .await?;
    audit::record(
        tx,
        who,
        now,
        Entry {
            center_id: Some(center_id),
            entity: "visit",
            entity_id: &visit.id,
            action: if public { "request" } else { "create" },
            summary: json!({"reference": visit.reference, "organisation": org.name, "kind": org.kind.code(),
                            "country": org.country, "status": status.code(), "party_size": visit.party_size}),
        },
    )
    .await?;
    Ok(visit)
}

pub async fn visit_in(state: &AppState, center_id: &str, id: &str) -> AppResult<Visit> {
    store::visit(&state.db, id)
        .await?
        .filter(|v| v.center_id == center_id)
        .ok_or(AppError::NotFound)
}

pub async fn list(state: &AppState, filter: &VisitFilter) -> AppResult<Vec<Visit>> {
    Ok(store::visits(&state.db, filter).await?)
}

/// Live visits meeting the days `from`–`to` (see [`store::in_days`]).
pub async fn in_days(
    state: &AppState,
    center_id: &str,
    from: &str,
    to: &str,
    limit: i64,
) -> AppResult<Vec<Visit>> {
    Ok(store::in_days(&state.db, center_id, from, to, limit).await?)
}

pub async fn years(state: &AppState, center_id: &str) -> AppResult<Vec<i64>> {
    Ok(store::years(&state.db, center_id).await?)
}

pub async fn history(state: &AppState, visit_id: &str) -> AppResult<Vec<Transition>> {
    Ok(store::transitions(&state.db, visit_id).await?)
}

/// The status a move asks for, when the request itself is sound (a known
/// status; a reason where one is needed, not too long).
pub fn check_move(to: &str, reason: &str) -> AppResult<VisitStatus> {
    let to =
        VisitStatus::parse(to).ok_or_else(|| AppError::invalid("to", "visit-status-invalid"))?;
    let reason = reason.trim();
    if to.needs_reason() && reason.is_empty() {
        return Err(AppError::invalid("reason", "visit-reason-required"));
    }
    if reason.chars().count() > 1000 {
        return Err(AppError::invalid("reason", "field-too-long"));
    }
    Ok(to)
}

/// Moves a visit along its lifecycle. 409 when the move is not allowed from
/// where it is; declining, cancelling and postponing need a reason.
pub async fn transition(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    id: &str,
    to: &str,
    reason: &str,
) -> AppResult<Visit> {
    let center_id = user.center_id.clone().ok_or(AppError::Forbidden)?;
    let to = check_move(to, reason)?;
    let reason = reason.trim();
    visit_in(state, &center_id, id).await?;
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    let visit = store::visit_tx(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let illegal = AppError::Conflict {
        key: "visit-illegal-transition",
        conflicts: json!({"from": visit.status.code(), "to": to.code(),
                          "allowed": visit.status.next().iter().map(|s| s.code()).collect::<Vec<_>>()}),
    };
    if !visit.status.can_become(to) {
        return Err(illegal);
    }
    if !store::set_status(&mut tx, id, visit.status, to, reason, now).await? {
        return Err(illegal);
    }
    let t = Transition {
        from: visit.status.code().into(),
        to: to.code().into(),
        reason: reason.into(),
        actor_label: who.label.clone(),
        at: now.millis(),
    };
    store::insert_transition(&mut tx, id, &t, who.user_id.as_deref()).await?;
    tx.audit(Some(&center_id), "visit", id, "transition", json!({"reference": visit.reference, "from": visit.status.code(), "to": to.code(), "reason": reason}))
            .await?;
    tx.commit().await?;
    visit_in(state, &center_id, id).await
}

/// Edits the details of a visit (dates, party, hosts, summary…).
pub async fn update(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    id: &str,
    input: VisitInput,
    summary: &str,
) -> AppResult<Visit> {
    let center_id = user.center_id.clone().ok_or(AppError::Forbidden)?;
    let before = visit_in(state, &center_id, id).await?;
    let input = VisitInput { organisation_id: before.organisation_id.clone(), ..input };
    let languages = check_input(&input, false).map_err(AppError::Invalid)?;
    if summary.chars().count() > 8000 {
        return Err(AppError::invalid("summary", "field-too-long"));
    }
    let first_day = [&input.starts_on, &input.preferred_from].into_iter().find(|d| !d.is_empty());
    let after = Visit {
        title: if input.title.zh.is_empty() && input.title.en.is_empty() {
            before.title.clone()
        } else {
            input.title.clone()
        },
        purpose: input.purpose.trim().into(),
        preferred_from: input.preferred_from.trim().into(),
        preferred_to: input.preferred_to.trim().into(),
        starts_on: input.starts_on.trim().into(),
        ends_on: input.ends_on.trim().into(),
        year: first_day.and_then(|d| year_of(d)).unwrap_or(before.year),
        party_size: input.party_size,
        languages,
        protocol_level: input.protocol_level.trim().into(),
        hosts: input.hosts.trim().into(),
        approval_ref: input.approval_ref.trim().into(),
        budget: input.budget.trim().into(),
        summary: summary.trim().into(),
        contact_name: input.contact_name.trim().into(),
        contact_email: normalize_email(&input.contact_email),
        contact_phone: input.contact_phone.trim().into(),
        retention_until: if input.retention_until.is_empty() {
            before.retention_until.clone()
        } else {
            input.retention_until.clone()
        },
        ..before.clone()
    };
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    store::update_visit(&mut tx, &after, now).await?;
    tx.audit(Some(&center_id), "visit", id, "update", json!({"reference": before.reference,
                "before": {"starts_on": before.starts_on, "ends_on": before.ends_on, "party_size": before.party_size, "hosts": before.hosts},
                "after": {"starts_on": after.starts_on, "ends_on": after.ends_on, "party_size": after.party_size, "hosts": after.hosts}}))
            .await?;
    glossary::recheck_in(&mut tx, &center_id, Place::Visit, id).await?;
    tx.commit().await?;
    visit_in(state, &center_id, id).await
}

/// Visits received by counterpart type between two dates (inclusive):
/// (kind, groups, person-visits), every type listed.
pub async fn received(
    state: &AppState,
    center_id: &str,
    from: &str,
    as_of: &str,
) -> AppResult<Vec<(OrgKind, i64, i64)>> {
    let rows = store::received_by_kind(&state.db, center_id, from, as_of).await?;
    Ok(OrgKind::ALL
        .iter()
        .map(|k| {
            let (g, p) = rows
                .iter()
                .find(|(code, _, _)| code == k.code())
                .map(|(_, g, p)| (*g, *p))
                .unwrap_or((0, 0));
            (*k, g, p)
        })
        .collect())
}

/// Purges the personal data of every visit past its retention date.
/// Returns how many visits were purged.
pub async fn purge_expired(state: &AppState, who: &Who) -> AppResult<usize> {
    let tz = TimeZone::get("Asia/Shanghai").unwrap_or(TimeZone::UTC);
    let today = today(state, &tz);
    let due = store::due_for_purge(&state.db, &today).await?;
    let now = state.clock.now();
    for (visit_id, center_id) in &due {
        let Some(visit) = store::visit(&state.db, visit_id).await? else { continue };
        let mut tx = Write::begin(state, who).await?;
        let members = store::purge(&mut tx, &visit, now).await?;
        tx.audit(
            Some(center_id),
            "visit",
            visit_id,
            "purge",
            json!({"members": members, "before": today}),
        )
        .await?;
        tx.commit().await?;
    }
    Ok(due.len())
}

/// When the visit's personal data goes (for the privacy notice).
pub fn retention_days() -> i64 {
    365
}

/// A visit received before Liaison was in use, for the record and the figures.
#[derive(Debug, Clone)]
pub struct PastVisit {
    /// Index into the organisations given with it.
    pub organisation: usize,
    pub status: VisitStatus,
    /// The day of the visit (`YYYY-MM-DD`); for a request, the preferred day.
    pub date: String,
    pub party_size: i64,
    pub language: String,
    pub purpose: String,
}

/// A counterpart of past visits.
#[derive(Debug, Clone)]
pub struct PastOrganisation {
    pub kind: OrgKind,
    pub country: String,
    pub name: Bilingual,
}

/// A gift in stock when the register starts.
#[derive(Debug, Clone)]
pub struct OpeningStock {
    pub name: Bilingual,
    pub unit_value: i64,
    pub stock: i64,
}

/// A past visit as the record keeps it.
fn past_visit(
    v: &PastVisit,
    org: &Organisation,
    center_id: &str,
    reference: String,
    year: i64,
    now: Instant,
) -> Visit {
    let scheduled =
        if v.status == VisitStatus::RequestReceived { String::new() } else { v.date.clone() };
    Visit {
        id: new_id(),
        center_id: center_id.into(),
        reference,
        organisation_id: org.id.clone(),
        org_name: org.name.clone(),
        kind: org.kind,
        country: org.country.clone(),
        status: v.status,
        status_reason: String::new(),
        title: Bilingual::new(
            format!("{}来访", org.name.zh),
            format!("Visit of the {}", org.name.en),
        ),
        purpose: v.purpose.clone(),
        preferred_from: v.date.clone(),
        preferred_to: v.date.clone(),
        starts_on: scheduled.clone(),
        ends_on: scheduled,
        year,
        party_size: v.party_size,
        languages: vec![v.language.clone()],
        protocol_level: String::new(),
        hosts: String::new(),
        approval_ref: String::new(),
        budget: String::new(),
        summary: String::new(),
        contact_name: String::new(),
        contact_email: String::new(),
        contact_phone: String::new(),
        source: "staff".into(),
        consent_at: None,
        retention_until: format!("{}{}", year + 1, v.date.get(4..).unwrap_or("-12-31")),
        purged_at: None,
        created_at: now.millis(),
        updated_at: now.millis(),
    }
}

/// Records a center's history in one transaction, when it has no visit yet:
/// its counterparts, the visits they made and the gifts in stock. Returns
/// how many visits were recorded (0 when the center already had some).
pub async fn import_history(
    state: &AppState,
    who: &Who,
    center_id: &str,
    organisations: &[PastOrganisation],
    visits: &[PastVisit],
    gifts: &[OpeningStock],
) -> AppResult<usize> {
    let any = store::visits(
        &state.db,
        &store::VisitFilter { center_id: center_id.into(), limit: 1, ..Default::default() },
    )
    .await?;
    if !any.is_empty() {
        return Ok(0);
    }
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    let mut orgs = vec![];
    for o in organisations {
        let org = Organisation {
            id: new_id(),
            center_id: center_id.into(),
            kind: o.kind,
            country: o.country.clone(),
            name: o.name.clone(),
            contact_name: String::new(),
            contact_email: String::new(),
            contact_phone: String::new(),
            notes: String::new(),
            created_at: now.millis(),
        };
        organisation::store::insert_org(&mut tx, &org, &name_key(&o.name.zh, &o.name.en), now)
            .await?;
        orgs.push(org);
    }
    for v in visits {
        let org = orgs
            .get(v.organisation)
            .ok_or(AppError::invalid("organisation", "field-invalid-choice"))?;
        let year: i64 = v
            .date
            .get(..4)
            .and_then(|y| y.parse().ok())
            .ok_or(AppError::invalid("date", "field-invalid-date"))?;
        let reference = next_reference(&mut tx, center_id, "V", year as i32).await?;
        let visit = past_visit(v, org, center_id, reference, year, now);
        store::insert_visit(&mut tx, &visit, None).await?;
        let first = Transition {
            from: String::new(),
            to: v.status.code().into(),
            reason: "history".into(),
            actor_label: who.label.clone(),
            at: now.millis(),
        };
        store::insert_transition(&mut tx, &visit.id, &first, None).await?;
    }
    for g in gifts {
        let gift = Gift { id: new_id(), name: g.name.clone(), unit_value: g.unit_value, stock: 0 };
        gift::store::insert_gift(&mut tx, center_id, &gift, now).await?;
        gift::store::move_stock(&mut tx, &gift.id, g.stock, now).await?;
        let movement = GiftMovement {
            id: new_id(),
            gift_id: gift.id.clone(),
            gift_name: gift.name.clone(),
            quantity: g.stock,
            visit_id: None,
            organisation_id: None,
            organisation_name: Bilingual::default(),
            recipient: String::new(),
            note: "opening stock".into(),
            at: now.millis(),
        };
        gift::store::insert_movement(&mut tx, center_id, &movement, None).await?;
    }
    tx.audit(
        Some(center_id),
        "visit",
        center_id,
        "import_history",
        json!({"visits": visits.len(), "organisations": orgs.len(), "gifts": gifts.len()}),
    )
    .await?;
    tx.commit().await?;
    Ok(visits.len())
}

/// Finds the organisation by name or makes it, in the transaction.
pub(in crate::domains::visits) async fn organisation_for(
    tx: &mut crate::db::Tx,
    state: &AppState,
    center_id: &str,
    v: &VisitInput,
    now: Instant,
) -> AppResult<Organisation> {
    if !v.organisation_id.is_empty() {
        return organisation::store::org(&state.db, &v.organisation_id)
            .await?
            .filter(|o| o.center_id == center_id)
            .ok_or_else(|| AppError::invalid("organisation_id", "org-unknown"));
    }
    let key = name_key(&v.organisation_name.zh, &v.organisation_name.en);
    if let Some(found) = organisation::store::org_by_key(tx, center_id, &key).await? {
        return Ok(found);
    }
    let org = Organisation {
        id: new_id(),
        center_id: center_id.to_string(),
        kind: OrgKind::parse(&v.organisation_type).unwrap_or(OrgKind::Other),
        country: v.country.trim().to_ascii_uppercase(),
        name: v.organisation_name.clone(),
        contact_name: v.contact_name.trim().to_string(),
        contact_email: normalize_email(&v.contact_email),
        contact_phone: v.contact_phone.trim().to_string(),
        notes: String::new(),
        created_at: now.millis(),
    };
    organisation::store::insert_org(tx, &org, &key, now).await?;
    Ok(org)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_retention_date_exists_up_to_the_calendars_end() {
        assert_eq!(super::plus_days("2199-12-31", 365), "2200-12-31");
        assert_eq!(super::plus_days("9999-12-31", 365), "9999-12-31");
        assert_eq!(super::plus_days("", 365), "");
    }
}
