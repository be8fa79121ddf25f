use crate::clock::Instant;
use crate::db::{Db, Row, Tx, flag, pair};
use crate::domains::venues::booking::store::*;
use crate::domains::venues::model::{OpeningHours, Room, RoomInput, RoomRules, Span};
use crate::i18n::Bilingual;
use sqlx::Row as _;

/// Unique constraints that become field errors (name, SQLite columns).
pub const ROOM_UNIQUE: &[(&str, &str)] =
    &[("room_center_name_key", "room.center_id, room.name_en")];

pub(in crate::domains::venues) fn room_from(r: &Row) -> Result<Room, sqlx::Error> {
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

/// Binds a room's sixteen fields in the order both statements list them.
pub(in crate::domains::venues) fn bind_room<'q>(q: AnyQuery<'q>, r: &'q RoomInput) -> AnyQuery<'q> {
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
    bind_room(q, r)
        .bind(crate::links::placeholder(id))
        .bind(now.millis())
        .execute(&mut **tx)
        .await?;
    Ok(())
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
