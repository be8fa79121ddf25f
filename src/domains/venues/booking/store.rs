use crate::clock::Instant;
use crate::db::{Db, Row, Tx, pair};
use crate::domains::venues::model::{BookingStatus, MAX_BLOCK_MS, Span};
use crate::i18n::Bilingual;
use sqlx::Row as _;

pub(in crate::domains::venues) type AnyQuery<'q> =
    sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

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

pub(in crate::domains::venues) fn booking_from(r: &Row) -> Result<BookingRow, sqlx::Error> {
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
    after: &(i64, String),
    limit: i64,
) -> Result<Vec<BookingRow>, sqlx::Error> {
    // No booking lasts longer than a day (room rules cap it), so the start
    // is bounded below too and `booking_center_time_idx` reads only the window.
    sqlx::query(booking_sql!("WHERE b.center_id = $1 AND ($2 = '' OR b.room_id = $2) AND ($3 = '' OR b.organizer_id = $3) AND b.starts_at < $5 AND b.ends_at > $4
                              AND b.starts_at > $9
                              AND (b.starts_at > $7 OR (b.starts_at = $7 AND b.id > $8)) ORDER BY b.starts_at, b.id LIMIT $6"))
    .bind(center_id)
    .bind(room_id)
    .bind(organizer_id)
    .bind(window.start)
    .bind(window.end)
    .bind(limit)
    .bind(after.0)
    .bind(&after.1)
    .bind(window.start.saturating_sub(crate::domains::venues::model::MAX_BOOKING_MS))
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(booking_from)
    .collect()
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
