//! Meetings: requests with a message, acceptance or decline, placement at
//! a slot and a table where both people and the table are free, staff
//! bookings for VIP delegations, cancellation that offers the freed time
//! to a waiting meeting, the batch scheduler, attendance and outcomes.
//!
//! Every write that places or frees a meeting first takes the event's
//! placement turn (`setup::lock`), so the board it reads stays true until
//! it commits; the holds' primary key is the backstop.

use jiff::tz::TimeZone;
use serde_json::json;

use super::mail::{self, Place};
use super::place::{self, SEATS};
use super::store;
use crate::audit::Who;
use crate::auth::CurrentUser;
use crate::db::new_id;
use crate::domains::centers::service as centers;
use crate::domains::events::event::service::{self as events, Event};
use crate::domains::events::model::EventStatus;
use crate::domains::interpreting::service::{self as interpreting, Assignment, ItemRef};
use crate::domains::matchmaking::model::{self, Attendance, Counts, MeetingStatus, Outcome, Want};
use crate::domains::matchmaking::profile::service::{self as profiles, Holder, Profile};
use crate::domains::matchmaking::setup::service::{self as setup, Setup, Table};
use crate::error::{AppError, AppResult};
use crate::seats::{self, Pool};
use crate::state::AppState;
use crate::throttle;
use crate::time::Span;
use crate::write::Write;

pub use store::Meeting;

/// Longest message with a request, reason or outcome note.
pub const TEXT_CHARS: usize = 1000;

/// Meeting requests one person may send in an hour.
const REQUESTS_PER_HOUR: throttle::Limit =
    throttle::Limit { kind: "mm_request", max: 30, window_secs: 3600 };

/// Who acts on a meeting: one of its people (through their ticket link)
/// or staff of the event.
#[derive(Clone, Copy)]
pub enum Acting<'a> {
    Person(&'a Profile),
    Staff(&'a CurrentUser),
}

fn text(field: &str, s: &str) -> AppResult<String> {
    // The limit is on the text as sent (the API document's maxLength).
    crate::error::at_most(field, s, TEXT_CHARS)?;
    Ok(s.trim().to_string())
}

/// Meetings are asked and changed until the event has ended.
fn open_for_meetings(state: &AppState, event: &Event) -> AppResult<()> {
    let live = matches!(
        event.status,
        EventStatus::Planned | EventStatus::RegistrationOpen | EventStatus::Held
    );
    if !live || state.clock.now().millis() >= event.span.end {
        return Err(AppError::Conflict { key: "mm-event-over", conflicts: json!({}) });
    }
    Ok(())
}

fn conflict(key: &'static str, details: serde_json::Value) -> AppError {
    AppError::Conflict { key, conflicts: details }
}

/// A meeting of an event ("not found" for another's).
pub async fn in_event(state: &AppState, event_id: &str, id: &str) -> AppResult<Meeting> {
    store::by_id(&state.db.pool, id)
        .await?
        .filter(|m| m.event_id == event_id)
        .ok_or(AppError::NotFound)
}

/// A meeting its person may see ("not found" for anyone else's).
pub async fn of_person(state: &AppState, me: &Profile, id: &str) -> AppResult<Meeting> {
    let m = in_event(state, &me.event_id, id).await?;
    if m.involves(&me.id) { Ok(m) } else { Err(AppError::NotFound) }
}

async fn people(state: &AppState, m: &Meeting) -> AppResult<(Profile, Profile)> {
    let a = profiles::in_event(state, &m.event_id, &m.requester_id).await?;
    let b = profiles::in_event(state, &m.event_id, &m.invitee_id).await?;
    Ok((a, b))
}

/// What happened to a meeting on acceptance: its place, or none yet.
async fn accept_and_place(
    tx: &mut Write,
    tz: &TimeZone,
    setup: &Setup,
    event: &Event,
    m: &Meeting,
    a: &Profile,
    b: &Profile,
) -> AppResult<Option<(Span, Table)>> {
    let placed = place::place_one(tx, setup, m, a, b, None).await?;
    let where_ =
        Place { span: placed.as_ref().map(|p| p.0), table: placed.as_ref().map(|p| p.1.number) };
    if placed.is_some() {
        mail::both(tx, tz, event, m, (a, b), "mm-mail-placed", &where_).await?;
    } else {
        mail::both(tx, tz, event, m, (a, b), "mm-mail-accepted", &where_).await?;
    }
    Ok(placed)
}

/// Asks another participant for a meeting. Placed at once when the event
/// does not need acceptance.
pub async fn request(
    state: &AppState,
    who: &Who,
    holder: &Holder,
    invitee_id: &str,
    message: &str,
) -> AppResult<Meeting> {
    let me = holder.profile()?;
    let message = text("message", message)?;
    let other = profiles::in_event(state, &me.event_id, invitee_id)
        .await
        .map_err(|_| AppError::invalid("invitee_id", "mm-unknown-person"))?;
    if other.id == me.id {
        return Err(AppError::invalid("invitee_id", "mm-not-yourself"));
    }
    if !other.listed || !profiles::stands(state, &other).await? {
        return Err(AppError::invalid("invitee_id", "mm-unknown-person"));
    }
    open_for_meetings(state, &holder.event)?;
    let now = state.clock.now().millis();
    let accepted = !holder.setup.needs_acceptance;
    let m = Meeting {
        id: new_id(),
        event_id: me.event_id.clone(),
        center_id: me.center_id.clone(),
        requester_id: me.id.clone(),
        invitee_id: other.id.clone(),
        status: if accepted { MeetingStatus::Accepted } else { MeetingStatus::Requested },
        message,
        reason: String::new(),
        by_staff: false,
        span: None,
        table_id: None,
        sequence: 0,
        attendance: None,
        late: false,
        accepted_at: accepted.then_some(now),
        created_at: now,
        updated_at: now,
    };
    let tz = centers::tz(state, &me.center_id).await?;
    let mut tx = Write::begin(state, who).await?;
    let setup = setup::locked(&mut tx, &me.event_id).await?;
    // Asking is limited per person and hour (each request mails someone).
    throttle::hit(&mut tx, REQUESTS_PER_HOUR, &me.id, state.clock.now()).await?;
    if let Some(live) = store::live_between(&mut **tx, &me.id, &other.id).await? {
        tx.rollback().await?;
        return Err(conflict("mm-already-asked", json!({"meeting_id": live.id})));
    }
    if !seats::take(&mut tx, Pool::MeetingRequests, &me.id, 1).await? {
        tx.rollback().await?;
        return Err(conflict("mm-request-limit", json!({"limit": holder.setup.request_limit})));
    }
    store::insert(&mut tx, &m).await?;
    tx.audit(
        Some(&m.center_id),
        "mm_meeting",
        &m.id,
        "request",
        json!({"event": m.event_id, "requester": me.id, "invitee": other.id}),
    )
    .await?;
    if accepted {
        accept_and_place(&mut tx, &tz, &setup, &holder.event, &m, me, &other).await?;
    } else {
        let mail = mail::to(
            &mut tx,
            &tz,
            &holder.event,
            &other,
            me,
            "mm-mail-request",
            &Place { span: None, table: None },
            &m.message,
        )
        .await?;
        tx.mail(mail);
    }
    tx.commit().await?;
    in_event(state, &m.event_id, &m.id).await
}

/// The invitee accepts (the meeting is placed if a slot is free for both)
/// or declines (the request no longer counts against the requester).
pub async fn decide(
    state: &AppState,
    who: &Who,
    holder: &Holder,
    id: &str,
    accept: bool,
    reason: &str,
) -> AppResult<Meeting> {
    let me = holder.profile()?;
    let reason = text("reason", reason)?;
    let m = in_event(state, &me.event_id, id).await?;
    if m.invitee_id != me.id {
        return Err(if m.requester_id == me.id {
            conflict("mm-only-invitee", json!({}))
        } else {
            AppError::NotFound
        });
    }
    let to = if accept { MeetingStatus::Accepted } else { MeetingStatus::Declined };
    if !m.status.can_become(to) {
        return Err(moved(m.status));
    }
    open_for_meetings(state, &holder.event)?;
    let (a, b) = people(state, &m).await?;
    let tz = centers::tz(state, &m.center_id).await?;
    let now = state.clock.now().millis();
    let mut tx = Write::begin(state, who).await?;
    let setup = setup::locked(&mut tx, &m.event_id).await?;
    if !store::set_status(&mut tx, &m.id, m.status, to, &reason, now).await? {
        tx.rollback().await?;
        return Err(moved(m.status));
    }
    tx.audit(Some(&m.center_id), "mm_meeting", &m.id, to.code(), json!({"reason": reason})).await?;
    if accept {
        accept_and_place(&mut tx, &tz, &setup, &holder.event, &m, &a, &b).await?;
    } else {
        seats::release(&mut tx, Pool::MeetingRequests, &m.requester_id, 1).await?;
        let mail = mail::to(
            &mut tx,
            &tz,
            &holder.event,
            &a,
            &b,
            "mm-mail-declined",
            &Place { span: None, table: None },
            &reason,
        )
        .await?;
        tx.mail(mail);
    }
    tx.commit().await?;
    in_event(state, &m.event_id, &m.id).await
}

/// A refused move: 409 naming the state the meeting is in and where it may go.
fn moved(from: MeetingStatus) -> AppError {
    let allowed: Vec<&str> = from.next().iter().map(|s| s.code()).collect();
    conflict("mm-transition", json!({"status": from.code(), "allowed": allowed}))
}

/// Cancels a live meeting (either person, or staff). A placed meeting's
/// slot is offered at once to the first accepted meeting still waiting
/// whose two people are free then.
pub async fn cancel(
    state: &AppState,
    who: &Who,
    by: Acting<'_>,
    event_id: &str,
    id: &str,
    reason: &str,
) -> AppResult<Meeting> {
    let reason = text("reason", reason)?;
    let m = in_event(state, event_id, id).await?;
    match by {
        Acting::Person(p) if !m.involves(&p.id) => return Err(AppError::NotFound),
        Acting::Staff(u) => {
            setup::staff_event(state, u, event_id).await?;
        }
        _ => {}
    }
    if !m.status.can_become(MeetingStatus::Cancelled) {
        return Err(moved(m.status));
    }
    let event = events::get(state, event_id).await?;
    let (a, b) = people(state, &m).await?;
    let tz = centers::tz(state, &m.center_id).await?;
    let now = state.clock.now().millis();
    let mut tx = Write::begin(state, who).await?;
    let setup = setup::locked(&mut tx, event_id).await?;
    // The meeting as it is under the turn (it may have been placed since).
    let m = store::by_id(&mut **tx, &m.id).await?.ok_or(AppError::NotFound)?;
    if !store::set_status(&mut tx, &m.id, m.status, MeetingStatus::Cancelled, &reason, now).await? {
        tx.rollback().await?;
        return Err(moved(m.status));
    }
    store::release_holds(&mut tx, &m.id).await?;
    store::bump(&mut tx, &m.id, now).await?;
    // An interpreter offered for it is free again.
    interpreting::release_item(&mut tx, &m.id, crate::clock::Instant(now)).await?;
    if !m.by_staff {
        seats::release(&mut tx, Pool::MeetingRequests, &m.requester_id, 1).await?;
    }
    tx.audit(Some(&m.center_id), "mm_meeting", &m.id, "cancel", json!({"reason": reason})).await?;
    let told: Vec<&Profile> = match by {
        Acting::Person(p) => vec![if p.id == a.id { &b } else { &a }],
        Acting::Staff(_) => vec![&a, &b],
    };
    let mut out = vec![];
    for p in told {
        let other = if p.id == a.id { &b } else { &a };
        let place = Place { span: m.span, table: None };
        out.extend(
            mail::to(&mut tx, &tz, &event, p, other, "mm-mail-cancelled", &place, &reason).await?,
        );
    }
    tx.mail(out);
    if let Some(span) = m.span.filter(|s| s.start > now) {
        offer_freed(&mut tx, &tz, &setup, &event, span.start).await?;
    }
    tx.commit().await?;
    in_event(state, event_id, &m.id).await
}

/// Gives a freed slot to the first accepted meeting still waiting whose
/// two people are free then (and a table is): the waiting request moves in.
async fn offer_freed(
    tx: &mut Write,
    tz: &TimeZone,
    setup: &Setup,
    event: &Event,
    start: i64,
) -> AppResult<()> {
    let waiting = store::waiting(tx, &event.id).await?;
    for w in waiting.iter().take(50) {
        let both = profiles::by_ids_tx(tx, &[w.requester_id.clone(), w.invitee_id.clone()]).await?;
        let (Some(a), Some(b)) = (
            both.iter().find(|p| p.id == w.requester_id),
            both.iter().find(|p| p.id == w.invitee_id),
        ) else {
            continue;
        };
        if let Some((span, table)) = place::place_one(tx, setup, w, a, b, Some(start)).await? {
            tx.audit(
                Some(&w.center_id),
                "mm_meeting",
                &w.id,
                "place",
                json!({"starts_at": span.start, "table": table.number, "freed": true}),
            )
            .await?;
            let place = Place { span: Some(span), table: Some(table.number) };
            mail::both(tx, tz, event, w, (a, b), "mm-mail-placed", &place).await?;
            break;
        }
    }
    Ok(())
}

/// Staff book a meeting between two participants directly (a VIP
/// delegation): accepted at once and placed if a slot is free for both.
pub async fn book(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    event_id: &str,
    requester_id: &str,
    invitee_id: &str,
    message: &str,
) -> AppResult<Meeting> {
    let event = setup::staff_event(state, user, event_id).await?;
    setup::require(state, event_id).await?;
    let message = text("message", message)?;
    let a = profiles::in_event(state, event_id, requester_id)
        .await
        .map_err(|_| AppError::invalid("requester_id", "mm-unknown-person"))?;
    let b = profiles::in_event(state, event_id, invitee_id)
        .await
        .map_err(|_| AppError::invalid("invitee_id", "mm-unknown-person"))?;
    if a.id == b.id {
        return Err(AppError::invalid("invitee_id", "mm-not-yourself"));
    }
    for (field, p) in [("requester_id", &a), ("invitee_id", &b)] {
        if !profiles::stands(state, p).await? {
            return Err(AppError::invalid(field, "mm-unknown-person"));
        }
    }
    open_for_meetings(state, &event)?;
    let now = state.clock.now().millis();
    let m = Meeting {
        id: new_id(),
        event_id: event.id.clone(),
        center_id: event.center_id.clone(),
        requester_id: a.id.clone(),
        invitee_id: b.id.clone(),
        status: MeetingStatus::Accepted,
        message,
        reason: String::new(),
        by_staff: true,
        span: None,
        table_id: None,
        sequence: 0,
        attendance: None,
        late: false,
        accepted_at: Some(now),
        created_at: now,
        updated_at: now,
    };
    let tz = centers::tz(state, &event.center_id).await?;
    let mut tx = Write::begin(state, who).await?;
    let setup = setup::locked(&mut tx, event_id).await?;
    if let Some(live) = store::live_between(&mut **tx, &a.id, &b.id).await? {
        tx.rollback().await?;
        return Err(conflict("mm-already-asked", json!({"meeting_id": live.id})));
    }
    // Staff bookings count against nobody's request limit.
    store::insert(&mut tx, &m).await?;
    tx.audit(
        Some(&m.center_id),
        "mm_meeting",
        &m.id,
        "book",
        json!({"requester": a.id, "invitee": b.id}),
    )
    .await?;
    accept_and_place(&mut tx, &tz, &setup, &event, &m, &a, &b).await?;
    tx.commit().await?;
    in_event(state, event_id, &m.id).await
}

/// What the batch scheduler did.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Batch {
    /// Accepted meetings that were waiting for a place.
    pub waiting: usize,
    /// Placed now.
    pub placed: usize,
    /// No schedule could place more than this many of them.
    pub upper_bound: usize,
}

/// Places every accepted meeting still waiting at once (see
/// `model::schedule`), in one write.
pub async fn schedule_all(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    event_id: &str,
) -> AppResult<Batch> {
    let event = setup::staff_event(state, user, event_id).await?;
    setup::require(state, event_id).await?;
    let tz = centers::tz(state, &event.center_id).await?;
    let mut tx = Write::begin(state, who).await?;
    let setup = setup::locked(&mut tx, event_id).await?;
    let waiting = store::waiting(&mut tx, event_id).await?;
    let mut ids: Vec<String> =
        waiting.iter().flat_map(|m| [m.requester_id.clone(), m.invitee_id.clone()]).collect();
    ids.sort();
    ids.dedup();
    let all = profiles::by_ids_tx(&mut tx, &ids).await?;
    let refs: Vec<&Profile> = all.iter().collect();
    let tables = setup::tables_tx(&mut tx, event_id).await?;
    let mut plan = place::plan(&mut tx, &setup, tables, &refs, true).await?;
    // Each want keeps the index of its meeting in `waiting`.
    let (wanted, wants): (Vec<usize>, Vec<Want>) = waiting
        .iter()
        .enumerate()
        .filter_map(|(i, m)| {
            let a = plan.person(&m.requester_id)?;
            let b = plan.person(&m.invitee_id)?;
            Some((i, Want { a, b, seats: SEATS }))
        })
        .unzip();
    let model_tables = place::model_tables(&plan);
    let bound = model::upper_bound(&plan.board, &model_tables, plan.slots.len(), &wants);
    let placed = model::schedule(&mut plan.board, &model_tables, plan.slots.len(), &wants);
    for p in &placed {
        let m = &waiting[wanted[p.want]];
        let span = plan.slots[p.slot];
        let table = plan.tables[p.table].clone();
        place::write(&mut tx, m, span, &table).await?;
        let a = all.iter().find(|x| x.id == m.requester_id).ok_or(AppError::NotFound)?;
        let b = all.iter().find(|x| x.id == m.invitee_id).ok_or(AppError::NotFound)?;
        let place = Place { span: Some(span), table: Some(table.number) };
        mail::both(&mut tx, &tz, &event, m, (a, b), "mm-mail-placed", &place).await?;
    }
    let batch = Batch { waiting: waiting.len(), placed: placed.len(), upper_bound: bound };
    tx.audit(Some(&event.center_id), "matchmaking", event_id, "schedule", json!(batch)).await?;
    tx.commit().await?;
    Ok(batch)
}

/// Staff record who came to a meeting, and whether it ran late.
pub async fn attend(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    event_id: &str,
    id: &str,
    attendance: Attendance,
    late: bool,
) -> AppResult<Meeting> {
    setup::staff_event(state, user, event_id).await?;
    let m = in_event(state, event_id, id).await?;
    if m.status != MeetingStatus::Accepted || m.span.is_none() {
        return Err(conflict("mm-not-placed", json!({})));
    }
    let now = state.clock.now().millis();
    let mut tx = Write::begin(state, who).await?;
    if !store::set_attendance(&mut tx, &m.id, attendance, late, now).await? {
        tx.rollback().await?;
        return Err(conflict("mm-not-placed", json!({})));
    }
    tx.audit(
        Some(&m.center_id),
        "mm_meeting",
        &m.id,
        "attendance",
        json!({"attendance": attendance.code(), "late": late}),
    )
    .await?;
    tx.commit().await?;
    in_event(state, event_id, id).await
}

/// One side records what a meeting led to (again: replaces their record).
pub async fn record_outcome(
    state: &AppState,
    who: &Who,
    me: &Profile,
    id: &str,
    outcomes: &[Outcome],
    note: &str,
) -> AppResult<()> {
    let note = text("note", note)?;
    let m = of_person(state, me, id).await?;
    if m.status != MeetingStatus::Accepted
        || m.span.is_none_or(|s| s.start > state.clock.now().millis())
    {
        return Err(conflict("mm-outcome-early", json!({})));
    }
    // Each outcome once, whatever the form sent.
    let mut codes: Vec<&str> = outcomes.iter().map(|o| o.code()).collect();
    codes.sort_unstable();
    codes.dedup();
    let now = state.clock.now().millis();
    let mut tx = Write::begin(state, who).await?;
    store::save_outcome(&mut tx, &m.id, &me.id, &codes.join(","), &note, now).await?;
    tx.audit(
        Some(&m.center_id),
        "mm_meeting",
        &m.id,
        "outcome",
        json!({"by": me.id, "outcomes": codes}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A live meeting (requested or accepted) between two people, if any.
pub async fn live_between(state: &AppState, a: &str, b: &str) -> AppResult<Option<Meeting>> {
    Ok(store::live_between(&state.db.pool, a, b).await?)
}

/// A page of one person's meetings (asked, received, placed), oldest first.
pub async fn of_profile(
    state: &AppState,
    me: &Profile,
    after: &(i64, String),
    limit: i64,
) -> AppResult<Vec<Meeting>> {
    Ok(store::of_profile(&state.db, &me.id, after, limit).await?)
}

/// One person's agenda: their placed meetings in time order.
pub async fn agenda(state: &AppState, me: &Profile) -> AppResult<Vec<Meeting>> {
    Ok(store::agenda(&state.db, &me.id).await?)
}

/// A page of an event's meetings in some states, for staff.
pub async fn of_event(
    state: &AppState,
    user: &CurrentUser,
    event_id: &str,
    statuses: &[MeetingStatus],
    after: &(i64, String),
    limit: i64,
) -> AppResult<Vec<Meeting>> {
    setup::staff_event(state, user, event_id).await?;
    Ok(store::of_event(&state.db, event_id, statuses, after, limit).await?)
}

/// Every placed meeting of an event, by time and table (table cards, the
/// day's sheet).
pub async fn placed(
    state: &AppState,
    user: &CurrentUser,
    event_id: &str,
) -> AppResult<Vec<Meeting>> {
    setup::staff_event(state, user, event_id).await?;
    Ok(store::placed(&state.db, event_id).await?)
}

/// The outcomes recorded for a meeting: (profile id, outcomes, note).
pub async fn outcomes(
    state: &AppState,
    id: &str,
) -> AppResult<Vec<(String, Vec<Outcome>, String)>> {
    Ok(store::outcomes(&state.db, id).await?)
}

/// An event's meetings by state, and its profiles.
pub async fn counts(state: &AppState, event_id: &str) -> AppResult<Counts> {
    let mut c = Counts { profiles: profiles::count(state, event_id).await?, ..Counts::default() };
    for (status, placed, n) in store::counts(&state.db, event_id).await? {
        match (MeetingStatus::parse(&status), placed) {
            (Some(MeetingStatus::Requested), _) => c.requested += n,
            (Some(MeetingStatus::Accepted), true) => {
                c.accepted += n;
                c.placed += n;
            }
            (Some(MeetingStatus::Accepted), false) => {
                c.accepted += n;
                c.waiting += n;
            }
            (Some(MeetingStatus::Declined), _) => c.declined += n,
            (Some(MeetingStatus::Cancelled), _) => c.cancelled += n,
            (None, _) => {}
        }
    }
    Ok(c)
}

/// Staff offer a placed meeting to an interpreter from the roster (when
/// the two share no language), with the interpreting rules: qualified in
/// the language, never in two places at once (409 naming the clash). The
/// table must seat three.
pub async fn attach_interpreter(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    event_id: &str,
    id: &str,
    interpreter_id: &str,
    language: &str,
) -> AppResult<Assignment> {
    let event = setup::staff_event(state, user, event_id).await?;
    let m = in_event(state, event_id, id).await?;
    let (Some(span), Some(table_id), MeetingStatus::Accepted) =
        (m.span, m.table_id.as_ref(), m.status)
    else {
        return Err(conflict("mm-not-placed", json!({})));
    };
    let table = setup::all_tables(state, event_id)
        .await?
        .into_iter()
        .find(|t| &t.id == table_id)
        .ok_or(AppError::NotFound)?;
    if table.seats < 3 {
        return Err(conflict("mm-table-too-small", json!({"number": table.number})));
    }
    // The label kept with the assignment names no one (it outlives the
    // purge of the participants' data).
    let title = crate::i18n::Bilingual::new(
        format!("{} · {} 号桌", event.title.zh, table.number),
        format!("{} · table {}", event.title.en, table.number),
    );
    let item = ItemRef {
        id: &m.id,
        kind: "meeting",
        center_id: &m.center_id,
        span,
        title: &title,
        link: format!("/events/{event_id}/matchmaking/meetings"),
    };
    interpreting::assign(state, who, user, &item, interpreter_id, language).await
}

/// The interpreters offered for these meetings (live assignments).
pub async fn interpreters_of(state: &AppState, ids: &[String]) -> AppResult<Vec<Assignment>> {
    interpreting::for_items(state, ids).await
}

/// Staff move an agreed meeting to another slot (the smallest table free
/// then): both people must be free and within their availability, or 409.
/// Both are told in their language; the slot it leaves goes to a meeting
/// still waiting.
pub async fn move_to(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    event_id: &str,
    id: &str,
    starts_at: i64,
) -> AppResult<Meeting> {
    let event = setup::staff_event(state, user, event_id).await?;
    let m = in_event(state, event_id, id).await?;
    let (a, b) = people(state, &m).await?;
    let tz = centers::tz(state, &m.center_id).await?;
    let now = state.clock.now().millis();
    if starts_at <= now {
        return Err(AppError::invalid("starts_at", "mm-move-past"));
    }
    let mut tx = Write::begin(state, who).await?;
    let setup = setup::locked(&mut tx, event_id).await?;
    let m = store::by_id(&mut **tx, &m.id).await?.ok_or(AppError::NotFound)?;
    if m.status != MeetingStatus::Accepted {
        tx.rollback().await?;
        return Err(moved(m.status));
    }
    if !setup::slots(&setup).iter().any(|s| s.start == starts_at) {
        tx.rollback().await?;
        return Err(AppError::invalid("starts_at", "mm-move-no-slot"));
    }
    let old = m.span;
    store::release_holds(&mut tx, &m.id).await?;
    store::unplace(&mut tx, &m.id, now).await?;
    let unplaced = Meeting { span: None, table_id: None, ..m.clone() };
    let Some((span, table)) =
        place::place_one(&mut tx, &setup, &unplaced, &a, &b, Some(starts_at)).await?
    else {
        tx.rollback().await?;
        return Err(conflict("mm-move-busy", json!({})));
    };
    tx.audit(
        Some(&m.center_id),
        "mm_meeting",
        &m.id,
        "move",
        json!({"from": old.map(|s| s.start), "to": span.start, "table": table.number}),
    )
    .await?;
    let place = Place { span: Some(span), table: Some(table.number) };
    mail::both(&mut tx, &tz, &event, &m, (&a, &b), "mm-mail-moved", &place).await?;
    if let Some(old) = old.filter(|o| o.start != span.start && o.start > now) {
        offer_freed(&mut tx, &tz, &setup, &event, old.start).await?;
    }
    tx.commit().await?;
    in_event(state, event_id, &m.id).await
}
