use super::store;
use crate::audit::Who;
use crate::bilingual::Place;
use crate::clock::Instant;
use crate::db::{new_id, unique_violation};
use crate::domains::centers::service as centers;
use crate::domains::glossary::finding::service as glossary;
use crate::domains::venues::booking;
use crate::domains::venues::model::{
    FreeRoomQuery, MINUTE_MS, Room, RoomInput, RoomRules, Span, check_occurrence, nearest_free,
};
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n::Bilingual;
use crate::links::{self, Purpose};
use crate::state::AppState;
use crate::time::DAY_MS;
use crate::write::Write;
use jiff::tz::TimeZone;
use serde_json::json;

pub async fn rooms(state: &AppState, center_id: &str) -> AppResult<Vec<Room>> {
    Ok(store::rooms_of(&state.db, center_id).await?)
}

/// A room of `center_id`; a room of another center is "not found".
pub async fn room_in(state: &AppState, center_id: &str, room_id: &str) -> AppResult<Room> {
    store::room(&state.db, room_id)
        .await?
        .filter(|r| r.center_id == center_id)
        .ok_or(AppError::NotFound)
}

/// Which of a room's links: its door display or its calendar feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoomLink {
    Display,
    Feed,
}

impl RoomLink {
    pub fn parse(s: &str) -> Option<RoomLink> {
        match s {
            "display" => Some(RoomLink::Display),
            "feed" => Some(RoomLink::Feed),
            _ => None,
        }
    }

    pub fn purpose(self) -> Purpose {
        match self {
            RoomLink::Display => Purpose::Display,
            RoomLink::Feed => Purpose::RoomFeed,
        }
    }

    /// The path a secret opens.
    pub fn path(self, secret: &str) -> String {
        match self {
            RoomLink::Display => format!("/display/{secret}"),
            RoomLink::Feed => format!("/calendar/rooms/{secret}.ics"),
        }
    }
}

/// A new link for a room (the earlier ones stop working); the caller has
/// checked the room is theirs to manage. Returns its path.
pub async fn renew_link(
    state: &AppState,
    who: &Who,
    center_id: &str,
    room_id: &str,
    which: RoomLink,
) -> AppResult<String> {
    let mut tx = Write::begin(state, who).await?;
    let now = tx.now();
    let secret = links::renew(&mut tx, which.purpose(), room_id, now).await?;
    tx.audit(
        Some(center_id),
        "room_link",
        room_id,
        "renew",
        json!({"link": which.purpose().code()}),
    )
    .await?;
    tx.commit().await?;
    Ok(which.path(&secret))
}

/// When a room's live link was made, if it has one.
pub async fn room_link_made(
    state: &AppState,
    room_id: &str,
    which: RoomLink,
) -> AppResult<Option<Instant>> {
    Ok(links::made_at(&state.db, which.purpose(), room_id).await?)
}

/// The room a secret link opens (its door display or its calendar feed).
pub async fn room_by_link(state: &AppState, purpose: Purpose, secret: &str) -> AppResult<Room> {
    let id = links::resolve(&state.db, purpose, secret).await?.ok_or(AppError::NotFound)?;
    store::room(&state.db, &id).await?.ok_or(AppError::NotFound)
}

pub async fn create_room(
    state: &AppState,
    who: &Who,
    center_id: &str,
    input: RoomInput,
) -> AppResult<Room> {
    let zones = centers::zones(state, center_id).await?;
    let zone = zones
        .iter()
        .find(|z| z.code == input.zone_code)
        .ok_or_else(|| AppError::invalid("zone_code", "room-unknown-zone"))?;
    let now = state.clock.now();
    let id = new_id();
    let mut tx = Write::begin(state, who).await?;
    if let Err(e) = store::insert_room(&mut tx, &id, center_id, &zone.id, &input, now).await {
        return Err(match unique_violation(&e, store::ROOM_UNIQUE) {
            Some(_) => AppError::invalid("name_en", "room-name-taken"),
            None => e.into(),
        });
    }
    tx.audit(Some(center_id), "room", &id, "create", json!({"name": input.name, "zone": input.zone_code, "capacity": input.rules.capacity,
                            "equipment": input.equipment, "requires_approval": input.requires_approval}))
            .await?;
    glossary::recheck_in(&mut tx, center_id, Place::Room, &id).await?;
    tx.commit().await?;
    room_in(state, center_id, &id).await
}

/// Changes a room's details and rules. Bookings already made stay as they
/// are; the new rules apply to bookings made or moved from now on.
pub async fn update_room(
    state: &AppState,
    who: &Who,
    center_id: &str,
    room_id: &str,
    input: RoomInput,
) -> AppResult<Room> {
    let before = room_in(state, center_id, room_id).await?;
    let zones = centers::zones(state, center_id).await?;
    let zone = zones
        .iter()
        .find(|z| z.code == input.zone_code)
        .ok_or_else(|| AppError::invalid("zone_code", "room-unknown-zone"))?;
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    store::lock_room(&mut tx, room_id).await?;
    if let Err(e) = store::update_room(&mut tx, room_id, &zone.id, &input, now).await {
        return Err(match unique_violation(&e, store::ROOM_UNIQUE) {
            Some(_) => AppError::invalid("name_en", "room-name-taken"),
            None => e.into(),
        });
    }
    let describe = |r: &RoomRules,
                    name: &Bilingual,
                    zone: &str,
                    equipment: &[String],
                    approval: bool| {
        json!({"name": name, "zone": zone, "capacity": r.capacity, "bookable": r.bookable, "hours": r.hours.encode(),
               "min_minutes": r.min_minutes, "max_minutes": r.max_minutes, "max_advance_days": r.max_advance_days,
               "setup_minutes": r.setup_minutes, "teardown_minutes": r.teardown_minutes,
               "equipment": equipment, "requires_approval": approval})
    };
    tx.audit(Some(center_id), "room", room_id, "update", json!({
                "before": describe(&before.rules, &before.name, &before.zone_code, &before.equipment, before.requires_approval),
                "after": describe(&input.rules, &input.name, &input.zone_code, &input.equipment, input.requires_approval),
            }))
            .await?;
    glossary::recheck_in(&mut tx, center_id, Place::Room, room_id).await?;
    tx.commit().await?;
    room_in(state, center_id, room_id).await
}

/// Nearest free times in the same room, then other rooms free at the same time.
pub(in crate::domains::venues) async fn alternatives(
    state: &AppState,
    room: &Room,
    tz: &TimeZone,
    wanted: Span,
    attendees: i64,
    needs: &[String],
) -> AppResult<Vec<Alternative>> {
    let now = state.clock.now();
    let horizon = Span::new(wanted.start - 8 * DAY_MS, wanted.end + 8 * DAY_MS);
    let mut blocked: Vec<Span> = booking::store::in_room(&state.db, &room.id, horizon, true)
        .await?
        .iter()
        .map(|b| b.block)
        .collect();
    blocked.extend(
        store::blackouts(&state.db.pool, &room.id, &room.zone_id, horizon)
            .await?
            .into_iter()
            .map(|(s, _)| s),
    );
    let mut out: Vec<Alternative> = nearest_free(wanted, &room.rules, tz, &blocked, now, 30, 7, 3)
        .into_iter()
        .map(|s| alternative(room, s, tz, "same_room"))
        .collect();
    // The smallest rooms that fit come first: a delegation of six does not
    // need the 200-seat hall. Rooms are checked one by one until six
    // suggestions are found (each check reads only that room's rows).
    let mut others = store::rooms_of(&state.db, &room.center_id).await?;
    others.sort_by_key(|r| r.rules.capacity);
    for other in others {
        if out.len() >= 6 {
            break;
        }
        if other.id == room.id
            || !needs.iter().all(|n| other.equipment.contains(n))
            || !check_occurrence(&other.rules, tz, wanted, attendees, now).is_empty()
        {
            continue;
        }
        let block = other.rules.block(wanted);
        let busy = booking::store::in_room(&state.db, &other.id, block, true).await?;
        if busy.is_empty()
            && store::blackouts(&state.db.pool, &other.id, &other.zone_id, block).await?.is_empty()
        {
            out.push(alternative(&other, wanted, tz, "other_room"));
        }
    }
    Ok(out)
}

pub(in crate::domains::venues) fn alternative(
    room: &Room,
    span: Span,
    tz: &TimeZone,
    kind: &str,
) -> Alternative {
    Alternative {
        room_id: room.id.clone(),
        room_name_zh: room.name.zh.clone(),
        room_name_en: room.name.en.clone(),
        starts_at: Instant(span.start).rfc3339_in(tz),
        ends_at: Instant(span.end).rfc3339_in(tz),
        kind: kind.into(),
    }
}

/// Busy and free time of a room in a window (buffers included in busy).
pub struct Availability {
    pub busy: Vec<(Span, String)>,
    pub free: Vec<Span>,
}

pub async fn availability(state: &AppState, room: &Room, window: Span) -> AppResult<Availability> {
    let bookings = booking::store::in_room(&state.db, &room.id, window, true).await?;
    let closed = store::blackouts(&state.db.pool, &room.id, &room.zone_id, window).await?;
    let mut busy: Vec<(Span, String)> = bookings.iter().map(|b| (b.block, b.id.clone())).collect();
    busy.extend(closed.into_iter().map(|(s, _)| (s, String::new())));
    busy.sort_by_key(|(s, _)| *s);
    let spans: Vec<Span> = busy.iter().map(|(s, _)| *s).collect();
    let free = crate::domains::venues::model::free_spans(window, &spans);
    Ok(Availability { busy, free })
}

/// A room the finder offers: free at the time asked, or free at other
/// times of that day.
#[derive(Debug, Clone)]
pub struct FreeRoom {
    pub room: Room,
    pub free_now: bool,
    /// The free parts of the day's bookable hours, each long enough to book.
    pub free_times: Vec<Span>,
}

/// The free-room finder: the rooms of a center big enough and equipped for
/// the query that are free at its time (first, smallest first) or at other
/// times that day.
pub async fn free_rooms(
    state: &AppState,
    center_id: &str,
    q: &FreeRoomQuery,
) -> AppResult<Vec<FreeRoom>> {
    let tz = centers::tz(state, center_id).await?;
    let now = state.clock.now();
    let day = crate::domains::venues::calendar::day_span(q.date, &tz);
    let weekday = q.date.weekday().to_monday_zero_offset() as usize;
    let mut found = vec![];
    for room in rooms(state, center_id).await? {
        let fits = q.needs.iter().all(|n| room.equipment.contains(n))
            && room.rules.capacity >= q.people
            && room.rules.bookable;
        if !fits {
            continue;
        }
        let a = availability(state, &room, day).await?;
        let busy: Vec<Span> = a.busy.iter().map(|(s, _)| *s).collect();
        let free_now = check_occurrence(&room.rules, &tz, q.span, q.people, now).is_empty()
            && busy.iter().all(|b| !b.overlaps(&room.rules.block(q.span)));
        let free_times = match room.rules.hours.0.get(weekday).copied().flatten() {
            Some((open, close)) => {
                let window = Span::new(
                    day.start + i64::from(open) * MINUTE_MS,
                    day.start + i64::from(close) * MINUTE_MS,
                );
                crate::domains::venues::model::free_spans(window, &busy)
                    .into_iter()
                    .filter(|f| f.minutes() >= room.rules.min_minutes && f.end > now.millis())
                    .collect()
            }
            None => vec![],
        };
        if free_now || !free_times.is_empty() {
            found.push(FreeRoom { room, free_now, free_times });
        }
    }
    found.sort_by_key(|r| (!r.free_now, r.room.rules.capacity));
    Ok(found)
}

/// Closes a room, or every room of its zone, for a period. Existing bookings
/// stay (they show beside the closure on the calendar); new ones are refused.
pub async fn add_blackout(
    state: &AppState,
    who: &Who,
    room: &Room,
    whole_zone: bool,
    span: Span,
    reason: Bilingual,
) -> AppResult<()> {
    let mut errors = reason.limit("reason", 200);
    if span.end <= span.start {
        errors.push(FieldError::new("to_date", "booking-end-before-start"));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let now = state.clock.now();
    let id = new_id();
    let mut tx = Write::begin(state, who).await?;
    let (room_id, zone_id) = if whole_zone {
        (None, Some(room.zone_id.as_str()))
    } else {
        (Some(room.id.as_str()), None)
    };
    store::insert_blackout(
        &mut tx,
        &id,
        &room.center_id,
        room_id,
        zone_id,
        span,
        &reason,
        who.user_id.as_deref().unwrap_or(""),
        now,
    )
    .await?;
    tx.audit(Some(&room.center_id), "blackout", &id, "create", json!({"room": room_id, "zone": zone_id, "reason": reason, "starts_at": span.start, "ends_at": span.end}))
            .await?;
    tx.commit().await?;
    Ok(())
}

/// Reopens what a closure closed.
pub async fn remove_blackout(
    state: &AppState,
    who: &Who,
    center_id: &str,
    blackout_id: &str,
) -> AppResult<()> {
    let _now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    if !store::delete_blackout(&mut tx, center_id, blackout_id).await? {
        return Err(AppError::NotFound);
    }
    tx.audit(Some(center_id), "blackout", blackout_id, "delete", json!({})).await?;
    tx.commit().await?;
    Ok(())
}

/// Another room or time that would work.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Alternative {
    pub room_id: String,
    pub room_name_zh: String,
    pub room_name_en: String,
    pub starts_at: String,
    pub ends_at: String,
    /// `same_room` (another time) or `other_room` (the same time).
    pub kind: String,
}
