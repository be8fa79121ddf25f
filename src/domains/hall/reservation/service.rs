//! Reservations: the rules that read or write them, each change in one
//! `Write`. Places are taken with the shared guarded counters (`seats`):
//! the slot's people, and for groups the day's group allowance.

use jiff::civil::Date;
use serde_json::json;

use super::store::{self, Reservation};
use crate::audit::Who;
use crate::auth::{CurrentUser, Perm, allows};
use crate::clock::Instant;
use crate::db::{new_id, next_reference};
use crate::domains::centers::service as centers;
use crate::domains::hall::calendar::service::{self as calendar, HallRecord, SlotView};
use crate::domains::hall::model::{Kind, Request, Status, check_request, cooling_until, mask_id};
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n::{Bilingual, Lang};
use crate::links::{self, Purpose};
use crate::notify::Outgoing;
use crate::seats::{self, Pool};
use crate::state::AppState;
use crate::throttle;
use crate::time::{DAY_MS, HOUR_MS, MINUTE_MS};
use crate::write::Write;

pub use store::Reservation as Record;

pub use super::watch::RESERVATION_LIMIT;

/// A new reservation and the secret of its page (shown once, e-mailed).
pub struct Made {
    pub reservation: Reservation,
    pub secret: String,
    /// The hall's cut-off for changes, in hours (for the answer).
    pub cancel_hours: i64,
}

fn conflict(key: &'static str, details: serde_json::Value) -> AppError {
    AppError::Conflict { key, conflicts: details }
}

/// `YYYY-MM-DD` of an instant in the center's zone.
fn local_day(ms: i64, tz: &jiff::tz::TimeZone) -> String {
    Instant(ms).local_parts(tz).0
}

/// Marks the no-shows of a center whose arrival window has closed.
pub async fn mark_no_shows(write: &mut Write, hall: &HallRecord, now: Instant) -> AppResult<u64> {
    let closed_before = now.millis() - hall.rules.arrive_after_min * MINUTE_MS;
    Ok(store::mark_no_shows(write, &hall.center_id, closed_before, now.millis()).await?)
}

/// Books a slot: the request checked against the rules, the holder's
/// cooling-off and daily allowance, then the places taken (or none).
pub async fn reserve(
    state: &AppState,
    who: &Who,
    user: Option<&CurrentUser>,
    center_id: &str,
    req: Request,
    lang: Lang,
) -> AppResult<Made> {
    let hall = calendar::require(state, center_id).await?;
    let checked = check_request(&req, &hall.rules);
    let slot = calendar::slot(state, &hall, &req.slot).await;
    let (checked, slot) = match (checked, slot) {
        (Ok(c), Ok(s)) => (c, s),
        (c, s) => {
            let mut errors = c.err().unwrap_or_default();
            match s {
                Err(AppError::Invalid(e)) => errors.splice(0..0, e).for_each(drop),
                Err(e) => return Err(e),
                Ok(_) => {}
            }
            return Err(AppError::Invalid(errors));
        }
    };
    let staff = user.is_some_and(|u| allows(Some(u.role), Perm::ManageHall));
    if !hall.rules.open && !staff {
        return Err(conflict("hall-bookings-closed", json!({})));
    }
    if !slot.bookable {
        return Err(AppError::Invalid(vec![FieldError::new("slot", "hall-slot-not-bookable")]));
    }
    let key = state.config.data_key.clone();
    let (id_sealed, id_digest, id_masked) = match (&checked.id, &key) {
        (Some((t, n)), Some(k)) => {
            (k.seal(n), k.digest("hall-id", &format!("{}:{n}", t.code())), mask_id(n))
        }
        (Some(_), None) => {
            return Err(AppError::Invalid(vec![FieldError::new(
                "id_number",
                "hall-id-unavailable",
            )]));
        }
        (None, _) => (String::new(), String::new(), String::new()),
    };
    let tz = centers::tz(state, center_id).await?;
    let now = state.clock.now();
    let day = slot.day.to_string();
    if !staff {
        // Counted in its own write: refused attempts count too, so the
        // answers cannot be used to probe others' bookings without limit.
        let mut hit = Write::begin(state, who).await?;
        throttle::hit(&mut hit, RESERVATION_LIMIT, &who.client_ip, now).await?;
        hit.commit().await?;
    }
    let mut tx = Write::begin(state, who).await?;
    // One holder's reservations are decided one at a time: the contact's
    // (and the document's) key is held to the end of this write, so two
    // requests at once cannot both pass the daily allowance.
    throttle::lock(&mut tx, "hall_contact", &checked.contact_key, now).await?;
    if !id_digest.is_empty() {
        throttle::lock(&mut tx, "hall_id", &id_digest, now).await?;
    }
    let r = &hall.rules;
    // Strikes older than a window and a cooling-off cannot matter any more.
    let since = local_day(now.millis() - (r.strike_window_days + r.cooloff_days) * DAY_MS * 2, &tz);
    let closed_before = now.millis() - r.arrive_after_min * MINUTE_MS;
    let history =
        store::held_since(&mut tx, center_id, &checked.contact_key, &id_digest, &since).await?;
    // No-shows: marked, or their arrival window closed and the job has not
    // marked them yet (it runs every few minutes).
    let strikes: Vec<i64> = history
        .iter()
        .filter(|h| {
            h.status == "no_show" || (h.status == "confirmed" && h.starts_at < closed_before)
        })
        .map(|h| h.starts_at)
        .collect();
    if let Some(until) =
        cooling_until(&strikes, r.strike_limit, r.strike_window_days, r.cooloff_days, now.millis())
    {
        let date = local_day(until, &tz);
        tx.rollback().await?;
        return Err(conflict("hall-cooling-off", json!({"until": date})));
    }
    let that_day = history
        .iter()
        .filter(|h| h.day == day && (h.status == "confirmed" || h.status == "admitted"));
    let (held, people) = that_day.fold((0, 0), |(n, p), h| (n + 1, p + h.people));
    if held >= r.max_day_bookings {
        tx.rollback().await?;
        return Err(conflict("hall-day-bookings", json!({"max": r.max_day_bookings, "day": day})));
    }
    if people + req.people > r.max_day_people {
        tx.rollback().await?;
        return Err(conflict("hall-day-people", json!({"max": r.max_day_people, "day": day})));
    }
    let row = calendar::slot_row_for(&mut tx, &hall, &slot).await?;
    if !seats::take(&mut tx, Pool::HallSlot, &row.id, req.people).await? {
        let free = (row.capacity - row.taken).max(0);
        tx.rollback().await?;
        return Err(conflict("hall-slot-full", json!({"free": free, "slot": slot.key})));
    }
    if checked.kind == Kind::Group {
        let day_id = calendar::day_row_for(&mut tx, &hall, &day).await?;
        if !seats::take(&mut tx, Pool::HallDay, &day_id, req.people).await? {
            tx.rollback().await?;
            return Err(conflict("hall-groups-full", json!({"day": day, "max": r.group_day_cap})));
        }
    }
    let year = i32::from(slot.day.year());
    let retention = slot
        .day
        .checked_add(jiff::Span::new().days(r.retention_days))
        .map(|d| d.to_string())
        .unwrap_or_default();
    let reservation = Reservation {
        id: new_id(),
        center_id: center_id.to_string(),
        reference: next_reference(&mut tx, center_id, "H", year).await?,
        slot_id: row.id.clone(),
        day: day.clone(),
        starts_at: slot.start,
        kind: checked.kind,
        status: Status::Confirmed,
        status_reason: String::new(),
        people: req.people,
        admitted: 0,
        organisation: req.organisation.trim().into(),
        contact_name: req.contact_name.trim().into(),
        phone: req.phone.trim().into(),
        email: crate::validate::normalize_email(&req.email),
        contact_key: checked.contact_key.clone(),
        members: checked.members.join("\n"),
        tour: req.tour,
        tour_lang: if req.tour { req.tour_lang.trim().into() } else { String::new() },
        origin: checked.origin.map(|o| o.code().to_string()).unwrap_or_default(),
        id_type: checked.id.as_ref().map(|(t, _)| t.code().to_string()).unwrap_or_default(),
        id_sealed,
        id_digest,
        id_masked,
        lang: lang.tag().into(),
        retention_until: retention,
        ticket_code: crate::tickets::new_code(),
        admitted_at: None,
        admitted_device: String::new(),
        recorded: false,
        created_at: now.millis(),
        purged: false,
    };
    store::insert(&mut tx, &reservation, Some(now.millis())).await?;
    let secret = links::mint(&mut tx, Purpose::HallTicket, &reservation.id, now).await?;
    tx.audit(
        Some(center_id),
        "hall_reservation",
        &reservation.id,
        "create",
        json!({"reference": reservation.reference, "slot": slot.key, "people": req.people, "kind": checked.kind.code()}),
    )
    .await?;
    if !reservation.email.is_empty() {
        let mail =
            mail(&hall, &reservation, &slot_words(&slot), "mail-hall-confirmed", "", &secret);
        tx.mail([mail]);
    }
    tx.commit().await?;
    Ok(Made { reservation, secret, cancel_hours: hall.rules.cancel_hours })
}

/// How a slot reads in e-mails: `2026-12-01 09:00–10:00`.
fn slot_words(slot: &SlotView) -> String {
    format!("{} {}", slot.day, slot.times)
}

/// An e-mail to the holder in the language they booked in.
fn mail(
    hall: &HallRecord,
    r: &Reservation,
    when: &str,
    key: &str,
    reason: &str,
    secret: &str,
) -> Outgoing {
    let lang = Lang::parse(&r.lang).unwrap_or_default();
    let args = vec![
        ("hall".to_string(), calendar::display_name(hall)),
        ("when".to_string(), Bilingual::new(when, when)),
        ("reference".to_string(), Bilingual::new(r.reference.clone(), r.reference.clone())),
        ("people".to_string(), Bilingual::new(r.people.to_string(), r.people.to_string())),
        ("reason".to_string(), Bilingual::new(reason, reason)),
    ];
    let link = if secret.is_empty() { String::new() } else { format!("/hall/r/{secret}") };
    Outgoing::to_person(&r.email, lang, key, &args, &link)
}

/// The reservation a holder's secret opens.
pub async fn by_secret(state: &AppState, secret: &str) -> AppResult<Reservation> {
    let id =
        links::resolve(&state.db, Purpose::HallTicket, secret).await?.ok_or(AppError::NotFound)?;
    store::by_id(&state.db, &id).await?.ok_or(AppError::NotFound)
}

/// A reservation for staff of its center (another center's is "not found").
pub async fn for_staff(state: &AppState, user: &CurrentUser, id: &str) -> AppResult<Reservation> {
    if !allows(Some(user.role), Perm::ManageHall) {
        return Err(AppError::Forbidden);
    }
    let r = store::by_id(&state.db, id).await?.ok_or(AppError::NotFound)?;
    if user.center_id.as_deref() != Some(r.center_id.as_str()) {
        return Err(AppError::NotFound);
    }
    Ok(r)
}

/// Until when the holder may change or cancel it themselves.
pub fn cutoff(hall: &HallRecord, r: &Reservation) -> i64 {
    r.starts_at - hall.rules.cancel_hours * HOUR_MS
}

/// The holder may still change it: confirmed, before the cut-off.
pub fn holder_may_change(hall: &HallRecord, r: &Reservation, now: Instant) -> bool {
    r.status == Status::Confirmed && now.millis() < cutoff(hall, r)
}

async fn release(write: &mut Write, hall: &HallRecord, r: &Reservation, n: i64) -> AppResult<()> {
    seats::release(write, Pool::HallSlot, &r.slot_id, n).await?;
    if r.kind == Kind::Group {
        let day_id = calendar::day_row_for(write, hall, &r.day).await?;
        seats::release(write, Pool::HallDay, &day_id, n).await?;
    }
    super::watch::tell_watchers(write, hall, &r.slot_id).await
}

fn too_late(hall: &HallRecord, r: &Reservation, tz: &jiff::tz::TimeZone) -> AppError {
    let (d, t) = Instant(cutoff(hall, r)).local_parts(tz);
    conflict("hall-too-late", json!({"until": format!("{d} {t}"), "status": r.status.code()}))
}

/// The head count is lowered: by the holder before the cut-off, by staff
/// until the visit (raising it is a new booking).
pub async fn change_people(
    state: &AppState,
    who: &Who,
    r: &Reservation,
    people: i64,
    by_staff: bool,
) -> AppResult<Reservation> {
    let r = r.clone();
    let hall = calendar::require(state, &r.center_id).await?;
    let tz = centers::tz(state, &r.center_id).await?;
    let now = state.clock.now();
    if people < 1 || people > r.people {
        return Err(AppError::Invalid(vec![
            FieldError::new("people", "hall-people-down-only").with("max", r.people),
        ]));
    }
    if r.status != Status::Confirmed || (!by_staff && !holder_may_change(&hall, &r, now)) {
        return Err(too_late(&hall, &r, &tz));
    }
    if people == r.people {
        return Ok(r);
    }
    let mut tx = Write::begin(state, who).await?;
    // The guarded UPDATE first: only the request that changed the row gives places back.
    if !store::set_people(&mut tx, &r.id, r.people, people, now.millis()).await? {
        tx.rollback().await?;
        return Err(conflict("hall-changed-meanwhile", json!({})));
    }
    release(&mut tx, &hall, &r, r.people - people).await?;
    tx.audit(
        Some(&r.center_id),
        "hall_reservation",
        &r.id,
        "people",
        json!({"from": r.people, "to": people}),
    )
    .await?;
    tx.commit().await?;
    store::by_id(&state.db, &r.id).await?.ok_or(AppError::NotFound)
}

/// Cancels a reservation: by its holder before the cut-off, or by staff
/// (with a reason the holder is told in their language).
pub async fn cancel(
    state: &AppState,
    who: &Who,
    r: &Reservation,
    by_staff: bool,
    reason: &str,
) -> AppResult<Reservation> {
    let hall = calendar::require(state, &r.center_id).await?;
    let tz = centers::tz(state, &r.center_id).await?;
    let now = state.clock.now();
    if r.status != Status::Confirmed {
        return Err(conflict("hall-not-live", json!({"status": r.status.code()})));
    }
    if !by_staff && !holder_may_change(&hall, r, now) {
        return Err(too_late(&hall, r, &tz));
    }
    if reason.chars().count() > 500 {
        return Err(AppError::invalid("reason", "field-too-long"));
    }
    let mut tx = Write::begin(state, who).await?;
    if !store::set_status(
        &mut tx,
        &r.id,
        Status::Confirmed,
        Status::Cancelled,
        reason,
        now.millis(),
    )
    .await?
    {
        tx.rollback().await?;
        return Err(conflict("hall-changed-meanwhile", json!({})));
    }
    let current = store::get(&mut tx, &r.id).await?.ok_or(AppError::NotFound)?;
    release(&mut tx, &hall, &current, current.people).await?;
    tx.audit(
        Some(&r.center_id),
        "hall_reservation",
        &r.id,
        "cancel",
        json!({"by_staff": by_staff, "reason": reason}),
    )
    .await?;
    if by_staff && !r.email.is_empty() {
        let when = format!("{} {}", r.day, Instant(r.starts_at).local_parts(&tz).1);
        tx.mail([mail(&hall, r, &when, "mail-hall-cancelled", reason, "")]);
    }
    tx.commit().await?;
    store::by_id(&state.db, &r.id).await?.ok_or(AppError::NotFound)
}

/// Staff move a reservation to another slot (the places taken there first;
/// the holder is told in their language, with a new link to their page).
pub async fn move_to(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    id: &str,
    slot_key: &str,
    reason: &str,
) -> AppResult<Reservation> {
    let r = for_staff(state, user, id).await?;
    let hall = calendar::require(state, &r.center_id).await?;
    let slot = calendar::slot(state, &hall, slot_key).await?;
    if r.status != Status::Confirmed {
        return Err(conflict("hall-not-live", json!({"status": r.status.code()})));
    }
    if slot.start <= state.clock.now().millis() {
        return Err(AppError::Invalid(vec![FieldError::new("slot", "hall-slot-not-bookable")]));
    }
    if slot.start == r.starts_at {
        return Ok(r);
    }
    if reason.chars().count() > 500 {
        return Err(AppError::invalid("reason", "field-too-long"));
    }
    let now = state.clock.now();
    let day = slot.day.to_string();
    let mut tx = Write::begin(state, who).await?;
    let row = calendar::slot_row_for(&mut tx, &hall, &slot).await?;
    // The guarded UPDATE first: a reservation cancelled, changed or moved
    // meanwhile is not moved, and no places change hands.
    if !store::set_slot(&mut tx, &r, &row.id, &day, slot.start, now.millis()).await? {
        tx.rollback().await?;
        return Err(conflict("hall-changed-meanwhile", json!({})));
    }
    if !seats::take(&mut tx, Pool::HallSlot, &row.id, r.people).await? {
        tx.rollback().await?;
        return Err(conflict(
            "hall-slot-full",
            json!({"free": (row.capacity - row.taken).max(0), "slot": slot.key}),
        ));
    }
    if r.kind == Kind::Group && day != r.day {
        let day_id = calendar::day_row_for(&mut tx, &hall, &day).await?;
        if !seats::take(&mut tx, Pool::HallDay, &day_id, r.people).await? {
            tx.rollback().await?;
            return Err(conflict(
                "hall-groups-full",
                json!({"day": day, "max": hall.rules.group_day_cap}),
            ));
        }
        let old_day = calendar::day_row_for(&mut tx, &hall, &r.day).await?;
        seats::release(&mut tx, Pool::HallDay, &old_day, r.people).await?;
    }
    seats::release(&mut tx, Pool::HallSlot, &r.slot_id, r.people).await?;
    super::watch::tell_watchers(&mut tx, &hall, &r.slot_id).await?;
    tx.audit(
        Some(&r.center_id),
        "hall_reservation",
        &r.id,
        "move",
        json!({"from": r.starts_at, "to": slot.key, "reason": reason}),
    )
    .await?;
    if !r.email.is_empty() {
        let secret = links::mint(&mut tx, Purpose::HallTicket, &r.id, now).await?;
        tx.mail([mail(&hall, &r, &slot_words(&slot), "mail-hall-moved", reason, &secret)]);
    }
    tx.commit().await?;
    store::by_id(&state.db, &r.id).await?.ok_or(AppError::NotFound)
}

/// Live reservations still to come that the calendar no longer has a place
/// for: their slot is gone (new hours, a closed day, another slot length)
/// or holds more people than its capacity now allows. Staff move or cancel
/// each; nothing is dropped silently.
pub async fn displaced(state: &AppState, hall: &HallRecord) -> AppResult<Vec<Reservation>> {
    let tz = centers::tz(state, &hall.center_id).await?;
    let now = state.clock.now().millis();
    let to = now + 400 * DAY_MS;
    let rows = calendar::slot_rows(state, &hall.center_id, now, to).await?;
    let bad: Vec<&calendar::Slot> = rows
        .iter()
        .filter(|s| s.taken > s.capacity || !calendar::still_offered(hall, s, &tz))
        .collect();
    if bad.is_empty() {
        return Ok(vec![]);
    }
    let mut out = vec![];
    for r in store::coming(&state.db, &hall.center_id, now, 5000).await? {
        if bad.iter().any(|s| s.id == r.slot_id) {
            out.push(r);
        }
    }
    Ok(out)
}

/// A day's reservations, for staff.
pub async fn on_day(
    state: &AppState,
    user: &CurrentUser,
    day: Date,
) -> AppResult<Vec<Reservation>> {
    let center_id = user.center_id.clone().ok_or(AppError::Forbidden)?;
    if !allows(Some(user.role), Perm::ManageHall) {
        return Err(AppError::Forbidden);
    }
    Ok(store::on_day(&state.db, &center_id, &day.to_string()).await?)
}

/// A page of a center's reservations with slots in `[from, to)`.
pub async fn page(
    state: &AppState,
    center_id: &str,
    from: i64,
    to: i64,
    after: (i64, &str),
    limit: i64,
) -> AppResult<Vec<Reservation>> {
    Ok(store::page(&state.db, center_id, from, to, after, limit).await?)
}

/// Marks no-shows and sends the day-before reminders of every hall: run
/// every few minutes by `serve`. Reminders go out from 09:00 the day
/// before, by e-mail and through the SMS hook.
pub async fn housekeeping(state: &AppState, who: &Who) -> AppResult<(u64, usize)> {
    let now = state.clock.now();
    let mut marked = 0;
    for center_id in store::hall_centers(&state.db).await? {
        let Some(hall) = calendar::hall(state, &center_id).await? else { continue };
        let mut tx = Write::begin(state, who).await?;
        let n = mark_no_shows(&mut tx, &hall, now).await?;
        if n > 0 {
            tx.audit(Some(&center_id), "hall", &center_id, "no_shows", json!({"marked": n}))
                .await?;
        }
        tx.commit().await?;
        marked += n;
    }
    let mut sent = 0;
    // Slots of tomorrow, once today has reached 09:00 (local to each hall;
    // the reminder window is generous so a late tick still sends).
    for r in store::due_reminders(&state.db, now.millis(), now.millis() + 39 * HOUR_MS).await? {
        let tz = centers::tz(state, &r.center_id).await?;
        let (today, time) = now.local_parts(&tz);
        let tomorrow = today
            .parse::<Date>()
            .ok()
            .and_then(|d| d.checked_add(jiff::Span::new().days(1)).ok())
            .map(|d| d.to_string())
            .unwrap_or_default();
        if r.day != tomorrow || time.as_str() < "09:00" || r.created_at > r.starts_at - DAY_MS {
            continue;
        }
        let Some(hall) = calendar::hall(state, &r.center_id).await? else { continue };
        let mut tx = Write::begin(state, who).await?;
        if !store::set_reminded(&mut tx, &r.id, now.millis()).await? {
            tx.rollback().await?;
            continue;
        }
        let when = format!("{} {}", r.day, Instant(r.starts_at).local_parts(&tz).1);
        if !r.email.is_empty() {
            tx.mail([mail(&hall, &r, &when, "mail-hall-reminder", "", "")]);
        }
        if !r.phone.is_empty() {
            let lang = Lang::parse(&r.lang).unwrap_or_default();
            let text = lang.t_args(
                "sms-hall-reminder",
                &[("when", when.clone()), ("reference", r.reference.clone())],
            );
            crate::notify::sms(&r.phone, &text);
        }
        tx.commit().await?;
        sent += 1;
    }
    Ok((marked, sent))
}

/// Forgets the personal data of reservations past their retention date.
pub async fn purge_expired(state: &AppState, who: &Who) -> AppResult<usize> {
    let tz = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap_or(jiff::tz::TimeZone::UTC);
    let now = state.clock.now();
    let today = now.local_parts(&tz).0;
    let mut tx = Write::begin(state, who).await?;
    store::forget_watches(&mut tx, now.millis()).await?;
    tx.commit().await?;
    let due = store::due_for_purge(&state.db, &today).await?;
    for (id, center_id) in &due {
        let mut tx = Write::begin(state, who).await?;
        store::purge(&mut tx, id, now.millis()).await?;
        links::forget(&mut tx, Purpose::HallTicket, id).await?;
        tx.audit(Some(center_id), "hall_reservation", id, "purge", json!({"before": today}))
            .await?;
        tx.commit().await?;
    }
    Ok(due.len())
}

/// One visit of the paper register: when, who, how many, from where.
#[derive(Debug, Clone)]
pub struct PastVisit {
    pub at: Instant,
    pub kind: Kind,
    pub heads: i64,
    pub origin: String,
    pub organisation: String,
}

/// Past visits entered from the paper register (the demo's history; a
/// center moving from paper): reservations already admitted, counted in the
/// figures like any other, written together or not at all.
pub async fn record_past(
    state: &AppState,
    who: &Who,
    center_id: &str,
    visits: &[PastVisit],
) -> AppResult<usize> {
    let hall = calendar::require(state, center_id).await?;
    let tz = centers::tz(state, center_id).await?;
    let now = state.clock.now();
    let mut errors = vec![];
    for (i, v) in visits.iter().enumerate() {
        if v.heads < 1 || v.at.millis() > now.millis() {
            errors.push(FieldError::new(format!("visits_{i}"), "field-invalid"));
        }
        if !v.origin.is_empty() && crate::domains::hall::model::Origin::parse(&v.origin).is_none() {
            errors.push(FieldError::new(format!("visits_{i}"), "field-invalid"));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let mut tx = Write::begin(state, who).await?;
    for v in visits {
        let (day, _) = v.at.local_parts(&tz);
        let end = v.at.millis() + hall.rules.slot_minutes * MINUTE_MS;
        let slot_id = calendar::past_slot_row(&mut tx, &hall, &day, v.at.millis(), end).await?;
        let year = crate::time::year_of(v.at.millis(), &tz).unwrap_or(2000);
        let r = Reservation {
            id: new_id(),
            center_id: center_id.into(),
            reference: next_reference(&mut tx, center_id, "H", year).await?,
            slot_id,
            day,
            starts_at: v.at.millis(),
            kind: v.kind,
            status: Status::Admitted,
            status_reason: String::new(),
            people: v.heads,
            admitted: v.heads,
            organisation: v.organisation.clone(),
            contact_name: String::new(),
            phone: String::new(),
            email: String::new(),
            contact_key: String::new(),
            members: String::new(),
            tour: false,
            tour_lang: String::new(),
            origin: v.origin.clone(),
            id_type: String::new(),
            id_sealed: String::new(),
            id_digest: String::new(),
            id_masked: String::new(),
            lang: "zh-CN".into(),
            retention_until: String::new(),
            ticket_code: crate::tickets::new_code(),
            admitted_at: Some(v.at.millis()),
            admitted_device: String::new(),
            recorded: true,
            created_at: now.millis(),
            purged: false,
        };
        store::insert(&mut tx, &r, None).await?;
    }
    tx.audit(
        Some(center_id),
        "hall",
        center_id,
        "register_entered",
        json!({"visits": visits.len()}),
    )
    .await?;
    tx.commit().await?;
    Ok(visits.len())
}

/// Staff forgive a no-show (the visitor called, the bus broke down): it no
/// longer counts as a strike. Audited, with the reason.
pub async fn forgive(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    id: &str,
    reason: &str,
) -> AppResult<Reservation> {
    let r = for_staff(state, user, id).await?;
    if reason.chars().count() > 500 {
        return Err(AppError::invalid("reason", "field-too-long"));
    }
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    if !store::set_status(&mut tx, &r.id, Status::NoShow, Status::Cancelled, reason, now.millis())
        .await?
    {
        tx.rollback().await?;
        return Err(conflict("hall-not-no-show", json!({"status": r.status.code()})));
    }
    tx.audit(Some(&r.center_id), "hall_reservation", &r.id, "forgive", json!({"reason": reason}))
        .await?;
    tx.commit().await?;
    store::by_id(&state.db, &r.id).await?.ok_or(AppError::NotFound)
}

/// Records that staff read a document number in full.
pub async fn audit_id_seen(state: &AppState, who: &Who, r: &Reservation) -> AppResult<()> {
    let mut tx = Write::begin(state, who).await?;
    tx.audit(
        Some(&r.center_id),
        "hall_reservation",
        &r.id,
        "id_seen",
        json!({"id_type": r.id_type}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
