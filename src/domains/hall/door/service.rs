//! The door and the figures. An admission is one guarded UPDATE (a
//! reservation is admitted once); heads above the booking take places in
//! the slot like a booking does, fewer give them back for walk-ins.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde_json::json;

use super::store;
use crate::audit::Who;
use crate::auth::{CurrentUser, Perm, allows};
use crate::clock::Instant;
use crate::domains::centers::service as centers;
use crate::domains::hall::calendar::service::{self as calendar, SlotView};
use crate::domains::hall::model::{Origin, Status, arrival_window, bucket};
use crate::domains::hall::reservation::service::{self as reservations, Record};
use crate::domains::hall::reservation::store as reservation_store;
use crate::error::{AppError, AppResult, FieldError};
use crate::seats::{self, Pool};
use crate::state::AppState;
use crate::write::Write;

/// Why an admission waits for staff to confirm it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// More people came than were booked.
    More,
    /// Before the arrival window opens (or another day).
    Early,
    /// After the arrival window closed.
    Late,
}

impl Check {
    pub fn code(self) -> &'static str {
        match self {
            Check::More => "more_than_booked",
            Check::Early => "early",
            Check::Late => "late",
        }
    }
}

pub enum Admission {
    Ok { reservation: Record, heads: i64 },
    Already { reservation: Record },
    NotValid { reservation: Record },
    Confirm { reservation: Record, check: Check },
}

fn staff_center(user: &CurrentUser) -> AppResult<String> {
    if !allows(Some(user.role), Perm::ManageHall) {
        return Err(AppError::Forbidden);
    }
    user.center_id.clone().ok_or(AppError::Forbidden)
}

/// What the door sends: the code, the heads that came (all booked when
/// none), staff's confirmation, the device, and when (for offline admissions).
pub struct AdmitInput<'a> {
    pub code: &'a str,
    pub heads: Option<i64>,
    pub confirm: bool,
    pub device: &'a str,
    pub at: Option<i64>,
}

/// Admits a reservation at the door with the heads that came (all booked
/// when not given). More than booked, or outside the arrival window, waits
/// for `confirm`.
pub async fn admit(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    a: AdmitInput<'_>,
) -> AppResult<Admission> {
    let AdmitInput { code, heads, confirm, device, at } = a;
    let center_id = staff_center(user)?;
    if heads.is_some_and(|h| !(1..=10_000).contains(&h)) {
        return Err(AppError::Invalid(vec![
            FieldError::new("heads", "field-out-of-range").with("min", 1).with("max", 10_000),
        ]));
    }
    let code = crate::tickets::normalize(code);
    let mut conn = state.db.pool.acquire().await?;
    let r = reservation_store::by_code(&mut conn, &code).await?;
    drop(conn);
    let r = r.filter(|r| r.center_id == center_id).ok_or(AppError::NotFound)?;
    let hall = calendar::require(state, &center_id).await?;
    match r.status {
        Status::Admitted => return Ok(Admission::Already { reservation: r }),
        Status::Cancelled => return Ok(Admission::NotValid { reservation: r }),
        Status::Confirmed | Status::NoShow => {}
    }
    let heads = heads.unwrap_or(r.people);
    let now = state.clock.now();
    let when = at.unwrap_or(now.millis());
    let (opens, closes) = arrival_window(r.starts_at, &hall.rules);
    let check = if when < opens {
        Some(Check::Early)
    } else if when > closes || r.status == Status::NoShow {
        Some(Check::Late)
    } else if heads > r.people {
        Some(Check::More)
    } else {
        None
    };
    if let Some(check) = check.filter(|_| !confirm) {
        return Ok(Admission::Confirm { reservation: r, check });
    }
    let device: String = device.trim().chars().take(64).collect();
    let mut tx = Write::begin(state, who).await?;
    // The guarded UPDATE first: only the admission that changed the row
    // moves places (a no-show still holds its places: marking frees none).
    if !reservation_store::admit(&mut tx, &r, heads, when, &user.id, &device).await? {
        tx.rollback().await?;
        let mut conn = state.db.pool.acquire().await?;
        let now_r = reservation_store::get(&mut conn, &r.id).await?.ok_or(AppError::NotFound)?;
        return Ok(match now_r.status {
            Status::Admitted => Admission::Already { reservation: now_r },
            _ => Admission::NotValid { reservation: now_r },
        });
    }
    let held = r.people;
    if heads > held && !seats::take(&mut tx, Pool::HallSlot, &r.slot_id, heads - held).await? {
        tx.rollback().await?;
        return Err(AppError::Conflict {
            key: "hall-slot-full",
            conflicts: json!({"heads": heads}),
        });
    }
    if heads < held {
        seats::release(&mut tx, Pool::HallSlot, &r.slot_id, held - heads).await?;
    }
    tx.audit(
        Some(&center_id),
        "hall_reservation",
        &r.id,
        "admit",
        json!({"heads": heads, "booked": r.people, "confirmed": check.map(Check::code), "device": device}),
    )
    .await?;
    tx.commit().await?;
    let mut conn = state.db.pool.acquire().await?;
    let reservation = reservation_store::get(&mut conn, &r.id).await?.ok_or(AppError::NotFound)?;
    Ok(Admission::Ok { reservation, heads })
}

/// The slot a walk-in joins now: the one running, or the next within the
/// arrival window.
pub async fn current_slot(state: &AppState, center_id: &str) -> AppResult<Option<SlotView>> {
    let hall = calendar::require(state, center_id).await?;
    let tz = centers::tz(state, center_id).await?;
    let now = state.clock.now().millis();
    let today: Date = crate::domains::hall::calendar::service::today(state, &tz)?;
    let slots = calendar::slots(state, &hall, today, today).await?;
    let ahead = hall.rules.arrive_before_min * 60_000;
    Ok(slots.into_iter().find(|s| s.start - ahead <= now && now < s.end))
}

/// Records a walk-in party in a slot with room (the slot running now when
/// none is named).
pub async fn walk_in(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    heads: i64,
    origin: &str,
    slot_key: &str,
) -> AppResult<SlotView> {
    let center_id = staff_center(user)?;
    let hall = calendar::require(state, &center_id).await?;
    let mut errors = vec![];
    if !(1..=hall.rules.max_group.max(hall.rules.max_party)).contains(&heads) {
        errors.push(
            FieldError::new("heads", "field-out-of-range")
                .with("min", 1)
                .with("max", hall.rules.max_group.max(hall.rules.max_party)),
        );
    }
    if !origin.trim().is_empty() && Origin::parse(origin).is_none() {
        errors.push(FieldError::new("origin", "field-invalid"));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let slot = if slot_key.trim().is_empty() {
        current_slot(state, &center_id)
            .await?
            .ok_or(AppError::Conflict { key: "hall-no-slot-now", conflicts: json!({}) })?
    } else {
        calendar::slot(state, &hall, slot_key).await?
    };
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    let row = calendar::slot_row_for(&mut tx, &hall, &slot).await?;
    if !seats::take(&mut tx, Pool::HallSlot, &row.id, heads).await? {
        tx.rollback().await?;
        return Err(AppError::Conflict {
            key: "hall-slot-full",
            conflicts: json!({"free": (row.capacity - row.taken).max(0), "slot": slot.key}),
        });
    }
    let day = slot.day.to_string();
    let origin = Origin::parse(origin).map(|o| o.code()).unwrap_or("");
    let w = store::WalkIn {
        center_id: &center_id,
        slot_id: &row.id,
        day: &day,
        heads,
        origin,
        by: &user.id,
        at: now.millis(),
    };
    let id = store::insert_walk_in(&mut tx, &w, now.millis()).await?;
    tx.audit(
        Some(&center_id),
        "hall_walkin",
        &id,
        "create",
        json!({"heads": heads, "slot": slot.key, "origin": origin}),
    )
    .await?;
    tx.commit().await?;
    calendar::slot(state, &hall, &slot.key).await
}

/// A slot of the day sheet: who is expected, who came, the walk-ins.
pub struct SheetSlot {
    pub slot: SlotView,
    pub reservations: Vec<Record>,
    pub walk_ins: Vec<(i64, String)>,
}

impl SheetSlot {
    pub fn expected(&self) -> i64 {
        self.reservations.iter().filter(|r| r.status == Status::Confirmed).map(|r| r.people).sum()
    }
    pub fn admitted(&self) -> i64 {
        self.reservations.iter().map(|r| r.admitted).sum::<i64>()
            + self.walk_ins.iter().map(|w| w.0).sum::<i64>()
    }
}

/// The staff day sheet: every slot of the day with its reservations and
/// walk-ins (and those in slots the calendar no longer has, at the end).
pub async fn day_sheet(
    state: &AppState,
    user: &CurrentUser,
    day: Date,
) -> AppResult<Vec<SheetSlot>> {
    let center_id = staff_center(user)?;
    let hall = calendar::require(state, &center_id).await?;
    let mut reservations = reservations::on_day(state, user, day).await?;
    let walk_ins = store::walk_ins_on(&state.db, &center_id, &day.to_string()).await?;
    let tz = centers::tz(state, &center_id).await?;
    let (from, to) = calendar::day_bounds(day, &tz).ok_or(AppError::NotFound)?;
    let rows = calendar::slot_rows(state, &center_id, from, to).await?;
    let mut out = vec![];
    for slot in calendar::slots(state, &hall, day, day).await? {
        let row = rows.iter().find(|r| r.starts_at == slot.start);
        let (mine, rest): (Vec<Record>, Vec<Record>) =
            reservations.into_iter().partition(|r| r.starts_at == slot.start);
        reservations = rest;
        let walk = walk_ins
            .iter()
            .filter(|w| row.is_some_and(|r| r.id == w.0))
            .map(|w| (w.1, w.2.clone()))
            .collect();
        out.push(SheetSlot { slot, reservations: mine, walk_ins: walk });
    }
    // Reservations in slots the calendar no longer offers stay on the sheet.
    for r in reservations {
        let (d, t) = Instant(r.starts_at).local_parts(&tz);
        let key = format!("{d}T{t}");
        match out.iter_mut().find(|s| s.slot.key == key) {
            Some(s) => s.reservations.push(r),
            None => out.push(SheetSlot {
                slot: SlotView {
                    key,
                    day,
                    start: r.starts_at,
                    end: r.starts_at,
                    times: t,
                    capacity: 0,
                    free: 0,
                    bookable: false,
                },
                reservations: vec![r],
                walk_ins: vec![],
            }),
        }
    }
    Ok(out)
}

/// A line of the figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Tally {
    /// 批: checked-in reservations.
    pub groups: i64,
    /// 人次: admitted heads.
    pub person_visits: i64,
    pub walk_in_groups: i64,
    pub walk_in_people: i64,
}

impl Tally {
    fn add(&mut self, c: &store::Count, walk_in: bool) {
        if walk_in {
            self.walk_in_groups += c.groups;
            self.walk_in_people += c.heads;
        } else {
            self.groups += c.groups;
            self.person_visits += c.heads;
        }
    }
}

/// The figures of one day, month or year.
#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct Period {
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub period: String,
    #[serde(flatten)]
    pub tally: Tally,
}

#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct Figures {
    /// First and last day counted (`YYYY-MM-DD`).
    pub from: String,
    pub to: String,
    pub total: Tally,
    /// By period (`by`: day, month or year), oldest first.
    pub periods: Vec<Period>,
    /// By visitor origin (`""`: not given).
    pub origins: BTreeMap<String, Tally>,
}

/// The figures of the days `[from, to]`, bucketed by day, month or year.
pub async fn figures(
    state: &AppState,
    center_id: &str,
    from: Date,
    to: Date,
    by: &str,
) -> AppResult<Figures> {
    let (f, t) = (from.to_string(), to.to_string());
    let mut periods: BTreeMap<String, Tally> = BTreeMap::new();
    let mut origins: BTreeMap<String, Tally> = BTreeMap::new();
    let mut total = Tally::default();
    for walk in [false, true] {
        let rows = store::counts(&state.db, center_id, &f, &t, walk).await?;
        for c in &rows {
            total.add(c, walk);
            periods.entry(bucket(&c.day, by)).or_default().add(c, walk);
            origins.entry(c.origin.clone()).or_default().add(c, walk);
        }
    }
    Ok(Figures {
        from: f,
        to: t,
        total,
        periods: periods.into_iter().map(|(period, tally)| Period { period, tally }).collect(),
        origins,
    })
}
