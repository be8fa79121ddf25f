//! SQL of calendar feeds: tokens per user and the rows a feed lists.

use sqlx::Row as _;

use crate::clock::Instant;
use crate::db::{Db, Tx};
use crate::domains::venues::booking::store::{BookingRow, booking_from};

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
