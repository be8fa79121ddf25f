//! SQL of calendar feeds: whose feed, and the rows a feed lists.

use sqlx::Row as _;

use crate::db::Db;
use crate::domains::venues::booking::store::{BookingRow, booking_from};

/// (id, center id) of an active user.
pub async fn active_user(db: &Db, id: &str) -> Result<Option<(String, String)>, sqlx::Error> {
    let row = sqlx::query("SELECT id, center_id FROM app_user WHERE id = $1 AND active = 1")
        .bind(id)
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
