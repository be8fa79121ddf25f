//! The hall's calendar and rules: reading them (kept for a moment, like
//! centers), changing them (audited; future slots take the new limits), and
//! the slots they make with the places still free.

use std::sync::{Arc, OnceLock};

use jiff::civil::Date;
use serde_json::json;

use super::store::{self, Hall, SlotRow};
use crate::audit::Who;
use crate::auth::{CurrentUser, Perm, allows};
use crate::clock::Instant;
use crate::domains::centers::service as centers;
use crate::domains::hall::model::{Hours, Rules, hm};
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n::{Bilingual, Lang};
use crate::state::AppState;
use crate::web::cache::Recent;
use crate::write::Write;

pub use store::{Hall as HallRecord, SlotRow as Slot};

/// Halls read often (every booking, every calendar page) and changed
/// seldom: kept for a moment like centers (`web::cache::Recent`, 2 s). A
/// change made here forgets its hall at once; one made by another instance
/// shows within the moment.
fn kept() -> &'static Recent<Arc<Hall>> {
    static KEPT: OnceLock<Recent<Arc<Hall>>> = OnceLock::new();
    KEPT.get_or_init(Recent::default)
}

/// The hall of a center, if it has one.
pub async fn hall(state: &AppState, center_id: &str) -> AppResult<Option<Hall>> {
    let read = kept()
        .get_or_read(center_id, || async {
            Ok::<_, sqlx::Error>(store::hall(&state.db, center_id).await?.map(Arc::new))
        })
        .await?;
    Ok(read.map(|h| (*h).clone()))
}

/// The hall of a center: "not found" when it has none.
pub async fn require(state: &AppState, center_id: &str) -> AppResult<Hall> {
    hall(state, center_id).await?.ok_or(AppError::NotFound)
}

/// The hall's name in both languages (the default name where it has none).
pub fn display_name(hall: &Hall) -> Bilingual {
    if hall.name.is_complete() {
        hall.name.clone()
    } else {
        Bilingual::new(Lang::Zh.t("hall-default-name"), Lang::En.t("hall-default-name"))
    }
}

/// Today in the center's zone.
pub fn today(state: &AppState, tz: &jiff::tz::TimeZone) -> AppResult<Date> {
    state.clock.now().local_parts(tz).0.parse().map_err(AppError::internal)
}

/// The center a caller works on: staff their own, everyone else the public one.
pub async fn center_for(state: &AppState, user: Option<&CurrentUser>) -> AppResult<String> {
    match user {
        Some(u) if allows(Some(u.role), Perm::ManageHall) && u.center_id.is_some() => {
            Ok(u.center_id.clone().unwrap_or_default())
        }
        _ => Ok(centers::public_center(state).await?.ok_or(AppError::NotFound)?.id),
    }
}

/// What staff change of a hall at once: its name, rules and weekly hours.
#[derive(Debug, Clone)]
pub struct HallEdit {
    pub name: Bilingual,
    pub rules: Rules,
    pub week: [Option<Hours>; 7],
}

/// Saves a hall's name, rules and week. Slots and days still to come take
/// the new limits; reservations the new calendar no longer has a place for
/// are left as they are and listed for staff (`reservation::service::displaced`).
pub async fn save(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    edit: HallEdit,
) -> AppResult<()> {
    let center_id = user.center_id.clone().ok_or(AppError::Forbidden)?;
    if !allows(Some(user.role), Perm::ManageHall) {
        return Err(AppError::Forbidden);
    }
    let mut errors = edit.rules.check();
    errors.extend(edit.name.limit("name", 200));
    if edit.rules.real_name && state.config.data_key.is_none() {
        errors.push(FieldError::new("real_name", "hall-real-name-needs-key"));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let tz = centers::tz(state, &center_id).await?;
    let now = state.clock.now();
    let today = now.local_parts(&tz).0;
    let mut tx = Write::begin(state, who).await?;
    store::save_hall(&mut tx, &center_id, &edit.name, &edit.rules, now.millis()).await?;
    store::set_week(&mut tx, &center_id, &edit.week).await?;
    store::set_future_limits(
        &mut tx,
        &center_id,
        now.millis(),
        &today,
        edit.rules.slot_capacity,
        edit.rules.group_day_cap,
    )
    .await?;
    let week: Vec<String> = edit
        .week
        .iter()
        .map(|h| h.map(|h| format!("{}-{}", hm(h.opens), hm(h.closes))).unwrap_or_default())
        .collect();
    tx.audit(
        Some(&center_id),
        "hall",
        &center_id,
        "update",
        json!({"rules": edit.rules, "week": week}),
    )
    .await?;
    tx.commit().await?;
    kept().forget(&center_id);
    Ok(())
}

/// Sets a dated exception: closed (`hours` none) or open with these hours.
pub async fn set_exception(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    day: &str,
    hours: Option<Hours>,
    note: Bilingual,
) -> AppResult<()> {
    let center_id = user.center_id.clone().ok_or(AppError::Forbidden)?;
    require(state, &center_id).await?;
    let date = crate::time::parse_day("day", day, true)?.ok_or(AppError::NotFound)?;
    let errors = note.limit("note", 200);
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let mut tx = Write::begin(state, who).await?;
    store::set_exception(&mut tx, &center_id, &date.to_string(), hours, &note).await?;
    tx.audit(
        Some(&center_id),
        "hall",
        &center_id,
        "exception",
        json!({"day": date.to_string(), "hours": hours.map(|h| format!("{}-{}", hm(h.opens), hm(h.closes))), "note": note}),
    )
    .await?;
    tx.commit().await?;
    kept().forget(&center_id);
    Ok(())
}

pub async fn remove_exception(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    day: &str,
) -> AppResult<()> {
    let center_id = user.center_id.clone().ok_or(AppError::Forbidden)?;
    let mut tx = Write::begin(state, who).await?;
    if !store::remove_exception(&mut tx, &center_id, day).await? {
        return Err(AppError::NotFound);
    }
    tx.audit(Some(&center_id), "hall", &center_id, "exception_removed", json!({"day": day}))
        .await?;
    tx.commit().await?;
    kept().forget(&center_id);
    Ok(())
}

/// One slot of the calendar, with its places.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotView {
    /// `YYYY-MM-DDTHH:MM`, local: how the slot is named in links and forms.
    pub key: String,
    pub day: Date,
    pub start: i64,
    pub end: i64,
    /// `HH:MM–HH:MM`.
    pub times: String,
    pub capacity: i64,
    pub free: i64,
    /// Still open for booking: not begun, within the horizon, the hall open.
    pub bookable: bool,
}

/// The slot key `YYYY-MM-DDTHH:MM` read back: its day and start minute.
pub fn parse_key(key: &str) -> Option<(Date, u16)> {
    let (d, t) = key.trim().split_once('T')?;
    let day = crate::time::parse_day("slot", d, true).ok()??;
    Some((day, crate::domains::hall::model::parse_hm(t)?))
}

/// The last day one may book on, seen from `now`.
pub fn last_bookable_day(rules: &Rules, now: Instant, tz: &jiff::tz::TimeZone) -> Option<Date> {
    let today: Date = now.local_parts(tz).0.parse().ok()?;
    today.checked_add(jiff::Span::new().days(rules.horizon_days)).ok()
}

fn instant(day: Date, minute: u16, tz: &jiff::tz::TimeZone) -> Option<i64> {
    let t = jiff::civil::Time::new((minute / 60) as i8, (minute % 60) as i8, 0, 0).ok();
    let dt = match t {
        Some(t) => day.to_datetime(t),
        // 24:00 is the next day's midnight.
        None => day
            .checked_add(jiff::Span::new().days(1))
            .ok()?
            .to_datetime(jiff::civil::Time::midnight()),
    };
    Some(dt.to_zoned_datetime(tz.clone()).ok()?.timestamp().as_millisecond())
}

/// The slots of the days `[first, last]` with their free places.
pub async fn slots(
    state: &AppState,
    hall: &Hall,
    first: Date,
    last: Date,
) -> AppResult<Vec<SlotView>> {
    let tz = centers::tz(state, &hall.center_id).await?;
    let now = state.clock.now();
    let (Some(from), Some(to)) = (instant(first, 0, &tz), instant(last, 1440, &tz)) else {
        return Ok(vec![]);
    };
    let rows = store::slot_rows(&state.db, &hall.center_id, from, to).await?;
    let last_day = last_bookable_day(&hall.rules, now, &tz);
    let mut out = vec![];
    let mut day = first;
    while day <= last {
        for (a, b) in hall.calendar.slots_on(day, hall.rules.slot_minutes) {
            let (Some(start), Some(end)) = (instant(day, a, &tz), instant(day, b, &tz)) else {
                continue;
            };
            let row = rows.iter().find(|r| r.starts_at == start);
            let capacity = row.map_or(hall.rules.slot_capacity, |r| r.capacity);
            let taken = row.map_or(0, |r| r.taken);
            out.push(SlotView {
                key: format!("{day}T{}", hm(a)),
                day,
                start,
                end,
                times: format!("{}–{}", hm(a), hm(b)),
                capacity,
                free: (capacity - taken).max(0),
                bookable: hall.rules.open
                    && start > now.millis()
                    && last_day.is_some_and(|l| day <= l),
            });
        }
        let Ok(next) = day.checked_add(jiff::Span::new().days(1)) else { break };
        day = next;
    }
    Ok(out)
}

/// The slot a key names, if the calendar has it (with its places).
pub async fn slot(state: &AppState, hall: &Hall, key: &str) -> AppResult<SlotView> {
    let (day, _) = parse_key(key).ok_or_else(|| AppError::invalid("slot", "hall-slot-unknown"))?;
    slots(state, hall, day, day)
        .await?
        .into_iter()
        .find(|s| s.key == key.trim())
        .ok_or_else(|| AppError::Invalid(vec![FieldError::new("slot", "hall-slot-unknown")]))
}

/// The places of a day left to groups.
pub async fn group_places_left(state: &AppState, hall: &Hall, day: Date) -> AppResult<i64> {
    let d = day.to_string();
    let taken =
        store::day_rows(&state.db, &hall.center_id, &d, &d).await?.get(&d).copied().unwrap_or(0);
    Ok((hall.rules.group_day_cap - taken).max(0))
}

/// The slot's row (made now if needed) inside a write.
pub async fn slot_row_for(write: &mut Write, hall: &Hall, s: &SlotView) -> AppResult<SlotRow> {
    Ok(store::ensure_slot(write, &hall.center_id, &s.day.to_string(), s.start, s.end, s.capacity)
        .await?)
}

/// The day's group row (made now if needed) inside a write.
pub async fn day_row_for(write: &mut Write, hall: &Hall, day: &str) -> AppResult<String> {
    Ok(store::ensure_day(write, &hall.center_id, day, hall.rules.group_day_cap).await?)
}

pub async fn slot_by_id(write: &mut Write, id: &str) -> AppResult<Option<SlotRow>> {
    Ok(store::slot_row(write, id).await?)
}

/// Slot rows (places taken) in `[from, to)`: for the day sheet and the
/// list of reservations a new calendar has no place for.
pub async fn slot_rows(
    state: &AppState,
    center_id: &str,
    from: i64,
    to: i64,
) -> AppResult<Vec<SlotRow>> {
    Ok(store::slot_rows(&state.db, center_id, from, to).await?)
}

/// The local start and end (exclusive) of a day, in ms.
pub fn day_bounds(day: Date, tz: &jiff::tz::TimeZone) -> Option<(i64, i64)> {
    Some((instant(day, 0, tz)?, instant(day, 1440, tz)?))
}

/// A slot row as the calendar would name it now (`None` if it has no such slot any more).
pub fn still_offered(hall: &Hall, row: &SlotRow, tz: &jiff::tz::TimeZone) -> bool {
    let Ok(day) = row.day.parse::<Date>() else { return false };
    hall.calendar.slots_on(day, hall.rules.slot_minutes).into_iter().any(|(a, b)| {
        instant(day, a, tz) == Some(row.starts_at) && instant(day, b, tz) == Some(row.ends_at)
    })
}

/// The row of a past slot (a visit entered from the paper register): made
/// if needed, its places not counted (the visit is over).
pub async fn past_slot_row(
    write: &mut Write,
    hall: &Hall,
    day: &str,
    start: i64,
    end: i64,
) -> AppResult<String> {
    Ok(store::ensure_slot(write, &hall.center_id, day, start, end, hall.rules.slot_capacity)
        .await?
        .id)
}
