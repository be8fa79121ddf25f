pub use super::conflict::{BookingError, Conflict, Skipped};
use super::conflict::{Viewer, conflicts_in, viewer};
use super::store;
use crate::audit::Who;
use crate::auth::{CurrentUser, Perm, allows};
use crate::clock::Instant;
use crate::db::{new_id, next_reference};
use crate::domains::centers::service as centers;
use crate::domains::venues::booking::store::BookingRow;
use crate::domains::venues::booking::store::NewBookingRow;
use crate::domains::venues::model::{BookingStatus, Recurrence, Room, Span, check_occurrence};
use crate::domains::venues::room;
use crate::domains::venues::room::service::*;
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n::Bilingual;
use crate::notify;
use crate::state::AppState;
use crate::write::Write;
use jiff::tz::TimeZone;
use serde_json::json;

/// What someone asks to book.
#[derive(Debug, Clone)]
pub struct BookingRequest {
    pub room_id: String,
    pub span: Span,
    pub title: Bilingual,
    pub attendees: i64,
    pub recurrence: Option<Recurrence>,
    pub skip_conflicts: bool,
    /// Equipment an alternative room must have.
    pub needs: Vec<String>,
    pub purpose: String,
    pub purpose_id: String,
}

pub struct Created {
    pub bookings: Vec<BookingRow>,
    pub series_id: Option<String>,
    pub skipped: Vec<Skipped>,
    pub status: BookingStatus,
}

/// Puts a booking (or series) in the approval inbox, titled "room · booking".
pub(in crate::domains::venues) async fn open_approval(
    tx: &mut Write,
    room: &Room,
    subject: &str,
    title: &Bilingual,
    requested_by: &str,
    now: Instant,
) -> Result<(), sqlx::Error> {
    let title = Bilingual::new(
        format!("{} · {}", room.name.zh, title.zh),
        format!("{} · {}", room.name.en, title.en),
    );
    crate::approvals::open(tx, &room.center_id, "booking", subject, &title, requested_by, now).await
}

/// May `user` move `booking` to `to` (whether the move is legal from its
/// status is the lifecycle's question)? Approving and rejecting are the
/// approvers' (`DecideApprovals`); cancelling is the organizer's, or anyone's
/// who may cancel any booking; nobody moves a booking back to requested.
/// The booking page offers its buttons by this rule.
pub fn may_move(user: &CurrentUser, booking: &BookingRow, to: BookingStatus) -> bool {
    let role = Some(user.role);
    match to {
        BookingStatus::Confirmed | BookingStatus::Rejected => allows(role, Perm::DecideApprovals),
        BookingStatus::Cancelled => may_change(user, booking),
        BookingStatus::Requested => false,
    }
}

/// May `user` cancel or move `booking`: its organizer, or anyone who may
/// change any booking of the center.
pub fn may_change(user: &CurrentUser, booking: &BookingRow) -> bool {
    allows(Some(user.role), Perm::ChangeAnyBooking) || user.id == booking.organizer_id
}

/// Must what this user books in `room` wait for approval? In an approval
/// room, everyone's but an admin's; anywhere, an enterprise user's. The same
/// rule holds when a booking is moved to another time.
pub fn needs_approval(user: &CurrentUser, room: &Room) -> bool {
    let may = |perm| allows(Some(user.role), perm);
    !may(Perm::BookDirectly) || room.requires_approval && !may(Perm::DecideApprovals)
}

/// May this user book rooms at all, and must their bookings be approved?
pub fn may_book(user: &CurrentUser) -> bool {
    allows(Some(user.role), Perm::BookRooms)
}

/// A booking request checked against the room's rules, ready to be written.
pub(in crate::domains::venues) struct Prepared {
    center_id: String,
    /// The organizer: the user booking.
    user_id: String,
    /// Whether the organizer sees others' bookings in full (else as busy).
    sees_all: bool,
    user_name: String,
    room: Room,
    tz: TimeZone,
    now: Instant,
    occurrences: Vec<Span>,
    blocks: Vec<Span>,
    status: BookingStatus,
    req: BookingRequest,
}

/// Checks a request against who may book and the room's rules (no write).
pub(in crate::domains::venues) async fn prepare(
    state: &AppState,
    user: &CurrentUser,
    req: BookingRequest,
) -> Result<Prepared, BookingError> {
    let center_id = user.center_id.clone().ok_or(AppError::Forbidden)?;
    if !may_book(user) {
        return Err(AppError::Forbidden.into());
    }
    let mut errors = vec![];
    if req.title.zh.is_empty() && req.title.en.is_empty() {
        errors.push(FieldError::new("title_zh", "booking-title-required"));
    }
    errors.extend(req.title.limit("title", 200));
    let room = room_in(state, &center_id, &req.room_id).await?;
    let tz = centers::tz(state, &center_id).await?;
    let now = state.clock.now();
    if let Some(e) = req.recurrence.as_ref().and_then(|r| r.check_start(req.span, &tz)) {
        errors.push(e);
    }
    let occurrences = match &req.recurrence {
        None => vec![req.span],
        Some(rule) => match rule.expand(req.span, &tz) {
            Some(o) if !o.is_empty() => o,
            _ => {
                errors.push(FieldError::new("recurrence", "recurrence-too-many"));
                vec![req.span]
            }
        },
    };
    for occ in &occurrences {
        let problems = check_occurrence(&room.rules, &tz, *occ, req.attendees, now);
        if !problems.is_empty() {
            errors.extend(problems);
            break;
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors).into());
    }

    let status = if needs_approval(user, &room) {
        BookingStatus::Requested
    } else {
        BookingStatus::Confirmed
    };
    let blocks: Vec<Span> = occurrences.iter().map(|o| room.rules.block(*o)).collect();
    Ok(Prepared {
        center_id,
        sees_all: viewer(user).is_none(),
        user_id: user.id.clone(),
        user_name: user.display_name.clone(),
        room,
        tz,
        now,
        occurrences,
        blocks,
        status,
        req,
    })
}

/// Books a room, once or as a series, in its own unit of write.
/// All-or-nothing unless `skip_conflicts`. A conflict is answered with the
/// nearest free times and other free rooms (looked up after the rollback,
/// so the write turn is not held for it).
pub async fn book(
    state: &AppState,
    user: &CurrentUser,
    who: &Who,
    req: BookingRequest,
) -> Result<Created, BookingError> {
    let p = prepare(state, user, req).await?;
    let mut tx = Write::begin(state, who).await?;
    match write_booking(&mut tx, &p).await? {
        Ok(created) => {
            tx.commit().await?;
            Ok(created)
        }
        Err(refused) => {
            tx.rollback().await?;
            Err(refused.conflict(state).await)
        }
    }
}

/// A booking refused inside a caller's unit of write: what is in the way.
/// The caller drops its write (nothing of it may be committed), then turns
/// this into the 409 with [`Refused::answer`].
pub struct Refused {
    conflicts: Vec<Conflict>,
    room: Room,
    tz: TimeZone,
    at: Span,
    attendees: i64,
    needs: Vec<String>,
}

impl Refused {
    /// What is in the way of `p`, whose first blocked occurrence is `at`.
    fn of(p: &Prepared, conflicts: Vec<Conflict>, at: Span) -> Refused {
        let (room, tz) = (p.room.clone(), p.tz.clone());
        Refused { conflicts, room, tz, at, attendees: p.req.attendees, needs: p.req.needs.clone() }
    }

    /// The conflict with the nearest free times and other free rooms —
    /// read after the write is gone, so no writer waits for the search.
    async fn conflict(self, state: &AppState) -> BookingError {
        match alternatives(state, &self.room, &self.tz, self.at, self.attendees, &self.needs).await
        {
            Ok(alternatives) => BookingError::Conflicts { conflicts: self.conflicts, alternatives },
            Err(e) => e.into(),
        }
    }

    /// The 409 for a caller that has dropped its write (see [`Refused::conflict`]).
    pub async fn answer(self, state: &AppState) -> AppError {
        self.conflict(state).await.into()
    }
}

/// Books a room inside the caller's unit of write, so that the booking and
/// what it is for (an event's session, an itinerary item) are written — or
/// not — together. A conflict comes back as [`Refused`].
pub async fn book_in(
    state: &AppState,
    tx: &mut Write,
    user: &CurrentUser,
    req: BookingRequest,
) -> AppResult<Result<Created, Refused>> {
    let p = prepare(state, user, req).await.map_err(AppError::from)?;
    write_booking(tx, &p).await.map_err(AppError::from)
}

/// Takes the room's write turn, looks for what is in the way, then writes
/// the bookings (or says what is busy, writing nothing).
pub(in crate::domains::venues) async fn write_booking(
    tx: &mut Write,
    p: &Prepared,
) -> Result<Result<Created, Refused>, BookingError> {
    let Prepared {
        center_id,
        user_id,
        sees_all,
        user_name,
        room,
        tz,
        now,
        occurrences,
        blocks,
        status,
        req,
    } = p;
    let viewer: Viewer = if *sees_all { None } else { Some(user_id) };
    let (now, status) = (*now, *status);
    let window = Span::new(
        blocks.iter().map(|b| b.start).min().unwrap_or(req.span.start),
        blocks.iter().map(|b| b.end).max().unwrap_or(req.span.end),
    );
    let room = room::store::lock_room(tx, &room.id).await?.ok_or(AppError::NotFound)?;
    let live = store::live_in_room_tx(tx, &room.id, window).await?;
    let closed = room::store::blackouts(&mut ***tx, &room.id, &room.zone_id, window).await?;
    let mut free = vec![];
    let mut skipped = vec![];
    for (occ, block) in occurrences.iter().zip(blocks) {
        let conflicts = conflicts_in(&live, &closed, block, "", tz, viewer);
        if conflicts.is_empty() {
            free.push((*occ, *block));
        } else {
            skipped.push(Skipped {
                starts_at: Instant(occ.start).rfc3339_in(tz),
                ends_at: Instant(occ.end).rfc3339_in(tz),
                conflicts,
            });
        }
    }
    if !skipped.is_empty() && (!req.skip_conflicts || free.is_empty()) {
        let conflicts: Vec<Conflict> = skipped.into_iter().flat_map(|s| s.conflicts).collect();
        let first_blocked = occurrences
            .iter()
            .zip(blocks)
            .find(|(_, b)| {
                live.iter().any(|l| l.block.overlaps(b))
                    || closed.iter().any(|(s, _)| s.overlaps(b))
            })
            .map(|(o, _)| *o)
            .unwrap_or(req.span);
        return Ok(Err(Refused::of(p, conflicts, first_blocked)));
    }

    let series_id = match &req.recurrence {
        Some(rule) => {
            let id = new_id();
            store::insert_series(
                tx,
                &id,
                center_id,
                &room.id,
                &rule.rrule(tz),
                req.span.start,
                now,
            )
            .await?;
            Some(id)
        }
        None => None,
    };
    let year = crate::time::year_of(now.millis(), tz)
        .ok_or_else(|| AppError::internal("clock out of range"))?;
    let mut created = vec![];
    for (occ, block) in &free {
        let id = new_id();
        let reference = next_reference(tx, center_id, "B", year).await?;
        let row = NewBookingRow {
            id: &id,
            center_id,
            room_id: &room.id,
            series_id: series_id.as_deref(),
            reference: &reference,
            title: &req.title,
            organizer_id: user_id,
            attendees: req.attendees,
            purpose: &req.purpose,
            purpose_id: &req.purpose_id,
            span: *occ,
            block: *block,
            status,
        };
        store::insert_booking(tx, &row, now).await?;
        created.push(BookingRow {
            id,
            center_id: center_id.clone(),
            room_id: room.id.clone(),
            series_id: series_id.clone(),
            recurrence_start: series_id.as_ref().map(|_| occ.start),
            reference,
            title: req.title.clone(),
            organizer_id: user_id.clone(),
            organizer_name: user_name.clone(),
            attendees: req.attendees,
            purpose: req.purpose.clone(),
            purpose_id: req.purpose_id.clone(),
            span: *occ,
            block: *block,
            status,
            status_reason: String::new(),
            created_at: now.millis(),
            updated_at: now.millis(),
        });
    }
    let subject = series_id.clone().unwrap_or_else(|| created[0].id.clone());
    if status == BookingStatus::Requested {
        open_approval(tx, &room, &subject, &req.title, user_id, now).await?;
    }
    tx.audit(
        Some(center_id),
        if series_id.is_some() { "booking_series" } else { "booking" },
        &subject,
        "create",
        json!({
            "room": room.name, "title": req.title, "status": status.code(),
            "starts_at": Instant(req.span.start).rfc3339_in(tz),
            "occurrences": created.len(), "skipped": skipped.len(),
        }),
    )
    .await?;
    Ok(Ok(Created { bookings: created, series_id, skipped, status }))
}

/// A booking of the caller's center.
pub async fn booking_in(state: &AppState, center_id: &str, id: &str) -> AppResult<BookingRow> {
    store::booking(&state.db, id)
        .await?
        .filter(|b| b.center_id == center_id)
        .ok_or(AppError::NotFound)
}

/// Whether the change applies to one occurrence or its whole series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Occurrence,
    Series,
}

/// Moves a booking (or every not-yet-final occurrence of its series) to
/// `to`, checking the move is allowed and who may make it, then audits and
/// notifies the organizer. Returns the bookings changed.
pub async fn transition(
    state: &AppState,
    user: &CurrentUser,
    who: &Who,
    booking_id: &str,
    to: BookingStatus,
    scope: Scope,
    reason: &str,
) -> AppResult<Vec<BookingRow>> {
    let center_id = user.center_id.clone().ok_or(AppError::Forbidden)?;
    let booking = booking_in(state, &center_id, booking_id).await?;
    if !may_move(user, &booking, to) {
        return Err(AppError::Forbidden);
    }
    if to == BookingStatus::Rejected && reason.trim().is_empty() {
        return Err(AppError::invalid("reason", "booking-reason-required"));
    }
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    room::store::lock_room(&mut tx, &booking.room_id).await?;
    let targets = match (&booking.series_id, scope) {
        (Some(series), Scope::Series) => store::series_bookings_tx(&mut tx, series).await?,
        _ => store::booking_tx(&mut tx, booking_id).await?.into_iter().collect(),
    };
    let movable: Vec<&BookingRow> = targets
        .iter()
        .filter(|b| {
            b.status.can_become(to)
                && (scope == Scope::Occurrence
                    || to != BookingStatus::Cancelled
                    || b.span.end > now.millis())
        })
        .collect();
    if movable.is_empty() {
        tx.rollback().await?;
        return Err(AppError::Conflict {
            key: "booking-illegal-transition",
            conflicts: json!({"from": booking.status.code(), "to": to.code()}),
        });
    }
    let mut changed = vec![];
    for b in movable {
        if store::set_status(&mut tx, &b.id, b.status, to, reason.trim(), &user.id, now).await? {
            changed.push(BookingRow {
                status: to,
                status_reason: reason.trim().to_string(),
                ..b.clone()
            });
        }
    }
    let subject = match (&booking.series_id, scope) {
        (Some(series), Scope::Series) => series.clone(),
        _ => booking.series_id.clone().unwrap_or_else(|| booking.id.clone()),
    };
    let decision = match to {
        BookingStatus::Confirmed => Some("approved"),
        BookingStatus::Rejected => Some("rejected"),
        BookingStatus::Cancelled if booking.status == BookingStatus::Requested => Some("withdrawn"),
        _ => None,
    };
    if let Some(decision) = decision {
        crate::approvals::close(
            &mut tx,
            "booking",
            &subject,
            decision,
            &user.id,
            reason.trim(),
            now,
        )
        .await?;
    }
    let action = match to {
        BookingStatus::Confirmed => "approve",
        BookingStatus::Rejected => "reject",
        BookingStatus::Cancelled => "cancel",
        BookingStatus::Requested => "request",
    };
    let summary = json!({"scope": if scope == Scope::Series { "series" } else { "occurrence" },
                         "bookings": changed.iter().map(|b| &b.id).collect::<Vec<_>>(),
                         "from": booking.status.code(), "to": to.code(), "reason": reason.trim()});
    tx.audit(Some(&center_id), "booking", &booking.id, action, summary).await?;
    if booking.organizer_id != user.id {
        let tz = centers::tz(state, &center_id).await.unwrap_or(TimeZone::UTC);
        let (title, start) = (&booking.title, booking.span.start);
        tell_organizer(&mut tx, &booking, action, title, start, reason.trim(), &tz).await?;
    }
    tx.commit().await?;
    Ok(changed)
}

pub async fn list(
    state: &AppState,
    center_id: &str,
    room_id: &str,
    organizer_id: &str,
    window: Span,
) -> AppResult<Vec<BookingRow>> {
    Ok(store::list(
        &state.db,
        center_id,
        room_id,
        organizer_id,
        window,
        &(i64::MIN, String::new()),
        1000,
    )
    .await?)
}

/// A page of [`list`]: `limit` bookings after `after` (start, id).
pub async fn list_page(
    state: &AppState,
    center_id: &str,
    room_id: &str,
    organizer_id: &str,
    window: Span,
    after: &(i64, String),
    limit: i64,
) -> AppResult<Vec<BookingRow>> {
    Ok(store::list(&state.db, center_id, room_id, organizer_id, window, after, limit).await?)
}

pub async fn series_rrule(state: &AppState, series_id: &str) -> AppResult<Option<String>> {
    Ok(store::series_rrule(&state.db, series_id).await?)
}

/// A booking by id, or every occurrence of a series by the series id.
pub async fn by_subject(state: &AppState, subject_id: &str) -> AppResult<Vec<BookingRow>> {
    Ok(store::by_subject(&state.db, subject_id).await?)
}

/// What an edit changes; `None` keeps the current value.
#[derive(Debug, Clone, Default)]
pub struct BookingEdit {
    pub span: Option<Span>,
    pub title: Option<Bilingual>,
    pub attendees: Option<i64>,
}

/// Tells a booking's organizer, in the app and by e-mail after the commit,
/// what someone else did to it (`approve`, `reject`, `cancel`, `update`).
async fn tell_organizer(
    tx: &mut Write,
    booking: &BookingRow,
    action: &str,
    title: &Bilingual,
    start: i64,
    reason: &str,
    tz: &TimeZone,
) -> Result<(), sqlx::Error> {
    let when = Instant(start).display_in(tz);
    let message = notify::Message {
        kind: format!("booking_{action}"),
        subject_id: booking.id.clone(),
        key: format!("notify-booking-{action}"),
        args: vec![
            ("title".into(), title.clone()),
            ("when".into(), Bilingual::new(when.clone(), when)),
        ],
        reason: reason.to_string(),
        link: format!("/bookings/{}", booking.id),
    };
    tx.notify(&booking.organizer_id, &message).await
}

/// Checks an edit against the room's rules (the new time, the attendees).
fn check_edit(
    room: &Room,
    tz: &TimeZone,
    now: Instant,
    attendees: i64,
    change: &BookingEdit,
) -> AppResult<()> {
    let mut errors = vec![];
    if let Some(t) = &change.title {
        if t.zh.is_empty() && t.en.is_empty() {
            errors.push(FieldError::new("title_zh", "booking-title-required"));
        }
        errors.extend(t.limit("title", 200));
    }
    if let Some(span) = change.span {
        errors.extend(check_occurrence(&room.rules, tz, span, attendees, now));
    } else if attendees < 1 {
        errors.push(FieldError::new("attendees", "booking-attendees-min"));
    } else if attendees > room.rules.capacity {
        errors.push(crate::domains::venues::model::over_capacity(room.rules.capacity));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    Ok(())
}

/// Edits one occurrence (time, title, attendees; a new time is checked for
/// conflicts like a new booking) or a whole series (title and attendees of
/// its live occurrences to come, and their time: each moves as the one
/// edited does, every new time checked against the rules and for
/// conflicts, all or none). A non-admin moving a booking of an approval
/// room sends it back to the inbox.
pub async fn edit(
    state: &AppState,
    user: &CurrentUser,
    who: &Who,
    booking_id: &str,
    scope: Scope,
    change: BookingEdit,
) -> Result<Vec<BookingRow>, BookingError> {
    let center_id = user.center_id.clone().ok_or(AppError::Forbidden)?;
    let booking = booking_in(state, &center_id, booking_id).await?;
    if !may_change(user, &booking) {
        return Err(AppError::Forbidden.into());
    }
    if !booking.status.is_live() {
        return Err(AppError::Conflict {
            key: "booking-illegal-transition",
            conflicts: json!({"from": booking.status.code(), "to": "edit"}),
        }
        .into());
    }
    let room = room_in(state, &center_id, &booking.room_id).await?;
    let tz = centers::tz(state, &center_id).await?;
    let now = state.clock.now();
    let attendees = change.attendees.unwrap_or(booking.attendees);
    check_edit(&room, &tz, now, attendees, &change)?;

    let mut tx = Write::begin(state, who).await?;
    let room = room::store::lock_room(&mut tx, &room.id).await?.ok_or(AppError::NotFound)?;
    // A series from this occurrence on: those still to come (a new time only
    // for those not yet begun).
    let targets: Vec<BookingRow> = match (&booking.series_id, scope) {
        (Some(series), Scope::Series) => store::series_bookings_tx(&mut tx, series)
            .await?
            .into_iter()
            .filter(|b| b.status.is_live() && b.span.start >= booking.span.start)
            .filter(|b| {
                if change.span.is_some() {
                    b.span.start > now.millis()
                } else {
                    b.span.end > now.millis()
                }
            })
            .collect(),
        _ => store::booking_tx(&mut tx, booking_id)
            .await?
            .into_iter()
            .filter(|b| b.status.is_live())
            .collect(),
    };
    if targets.is_empty() {
        tx.rollback().await?;
        return Err(AppError::Conflict {
            key: "booking-illegal-transition",
            conflicts: json!({"to": "edit"}),
        }
        .into());
    }
    let series_move = scope == Scope::Series && booking.series_id.is_some();
    let span_of = |b: &BookingRow| match change.span {
        Some(moved) if series_move => {
            crate::domains::venues::recurrence::shifted(b.span, booking.span, moved, &tz)
        }
        Some(moved) => moved,
        None => b.span,
    };
    if series_move && change.span.is_some() {
        for b in &targets {
            let problems = check_occurrence(&room.rules, &tz, span_of(b), attendees, now);
            if !problems.is_empty() {
                tx.rollback().await?;
                return Err(AppError::Invalid(problems).into());
            }
        }
    }
    // The occurrences being moved are not in each other's way where they
    // were, but must not meet where they go.
    let moving: Vec<&str> = targets.iter().map(|b| b.id.as_str()).collect();
    if series_move && change.span.is_some() {
        let mut blocks: Vec<Span> = targets.iter().map(|b| room.rules.block(span_of(b))).collect();
        blocks.sort_by_key(|b| b.start);
        if blocks.windows(2).any(|w| w[1].start < w[0].end) {
            tx.rollback().await?;
            return Err(AppError::invalid("ends_at", "booking-series-overlap").into());
        }
    }
    let mut reopen = false;
    let mut changed = vec![];
    for b in &targets {
        let span = span_of(b);
        let block = room.rules.block(span);
        if span != b.span {
            let mut live = store::live_in_room_tx(&mut tx, &room.id, block).await?;
            live.retain(|x| !moving.contains(&x.id.as_str()) || x.id == b.id);
            let closed = room::store::blackouts(&mut **tx, &room.id, &room.zone_id, block).await?;
            let conflicts = conflicts_in(&live, &closed, &block, &b.id, &tz, viewer(user));
            if !conflicts.is_empty() {
                tx.rollback().await?;
                let alternatives = alternatives(state, &room, &tz, span, attendees, &[]).await?;
                return Err(BookingError::Conflicts { conflicts, alternatives });
            }
        }
        // A new time is a new request for whoever needed approval to book.
        let status = if span != b.span && needs_approval(user, &room) {
            reopen = true;
            BookingStatus::Requested
        } else {
            b.status
        };
        let title = change.title.clone().unwrap_or_else(|| b.title.clone());
        store::update_booking(&mut tx, &b.id, span, block, &title, attendees, status, now).await?;
        changed.push(BookingRow {
            span,
            block,
            title,
            attendees,
            status,
            updated_at: now.millis(),
            ..b.clone()
        });
    }
    if reopen {
        let subject = booking.series_id.clone().unwrap_or_else(|| booking.id.clone());
        open_approval(&mut tx, &room, &subject, &changed[0].title, &user.id, now).await?;
    }
    tx.audit(Some(&center_id), "booking", &booking.id, "update", json!({
                "scope": if scope == Scope::Series { "series" } else { "occurrence" },
                "bookings": changed.iter().map(|b| &b.id).collect::<Vec<_>>(),
                "before": {"starts_at": Instant(booking.span.start).rfc3339_in(&tz), "ends_at": Instant(booking.span.end).rfc3339_in(&tz),
                           "title": booking.title, "attendees": booking.attendees},
                "after": {"starts_at": Instant(changed[0].span.start).rfc3339_in(&tz), "ends_at": Instant(changed[0].span.end).rfc3339_in(&tz),
                          "title": changed[0].title, "attendees": attendees},
            }))
            .await?;
    if booking.organizer_id != user.id {
        let (title, start) = (&changed[0].title, changed[0].span.start);
        tell_organizer(&mut tx, &booking, "update", title, start, "", &tz).await?;
    }
    tx.commit().await?;
    Ok(changed)
}

/// Live (or all) bookings of a room that meet `window`.
pub async fn in_room(
    state: &AppState,
    room_id: &str,
    window: Span,
    live_only: bool,
) -> AppResult<Vec<BookingRow>> {
    Ok(store::in_room(&state.db, room_id, window, live_only).await?)
}
