//! Visit rules and transactions: public requests and staff-made visits,
//! the lifecycle (every move audited with who, when and why), members with
//! sealed passport numbers, itinerary items booked through the venues
//! service, interpreters through the interpreting service, the plan
//! checklist, seating, gifts, outcomes, figures and the retention purge.

use jiff::tz::TimeZone;
use serde_json::json;

use super::model::{
    Gender, ItemKind, ItemStatus, OrgKind, OutcomeKind, OutcomeStatus, PlanArea, SeatRole, Side,
    TaskStatus, VisitStatus, check_date, is_passport_name, mask_last4, name_key,
    normalize_passport,
};
use super::records::{
    Gift, GiftMovement, Item, Member, Organisation, Outcome, Seat, Task, Transition, Visit,
};
use super::store::{self, VisitFilter};
use crate::audit::{self, Entry, Who};
use crate::auth::{CurrentUser, Role};
use crate::clock::Instant;
use crate::db::{new_id, next_reference};
use crate::domains::interpreting::service::{self as interpreting, ItemRef};
use crate::domains::interpreting::service::{Assignment, MAX_ITEM_MS};
use crate::domains::venues::model::{BookingStatus, Span};
use crate::domains::venues::service::{self as venues, BookingRequest, Scope};
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

fn today(state: &AppState, tz: &TimeZone) -> String {
    state.clock.now().local_parts(tz).0
}

fn year_of(date: &str) -> Option<i64> {
    date.get(..4)?.parse().ok()
}

fn plus_days(date: &str, days: i64) -> String {
    date.parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| d.checked_add(jiff::Span::new().days(days)).ok())
        .map(|d| d.to_string())
        .unwrap_or_default()
}

/// Checks the parts of a visit both forms share. Returns the languages.
fn check_input(v: &VisitInput, public: bool) -> Result<Vec<String>, Vec<FieldError>> {
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

/// Finds the organisation by name or makes it, in the transaction.
async fn organisation_for(
    tx: &mut crate::db::Tx,
    state: &AppState,
    center_id: &str,
    v: &VisitInput,
    now: Instant,
) -> AppResult<Organisation> {
    if !v.organisation_id.is_empty() {
        return store::org(&state.db, &v.organisation_id)
            .await?
            .filter(|o| o.center_id == center_id)
            .ok_or_else(|| AppError::invalid("organisation_id", "org-unknown"));
    }
    let key = name_key(&v.organisation_name.zh, &v.organisation_name.en);
    if let Some(found) = store::org_by_key(tx, center_id, &key).await? {
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
    store::insert_org(tx, &org, &key, now).await?;
    Ok(org)
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
    let mails = vec![];
    for u in crate::domains::accounts::service::users_in(state, center_id).await? {
        if u.active && matches!(u.role, Role::Admin | Role::Staff) {
            tx.notify(&u.id, &message).await?;
        }
    }
    tx.mail(mails);
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
    tx.commit().await?;
    Ok(visit)
}

#[allow(clippy::too_many_arguments)]
async fn insert(
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

pub async fn years(state: &AppState, center_id: &str) -> AppResult<Vec<i64>> {
    Ok(store::years(&state.db, center_id).await?)
}

pub async fn history(state: &AppState, visit_id: &str) -> AppResult<Vec<Transition>> {
    Ok(store::transitions(&state.db, visit_id).await?)
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
    let to =
        VisitStatus::parse(to).ok_or_else(|| AppError::invalid("to", "visit-status-invalid"))?;
    let reason = reason.trim();
    if to.needs_reason() && reason.is_empty() {
        return Err(AppError::invalid("reason", "visit-reason-required"));
    }
    if reason.chars().count() > 1000 {
        return Err(AppError::invalid("reason", "field-too-long"));
    }
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
    tx.commit().await?;
    visit_in(state, &center_id, id).await
}

// ---------------------------------------------------------------- members

/// A member as typed; `passport` is the plain number (sealed before storing).
#[derive(Debug, Clone, Default)]
pub struct MemberInput {
    pub surname: String,
    pub given_name: String,
    pub name_zh: String,
    pub gender: String,
    pub title: Bilingual,
    pub organisation: String,
    pub languages: String,
    pub dietary: String,
    pub email: String,
    pub phone: String,
    pub is_head: bool,
    pub passport: String,
}

/// A member as staff see it: the passport number masked.
pub struct MemberView {
    pub member: Member,
    pub passport_masked: String,
}

pub async fn add_member(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    visit_id: &str,
    m: MemberInput,
) -> AppResult<Member> {
    let center_id = user.center_id.clone().ok_or(AppError::Forbidden)?;
    let visit = visit_in(state, &center_id, visit_id).await?;
    if visit.purged_at.is_some() {
        return Err(AppError::Conflict { key: "visit-purged", conflicts: json!({}) });
    }
    let mut errors = vec![];
    if !is_passport_name(&m.surname) {
        errors.push(FieldError::new("surname", "member-latin-name"));
    }
    if !m.given_name.trim().is_empty() && !is_passport_name(&m.given_name) {
        errors.push(FieldError::new("given_name", "member-latin-name"));
    }
    let gender = match m.gender.trim() {
        "" => None,
        g => match Gender::parse(g) {
            Some(g) => Some(g),
            None => {
                errors.push(FieldError::new("gender", "field-invalid-choice"));
                None
            }
        },
    };
    let languages = language_tags(&m.languages).unwrap_or_else(|_| {
        errors.push(FieldError::new("languages", "field-invalid-language"));
        vec![]
    });
    if !m.email.trim().is_empty() && !looks_like_email(m.email.trim()) {
        errors.push(FieldError::new("email", "field-invalid-email"));
    }
    errors.extend(m.title.limit("title", 200));
    for (field, text, max) in [
        ("name_zh", &m.name_zh, 50),
        ("organisation", &m.organisation, 200),
        ("dietary", &m.dietary, 500),
        ("phone", &m.phone, 50),
    ] {
        if text.chars().count() > max {
            errors.push(FieldError::new(field, "field-too-long"));
        }
    }
    let passport_enc = match m.passport.trim() {
        "" => String::new(),
        p => match (normalize_passport(p), &state.config.data_key) {
            (None, _) => {
                errors.push(FieldError::new("passport", "member-passport-invalid"));
                String::new()
            }
            (Some(_), None) => {
                errors.push(FieldError::new("passport", "member-passport-no-key"));
                String::new()
            }
            (Some(n), Some(key)) => key.seal(&n),
        },
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    let member = Member {
        id: new_id(),
        visit_id: visit.id.clone(),
        position: store::next_member_position(&mut tx, &visit.id).await?,
        surname: m.surname.trim().into(),
        given_name: m.given_name.trim().into(),
        name_zh: m.name_zh.trim().into(),
        gender,
        title: m.title,
        organisation: m.organisation.trim().into(),
        languages,
        dietary: m.dietary.trim().into(),
        email: normalize_email(&m.email),
        phone: m.phone.trim().into(),
        is_head: m.is_head,
        passport_enc,
    };
    store::save_member(&mut tx, &member, now).await?;
    // The passport number itself never reaches the audit log.
    tx.audit(
        Some(&center_id),
        "visit_member",
        &member.id,
        "create",
        json!({"visit": visit.reference, "name": member.passport_name(),
                            "passport": !member.passport_enc.is_empty()}),
    )
    .await?;
    tx.commit().await?;
    Ok(member)
}

pub async fn remove_member(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    visit_id: &str,
    member_id: &str,
) -> AppResult<()> {
    let center_id = user.center_id.clone().ok_or(AppError::Forbidden)?;
    let visit = visit_in(state, &center_id, visit_id).await?;
    let _now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    if !store::delete_member(&mut tx, &visit.id, member_id).await? {
        return Err(AppError::NotFound);
    }
    tx.audit(
        Some(&center_id),
        "visit_member",
        member_id,
        "delete",
        json!({"visit": visit.reference}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The members with their passport numbers masked (last four shown).
pub async fn members(state: &AppState, visit_id: &str) -> AppResult<Vec<MemberView>> {
    let key = state.config.data_key.clone();
    Ok(store::members(&state.db, visit_id)
        .await?
        .into_iter()
        .map(|member| {
            let passport_masked = match (&member.passport_enc, &key) {
                (enc, _) if enc.is_empty() => String::new(),
                (enc, Some(k)) => {
                    k.open(enc).map(|p| mask_last4(&p)).unwrap_or_else(|| "••••".into())
                }
                (_, None) => "••••".into(),
            };
            MemberView { member, passport_masked }
        })
        .collect())
}

// ---------------------------------------------------------------- itinerary

#[derive(Debug, Clone, Default)]
pub struct ItemInput {
    pub kind: String,
    pub title: Bilingual,
    pub span: Option<Span>,
    pub room_id: String,
    pub place: Bilingual,
    pub participants: String,
    pub notes: String,
    pub status: String,
    pub attendees: i64,
}

pub async fn item_in(state: &AppState, center_id: &str, id: &str) -> AppResult<Item> {
    store::item(&state.db, id).await?.filter(|i| i.center_id == center_id).ok_or(AppError::NotFound)
}

pub async fn items(state: &AppState, visit_id: &str) -> AppResult<Vec<Item>> {
    Ok(store::items(&state.db, visit_id).await?)
}

/// Adds an itinerary item. A room is booked through the venues service in
/// its own transaction first; a room conflict is the venues 409 (with
/// alternatives). A room that needs approval leaves the item tentative.
pub async fn add_item(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    visit_id: &str,
    input: ItemInput,
) -> AppResult<Item> {
    let center_id = user.center_id.clone().ok_or(AppError::Forbidden)?;
    let visit = visit_in(state, &center_id, visit_id).await?;
    if !visit.status.is_open() {
        return Err(AppError::Conflict {
            key: "visit-not-open",
            conflicts: json!({"status": visit.status.code()}),
        });
    }
    let mut errors = vec![];
    let kind = ItemKind::parse(&input.kind);
    if kind.is_none() {
        errors.push(FieldError::new("kind", "item-kind-invalid"));
    }
    if input.title.zh.is_empty() && input.title.en.is_empty() {
        errors.push(FieldError::new("title_zh", "field-required"));
    }
    errors.extend(input.title.limit("title", 200));
    errors.extend(input.place.limit("place", 200));
    let mut status = match input.status.trim() {
        "" => ItemStatus::Tentative,
        s => ItemStatus::parse(s).unwrap_or_else(|| {
            errors.push(FieldError::new("status", "field-invalid-choice"));
            ItemStatus::Tentative
        }),
    };
    if status == ItemStatus::Cancelled {
        errors.push(FieldError::new("status", "field-invalid-choice"));
    }
    let span = match input.span {
        Some(s) if s.end <= s.start => {
            errors.push(FieldError::new("ends_at", "field-end-before-start"));
            s
        }
        Some(s) if s.end - s.start > MAX_ITEM_MS => {
            errors.push(FieldError::new("ends_at", "item-too-long"));
            s
        }
        Some(s) => s,
        None => {
            errors.push(FieldError::new("starts_at", "field-invalid-instant"));
            Span::new(0, 1)
        }
    };
    if input.participants.chars().count() > 2000 || input.notes.chars().count() > 2000 {
        errors.push(FieldError::new("notes", "field-too-long"));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let kind = kind.unwrap_or(ItemKind::Meeting);
    let item_id = new_id();
    let mut booking_id = None;
    let room_id = input.room_id.trim().to_string();
    let now = state.clock.now();
    // The room is booked in the item's own unit of write: both or neither.
    let mut tx = Write::begin(state, who).await?;
    if !room_id.is_empty() {
        let room = venues::room_in(state, &center_id, &room_id)
            .await
            .map_err(|_| AppError::invalid("room_id", "room-unknown"))?;
        // The delegation and two hosts, unless told otherwise; a room too small
        // for them is refused by the venues rules (422 on `attendees`).
        let attendees = if input.attendees > 0 { input.attendees } else { visit.party_size + 2 };
        let request = BookingRequest {
            room_id: room.id.clone(),
            span,
            title: Bilingual::new(
                format!("{} · {}", visit.reference, input.title.zh),
                format!("{} · {}", visit.reference, input.title.en),
            ),
            attendees,
            recurrence: None,
            skip_conflicts: false,
            needs: vec![],
            purpose: "visit".into(),
            purpose_id: item_id.clone(),
        };
        let created = venues::book_in(state, &mut tx, user, request).await?;
        if created.status == BookingStatus::Requested {
            status = ItemStatus::Tentative;
        }
        booking_id = created.bookings.first().map(|b| b.id.clone());
    }
    let item = Item {
        id: item_id,
        center_id: center_id.clone(),
        visit_id: visit.id.clone(),
        kind,
        title: input.title,
        span,
        room_id: (!room_id.is_empty()).then_some(room_id),
        booking_id,
        place: input.place,
        participants: input.participants.trim().into(),
        notes: input.notes.trim().into(),
        status,
    };
    store::insert_item(&mut tx, &item, now).await?;
    tx.audit(Some(&center_id), "itinerary_item", &item.id, "create", json!({"visit": visit.reference, "kind": kind.code(), "title": item.title,
                            "room": item.room_id, "booking": item.booking_id, "status": status.code()}))
            .await?;
    tx.commit().await?;
    Ok(item)
}

/// Confirms or cancels an item. Cancelling frees its room and interpreters.
pub async fn set_item_status(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    item_id: &str,
    to: &str,
) -> AppResult<Item> {
    let center_id = user.center_id.clone().ok_or(AppError::Forbidden)?;
    let item = item_in(state, &center_id, item_id).await?;
    let to =
        ItemStatus::parse(to).ok_or_else(|| AppError::invalid("status", "field-invalid-choice"))?;
    if item.status == ItemStatus::Cancelled {
        return Err(AppError::Conflict {
            key: "item-cancelled",
            conflicts: json!({"from": item.status.code(), "to": to.code()}),
        });
    }
    if to == ItemStatus::Cancelled
        && let Some(booking) = &item.booking_id
    {
        let b = venues::booking_in(state, &center_id, booking).await?;
        if b.status.is_live() {
            venues::transition(
                state,
                user,
                who,
                booking,
                BookingStatus::Cancelled,
                Scope::Occurrence,
                "",
            )
            .await?;
        }
    }
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    store::set_item_status(&mut tx, &item.id, to, now).await?;
    if to == ItemStatus::Cancelled {
        interpreting::release_item(&mut tx, &item.id, now).await?;
    }
    tx.audit(
        Some(&center_id),
        "itinerary_item",
        &item.id,
        "status",
        json!({"from": item.status.code(), "to": to.code()}),
    )
    .await?;
    tx.commit().await?;
    item_in(state, &center_id, item_id).await
}

/// Offers an item to an interpreter (see `interpreting::service::assign`).
pub async fn assign_interpreter(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    item_id: &str,
    interpreter_id: &str,
    language: &str,
) -> AppResult<Assignment> {
    let center_id = user.center_id.clone().ok_or(AppError::Forbidden)?;
    let item = item_in(state, &center_id, item_id).await?;
    if item.status == ItemStatus::Cancelled {
        return Err(AppError::Conflict { key: "item-cancelled", conflicts: json!({}) });
    }
    let item_ref = ItemRef {
        id: &item.id,
        center_id: &center_id,
        span: item.span,
        title: &item.title,
        link: format!("/visits/{}", item.visit_id),
    };
    interpreting::assign(state, who, user, &item_ref, interpreter_id, language).await
}

/// Assignments of the items of a visit.
pub async fn assignments(state: &AppState, items: &[Item]) -> AppResult<Vec<Assignment>> {
    let ids: Vec<String> = items.iter().map(|i| i.id.clone()).collect();
    interpreting::for_items(state, &ids).await
}

/// (item id, visit id, visit reference, title) for a list of items.
pub async fn item_labels(
    state: &AppState,
    ids: &[String],
) -> AppResult<Vec<(String, String, String, Bilingual)>> {
    let mut out = vec![];
    for id in ids {
        if let Some(item) = store::item(&state.db, id).await?
            && let Some(visit) = store::visit(&state.db, &item.visit_id).await?
        {
            out.push((item.id, visit.id, visit.reference, item.title));
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------- plan tasks

/// A plan task as typed.
#[derive(Debug, Clone, Default)]
pub struct TaskInput {
    pub area: String,
    pub title: String,
    pub owner_id: String,
    pub due_on: String,
}

pub async fn add_task(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    visit_id: &str,
    t: TaskInput,
) -> AppResult<Task> {
    let center_id = user.center_id.clone().ok_or(AppError::Forbidden)?;
    let visit = visit_in(state, &center_id, visit_id).await?;
    let mut errors = vec![];
    let TaskInput { area, title, owner_id, due_on } = &t;
    let area = PlanArea::parse(area).unwrap_or_else(|| {
        errors.push(FieldError::new("area", "field-invalid-choice"));
        PlanArea::Materials
    });
    if title.trim().is_empty() || title.chars().count() > 300 {
        errors.push(FieldError::new("title", "field-required"));
    }
    errors.extend(check_date("due_on", due_on, false));
    let owner = match owner_id.trim() {
        "" => None,
        id => match crate::domains::accounts::service::user_in(state, &center_id, id).await {
            Ok(u) => Some(u.id),
            Err(_) => {
                errors.push(FieldError::new("owner_id", "field-invalid-choice"));
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let task = Task {
        id: new_id(),
        visit_id: visit.id.clone(),
        visit_reference: visit.reference.clone(),
        area,
        title: title.trim().into(),
        owner_id: owner,
        owner_name: String::new(),
        due_on: due_on.trim().into(),
        status: TaskStatus::Open,
    };
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    store::insert_task(&mut tx, &center_id, &task, now).await?;
    tx.audit(Some(&center_id), "visit_task", &task.id, "create", json!({"visit": visit.reference, "area": area.code(), "title": task.title, "due_on": task.due_on}))
            .await?;
    tx.commit().await?;
    Ok(task)
}

pub async fn set_task_status(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    task_id: &str,
    to: &str,
) -> AppResult<Task> {
    let center_id = user.center_id.clone().ok_or(AppError::Forbidden)?;
    let task = store::task(&state.db, task_id).await?.ok_or(AppError::NotFound)?;
    visit_in(state, &center_id, &task.visit_id).await?;
    let to =
        TaskStatus::parse(to).ok_or_else(|| AppError::invalid("status", "field-invalid-choice"))?;
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    store::set_task_status(&mut tx, &task.id, to, now).await?;
    tx.audit(
        Some(&center_id),
        "visit_task",
        &task.id,
        "status",
        json!({"from": task.status.code(), "to": to.code()}),
    )
    .await?;
    tx.commit().await?;
    store::task(&state.db, task_id).await?.ok_or(AppError::NotFound)
}

pub async fn tasks(state: &AppState, visit_id: &str) -> AppResult<Vec<Task>> {
    Ok(store::tasks(&state.db, visit_id).await?)
}

/// Open tasks past their due date (the staff dashboard).
pub async fn overdue_tasks(state: &AppState, center_id: &str) -> AppResult<Vec<Task>> {
    let tz = crate::domains::centers::service::tz(state, center_id).await?;
    Ok(store::overdue_tasks(&state.db, center_id, &today(state, &tz)).await?)
}

// ---------------------------------------------------------------- seating

pub async fn seats(state: &AppState, item_id: &str) -> AppResult<Vec<Seat>> {
    Ok(store::seats(&state.db, item_id).await?)
}

/// Replaces the seating plan of a meeting, talks, signing or banquet.
pub async fn save_seats(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    item_id: &str,
    seats: Vec<Seat>,
) -> AppResult<Vec<Seat>> {
    let center_id = user.center_id.clone().ok_or(AppError::Forbidden)?;
    let item = item_in(state, &center_id, item_id).await?;
    if !item.kind.has_seating() {
        return Err(AppError::invalid("kind", "seating-not-for-kind"));
    }
    if seats.len() > 60 {
        return Err(AppError::invalid("seats", "seating-too-many"));
    }
    for s in &seats {
        if s.name_zh.is_empty() && s.name_other.is_empty() {
            return Err(AppError::invalid("seats", "field-required"));
        }
    }
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    store::replace_seats(&mut tx, &item.id, &seats, now).await?;
    tx.audit(
        Some(&center_id),
        "itinerary_item",
        &item.id,
        "seating",
        json!({"seats": seats.len()}),
    )
    .await?;
    tx.commit().await?;
    seats_of(state, &item.id).await
}

async fn seats_of(state: &AppState, item_id: &str) -> AppResult<Vec<Seat>> {
    Ok(store::seats(&state.db, item_id).await?)
}

// ---------------------------------------------------------------- gifts

pub async fn gifts(state: &AppState, center_id: &str) -> AppResult<Vec<Gift>> {
    Ok(store::gifts(&state.db, center_id).await?)
}

pub async fn create_gift(
    state: &AppState,
    who: &Who,
    center_id: &str,
    name: Bilingual,
    unit_value: i64,
) -> AppResult<Gift> {
    let mut errors = name.require("name", 200);
    errors.retain(|e| !(e.field == "name_en" && e.key == "field-required"));
    if !(0..=100_000_000).contains(&unit_value) {
        errors.push(FieldError::new("unit_value", "field-invalid-number"));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let gift = Gift { id: new_id(), name, unit_value, stock: 0 };
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    store::insert_gift(&mut tx, center_id, &gift, now).await?;
    tx.audit(
        Some(center_id),
        "gift",
        &gift.id,
        "create",
        json!({"name": gift.name, "unit_value": unit_value}),
    )
    .await?;
    tx.commit().await?;
    Ok(gift)
}

/// A stock movement as asked: positive in, negative out (to a visit).
#[derive(Debug, Clone, Default)]
pub struct GiftMove {
    pub gift_id: String,
    pub quantity: i64,
    pub visit_id: String,
    pub recipient: String,
    pub note: String,
    /// Give even though this organisation already received this gift.
    pub confirm_repeat: bool,
}

/// Records stock in or out. Giving to a visit's organisation that already
/// received the same gift is a 409 (`gift-repeat`) unless confirmed.
pub async fn move_gift(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    m: GiftMove,
) -> AppResult<GiftMovement> {
    let center_id = user.center_id.clone().ok_or(AppError::Forbidden)?;
    let gift = store::gift(&state.db, &center_id, &m.gift_id)
        .await?
        .ok_or_else(|| AppError::invalid("gift_id", "field-invalid-choice"))?;
    if m.quantity == 0 || m.quantity.abs() > 100_000 {
        return Err(AppError::invalid("quantity", "field-invalid-number"));
    }
    let visit = match m.visit_id.trim() {
        "" if m.quantity < 0 => return Err(AppError::invalid("visit_id", "gift-visit-required")),
        "" => None,
        id => Some(visit_in(state, &center_id, id).await?),
    };
    if m.quantity < 0
        && let Some(v) = &visit
        && !m.confirm_repeat
    {
        let earlier =
            store::movements(&state.db, &center_id, &gift.id, "", &v.organisation_id).await?;
        let given: Vec<&GiftMovement> = earlier.iter().filter(|g| g.quantity < 0).collect();
        if !given.is_empty() {
            return Err(AppError::Conflict {
                key: "gift-repeat",
                conflicts: json!({"conflicts": given.iter().map(|g| json!({"movement_id": g.id, "visit_id": g.visit_id, "at": g.at, "quantity": -g.quantity})).collect::<Vec<_>>()}),
            });
        }
    }
    let now = state.clock.now();
    let movement = GiftMovement {
        id: new_id(),
        gift_id: gift.id.clone(),
        gift_name: gift.name.clone(),
        quantity: m.quantity,
        visit_id: visit.as_ref().map(|v| v.id.clone()),
        organisation_id: visit.as_ref().map(|v| v.organisation_id.clone()),
        organisation_name: visit.as_ref().map(|v| v.org_name.clone()).unwrap_or_default(),
        recipient: m.recipient.trim().into(),
        note: m.note.trim().into(),
        at: now.millis(),
    };
    let mut tx = Write::begin(state, who).await?;
    if !store::move_stock(&mut tx, &gift.id, m.quantity, now).await? {
        return Err(AppError::Conflict {
            key: "gift-out-of-stock",
            conflicts: json!({"stock": gift.stock, "asked": -m.quantity}),
        });
    }
    store::insert_movement(&mut tx, &center_id, &movement, who.user_id.as_deref()).await?;
    tx.audit(
        Some(&center_id),
        "gift",
        &gift.id,
        if m.quantity > 0 { "stock_in" } else { "give" },
        json!({"quantity": m.quantity, "visit": visit.as_ref().map(|v| &v.reference),
                            "recipient": movement.recipient, "repeat_confirmed": m.confirm_repeat}),
    )
    .await?;
    tx.commit().await?;
    Ok(movement)
}

pub async fn movements(
    state: &AppState,
    center_id: &str,
    visit_id: &str,
    organisation_id: &str,
) -> AppResult<Vec<GiftMovement>> {
    Ok(store::movements(&state.db, center_id, "", visit_id, organisation_id).await?)
}

// ---------------------------------------------------------------- outcomes

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
    store::org(&state.db, &o.organisation_id)
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

// ---------------------------------------------------------------- organisations

pub async fn organisations(
    state: &AppState,
    center_id: &str,
    kind: &str,
) -> AppResult<Vec<Organisation>> {
    Ok(store::orgs(&state.db, center_id, kind).await?)
}

/// An organisation as corrected by staff.
#[derive(Debug, Clone, Default)]
pub struct OrgInput {
    pub name: Bilingual,
    pub kind: String,
    pub country: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub notes: String,
}

/// Corrects an organisation: names, type, country, contact. Its visits
/// follow (they carry type and country for the lists and figures).
pub async fn update_organisation(
    state: &AppState,
    who: &Who,
    center_id: &str,
    id: &str,
    o: OrgInput,
) -> AppResult<Organisation> {
    let before = organisation_in(state, center_id, id).await?;
    let mut errors = vec![];
    if o.name.zh.is_empty() && o.name.en.is_empty() {
        errors.push(FieldError::new("name_en", "field-required"));
    }
    errors.extend(o.name.limit("name", 200));
    let kind = OrgKind::parse(&o.kind).unwrap_or_else(|| {
        errors.push(FieldError::new("organisation_type", "org-kind-invalid"));
        OrgKind::Other
    });
    if country(&o.country).is_none() {
        errors.push(FieldError::new("country", "field-invalid-country"));
    }
    if !o.contact_email.trim().is_empty() && !looks_like_email(o.contact_email.trim()) {
        errors.push(FieldError::new("contact_email", "field-invalid-email"));
    }
    if o.notes.chars().count() > 4000 {
        errors.push(FieldError::new("notes", "field-too-long"));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let after = Organisation {
        kind,
        country: o.country.trim().to_ascii_uppercase(),
        name: o.name,
        contact_name: o.contact_name.trim().into(),
        contact_email: normalize_email(&o.contact_email),
        contact_phone: o.contact_phone.trim().into(),
        notes: o.notes.trim().into(),
        ..before.clone()
    };
    let key = name_key(&after.name.zh, &after.name.en);
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    if let Err(e) = store::update_org(&mut tx, &after, &key, now).await {
        return Err(match crate::db::unique_violation(&e, store::ORG_UNIQUE) {
            Some(_) => AppError::invalid("name_en", "org-name-taken"),
            None => e.into(),
        });
    }
    tx.audit(Some(center_id), "organisation", id, "update", json!({"before": {"name": before.name, "kind": before.kind.code(), "country": before.country},
                            "after": {"name": after.name, "kind": kind.code(), "country": after.country}}))
            .await?;
    tx.commit().await?;
    organisation_in(state, center_id, id).await
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

pub async fn organisation_in(
    state: &AppState,
    center_id: &str,
    id: &str,
) -> AppResult<Organisation> {
    store::org(&state.db, id).await?.filter(|o| o.center_id == center_id).ok_or(AppError::NotFound)
}

// ---------------------------------------------------------------- figures

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

// ---------------------------------------------------------------- retention

/// Purges the personal data of every visit past its retention date.
/// Returns how many visits were purged.
pub async fn purge_expired(state: &AppState, who: &Who) -> AppResult<usize> {
    let tz = TimeZone::get("Asia/Shanghai").unwrap_or(TimeZone::UTC);
    let today = today(state, &tz);
    let due = store::due_for_purge(&state.db, &today).await?;
    let now = state.clock.now();
    for (visit_id, center_id) in &due {
        let mut tx = Write::begin(state, who).await?;
        let members = store::purge(&mut tx, visit_id, now).await?;
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
        store::insert_org(&mut tx, &org, &name_key(&o.name.zh, &o.name.en), now).await?;
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
        let scheduled =
            if v.status == VisitStatus::RequestReceived { String::new() } else { v.date.clone() };
        let visit = Visit {
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
        };
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
        store::insert_gift(&mut tx, center_id, &gift, now).await?;
        store::move_stock(&mut tx, &gift.id, g.stock, now).await?;
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
        store::insert_movement(&mut tx, center_id, &movement, None).await?;
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

/// The seating plan a meeting starts from: the delegation (head first) on
/// the guest side, then the hosts named on the visit and the item's live
/// interpreters on the host side.
pub async fn default_seating(
    state: &AppState,
    center_id: &str,
    item_id: &str,
) -> AppResult<Vec<Seat>> {
    let item = item_in(state, center_id, item_id).await?;
    let visit = visit_in(state, center_id, &item.visit_id).await?;
    let mut members = members(state, &visit.id).await?;
    members.sort_by_key(|m| (!m.member.is_head, m.member.position));
    let seat = |side,
                position,
                role,
                name_zh: &str,
                name_other: &str,
                title_zh: &str,
                title_other: &str| Seat {
        side,
        position,
        role,
        name_zh: name_zh.to_string(),
        name_other: name_other.to_string(),
        title_zh: title_zh.to_string(),
        title_other: title_other.to_string(),
    };
    let mut seats: Vec<Seat> = members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let title = &m.member.title;
            let other = m.member.passport_name();
            seat(
                Side::Guest,
                i as i64 + 1,
                SeatRole::Principal,
                &m.member.name_zh,
                &other,
                &title.zh,
                &title.en,
            )
        })
        .collect();
    let hosts = visit.hosts.split([',', '，', '、', ';']).map(str::trim).filter(|h| !h.is_empty());
    for (i, host) in hosts.enumerate() {
        seats.push(seat(Side::Host, i as i64 + 1, SeatRole::Principal, host, "", "", ""));
    }
    let live: Vec<_> = assignments(state, std::slice::from_ref(&item))
        .await?
        .into_iter()
        .filter(|a| a.status.is_live())
        .collect();
    let next = seats.iter().filter(|s| s.side == Side::Host).count() as i64;
    for (i, a) in live.iter().enumerate() {
        let (zh, other) = a.interpreter_name.split_once(' ').unwrap_or((&a.interpreter_name, ""));
        seats.push(seat(Side::Host, next + i as i64 + 1, SeatRole::Interpreter, zh, other, "", ""));
    }
    Ok(seats)
}
