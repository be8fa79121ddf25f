//! SQL for rooms, blackouts, bookings and series.

use sqlx::Row as _;

use super::model::{BookingStatus, MAX_BLOCK_MS, OpeningHours, Room, RoomInput, RoomRules, Span};
use crate::clock::Instant;
use crate::db::{Db, Row, Tx, flag, pair};
use crate::i18n::Bilingual;

/// A room query: the shared SELECT head and join, then the given tail.
macro_rules! room_sql {
    ($tail:literal) => {
        concat!(
            "SELECT r.*, z.code AS zone_code FROM room r JOIN zone z ON z.id = r.zone_id ",
            $tail
        )
    };
}

/// A booking query: the shared SELECT head and join, then the given tail.
macro_rules! booking_sql {
    ($tail:literal) => {
        concat!(
            "SELECT b.*, u.display_name AS organizer_name FROM booking b JOIN app_user u ON u.id = b.organizer_id ",
            $tail
        )
    };
}

/// Unique constraints that become field errors (name, SQLite columns).
pub const ROOM_UNIQUE: &[(&str, &str)] =
    &[("room_center_name_key", "room.center_id, room.name_en")];

fn room_from(r: &Row) -> Result<Room, sqlx::Error> {
    let equipment: String = r.try_get("equipment")?;
    let hours: String = r.try_get("opening_hours")?;
    Ok(Room {
        id: r.try_get("id")?,
        center_id: r.try_get("center_id")?,
        zone_id: r.try_get("zone_id")?,
        zone_code: r.try_get("zone_code")?,
        name: pair(r, "name_zh", "name_en")?,
        description: pair(r, "description_zh", "description_en")?,
        location: pair(r, "location_zh", "location_en")?,
        equipment: equipment.split(',').filter(|e| !e.is_empty()).map(str::to_string).collect(),
        requires_approval: flag(r.try_get("requires_approval")?),
        rules: RoomRules {
            capacity: r.try_get("capacity")?,
            bookable: flag(r.try_get("bookable")?),
            hours: crate::db::known("opening_hours", &hours, OpeningHours::decode)?,
            min_minutes: r.try_get("min_minutes")?,
            max_minutes: r.try_get("max_minutes")?,
            max_advance_days: r.try_get("max_advance_days")?,
            setup_minutes: r.try_get("setup_minutes")?,
            teardown_minutes: r.try_get("teardown_minutes")?,
        },
        display_token: r.try_get("display_token")?,
    })
}

pub async fn rooms_of(db: &Db, center_id: &str) -> Result<Vec<Room>, sqlx::Error> {
    sqlx::query(room_sql!("WHERE r.center_id = $1 ORDER BY z.position, r.name_en"))
        .bind(center_id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(room_from)
        .collect()
}

pub async fn room(db: &Db, id: &str) -> Result<Option<Room>, sqlx::Error> {
    sqlx::query(room_sql!("WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .as_ref()
        .map(room_from)
        .transpose()
}

pub async fn room_by_display_token(db: &Db, token: &str) -> Result<Option<Room>, sqlx::Error> {
    sqlx::query(room_sql!("WHERE r.display_token = $1"))
        .bind(token)
        .fetch_optional(&db.pool)
        .await?
        .as_ref()
        .map(room_from)
        .transpose()
}

/// Takes the room's write turn: the UPDATE row-locks it on PostgreSQL (SQLite
/// serialises writers already), and returns the room as it now stands.
pub async fn lock_room(tx: &mut Tx, id: &str) -> Result<Option<Room>, sqlx::Error> {
    let done = sqlx::query("UPDATE room SET lock_version = lock_version + 1 WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() != 1 {
        return Ok(None);
    }
    sqlx::query(room_sql!("WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .as_ref()
        .map(room_from)
        .transpose()
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

/// Binds a room's sixteen fields in the order both statements list them.
fn bind_room<'q>(q: AnyQuery<'q>, r: &'q RoomInput) -> AnyQuery<'q> {
    q.bind(&r.name.zh)
        .bind(&r.name.en)
        .bind(&r.description.zh)
        .bind(&r.description.en)
        .bind(&r.location.zh)
        .bind(&r.location.en)
        .bind(r.rules.capacity)
        .bind(r.equipment.join(","))
        .bind(i64::from(r.rules.bookable))
        .bind(i64::from(r.requires_approval))
        .bind(r.rules.hours.encode())
        .bind(r.rules.min_minutes)
        .bind(r.rules.max_minutes)
        .bind(r.rules.max_advance_days)
        .bind(r.rules.setup_minutes)
        .bind(r.rules.teardown_minutes)
}

pub async fn insert_room(
    tx: &mut Tx,
    id: &str,
    center_id: &str,
    zone_id: &str,
    r: &RoomInput,
    display_token: &str,
    now: Instant,
) -> Result<(), sqlx::Error> {
    let q = sqlx::query(
        "INSERT INTO room (id, center_id, zone_id, name_zh, name_en, description_zh, description_en,
                           location_zh, location_en, capacity, equipment, bookable, requires_approval,
                           opening_hours, min_minutes, max_minutes, max_advance_days, setup_minutes,
                           teardown_minutes, display_token, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $21)",
    )
    .bind(id)
    .bind(center_id)
    .bind(zone_id);
    bind_room(q, r).bind(display_token).bind(now.millis()).execute(&mut **tx).await?;
    Ok(())
}

/// A booking as stored.
#[derive(Debug, Clone)]
pub struct BookingRow {
    pub id: String,
    pub center_id: String,
    pub room_id: String,
    pub series_id: Option<String>,
    pub recurrence_start: Option<i64>,
    pub reference: String,
    pub title: Bilingual,
    pub organizer_id: String,
    pub organizer_name: String,
    pub attendees: i64,
    pub purpose: String,
    pub purpose_id: String,
    pub span: Span,
    pub block: Span,
    pub status: BookingStatus,
    pub status_reason: String,
    pub created_at: i64,
    pub updated_at: i64,
}

fn booking_from(r: &Row) -> Result<BookingRow, sqlx::Error> {
    let status: String = r.try_get("status")?;
    Ok(BookingRow {
        id: r.try_get("id")?,
        center_id: r.try_get("center_id")?,
        room_id: r.try_get("room_id")?,
        series_id: r.try_get("series_id")?,
        recurrence_start: r.try_get("recurrence_start")?,
        reference: r.try_get("reference")?,
        title: pair(r, "title_zh", "title_en")?,
        organizer_id: r.try_get("organizer_id")?,
        organizer_name: r.try_get("organizer_name")?,
        attendees: r.try_get("attendees")?,
        purpose: r.try_get("purpose")?,
        purpose_id: r.try_get("purpose_id")?,
        span: Span::new(r.try_get("starts_at")?, r.try_get("ends_at")?),
        block: Span::new(r.try_get("block_start")?, r.try_get("block_end")?),
        status: crate::db::known("status", &status, BookingStatus::parse)?,
        status_reason: r.try_get("status_reason")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// Live bookings of a room whose held span meets `window`, in the write turn.
pub async fn live_in_room_tx(
    tx: &mut Tx,
    room_id: &str,
    window: Span,
) -> Result<Vec<BookingRow>, sqlx::Error> {
    sqlx::query(booking_sql!("WHERE b.room_id = $1 AND b.status IN ('requested', 'confirmed') AND b.block_start < $3 AND b.block_end > $2 AND b.block_start > $4 ORDER BY b.starts_at"))
    .bind(room_id)
    .bind(window.start)
    .bind(window.end)
    .bind(window.start - MAX_BLOCK_MS)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(booking_from)
    .collect()
}

/// Bookings of a room (any status when `live_only` is false) meeting `window`.
pub async fn in_room(
    db: &Db,
    room_id: &str,
    window: Span,
    live_only: bool,
) -> Result<Vec<BookingRow>, sqlx::Error> {
    sqlx::query(booking_sql!("WHERE b.room_id = $1 AND b.block_start < $3 AND b.block_end > $2 AND b.block_start > $5 AND ($4 = 0 OR b.status IN ('requested', 'confirmed')) ORDER BY b.starts_at"))
    .bind(room_id)
    .bind(window.start)
    .bind(window.end)
    .bind(i64::from(live_only))
    .bind(window.start - MAX_BLOCK_MS)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(booking_from)
    .collect()
}

/// Blackouts of a room or its zone meeting `window`.
pub async fn blackouts<'c, E>(
    executor: E,
    room_id: &str,
    zone_id: &str,
    window: Span,
) -> Result<Vec<(Span, Bilingual)>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query(
        "SELECT starts_at, ends_at, reason_zh, reason_en FROM blackout
         WHERE (room_id = $1 OR zone_id = $2) AND starts_at < $4 AND ends_at > $3 ORDER BY starts_at",
    )
    .bind(room_id)
    .bind(zone_id)
    .bind(window.start)
    .bind(window.end)
    .fetch_all(executor)
    .await?
    .iter()
    .map(|r| Ok((Span::new(r.try_get("starts_at")?, r.try_get("ends_at")?), pair(r, "reason_zh", "reason_en")?)))
    .collect()
}

pub struct NewBookingRow<'a> {
    pub id: &'a str,
    pub center_id: &'a str,
    pub room_id: &'a str,
    pub series_id: Option<&'a str>,
    pub reference: &'a str,
    pub title: &'a Bilingual,
    pub organizer_id: &'a str,
    pub attendees: i64,
    pub purpose: &'a str,
    pub purpose_id: &'a str,
    pub span: Span,
    pub block: Span,
    pub status: BookingStatus,
}

pub async fn insert_booking(
    tx: &mut Tx,
    b: &NewBookingRow<'_>,
    now: Instant,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO booking (id, center_id, room_id, series_id, reference, title_zh, title_en, organizer_id,
                              attendees, purpose, purpose_id, starts_at, ends_at, block_start, block_end,
                              status, created_at, updated_at, recurrence_start)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $18)",
    )
    .bind(b.id)
    .bind(b.center_id)
    .bind(b.room_id)
    .bind(b.series_id)
    .bind(b.reference)
    .bind(&b.title.zh)
    .bind(&b.title.en)
    .bind(b.organizer_id)
    .bind(b.attendees)
    .bind(b.purpose)
    .bind(b.purpose_id)
    .bind(b.span.start)
    .bind(b.span.end)
    .bind(b.block.start)
    .bind(b.block.end)
    .bind(b.status.code())
    .bind(now.millis())
    .bind(b.series_id.map(|_| b.span.start))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn insert_series(
    tx: &mut Tx,
    id: &str,
    center_id: &str,
    room_id: &str,
    rrule: &str,
    first_start: i64,
    now: Instant,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO booking_series (id, center_id, room_id, rrule, first_start, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(center_id)
    .bind(room_id)
    .bind(rrule)
    .bind(first_start)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn series_rrule(db: &Db, id: &str) -> Result<Option<String>, sqlx::Error> {
    let row = sqlx::query("SELECT rrule FROM booking_series WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|r| r.try_get("rrule")).transpose()
}

pub async fn booking(db: &Db, id: &str) -> Result<Option<BookingRow>, sqlx::Error> {
    sqlx::query(booking_sql!("WHERE b.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .as_ref()
        .map(booking_from)
        .transpose()
}

pub async fn booking_tx(tx: &mut Tx, id: &str) -> Result<Option<BookingRow>, sqlx::Error> {
    sqlx::query(booking_sql!("WHERE b.id = $1"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .as_ref()
        .map(booking_from)
        .transpose()
}

/// The bookings of a series, in order.
pub async fn series_bookings_tx(
    tx: &mut Tx,
    series_id: &str,
) -> Result<Vec<BookingRow>, sqlx::Error> {
    sqlx::query(booking_sql!("WHERE b.series_id = $1 ORDER BY b.starts_at"))
        .bind(series_id)
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(booking_from)
        .collect()
}

pub async fn set_status(
    tx: &mut Tx,
    id: &str,
    from: BookingStatus,
    to: BookingStatus,
    reason: &str,
    by: &str,
    now: Instant,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE booking SET status = $3, status_reason = $4, decided_by = $5, decided_at = $6, updated_at = $6
         WHERE id = $1 AND status = $2",
    )
    .bind(id)
    .bind(from.code())
    .bind(to.code())
    .bind(reason)
    .bind(by)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Bookings for a listing: of a center, optionally one room, organizer, window.
pub async fn list(
    db: &Db,
    center_id: &str,
    room_id: &str,
    organizer_id: &str,
    window: Span,
    limit: i64,
) -> Result<Vec<BookingRow>, sqlx::Error> {
    sqlx::query(booking_sql!("WHERE b.center_id = $1 AND ($2 = '' OR b.room_id = $2) AND ($3 = '' OR b.organizer_id = $3) AND b.starts_at < $5 AND b.ends_at > $4 ORDER BY b.starts_at, b.id LIMIT $6"))
    .bind(center_id)
    .bind(room_id)
    .bind(organizer_id)
    .bind(window.start)
    .bind(window.end)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(booking_from)
    .collect()
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_blackout(
    tx: &mut Tx,
    id: &str,
    center_id: &str,
    room_id: Option<&str>,
    zone_id: Option<&str>,
    span: Span,
    reason: &Bilingual,
    by: &str,
    now: Instant,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO blackout (id, center_id, room_id, zone_id, starts_at, ends_at, reason_zh, reason_en, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(id)
    .bind(center_id)
    .bind(room_id)
    .bind(zone_id)
    .bind(span.start)
    .bind(span.end)
    .bind(&reason.zh)
    .bind(&reason.en)
    .bind(by)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A user's calendar-feed token, if one was made.
pub async fn feed_token(db: &Db, user_id: &str) -> Result<Option<String>, sqlx::Error> {
    let row = sqlx::query("SELECT token FROM calendar_feed WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|r| r.try_get("token")).transpose()
}

pub async fn set_feed_token(
    tx: &mut Tx,
    user_id: &str,
    token: &str,
    now: Instant,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO calendar_feed (token, user_id, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET token = excluded.token, created_at = excluded.created_at",
    )
    .bind(token)
    .bind(user_id)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn user_by_feed_token(
    db: &Db,
    token: &str,
) -> Result<Option<(String, String)>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT u.id, u.center_id FROM calendar_feed f JOIN app_user u ON u.id = f.user_id WHERE f.token = $1 AND u.active = 1",
    )
    .bind(token)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|r| {
        Ok((r.try_get("id")?, r.try_get::<Option<String>, _>("center_id")?.unwrap_or_default()))
    })
    .transpose()
}

/// Every booking of a series, with each series' RRULE, for calendar feeds:
/// all bookings of a room or an organizer from `since` on.
pub async fn for_feed(
    db: &Db,
    room_id: &str,
    organizer_id: &str,
    since: i64,
) -> Result<Vec<(BookingRow, Option<String>)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT b.*, u.display_name AS organizer_name, s.rrule AS series_rrule
         FROM booking b JOIN app_user u ON u.id = b.organizer_id LEFT JOIN booking_series s ON s.id = b.series_id
         WHERE ($1 = '' OR b.room_id = $1) AND ($2 = '' OR b.organizer_id = $2) AND b.ends_at > $3
         ORDER BY b.starts_at LIMIT 5000",
    )
    .bind(room_id)
    .bind(organizer_id)
    .bind(since)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| Ok((booking_from(r)?, r.try_get("series_rrule")?))).collect()
}

/// A booking by id, or the bookings of a series by its id.
pub async fn by_subject(db: &Db, subject_id: &str) -> Result<Vec<BookingRow>, sqlx::Error> {
    sqlx::query(booking_sql!("WHERE b.id = $1 OR b.series_id = $1 ORDER BY b.starts_at"))
        .bind(subject_id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(booking_from)
        .collect()
}

/// Rewrites a booking's time, title, attendees and status.
#[allow(clippy::too_many_arguments)]
pub async fn update_booking(
    tx: &mut Tx,
    id: &str,
    span: Span,
    block: Span,
    title: &Bilingual,
    attendees: i64,
    status: BookingStatus,
    now: Instant,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE booking SET starts_at = $2, ends_at = $3, block_start = $4, block_end = $5, title_zh = $6,
                title_en = $7, attendees = $8, status = $9, updated_at = $10 WHERE id = $1",
    )
    .bind(id)
    .bind(span.start)
    .bind(span.end)
    .bind(block.start)
    .bind(block.end)
    .bind(&title.zh)
    .bind(&title.en)
    .bind(attendees)
    .bind(status.code())
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn update_room(
    tx: &mut Tx,
    id: &str,
    zone_id: &str,
    r: &RoomInput,
    now: Instant,
) -> Result<(), sqlx::Error> {
    let q = sqlx::query(
        "UPDATE room SET zone_id = $2, name_zh = $3, name_en = $4, description_zh = $5, description_en = $6,
                location_zh = $7, location_en = $8, capacity = $9, equipment = $10, bookable = $11,
                requires_approval = $12, opening_hours = $13, min_minutes = $14, max_minutes = $15,
                max_advance_days = $16, setup_minutes = $17, teardown_minutes = $18, updated_at = $19
         WHERE id = $1",
    )
    .bind(id)
    .bind(zone_id);
    bind_room(q, r).bind(now.millis()).execute(&mut **tx).await?;
    Ok(())
}

/// Closures of a room or its zone ending after `since`: (id, span, reason, whole zone).
pub async fn blackouts_listed(
    db: &Db,
    room_id: &str,
    zone_id: &str,
    since: i64,
) -> Result<Vec<(String, Span, Bilingual, bool)>, sqlx::Error> {
    sqlx::query(
        "SELECT id, starts_at, ends_at, reason_zh, reason_en, zone_id FROM blackout
         WHERE (room_id = $1 OR zone_id = $2) AND ends_at > $3 ORDER BY starts_at LIMIT 100",
    )
    .bind(room_id)
    .bind(zone_id)
    .bind(since)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        Ok((
            r.try_get("id")?,
            Span::new(r.try_get("starts_at")?, r.try_get("ends_at")?),
            pair(r, "reason_zh", "reason_en")?,
            r.try_get::<Option<String>, _>("zone_id")?.is_some(),
        ))
    })
    .collect()
}

/// Deletes a closure of this center; false when there is none.
pub async fn delete_blackout(tx: &mut Tx, center_id: &str, id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM blackout WHERE id = $1 AND center_id = $2")
        .bind(id)
        .bind(center_id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}
