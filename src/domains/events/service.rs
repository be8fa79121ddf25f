//! Event rules and transactions. Seats are taken only by guarded UPDATEs of
//! the event and category rows inside one write transaction, so an event is
//! never over capacity or a category over quota, whatever the concurrency;
//! freed seats go to the waiting line by the event's policy in the same
//! transaction that freed them; a ticket is checked in by a guarded UPDATE,
//! so never twice.

use std::collections::BTreeMap;

use serde_json::json;

use super::model::{
    EventKind, EventStatus, Question, RegStatus, Visibility, Waiting, WaitlistPolicy,
    check_answers, check_form, display_code, new_ticket_code, normalize_code, promote,
};
use super::store::{self, Category, CheckinLog, Event, Participant, Registration, Session};
use crate::audit::Who;
use crate::auth::{CurrentUser, Perm, allows};
use crate::clock::Instant;
use crate::db::{Tx, new_id, next_reference};
use crate::domains::venues::service::{self as venues, BookingRequest};
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n::{Bilingual, Lang};
use crate::notify::Outgoing;
use crate::reference::languages::language_tags;
use crate::state::AppState;
use crate::throttle;
use crate::time::Span;
use crate::time::year_of;
use crate::validate::{looks_like_email, normalize_email};
use crate::write::Write;

/// Registrations without an account, per client address per hour.
pub const REGISTRATION_LIMIT: throttle::Limit =
    throttle::Limit { kind: "registration", max: 20, window_secs: 3600 };

/// How long a check-in may be taken back.
pub const UNDO_SECS: i64 = 60;

#[derive(Debug, Clone, Default)]
pub struct CategoryInput {
    pub code: String,
    pub name: Bilingual,
    pub quota: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct SessionInput {
    pub title: Bilingual,
    pub span: Span,
    pub room_id: String,
}

#[derive(Debug, Clone, Default)]
pub struct EventInput {
    pub kind: String,
    pub title: Bilingual,
    pub summary: Bilingual,
    pub description: Bilingual,
    pub organizers: String,
    pub visibility: String,
    pub languages: String,
    pub span: Option<Span>,
    pub capacity: i64,
    pub waitlist: bool,
    pub policy: String,
    pub waitlist_hours: i64,
    pub requires_approval: bool,
    pub max_group: i64,
    /// One session over the whole event in this room, when no sessions are given.
    pub room_id: String,
    pub sessions: Vec<SessionInput>,
    pub categories: Vec<CategoryInput>,
    pub form: Vec<Question>,
    pub retention_until: String,
}

/// The limits on an event's words, on creation and on every edit.
fn text_errors(title: &Bilingual, summary: &Bilingual, description: &Bilingual) -> Vec<FieldError> {
    let mut errors = title.require("title", 200);
    errors.extend(summary.limit("summary", 1000));
    errors.extend(description.limit("description", 20_000));
    errors
}

/// The limits on group size and waiting time, on creation and on every edit.
fn line_errors(max_group: i64, waitlist_hours: i64) -> Vec<FieldError> {
    let mut errors = vec![];
    if !(1..=100).contains(&max_group) {
        errors.push(FieldError::new("max_group", "field-invalid-number"));
    }
    if !(0..=24 * 90).contains(&waitlist_hours) {
        errors.push(FieldError::new("waitlist_hours", "field-invalid-number"));
    }
    errors
}

fn center_of(user: &CurrentUser) -> AppResult<String> {
    user.center_id.clone().ok_or(AppError::Forbidden)
}

/// Creates an event with its categories and sessions; rooms are booked
/// through the venues service first (a room conflict is the venues 409).
pub async fn create(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    input: EventInput,
) -> AppResult<Event> {
    let center_id = center_of(user)?;
    let mut errors = vec![];
    let kind = EventKind::parse(&input.kind);
    if kind.is_none() {
        errors.push(FieldError::new("kind", "event-kind-invalid"));
    }
    errors.extend(text_errors(&input.title, &input.summary, &input.description));
    let visibility = match input.visibility.trim() {
        "" => Visibility::Public,
        v => Visibility::parse(v).unwrap_or_else(|| {
            errors.push(FieldError::new("visibility", "field-invalid-choice"));
            Visibility::Public
        }),
    };
    let policy = match input.policy.trim() {
        "" => WaitlistPolicy::Strict,
        p => WaitlistPolicy::parse(p).unwrap_or_else(|| {
            errors.push(FieldError::new("waitlist_policy", "field-invalid-choice"));
            WaitlistPolicy::Strict
        }),
    };
    let languages = language_tags(&input.languages).unwrap_or_else(|_| {
        errors.push(FieldError::new("languages", "field-invalid-language"));
        vec![]
    });
    let span = match input.span {
        Some(s) if s.end > s.start => s,
        Some(s) => {
            errors.push(FieldError::new("ends_at", "field-end-before-start"));
            s
        }
        None => {
            errors.push(FieldError::new("starts_at", "field-invalid-instant"));
            Span::new(0, 1)
        }
    };
    if !(1..=100_000).contains(&input.capacity) {
        errors.push(FieldError::new("capacity", "event-capacity-invalid"));
    }
    errors.extend(line_errors(input.max_group, input.waitlist_hours));
    errors.extend(check_form(&input.form));
    errors.extend(crate::time::parse_day("retention_until", &input.retention_until, false).err());
    let mut categories = input.categories.clone();
    if categories.is_empty() {
        categories.push(CategoryInput {
            code: "general".into(),
            name: Bilingual::new("普通参会者", "Participant"),
            quota: None,
        });
    }
    for (i, c) in categories.iter().enumerate() {
        let ok = !c.code.is_empty()
            && c.code.len() <= 40
            && c.code.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_');
        if !ok || categories[..i].iter().any(|o| o.code == c.code) {
            errors.push(FieldError::new(format!("categories[{i}].code"), "event-category-code"));
        }
        if c.quota.is_some_and(|q| q < 0) {
            errors.push(FieldError::new(format!("categories[{i}].quota"), "field-invalid-number"));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let mut sessions = input.sessions.clone();
    if sessions.is_empty() && !input.room_id.trim().is_empty() {
        sessions.push(SessionInput {
            title: input.title.clone(),
            span,
            room_id: input.room_id.trim().into(),
        });
    }
    let now = state.clock.now();
    let event_id = new_id();
    let tz = crate::domains::centers::service::tz(state, &center_id).await?;
    let year =
        year_of(span.start, &tz).ok_or(AppError::invalid("starts_at", "field-invalid-instant"))?;
    // The rooms are booked in the event's own unit of write: a session that
    // meets another booking leaves neither the event nor any booking behind.
    let mut tx = Write::begin(state, who).await?;
    let made =
        book_sessions(state, &mut tx, user, &center_id, &event_id, &input, &sessions).await?;
    let event = Event {
        id: event_id,
        center_id: center_id.clone(),
        reference: next_reference(&mut tx, &center_id, "E", year).await?,
        kind: kind.unwrap_or(EventKind::Exchange),
        title: input.title,
        summary: input.summary,
        description: input.description,
        organizers: input.organizers.trim().into(),
        visibility,
        invitation_code: crate::auth::secret::random_token()[..24].to_string(),
        languages,
        span,
        capacity: input.capacity,
        taken: 0,
        waitlist: input.waitlist,
        policy,
        waitlist_hours: input.waitlist_hours,
        requires_approval: input.requires_approval,
        max_group: input.max_group,
        status: EventStatus::Planned,
        status_reason: String::new(),
        form: input.form,
        retention_until: if input.retention_until.is_empty() {
            let (d, _) = Instant(span.end).plus_secs(365 * 86_400).local_parts(&tz);
            d
        } else {
            input.retention_until
        },
        created_at: now.millis(),
    };
    store::insert_event(&mut tx, &event, Some(&user.id)).await?;
    for (i, c) in categories.iter().enumerate() {
        let cat = Category {
            id: new_id(),
            event_id: event.id.clone(),
            code: c.code.clone(),
            name: c.name.clone(),
            quota: c.quota,
            taken: 0,
            position: i as i64 + 1,
        };
        store::insert_category(&mut tx, &cat).await?;
    }
    for s in &made {
        store::insert_session(&mut tx, &event.id, s, now).await?;
    }
    tx.audit(Some(&center_id), "event", &event.id, "create", json!({"reference": event.reference, "title": event.title, "kind": event.kind.code(),
                            "capacity": event.capacity, "visibility": event.visibility.code(), "sessions": made.len()}))
            .await?;
    tx.commit().await?;
    Ok(event)
}

/// Books each session's room inside the event's unit of write, in order;
/// the first conflict ends it all (the caller's write is dropped).
async fn book_sessions(
    state: &AppState,
    tx: &mut Write,
    user: &CurrentUser,
    center_id: &str,
    event_id: &str,
    input: &EventInput,
    sessions: &[SessionInput],
) -> AppResult<Vec<Session>> {
    let mut made = vec![];
    for (i, s) in sessions.iter().enumerate() {
        let mut booking_id = None;
        if !s.room_id.is_empty() {
            venues::room_in(state, center_id, &s.room_id)
                .await
                .map_err(|_| AppError::invalid("room_id", "room-unknown"))?;
            let request = BookingRequest {
                room_id: s.room_id.clone(),
                span: s.span,
                title: if s.title.is_complete() { s.title.clone() } else { input.title.clone() },
                attendees: input.capacity,
                recurrence: None,
                skip_conflicts: false,
                needs: vec![],
                purpose: "event".into(),
                purpose_id: event_id.to_string(),
            };
            let created = venues::book_in(state, tx, user, request).await?;
            booking_id = created.bookings.first().map(|b| b.id.clone());
        }
        made.push(Session {
            id: new_id(),
            position: i as i64 + 1,
            title: s.title.clone(),
            span: s.span,
            room_id: (!s.room_id.is_empty()).then(|| s.room_id.clone()),
            booking_id,
        });
    }
    Ok(made)
}

pub async fn get(state: &AppState, id: &str) -> AppResult<Event> {
    store::event(&state.db, id).await?.ok_or(AppError::NotFound)
}

/// An event the caller may see: staff of its center see all; the public
/// sees public ones, and invitation-only ones with the invitation code.
pub async fn visible(
    state: &AppState,
    user: Option<&CurrentUser>,
    id: &str,
    invitation: &str,
) -> AppResult<Event> {
    let e = get(state, id).await?;
    let ok = runs_events_of(user, &e.center_id)
        || match e.visibility {
            Visibility::Public => true,
            Visibility::Invitation => !invitation.is_empty() && invitation == e.invitation_code,
            Visibility::Internal => false,
        };
    if ok { Ok(e) } else { Err(AppError::NotFound) }
}

pub async fn list(
    state: &AppState,
    center_id: &str,
    from: i64,
    public_only: bool,
) -> AppResult<Vec<Event>> {
    Ok(store::events(&state.db, center_id, from, public_only, 500).await?)
}

pub async fn categories(state: &AppState, event_id: &str) -> AppResult<Vec<Category>> {
    Ok(store::categories(&state.db.pool, event_id).await?)
}

pub async fn sessions(state: &AppState, event_id: &str) -> AppResult<Vec<Session>> {
    Ok(store::sessions(&state.db, event_id).await?)
}

/// Whether the caller runs events of this center (the one rule for who is
/// staff of an event or a registration).
pub fn runs_events_of(user: Option<&CurrentUser>, center_id: &str) -> bool {
    user.is_some_and(|u| {
        allows(Some(u.role), Perm::ManageEvents) && u.center_id.as_deref() == Some(center_id)
    })
}

fn staff_event(user: &CurrentUser, e: &Event) -> AppResult<()> {
    if runs_events_of(Some(user), &e.center_id) { Ok(()) } else { Err(AppError::NotFound) }
}

/// Moves an event along its lifecycle. Cancelling it cancels every live
/// registration (registrants are told by e-mail) and frees its rooms.
pub async fn transition(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    id: &str,
    to: &str,
    reason: &str,
) -> AppResult<Event> {
    let e = get(state, id).await?;
    staff_event(user, &e)?;
    let to =
        EventStatus::parse(to).ok_or_else(|| AppError::invalid("to", "field-invalid-choice"))?;
    if to == EventStatus::Cancelled && reason.trim().is_empty() {
        return Err(AppError::invalid("reason", "event-reason-required"));
    }
    let illegal = || AppError::Conflict {
        key: "event-illegal-transition",
        conflicts: json!({"from": e.status.code(), "to": to.code(),
                          "allowed": e.status.next().iter().map(|s| s.code()).collect::<Vec<_>>()}),
    };
    if !e.status.can_become(to) {
        return Err(illegal());
    }
    if to == EventStatus::Cancelled {
        for s in store::sessions(&state.db, &e.id).await? {
            if let Some(b) = s.booking_id {
                let booking = venues::booking_in(state, &e.center_id, &b).await?;
                if booking.status.is_live() {
                    venues::transition(
                        state,
                        user,
                        who,
                        &b,
                        crate::domains::venues::model::BookingStatus::Cancelled,
                        venues::Scope::Occurrence,
                        reason,
                    )
                    .await?;
                }
            }
        }
    }
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    if !store::set_status(&mut tx, &e.id, e.status, to, reason.trim(), now).await? {
        return Err(illegal());
    }
    let mut mails = vec![];
    if to == EventStatus::Cancelled {
        for r in store::live_tx(&mut tx, &e.id).await? {
            store::set_registration_status(
                &mut tx,
                &r.id,
                r.status,
                RegStatus::Cancelled,
                "event cancelled",
                now,
            )
            .await?;
            if r.status.holds_seats() {
                release(&mut tx, &r).await?;
            }
            mails.push(mail(&r, &e, "mail-event-cancelled", reason.trim()));
        }
    }
    tx.audit(Some(&e.center_id), "event", &e.id, "transition", json!({"from": e.status.code(), "to": to.code(), "reason": reason.trim(), "registrants_told": mails.len()}))
            .await?;
    tx.mail(mails);
    tx.commit().await?;
    get(state, id).await
}

/// Raises or lowers the capacity (never below the seats held); seats it
/// frees go to the waiting line at once.
pub async fn set_capacity(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    id: &str,
    capacity: i64,
) -> AppResult<Event> {
    let e = get(state, id).await?;
    staff_event(user, &e)?;
    if !(1..=100_000).contains(&capacity) {
        return Err(AppError::invalid("capacity", "event-capacity-invalid"));
    }
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    if !store::set_capacity(&mut tx, &e.id, capacity, now).await? {
        return Err(AppError::Conflict {
            key: "event-capacity-below-taken",
            conflicts: json!({"taken": store::event_tx(&mut tx, &e.id).await?.map(|x| x.taken)}),
        });
    }
    let promoted = promote_line(&mut tx, &e.id, now).await?;
    tx.audit(
        Some(&e.center_id),
        "event",
        &e.id,
        "capacity",
        json!({"from": e.capacity, "to": capacity, "promoted": promoted.len()}),
    )
    .await?;
    tx.mail(promoted);
    tx.commit().await?;
    get(state, id).await
}

/// What may change of an event once it exists: its words, who may see it,
/// its languages and how its registration and line work. Absent fields keep
/// their value. (Times and rooms, capacity and categories have their own
/// paths, since they touch bookings and seats.)
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct EventEdit {
    pub title_zh: Option<String>,
    pub title_en: Option<String>,
    pub summary_zh: Option<String>,
    pub summary_en: Option<String>,
    pub description_zh: Option<String>,
    pub description_en: Option<String>,
    pub organizers: Option<String>,
    /// `public`, `invitation` or `internal`.
    pub visibility: Option<String>,
    /// BCP 47 tags, comma-separated.
    pub languages: Option<String>,
    pub waitlist: Option<bool>,
    /// `strict` or `first_fit`.
    pub waitlist_policy: Option<String>,
    pub waitlist_hours: Option<i64>,
    pub requires_approval: Option<bool>,
    pub max_group: Option<i64>,
}

/// Changes an event's details (see [`EventEdit`]); a changed policy may
/// promote people from the line at once. Not for a cancelled event.
pub async fn update(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    id: &str,
    edit: EventEdit,
) -> AppResult<Event> {
    let e = get(state, id).await?;
    staff_event(user, &e)?;
    if e.status == EventStatus::Cancelled {
        return Err(AppError::Conflict {
            key: "event-cancelled-no-edit",
            conflicts: json!({"status": e.status.code()}),
        });
    }
    let mut next = e.clone();
    let mut errors = vec![];
    let text = |v: Option<String>, old: &str| v.map(|x| x.trim().to_string()).unwrap_or(old.into());
    next.title = Bilingual::new(text(edit.title_zh, &e.title.zh), text(edit.title_en, &e.title.en));
    next.summary =
        Bilingual::new(text(edit.summary_zh, &e.summary.zh), text(edit.summary_en, &e.summary.en));
    next.description = Bilingual::new(
        text(edit.description_zh, &e.description.zh),
        text(edit.description_en, &e.description.en),
    );
    next.organizers = text(edit.organizers, &e.organizers);
    errors.extend(text_errors(&next.title, &next.summary, &next.description));
    if next.organizers.chars().count() > 500 {
        errors.push(FieldError::new("organizers", "field-too-long"));
    }
    if let Some(v) = edit.visibility {
        match Visibility::parse(v.trim()) {
            Some(v) => next.visibility = v,
            None => errors.push(FieldError::new("visibility", "field-invalid-choice")),
        }
    }
    if let Some(l) = edit.languages {
        match language_tags(&l) {
            Ok(tags) => next.languages = tags,
            Err(_) => errors.push(FieldError::new("languages", "field-invalid-language")),
        }
    }
    if let Some(p) = edit.waitlist_policy {
        match WaitlistPolicy::parse(p.trim()) {
            Some(p) => next.policy = p,
            None => errors.push(FieldError::new("waitlist_policy", "field-invalid-choice")),
        }
    }
    next.waitlist = edit.waitlist.unwrap_or(e.waitlist);
    next.requires_approval = edit.requires_approval.unwrap_or(e.requires_approval);
    next.waitlist_hours = edit.waitlist_hours.unwrap_or(e.waitlist_hours);
    next.max_group = edit.max_group.unwrap_or(e.max_group);
    errors.extend(line_errors(next.max_group, next.waitlist_hours));
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    // Nobody is dropped from a line by closing it: they wait it out first.
    if e.waitlist && !next.waitlist {
        let waiting = store::live_tx(&mut tx, &e.id)
            .await?
            .iter()
            .filter(|r| r.status == RegStatus::Waitlisted)
            .count();
        if waiting > 0 {
            return Err(AppError::Conflict {
                key: "event-waitlist-has-people",
                conflicts: json!({"waiting": waiting}),
            });
        }
    }
    store::update_details(&mut tx, &next, now).await?;
    let promoted = promote_line(&mut tx, &e.id, now).await?;
    let changed: Vec<&str> = [
        ("title", e.title != next.title),
        ("summary", e.summary != next.summary),
        ("description", e.description != next.description),
        ("organizers", e.organizers != next.organizers),
        ("visibility", e.visibility != next.visibility),
        ("languages", e.languages != next.languages),
        ("waitlist", e.waitlist != next.waitlist),
        ("waitlist_policy", e.policy != next.policy),
        ("waitlist_hours", e.waitlist_hours != next.waitlist_hours),
        ("requires_approval", e.requires_approval != next.requires_approval),
        ("max_group", e.max_group != next.max_group),
    ]
    .into_iter()
    .filter_map(|(name, differs)| differs.then_some(name))
    .collect();
    tx.audit(
        Some(&e.center_id),
        "event",
        &e.id,
        "update",
        json!({"reference": e.reference, "changed": changed, "promoted": promoted.len()}),
    )
    .await?;
    tx.mail(promoted);
    tx.commit().await?;
    get(state, id).await
}

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

/// The e-mail to a registration's contact, in the language they used.
fn mail(r: &Registration, e: &Event, key: &str, reason: &str) -> Outgoing {
    let lang = Lang::parse(&r.lang).unwrap_or_default();
    let args = vec![
        ("event".to_string(), e.title.clone()),
        ("reference".to_string(), Bilingual::new(r.reference.clone(), r.reference.clone())),
        ("reason".to_string(), Bilingual::new(reason, reason)),
    ];
    Outgoing::to_person(&r.contact_email, lang, key, &args, &format!("/tickets/{}", r.manage_token))
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
            conflicts: json!({"status": e.status.code()}),
        });
    }
    let cats = store::categories(&state.db.pool, &e.id).await?;
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
    // Nobody passes a strict line: with people waiting, newcomers queue.
    let behind_line = e.waitlist && e.policy == WaitlistPolicy::Strict;
    let seated = take(&mut tx, &e.id, n, behind_line, &per_category).await?;
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
        manage_token: crate::auth::secret::random_token(),
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
    store::insert_registration(&mut tx, &registration, Some(now.millis())).await?;
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
            ticket_code: (status == RegStatus::Confirmed).then(new_ticket_code),
            checked_in_at: None,
            checked_in_device: String::new(),
        };
        store::insert_participant(&mut tx, &part, now).await?;
        participants.push(part);
    }
    tx.audit(Some(&e.center_id), "registration", &registration.id, "register", json!({"event": e.reference, "reference": registration.reference, "seats": n, "status": status.code()}))
            .await?;
    let key = format!("mail-registration-{}", status.code());
    tx.mail([mail(&registration, &e, &key, "")]);
    tx.commit().await?;
    Ok(Registered { registration, participants })
}

/// Takes a group's seats in the event and in each category, or none.
async fn take(
    tx: &mut Tx,
    event_id: &str,
    n: i64,
    behind_line: bool,
    per_category: &BTreeMap<String, i64>,
) -> AppResult<bool> {
    if !store::take_seats(tx, event_id, n, behind_line).await? {
        return Ok(false);
    }
    let mut taken: Vec<(&String, i64)> = vec![];
    for (cat, k) in per_category {
        if store::take_category(tx, cat, *k).await? {
            taken.push((cat, *k));
        } else {
            for (c, k) in taken {
                store::release_category(tx, c, k).await?;
            }
            store::release_seats(tx, event_id, n).await?;
            return Ok(false);
        }
    }
    Ok(true)
}

/// Gives back the seats a registration held.
async fn release(tx: &mut Tx, r: &Registration) -> AppResult<()> {
    store::release_seats(tx, &r.event_id, r.seats).await?;
    let mut per_category: BTreeMap<String, i64> = BTreeMap::new();
    for p in store::participants(&mut **tx, &r.id).await? {
        *per_category.entry(p.category_id).or_default() += 1;
    }
    for (c, k) in per_category {
        store::release_category(tx, &c, k).await?;
    }
    Ok(())
}

/// Lapses expired waiting entries, then promotes the line into the free
/// seats by the event's policy; returns the e-mails to send after commit.
async fn promote_line(tx: &mut Tx, event_id: &str, now: Instant) -> AppResult<Vec<Outgoing>> {
    let Some(e) = store::event_tx(tx, event_id).await? else { return Ok(vec![]) };
    if !e.waitlist || !matches!(e.status, EventStatus::RegistrationOpen | EventStatus::Planned) {
        return Ok(vec![]);
    }
    let mut line = vec![];
    for r in store::waiting_tx(tx, event_id).await? {
        if r.expires_at.is_some_and(|x| x <= now.millis()) {
            store::set_registration_status(
                tx,
                &r.id,
                RegStatus::Waitlisted,
                RegStatus::Expired,
                "expired",
                now,
            )
            .await?;
            continue;
        }
        let mut seats: BTreeMap<String, i64> = BTreeMap::new();
        for p in store::participants(&mut **tx, &r.id).await? {
            *seats.entry(p.category_id).or_default() += 1;
        }
        line.push((r, Waiting { seats }));
    }
    let cats = store::categories(&mut **tx, event_id).await?;
    let category_free: BTreeMap<String, i64> =
        cats.iter().filter_map(|c| c.quota.map(|q| (c.id.clone(), q - c.taken))).collect();
    let waiting: Vec<Waiting> = line.iter().map(|(_, w)| w.clone()).collect();
    let chosen = promote(e.policy, e.capacity - e.taken, &category_free, &waiting);
    let mut mails = vec![];
    for i in chosen {
        let (r, w) = &line[i];
        if !take(tx, event_id, w.total(), false, &w.seats).await? {
            // The rule and the rows disagree only if something else moved: stop.
            break;
        }
        let to = if e.requires_approval { RegStatus::Pending } else { RegStatus::Confirmed };
        store::set_registration_status(tx, &r.id, RegStatus::Waitlisted, to, "promoted", now)
            .await?;
        if to == RegStatus::Confirmed {
            issue_tickets(tx, &r.id, now).await?;
        }
        mails.push(mail(r, &e, &format!("mail-registration-promoted-{}", to.code()), ""));
    }
    Ok(mails)
}

async fn issue_tickets(tx: &mut Tx, registration_id: &str, now: Instant) -> AppResult<()> {
    for p in store::participants(&mut **tx, registration_id).await? {
        if p.ticket_code.is_none() {
            store::set_ticket(tx, &p.id, &new_ticket_code(), now).await?;
        }
    }
    Ok(())
}

pub async fn registration(state: &AppState, id: &str) -> AppResult<Registered> {
    let registration = store::registration(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let participants = store::participants(&state.db.pool, &registration.id).await?;
    Ok(Registered { registration, participants })
}

pub async fn registration_by_token(state: &AppState, token: &str) -> AppResult<Registered> {
    let r =
        store::registration_by_token(&state.db, token.trim()).await?.ok_or(AppError::NotFound)?;
    registration(state, &r.id).await
}

/// A registration the caller may see: staff of its center, or whoever holds its token.
pub async fn registration_for(
    state: &AppState,
    user: Option<&CurrentUser>,
    id: &str,
    token: &str,
) -> AppResult<Registered> {
    let r = registration(state, id).await?;
    let staff = runs_events_of(user, &r.registration.center_id);
    let holder =
        !token.is_empty() && crate::auth::secret::same(token.trim(), &r.registration.manage_token);
    if staff || holder { Ok(r) } else { Err(AppError::NotFound) }
}

pub async fn registrations(
    state: &AppState,
    user: &CurrentUser,
    event_id: &str,
) -> AppResult<Vec<Registered>> {
    let e = get(state, event_id).await?;
    staff_event(user, &e)?;
    let mut out = vec![];
    let everyone = store::event_participants(&state.db, &e.id).await?;
    for r in store::registrations(&state.db, &e.id).await? {
        let mut participants: Vec<Participant> =
            everyone.iter().filter(|p| p.registration_id == r.id).cloned().collect();
        participants.sort_by_key(|p| p.position);
        out.push(Registered { registration: r, participants });
    }
    Ok(out)
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
    mails.push(mail(&r, &e, &format!("mail-registration-{}", to.code()), reason.trim()));
    tx.audit(Some(&e.center_id), "registration", &r.id, to.code(), json!({"from": r.status.code(), "to": to.code(), "reason": reason.trim(), "promoted": mails.len() - 1}))
            .await?;
    tx.mail(mails);
    tx.commit().await?;
    registration(state, registration_id).await
}

/// What a check-in attempt found.
#[derive(Debug, Clone)]
pub enum CheckinResult {
    Ok {
        participant: Participant,
        category: Bilingual,
        at: i64,
    },
    Already {
        participant: Participant,
        category: Bilingual,
        at: i64,
        device: String,
    },
    /// The ticket's registration is no longer confirmed.
    NotValid {
        participant: Participant,
        status: RegStatus,
    },
}

/// Checks a ticket in, once. `at` is when it happened on the device (an
/// offline check-in syncing later); the server decides who was first.
pub async fn check_in(
    state: &AppState,
    user: &CurrentUser,
    code: &str,
    device: &str,
    at: Option<i64>,
) -> AppResult<CheckinResult> {
    let code = normalize_code(code);
    let door = store::at_door(&state.db, &code).await?.ok_or(AppError::NotFound)?;
    // Another center's ticket is as unknown as a made-up one.
    if !runs_events_of(Some(user), &door.center_id) {
        return Err(AppError::NotFound);
    }
    let store::AtDoor { participant: p, status, category, .. } = door;
    if status != RegStatus::Confirmed {
        return Ok(CheckinResult::NotValid { participant: p, status });
    }
    let now = state.clock.now();
    let at = at
        .filter(|a| *a <= now.millis() && *a > now.millis() - 7 * 86_400_000)
        .unwrap_or(now.millis());
    let device: String = device.trim().chars().take(60).collect();
    // One guarded statement, whole by itself: the participant row is the
    // record of the check-in (when, by whom, on which device).
    let first = if p.checked_in_at.is_none() {
        let mut one = state.db.write_single().await?;
        store::check_in(&mut one, &p.id, at, &user.id, &device).await?
    } else {
        false
    };
    if first {
        return Ok(CheckinResult::Ok {
            participant: Participant { checked_in_at: Some(at), checked_in_device: device, ..p },
            category,
            at,
        });
    }
    // Checked in before the read, or by another device since: the first stands.
    let first_in = match p.checked_in_at {
        Some(_) => p,
        None => store::by_code(&state.db, &code).await?.unwrap_or(p),
    };
    let log = CheckinLog {
        event_id: &first_in.event_id,
        participant_id: &first_in.id,
        action: "duplicate",
        device: &device,
        by: &user.id,
        at,
    };
    store::log_checkin(&mut *state.db.write_single().await?, &log, now).await?;
    let at = first_in.checked_in_at.unwrap_or(at);
    let device = first_in.checked_in_device.clone();
    Ok(CheckinResult::Already { participant: first_in, category, at, device })
}

/// Takes a check-in back within a minute of it.
pub async fn undo_check_in(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    code: &str,
    device: &str,
) -> AppResult<Participant> {
    let code = normalize_code(code);
    let p = store::by_code(&state.db, &code).await?.ok_or(AppError::NotFound)?;
    let e = get(state, &p.event_id).await?;
    staff_event(user, &e).map_err(|_| AppError::NotFound)?;
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    let record = store::check_in_record(&mut tx, &p.id).await?;
    if !store::undo_check_in(&mut tx, &p.id, now.millis() - UNDO_SECS * 1000, now).await? {
        return Err(AppError::Conflict {
            key: "checkin-undo-too-late",
            conflicts: json!({"checked_in_at": p.checked_in_at}),
        });
    }
    // The row forgets the check-in; the log keeps it, and who took it back.
    if let Some((at, by, device)) = &record {
        let taken_back = CheckinLog {
            event_id: &e.id,
            participant_id: &p.id,
            action: "checkin",
            device,
            by,
            at: *at,
        };
        store::log_checkin(&mut tx, &taken_back, now).await?;
    }
    let log = CheckinLog {
        event_id: &e.id,
        participant_id: &p.id,
        action: "undo",
        device: device.trim(),
        by: &user.id,
        at: now.millis(),
    };
    store::log_checkin(&mut tx, &log, now).await?;
    tx.commit().await?;
    store::by_code(&state.db, &code).await?.ok_or(AppError::NotFound)
}

/// Counts for the attendance board.
#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct Attendance {
    /// Confirmed participants.
    pub registered: i64,
    pub pending: i64,
    pub waiting: i64,
    pub checked_in: i64,
    /// Confirmed, not checked in, and the event is over.
    pub no_show: i64,
    pub capacity: i64,
    /// Per category code and per country (ISO code, `""` unknown): [registered, checked in].
    pub by_category: BTreeMap<String, [i64; 2]>,
    pub by_country: BTreeMap<String, [i64; 2]>,
}

pub async fn attendance(
    state: &AppState,
    user: &CurrentUser,
    event_id: &str,
) -> AppResult<Attendance> {
    let e = get(state, event_id).await?;
    staff_event(user, &e)?;
    let cats = store::categories(&state.db.pool, &e.id).await?;
    let regs = store::registrations(&state.db, &e.id).await?;
    let over = state.clock.now().millis() > e.span.end;
    let mut a = Attendance { capacity: e.capacity, ..Attendance::default() };
    for p in store::event_participants(&state.db, &e.id).await? {
        let Some(r) = regs.iter().find(|r| r.id == p.registration_id) else { continue };
        match r.status {
            RegStatus::Pending => a.pending += 1,
            RegStatus::Waitlisted => a.waiting += 1,
            RegStatus::Confirmed => {
                let checked = p.checked_in_at.is_some();
                a.registered += 1;
                a.checked_in += i64::from(checked);
                a.no_show += i64::from(over && !checked);
                let code = cats
                    .iter()
                    .find(|c| c.id == p.category_id)
                    .map(|c| c.code.clone())
                    .unwrap_or_default();
                for (map, key) in
                    [(&mut a.by_category, code), (&mut a.by_country, p.country.clone())]
                {
                    let e = map.entry(key).or_insert([0, 0]);
                    e[0] += 1;
                    e[1] += i64::from(checked);
                }
            }
            _ => {}
        }
    }
    Ok(a)
}

/// For pages: a ticket code as printed.
pub fn printed(code: &str) -> String {
    display_code(code)
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
) -> AppResult<(Event, super::export::Table)> {
    let e = get(state, event_id).await?;
    staff_event(user, &e)?;
    let tz = crate::domains::centers::service::tz(state, &e.center_id).await?;
    let cats = store::categories(&state.db.pool, &e.id).await?;
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
    for r in store::registrations(&state.db, &e.id).await? {
        for p in store::participants(&state.db.pool, &r.id).await? {
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
                p.ticket_code.as_deref().map(display_code).unwrap_or_default(),
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
    Ok((e, super::export::Table { header, rows }))
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
            conflicts: json!({"status": r.registration.status.code()}),
        });
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
        let before = r.participants.iter().find(|p| &p.id == id);
        // The contact's name stays required.
        if before.is_some_and(|p| p.position == 1) && name.trim().is_empty() {
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
        let mut tx = Write::begin(state, who).await?;
        let people = store::purge(&mut tx, event_id, now).await?;
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
