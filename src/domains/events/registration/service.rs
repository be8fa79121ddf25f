use super::line::{issue_tickets, mail, promote_line, release, take};
use super::store;
use crate::audit::Who;
use crate::auth::CurrentUser;
use crate::clock::Instant;
use crate::db::{new_id, next_reference};
use crate::domains::events::event;
use crate::domains::events::event::service::*;
use crate::domains::events::event::store::Category;
use crate::domains::events::event::store::Event;
use crate::domains::events::model::{EventStatus, RegStatus, WaitlistPolicy, check_answers};
pub use crate::domains::events::registration::store::Participant;
use crate::domains::events::registration::store::Registration;
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n::Lang;
use crate::links::{self, Purpose};
use crate::state::AppState;
use crate::throttle;
use crate::time::year_of;
use crate::validate::{looks_like_email, normalize_email};
use crate::write::Write;
use serde_json::json;
use std::collections::BTreeMap;

/// Registrations without an account, per client address per hour.
pub const REGISTRATION_LIMIT: throttle::Limit =
    throttle::Limit { kind: "registration", max: 20, window_secs: 3600 };

#[derive(Debug, Clone, Default)]
pub struct ParticipantInput {
    pub name: String,
    pub email: String,
    pub category: String,
    pub country: String,
}

#[derive(Debug, Clone, Default)]
pub struct RegistrationInput {
    pub participants: Vec<ParticipantInput>,
    pub answers: serde_json::Map<String, serde_json::Value>,
    pub consent: bool,
    pub invitation: String,
    pub lang: Lang,
}

/// A registration with its participants (tickets on the confirmed).
pub struct Registered {
    pub registration: Registration,
    pub participants: Vec<Participant>,
}

/// Checks a registration against the event: group size, each person's
/// name, e-mail, country and category, the form's answers, the consent.
/// Returns each person's category and the answers as stored.
fn check_registration<'c>(
    e: &Event,
    cats: &'c [Category],
    input: &RegistrationInput,
) -> AppResult<(Vec<&'c Category>, serde_json::Map<String, serde_json::Value>)> {
    let mut errors = vec![];
    let n = input.participants.len() as i64;
    if n == 0 {
        errors.push(FieldError::new("participants", "field-required"));
    } else if n > e.max_group {
        errors.push(FieldError::new("participants", "event-group-too-large"));
    }
    let mut chosen: Vec<&Category> = vec![];
    for (i, p) in input.participants.iter().enumerate() {
        let field = |f: &str| format!("participants[{i}].{f}");
        // The contact (first) is named now; the others may be named later.
        if i == 0 && p.name.trim().is_empty() {
            errors.push(FieldError::new(field("name"), "field-required"));
        }
        if p.name.chars().count() > 200 {
            errors.push(FieldError::new(field("name"), "field-too-long"));
        }
        let email = p.email.trim();
        if (i == 0 || !email.is_empty()) && !looks_like_email(email) {
            errors.push(FieldError::new(field("email"), "field-invalid-email"));
        }
        if !p.country.trim().is_empty()
            && crate::reference::countries::country(&p.country).is_none()
        {
            errors.push(FieldError::new(field("country"), "field-invalid-country"));
        }
        let cat = if p.category.trim().is_empty() {
            cats.first()
        } else {
            cats.iter().find(|c| c.code == p.category.trim())
        };
        match cat {
            Some(c) => chosen.push(c),
            None => errors.push(FieldError::new(field("category"), "field-invalid-choice")),
        }
    }
    let answers = match check_answers(&e.form, &input.answers) {
        Ok(a) => a,
        Err(errs) => {
            errors.extend(errs);
            Default::default()
        }
    };
    if !input.consent {
        errors.push(FieldError::new("consent", "event-consent-required"));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    Ok((chosen, answers))
}

/// Registers a person or a group (the first participant is the contact).
/// All seats of a group are taken together or the group waits together.
pub async fn register(
    state: &AppState,
    who: &Who,
    user: Option<&CurrentUser>,
    event_id: &str,
    input: RegistrationInput,
) -> AppResult<Registered> {
    let e = visible(state, user, event_id, &input.invitation).await?;
    if e.status != EventStatus::RegistrationOpen {
        return Err(AppError::Conflict {
            key: "event-registration-closed",
            conflicts: json!({"current_status": e.status.code()}),
        });
    }
    let cats = event::store::categories(&state.db.pool, &e.id).await?;
    let (chosen, answers) = check_registration(&e, &cats, &input)?;
    let n = input.participants.len() as i64;
    let mut per_category: BTreeMap<String, i64> = BTreeMap::new();
    for c in &chosen {
        *per_category.entry(c.id.clone()).or_default() += 1;
    }
    let now = state.clock.now();
    let tz = crate::domains::centers::service::tz(state, &e.center_id).await?;
    let year =
        year_of(now.millis(), &tz).ok_or_else(|| AppError::internal("clock out of range"))?;
    let mut tx = Write::begin(state, who).await?;
    if user.is_none() {
        throttle::hit(&mut tx, REGISTRATION_LIMIT, &who.client_ip, now).await?;
    }
    // Nobody passes a strict line: with people waiting, newcomers queue. A
    // lapsed entry holds nobody up: when it stands in the way it is lapsed
    // here, the live entries behind it move into the seats it held back,
    // and then the newcomer tries again.
    let behind_line = e.waitlist && e.policy == WaitlistPolicy::Strict;
    let mut seated = take(&mut tx, &e.id, n, behind_line, &per_category, now).await?;
    if !seated && behind_line && store::has_lapsed(&mut tx, &e.id, now.millis()).await? {
        let promoted = promote_line(&mut tx, &e.id, now).await?;
        tx.mail(promoted);
        seated = take(&mut tx, &e.id, n, behind_line, &per_category, now).await?;
    }
    let status = match (seated, e.requires_approval) {
        (true, false) => RegStatus::Confirmed,
        (true, true) => RegStatus::Pending,
        (false, _) if e.waitlist => RegStatus::Waitlisted,
        (false, _) => {
            tx.rollback().await?;
            return Err(AppError::Conflict {
                key: "event-full",
                conflicts: json!({"capacity": e.capacity}),
            });
        }
    };
    let contact = &input.participants[0];
    let registration = Registration {
        id: new_id(),
        event_id: e.id.clone(),
        center_id: e.center_id.clone(),
        reference: next_reference(&mut tx, &e.center_id, "R", year).await?,
        status,
        status_reason: String::new(),
        seats: n,
        contact_name: contact.name.trim().into(),
        contact_email: normalize_email(&contact.email),
        answers,
        lang: input.lang.tag().into(),
        link: String::new(),
        waiting_since: (status == RegStatus::Waitlisted).then_some(now.millis()),
        expires_at: (status == RegStatus::Waitlisted).then(|| {
            if e.waitlist_hours > 0 {
                now.millis() + e.waitlist_hours * 3_600_000
            } else {
                e.span.start
            }
        }),
        created_at: now.millis(),
    };
    let mut registration = registration;
    store::insert_registration(&mut tx, &registration, Some(now.millis())).await?;
    registration.link = links::mint(&mut tx, Purpose::Ticket, &registration.id, now).await?;
    let mut participants = vec![];
    for (i, (p, c)) in input.participants.iter().zip(&chosen).enumerate() {
        let part = Participant {
            id: new_id(),
            registration_id: registration.id.clone(),
            event_id: e.id.clone(),
            position: i as i64 + 1,
            name: p.name.trim().into(),
            email: normalize_email(&p.email),
            category_id: c.id.clone(),
            country: p.country.trim().to_ascii_uppercase(),
            ticket_code: (status == RegStatus::Confirmed).then(crate::tickets::new_code),
            checked_in_at: None,
            checked_in_device: String::new(),
        };
        store::insert_participant(&mut tx, &part, now).await?;
        participants.push(part);
    }
    tx.audit(Some(&e.center_id), "registration", &registration.id, "register", json!({"event": e.reference, "reference": registration.reference, "seats": n, "status": status.code()}))
            .await?;
    let key = format!("mail-registration-{}", status.code());
    let sent = mail(&mut tx, &registration, &e, &key, "", now).await?;
    tx.mail([sent]);
    tx.commit().await?;
    Ok(Registered { registration, participants })
}

pub async fn registration(state: &AppState, id: &str) -> AppResult<Registered> {
    let registration = store::registration(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let participants = store::participants(&state.db.pool, &registration.id).await?;
    Ok(Registered { registration, participants })
}

/// One participant of an event ("not found" for another event's).
pub async fn participant_in(state: &AppState, event_id: &str, id: &str) -> AppResult<Participant> {
    participant(state, id).await?.filter(|p| p.event_id == event_id).ok_or(AppError::NotFound)
}

/// One participant, if there is one with this id.
pub async fn participant(state: &AppState, id: &str) -> AppResult<Option<Participant>> {
    Ok(store::participant(&state.db, id).await?)
}

/// The registration a ticket link opens, with the link's secret in hand.
pub async fn registration_by_token(state: &AppState, token: &str) -> AppResult<Registered> {
    let id = links::resolve(&state.db, Purpose::Ticket, token).await?.ok_or(AppError::NotFound)?;
    let mut r = registration(state, &id).await?;
    r.registration.link = token.trim().to_string();
    Ok(r)
}

/// A registration the caller may see: staff of its center, or whoever holds its token.
pub async fn registration_for(
    state: &AppState,
    user: Option<&CurrentUser>,
    id: &str,
    token: &str,
) -> AppResult<Registered> {
    let mut r = registration(state, id).await?;
    let staff = runs_events_of(user, &r.registration.center_id);
    let holder = links::resolve(&state.db, Purpose::Ticket, token).await?.as_deref() == Some(id);
    if holder {
        r.registration.link = token.trim().to_string();
    }
    if staff || holder { Ok(r) } else { Err(AppError::NotFound) }
}

/// A page of an event's registrations with their people, for staff.
pub async fn registrations_page(
    state: &AppState,
    user: &CurrentUser,
    event_id: &str,
    after: &(i64, String),
    limit: i64,
) -> AppResult<Vec<Registered>> {
    let e = get(state, event_id).await?;
    staff_event(user, &e)?;
    let (regs, people) = store::registrations_page(&state.db, &e.id, after, limit).await?;
    Ok(group(regs, people))
}

/// Registrations with their people (sorted by position), in the order given.
fn group(regs: Vec<Registration>, people: Vec<Participant>) -> Vec<Registered> {
    let mut by_registration: std::collections::HashMap<String, Vec<Participant>> =
        std::collections::HashMap::new();
    for p in people {
        by_registration.entry(p.registration_id.clone()).or_default().push(p);
    }
    regs.into_iter()
        .map(|r| {
            let mut participants = by_registration.remove(&r.id).unwrap_or_default();
            participants.sort_by_key(|p| p.position);
            Registered { registration: r, participants }
        })
        .collect()
}

/// A page of an event's valid tickets, for staff (check-in devices).
pub async fn tickets_page(
    state: &AppState,
    user: &CurrentUser,
    event_id: &str,
    after_id: &str,
    limit: i64,
) -> AppResult<Vec<Participant>> {
    let e = get(state, event_id).await?;
    staff_event(user, &e)?;
    Ok(store::tickets_page(&state.db, &e.id, after_id, limit).await?)
}

pub async fn registrations(
    state: &AppState,
    user: &CurrentUser,
    event_id: &str,
) -> AppResult<Vec<Registered>> {
    let e = get(state, event_id).await?;
    staff_event(user, &e)?;
    let people = store::event_participants(&state.db, &e.id).await?;
    Ok(group(store::registrations(&state.db, &e.id).await?, people))
}

/// Cancels, confirms (approval) or rejects a registration; seats freed go
/// to the waiting line in the same transaction.
pub async fn decide(
    state: &AppState,
    who: &Who,
    registration_id: &str,
    to: RegStatus,
    reason: &str,
) -> AppResult<Registered> {
    let r = registration(state, registration_id).await?.registration;
    let e = get(state, &r.event_id).await?;
    let allowed = match to {
        RegStatus::Cancelled => r.status.is_live(),
        RegStatus::Confirmed | RegStatus::Rejected => r.status == RegStatus::Pending,
        _ => false,
    };
    if !allowed {
        return Err(AppError::Conflict {
            key: "registration-illegal-transition",
            conflicts: json!({"from": r.status.code(), "to": to.code()}),
        });
    }
    if to == RegStatus::Rejected && reason.trim().is_empty() {
        return Err(AppError::invalid("reason", "event-reason-required"));
    }
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    if !store::set_registration_status(&mut tx, &r.id, r.status, to, reason.trim(), now).await? {
        return Err(AppError::Conflict {
            key: "registration-illegal-transition",
            conflicts: json!({"from": r.status.code(), "to": to.code()}),
        });
    }
    let mut mails = vec![];
    match to {
        RegStatus::Confirmed => issue_tickets(&mut tx, &r.id, now).await?,
        _ if r.status.holds_seats() => {
            release(&mut tx, &r).await?;
            mails.extend(promote_line(&mut tx, &e.id, now).await?);
        }
        _ => {}
    }
    mails.push(
        mail(&mut tx, &r, &e, &format!("mail-registration-{}", to.code()), reason.trim(), now)
            .await?,
    );
    tx.audit(Some(&e.center_id), "registration", &r.id, to.code(), json!({"from": r.status.code(), "to": to.code(), "reason": reason.trim(), "promoted": mails.len() - 1}))
            .await?;
    tx.mail(mails);
    tx.commit().await?;
    registration(state, registration_id).await
}

/// The participant list of an event for staff, written to the audit log
/// (who exported which event's personal data, in which format).
pub async fn export(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    event_id: &str,
    format: &str,
    lang: Lang,
) -> AppResult<(Event, crate::domains::events::export::Table)> {
    let e = get(state, event_id).await?;
    staff_event(user, &e)?;
    let tz = crate::domains::centers::service::tz(state, &e.center_id).await?;
    let cats = event::store::categories(&state.db.pool, &e.id).await?;
    let mut header: Vec<String> = [
        "export-reference",
        "export-status",
        "export-name",
        "export-email",
        "export-category",
        "export-country",
        "export-ticket",
        "export-checked-in",
        "export-registered",
    ]
    .iter()
    .map(|k| lang.t(k))
    .collect();
    header.extend(e.form.iter().map(|q| lang.pick(&q.label_zh, &q.label_en).to_string()));
    let mut rows = vec![];
    let people = store::event_participants(&state.db, &e.id).await?;
    for Registered { registration: r, participants } in
        group(store::registrations(&state.db, &e.id).await?, people)
    {
        for p in participants {
            let cat = cats
                .iter()
                .find(|c| c.id == p.category_id)
                .map(|c| lang.pick(&c.name.zh, &c.name.en).to_string());
            let mut row = vec![
                r.reference.clone(),
                lang.t(&r.status.label_key()),
                p.name.clone(),
                if p.email.is_empty() && p.position == 1 {
                    r.contact_email.clone()
                } else {
                    p.email.clone()
                },
                cat.unwrap_or_default(),
                p.country.clone(),
                p.ticket_code.as_deref().map(crate::tickets::display).unwrap_or_default(),
                p.checked_in_at.map(|a| Instant(a).display_in(&tz)).unwrap_or_default(),
                Instant(r.created_at).display_in(&tz),
            ];
            for q in &e.form {
                row.push(match r.answers.get(&q.id) {
                    Some(serde_json::Value::String(s)) => s.clone(),
                    Some(serde_json::Value::Array(a)) => {
                        a.iter().filter_map(|v| v.as_str()).collect::<Vec<_>>().join("; ")
                    }
                    Some(serde_json::Value::Bool(b)) => {
                        lang.t(if *b { "event-yes" } else { "event-no" })
                    }
                    _ => String::new(),
                });
            }
            rows.push(row);
        }
    }
    let _now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    tx.audit(
        Some(&e.center_id),
        "event",
        &e.id,
        "export",
        json!({"format": format, "rows": rows.len()}),
    )
    .await?;
    tx.commit().await?;
    Ok((e, crate::domains::events::export::Table { header, rows }))
}

/// The holder names the people of a group (or corrects a name) while the
/// registration is live. `names`: (participant id, name, e-mail).
pub async fn name_participants(
    state: &AppState,
    who: &Who,
    token: &str,
    names: Vec<(String, String, String)>,
) -> AppResult<Registered> {
    let r = registration_by_token(state, token).await?;
    if !r.registration.status.is_live() {
        return Err(AppError::Conflict {
            key: "registration-illegal-transition",
            conflicts: json!({"current_status": r.registration.status.code()}),
        });
    }
    // One entry per person of the group, at most: a longer list is refused
    // before any work (the group's size bounds the write).
    if names.len() > r.participants.len() {
        return Err(AppError::invalid("participants", "registration-names-too-many"));
    }
    let mut errors = vec![];
    for (i, (_, name, email)) in names.iter().enumerate() {
        if name.chars().count() > 200 {
            errors.push(FieldError::new(format!("participants[{i}].name"), "field-too-long"));
        }
        if !email.trim().is_empty() && !looks_like_email(email.trim()) {
            errors.push(FieldError::new(format!("participants[{i}].email"), "field-invalid-email"));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    let mut changed = 0;
    for (id, name, email) in &names {
        // Only this group's people, and only what changes.
        let Some(before) = r.participants.iter().find(|p| &p.id == id) else { continue };
        // The contact's name stays required.
        if before.position == 1 && name.trim().is_empty() {
            continue;
        }
        if before.name == name.trim() && before.email == normalize_email(email) {
            continue;
        }
        if store::name_participant(
            &mut tx,
            &r.registration.id,
            id,
            name.trim(),
            &normalize_email(email),
            now,
        )
        .await?
        {
            changed += 1;
        }
    }
    tx.audit(
        Some(&r.registration.center_id),
        "registration",
        &r.registration.id,
        "name",
        json!({"participants": changed}),
    )
    .await?;
    tx.commit().await?;
    registration(state, &r.registration.id).await
}

/// Purges registrants' personal data of every event past its retention
/// date; returns how many events were purged.
pub async fn purge_expired(state: &AppState, who: &Who) -> AppResult<usize> {
    let tz = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap_or(jiff::tz::TimeZone::UTC);
    let today = state.clock.now().local_parts(&tz).0;
    let due = store::due_for_purge(&state.db, &today).await?;
    let now = state.clock.now();
    for (event_id, center_id) in &due {
        let registrations = store::registrations(&state.db, event_id).await?;
        let mut tx = Write::begin(state, who).await?;
        let people = store::purge(&mut tx, event_id, now).await?;
        // Ticket links open nothing personal any more: they end too.
        for r in &registrations {
            links::forget(&mut tx, Purpose::Ticket, &r.id).await?;
        }
        tx.audit(
            Some(center_id),
            "event",
            event_id,
            "purge",
            json!({"participants": people, "before": today}),
        )
        .await?;
        tx.commit().await?;
    }
    Ok(due.len())
}
