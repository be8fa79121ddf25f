//! SQL for the hall, its weekly hours and exceptions, and the slot and day
//! rows that count places.

use std::collections::BTreeMap;

use sqlx::Row as _;

use crate::db::{Db, Row, Tx, flag, new_id};
use crate::domains::hall::model::{Calendar, Hours, Rules};
use crate::i18n::Bilingual;

#[derive(Debug, Clone)]
pub struct Hall {
    pub center_id: String,
    pub name: Bilingual,
    pub rules: Rules,
    pub calendar: Calendar,
    /// Exceptions' notes by day.
    pub notes: BTreeMap<jiff::civil::Date, Bilingual>,
}

fn rules_from(r: &Row) -> Result<Rules, sqlx::Error> {
    Ok(Rules {
        open: flag(r.try_get("open")?),
        slot_minutes: r.try_get("slot_minutes")?,
        slot_capacity: r.try_get("slot_capacity")?,
        group_day_cap: r.try_get("group_day_cap")?,
        horizon_days: r.try_get("horizon_days")?,
        cancel_hours: r.try_get("cancel_hours")?,
        arrive_before_min: r.try_get("arrive_before_min")?,
        arrive_after_min: r.try_get("arrive_after_min")?,
        max_party: r.try_get("max_party")?,
        max_group: r.try_get("max_group")?,
        max_day_people: r.try_get("max_day_people")?,
        max_day_bookings: r.try_get("max_day_bookings")?,
        strike_limit: r.try_get("strike_limit")?,
        strike_window_days: r.try_get("strike_window_days")?,
        cooloff_days: r.try_get("cooloff_days")?,
        real_name: flag(r.try_get("real_name")?),
        retention_days: r.try_get("retention_days")?,
        local_prefix: r.try_get("local_prefix")?,
    })
}

/// The hall of a center with its calendar, if it has one.
pub async fn hall(db: &Db, center_id: &str) -> Result<Option<Hall>, sqlx::Error> {
    let Some(r) = sqlx::query("SELECT * FROM hall WHERE center_id = $1")
        .bind(center_id)
        .fetch_optional(&db.pool)
        .await?
    else {
        return Ok(None);
    };
    let mut hall = Hall {
        center_id: center_id.to_string(),
        name: crate::db::pair(&r, "name_zh", "name_en")?,
        rules: rules_from(&r)?,
        calendar: Calendar::default(),
        notes: BTreeMap::new(),
    };
    for r in sqlx::query("SELECT weekday, opens, closes FROM hall_hours WHERE center_id = $1")
        .bind(center_id)
        .fetch_all(&db.pool)
        .await?
    {
        let w: i64 = r.try_get("weekday")?;
        let (o, c): (String, String) = (r.try_get("opens")?, r.try_get("closes")?);
        if let (Some(slot), Some(h)) =
            (hall.calendar.week.get_mut((w - 1) as usize), Hours::parse(&o, &c))
        {
            *slot = Some(h);
        }
    }
    for r in sqlx::query(
        "SELECT day, opens, closes, note_zh, note_en FROM hall_exception WHERE center_id = $1",
    )
    .bind(center_id)
    .fetch_all(&db.pool)
    .await?
    {
        let day: String = r.try_get("day")?;
        let Ok(day) = day.parse::<jiff::civil::Date>() else { continue };
        let (o, c): (String, String) = (r.try_get("opens")?, r.try_get("closes")?);
        hall.calendar.exceptions.insert(day, Hours::parse(&o, &c));
        hall.notes.insert(day, crate::db::pair(&r, "note_zh", "note_en")?);
    }
    Ok(Some(hall))
}

pub async fn save_hall(
    tx: &mut Tx,
    center_id: &str,
    name: &Bilingual,
    r: &Rules,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO hall (center_id, name_zh, name_en, open, slot_minutes, slot_capacity, group_day_cap,
            horizon_days, cancel_hours, arrive_before_min, arrive_after_min, max_party, max_group,
            max_day_people, max_day_bookings, strike_limit, strike_window_days, cooloff_days,
            real_name, retention_days, local_prefix, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
         ON CONFLICT (center_id) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en,
            open = excluded.open, slot_minutes = excluded.slot_minutes, slot_capacity = excluded.slot_capacity,
            group_day_cap = excluded.group_day_cap, horizon_days = excluded.horizon_days,
            cancel_hours = excluded.cancel_hours, arrive_before_min = excluded.arrive_before_min,
            arrive_after_min = excluded.arrive_after_min, max_party = excluded.max_party,
            max_group = excluded.max_group, max_day_people = excluded.max_day_people,
            max_day_bookings = excluded.max_day_bookings, strike_limit = excluded.strike_limit,
            strike_window_days = excluded.strike_window_days, cooloff_days = excluded.cooloff_days,
            real_name = excluded.real_name, retention_days = excluded.retention_days,
            local_prefix = excluded.local_prefix, updated_at = excluded.updated_at",
    )
    .bind(center_id)
    .bind(&name.zh)
    .bind(&name.en)
    .bind(i64::from(r.open))
    .bind(r.slot_minutes)
    .bind(r.slot_capacity)
    .bind(r.group_day_cap)
    .bind(r.horizon_days)
    .bind(r.cancel_hours)
    .bind(r.arrive_before_min)
    .bind(r.arrive_after_min)
    .bind(r.max_party)
    .bind(r.max_group)
    .bind(r.max_day_people)
    .bind(r.max_day_bookings)
    .bind(r.strike_limit)
    .bind(r.strike_window_days)
    .bind(r.cooloff_days)
    .bind(i64::from(r.real_name))
    .bind(r.retention_days)
    .bind(&r.local_prefix)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn set_week(
    tx: &mut Tx,
    center_id: &str,
    week: &[Option<Hours>; 7],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM hall_hours WHERE center_id = $1")
        .bind(center_id)
        .execute(&mut **tx)
        .await?;
    for (i, h) in week.iter().enumerate() {
        let Some(h) = h else { continue };
        sqlx::query(
            "INSERT INTO hall_hours (center_id, weekday, opens, closes) VALUES ($1, $2, $3, $4)",
        )
        .bind(center_id)
        .bind(i as i64 + 1)
        .bind(crate::domains::hall::model::hm(h.opens))
        .bind(crate::domains::hall::model::hm(h.closes))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

pub async fn set_exception(
    tx: &mut Tx,
    center_id: &str,
    day: &str,
    hours: Option<Hours>,
    note: &Bilingual,
) -> Result<(), sqlx::Error> {
    let (o, c) = hours
        .map(|h| {
            (crate::domains::hall::model::hm(h.opens), crate::domains::hall::model::hm(h.closes))
        })
        .unwrap_or_default();
    sqlx::query(
        "INSERT INTO hall_exception (center_id, day, opens, closes, note_zh, note_en) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (center_id, day) DO UPDATE SET opens = excluded.opens, closes = excluded.closes,
            note_zh = excluded.note_zh, note_en = excluded.note_en",
    )
    .bind(center_id)
    .bind(day)
    .bind(o)
    .bind(c)
    .bind(&note.zh)
    .bind(&note.en)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn remove_exception(
    tx: &mut Tx,
    center_id: &str,
    day: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM hall_exception WHERE center_id = $1 AND day = $2")
        .bind(center_id)
        .bind(day)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// A slot row: the places counted in it.
#[derive(Debug, Clone)]
pub struct SlotRow {
    pub id: String,
    pub day: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub capacity: i64,
    pub taken: i64,
}

fn slot_from(r: &Row) -> Result<SlotRow, sqlx::Error> {
    Ok(SlotRow {
        id: r.try_get("id")?,
        day: r.try_get("day")?,
        starts_at: r.try_get("starts_at")?,
        ends_at: r.try_get("ends_at")?,
        capacity: r.try_get("capacity")?,
        taken: r.try_get("taken")?,
    })
}

/// The slot rows starting in `[from, to)`.
pub async fn slot_rows(
    db: &Db,
    center_id: &str,
    from: i64,
    to: i64,
) -> Result<Vec<SlotRow>, sqlx::Error> {
    sqlx::query(
        "SELECT * FROM hall_slot WHERE center_id = $1 AND starts_at >= $2 AND starts_at < $3 ORDER BY starts_at",
    )
    .bind(center_id)
    .bind(from)
    .bind(to)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(slot_from)
    .collect()
}

pub async fn slot_row(
    conn: &mut sqlx::AnyConnection,
    id: &str,
) -> Result<Option<SlotRow>, sqlx::Error> {
    sqlx::query("SELECT * FROM hall_slot WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .as_ref()
        .map(slot_from)
        .transpose()
}

/// The row of the slot starting at `starts_at`, made if it is not yet (one
/// statement: the conflict's no-op update makes RETURNING give the row).
pub async fn ensure_slot(
    tx: &mut Tx,
    center_id: &str,
    day: &str,
    starts_at: i64,
    ends_at: i64,
    capacity: i64,
) -> Result<SlotRow, sqlx::Error> {
    let r = sqlx::query(
        "INSERT INTO hall_slot (id, center_id, day, starts_at, ends_at, capacity, taken) VALUES ($1, $2, $3, $4, $5, $6, 0)
         ON CONFLICT (center_id, starts_at) DO UPDATE SET day = excluded.day
         RETURNING id, day, starts_at, ends_at, capacity, taken",
    )
    .bind(new_id())
    .bind(center_id)
    .bind(day)
    .bind(starts_at)
    .bind(ends_at)
    .bind(capacity)
    .fetch_one(&mut **tx)
    .await?;
    slot_from(&r)
}

/// The row counting a day's group places, made if it is not yet.
pub async fn ensure_day(
    tx: &mut Tx,
    center_id: &str,
    day: &str,
    capacity: i64,
) -> Result<String, sqlx::Error> {
    sqlx::query(
        "INSERT INTO hall_day (id, center_id, day, capacity, taken) VALUES ($1, $2, $3, $4, 0)
         ON CONFLICT (center_id, day) DO NOTHING",
    )
    .bind(new_id())
    .bind(center_id)
    .bind(day)
    .bind(capacity)
    .execute(&mut **tx)
    .await?;
    sqlx::query("SELECT id FROM hall_day WHERE center_id = $1 AND day = $2")
        .bind(center_id)
        .bind(day)
        .fetch_one(&mut **tx)
        .await?
        .try_get("id")
}

/// Group places taken per day in `[from, to]` (days as text).
pub async fn day_rows(
    db: &Db,
    center_id: &str,
    from: &str,
    to: &str,
) -> Result<BTreeMap<String, i64>, sqlx::Error> {
    sqlx::query("SELECT day, taken FROM hall_day WHERE center_id = $1 AND day >= $2 AND day <= $3")
        .bind(center_id)
        .bind(from)
        .bind(to)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("day")?, r.try_get("taken")?)))
        .collect()
}

/// New limits for every slot and day still to come.
pub async fn set_future_limits(
    tx: &mut Tx,
    center_id: &str,
    from: i64,
    today: &str,
    slot_capacity: i64,
    group_day_cap: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE hall_slot SET capacity = $3 WHERE center_id = $1 AND starts_at >= $2")
        .bind(center_id)
        .bind(from)
        .bind(slot_capacity)
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE hall_day SET capacity = $3 WHERE center_id = $1 AND day >= $2")
        .bind(center_id)
        .bind(today)
        .bind(group_day_cap)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
