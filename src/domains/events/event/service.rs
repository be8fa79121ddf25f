use super::store;
use crate::audit::Who;
use crate::auth::{CurrentUser, Perm, allows};
use crate::bilingual::Place;
use crate::clock::Instant;
use crate::db::{new_id, next_reference};
use crate::domains::events::event::store::Category;
pub use crate::domains::events::event::store::Event;
pub use crate::domains::events::event::store::Session;
use crate::domains::events::model::{
    EventKind, EventStatus, Question, RegStatus, Visibility, WaitlistPolicy, check_form,
};
use crate::domains::events::registration;
use crate::domains::events::registration::line::{mail, promote_line, release};
use crate::domains::glossary::finding::service as glossary;
use crate::domains::venues;
use crate::domains::venues::booking::service::{BookingRequest, Refused};
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n::Bilingual;
use crate::links::{self, Purpose};
use crate::reference::languages::language_tags;
use crate::state::AppState;
use crate::time::Span;
use crate::time::year_of;
use crate::write::Write;
use serde_json::json;

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
pub(in crate::domains::events) fn text_errors(
    title: &Bilingual,
    summary: &Bilingual,
    description: &Bilingual,
) -> Vec<FieldError> {
    let mut errors = title.require("title", 200);
    errors.extend(summary.limit("summary", 1000));
    errors.extend(description.limit("description", 20_000));
    errors
}

/// The limits on group size and waiting time, on creation and on every edit.
pub(in crate::domains::events) fn line_errors(
    max_group: i64,
    waitlist_hours: i64,
) -> Vec<FieldError> {
    let mut errors = vec![];
    if !(1..=100).contains(&max_group) {
        errors.push(FieldError::new("max_group", "field-invalid-number"));
    }
    if !(0..=24 * 90).contains(&waitlist_hours) {
        errors.push(FieldError::new("waitlist_hours", "field-invalid-number"));
    }
    errors
}

pub(in crate::domains::events) fn center_of(user: &CurrentUser) -> AppResult<String> {
    user.center_id.clone().ok_or(AppError::Forbidden)
}

/// A new event's choices, read and checked.
struct Checked {
    kind: EventKind,
    visibility: Visibility,
    policy: WaitlistPolicy,
    languages: Vec<String>,
    span: Span,
    categories: Vec<CategoryInput>,
}

/// Checks a new event's fields, all at once (every invalid field named).
fn check_new(input: &EventInput) -> AppResult<Checked> {
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
    Ok(Checked {
        kind: kind.unwrap_or(EventKind::Exchange),
        visibility,
        policy,
        languages,
        span,
        categories,
    })
}

/// Creates an event with its categories and sessions, the sessions' rooms
/// booked through the venues service in the same unit of write (a room
/// conflict is the venues 409, and nothing is left behind).
pub async fn create(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    input: EventInput,
) -> AppResult<Event> {
    let center_id = center_of(user)?;
    let Checked { kind, visibility, policy, languages, span, categories } = check_new(&input)?;
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
    let booked = book_sessions(state, &mut tx, user, &center_id, &event_id, &input, &sessions);
    let made = match booked.await? {
        Ok(made) => made,
        Err(refused) => {
            tx.rollback().await?;
            return Err(refused.answer(state).await);
        }
    };
    let event = Event {
        id: event_id,
        center_id: center_id.clone(),
        reference: next_reference(&mut tx, &center_id, "E", year).await?,
        kind,
        title: input.title,
        summary: input.summary,
        description: input.description,
        organizers: input.organizers.trim().into(),
        visibility,
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
    glossary::recheck_in(&mut tx, &center_id, Place::Event, &event.id).await?;
    tx.commit().await?;
    Ok(event)
}

/// Books each session's room inside the event's unit of write, in order;
/// the first conflict ends it all (the caller then drops its write).
pub(in crate::domains::events) async fn book_sessions(
    state: &AppState,
    tx: &mut Write,
    user: &CurrentUser,
    center_id: &str,
    event_id: &str,
    input: &EventInput,
    sessions: &[SessionInput],
) -> AppResult<Result<Vec<Session>, Refused>> {
    let mut made = vec![];
    for (i, s) in sessions.iter().enumerate() {
        let mut booking_id = None;
        if !s.room_id.is_empty() {
            venues::room::service::room_in(state, center_id, &s.room_id)
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
            let created = match venues::booking::service::book_in(state, tx, user, request).await? {
                Ok(created) => created,
                Err(refused) => return Ok(Err(refused)),
            };
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
    Ok(Ok(made))
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
            Visibility::Invitation => {
                links::resolve(&state.db, Purpose::Invitation, invitation).await?.as_deref()
                    == Some(id)
            }
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
    Ok(store::events(&state.db, center_id, from, public_only, &(i64::MIN, String::new()), 500)
        .await?)
}

/// A page of [`list`]: `limit` events after `after` (start, id).
pub async fn list_page(
    state: &AppState,
    center_id: &str,
    from: i64,
    public_only: bool,
    after: &(i64, String),
    limit: i64,
) -> AppResult<Vec<Event>> {
    Ok(store::events(&state.db, center_id, from, public_only, after, limit).await?)
}

/// Events held that started in `span`, and the people checked in at them.
pub async fn held_figures(state: &AppState, center_id: &str, span: Span) -> AppResult<(i64, i64)> {
    Ok(store::held_figures(&state.db, center_id, span.start, span.end).await?)
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

pub(in crate::domains::events) fn staff_event(user: &CurrentUser, e: &Event) -> AppResult<()> {
    if runs_events_of(Some(user), &e.center_id) { Ok(()) } else { Err(AppError::NotFound) }
}

/// A new invitation code for an event (the earlier ones stop opening it);
/// shown once to the staff member who makes it.
pub async fn renew_invitation(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    id: &str,
) -> AppResult<String> {
    let e = get(state, id).await?;
    staff_event(user, &e)?;
    let mut tx = Write::begin(state, who).await?;
    let now = tx.now();
    let code = links::renew(&mut tx, Purpose::Invitation, &e.id, now).await?;
    tx.audit(Some(&e.center_id), "event", &e.id, "invitation", json!({"reference": e.reference}))
        .await?;
    tx.commit().await?;
    Ok(code)
}

/// When the event's invitation code was made, if it was.
pub async fn invitation_made(state: &AppState, id: &str) -> AppResult<Option<Instant>> {
    Ok(links::made_at(&state.db, Purpose::Invitation, id).await?)
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
                let booking = venues::booking::service::booking_in(state, &e.center_id, &b).await?;
                if booking.status.is_live() {
                    venues::booking::service::transition(
                        state,
                        user,
                        who,
                        &b,
                        crate::domains::venues::model::BookingStatus::Cancelled,
                        venues::booking::service::Scope::Occurrence,
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
        for r in registration::store::live_tx(&mut tx, &e.id).await? {
            registration::store::set_registration_status(
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
            mails.push(mail(&mut tx, &r, &e, "mail-event-cancelled", reason.trim(), now).await?);
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
            conflicts: json!({"current_status": e.status.code()}),
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
        let waiting = registration::store::live_tx(&mut tx, &e.id)
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
    glossary::recheck_in(&mut tx, &e.center_id, Place::Event, &e.id).await?;
    tx.mail(promoted);
    tx.commit().await?;
    get(state, id).await
}
