use crate::clock::Instant;
use crate::db::code;
use crate::db::{Db, Row, Tx, pair};
use crate::domains::visits::model::{ItemKind, ItemStatus, SeatRole, Side};
use crate::domains::visits::records::{Item, Seat};
use crate::time::Span;
use sqlx::Row as _;

pub(in crate::domains::visits) fn item_from(r: &Row) -> Result<Item, sqlx::Error> {
    Ok(Item {
        id: r.try_get("id")?,
        center_id: r.try_get("center_id")?,
        visit_id: r.try_get("visit_id")?,
        kind: code(r, "kind", ItemKind::parse)?,
        title: pair(r, "title_zh", "title_en")?,
        span: Span::new(r.try_get("starts_at")?, r.try_get("ends_at")?),
        room_id: r.try_get("room_id")?,
        booking_id: r.try_get("booking_id")?,
        place: pair(r, "place_zh", "place_en")?,
        participants: r.try_get("participants")?,
        notes: r.try_get("notes")?,
        status: code(r, "status", ItemStatus::parse)?,
    })
}

pub async fn insert_item(tx: &mut Tx, i: &Item, now: Instant) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO itinerary_item (id, center_id, visit_id, kind, title_zh, title_en, starts_at, ends_at,
         room_id, booking_id, place_zh, place_en, participants, notes, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)",
    )
    .bind(&i.id)
    .bind(&i.center_id)
    .bind(&i.visit_id)
    .bind(i.kind.code())
    .bind(&i.title.zh)
    .bind(&i.title.en)
    .bind(i.span.start)
    .bind(i.span.end)
    .bind(&i.room_id)
    .bind(&i.booking_id)
    .bind(&i.place.zh)
    .bind(&i.place.en)
    .bind(&i.participants)
    .bind(&i.notes)
    .bind(i.status.code())
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn items(db: &Db, visit_id: &str) -> Result<Vec<Item>, sqlx::Error> {
    sqlx::query("SELECT * FROM itinerary_item WHERE visit_id = $1 ORDER BY starts_at, id")
        .bind(visit_id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(item_from)
        .collect()
}

pub async fn item(db: &Db, id: &str) -> Result<Option<Item>, sqlx::Error> {
    sqlx::query("SELECT * FROM itinerary_item WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .as_ref()
        .map(item_from)
        .transpose()
}

pub async fn set_item_status(
    tx: &mut Tx,
    id: &str,
    status: ItemStatus,
    now: Instant,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE itinerary_item SET status = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(status.code())
        .bind(now.millis())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn seats(db: &Db, item_id: &str) -> Result<Vec<Seat>, sqlx::Error> {
    sqlx::query("SELECT * FROM seat WHERE item_id = $1 ORDER BY side, position")
        .bind(item_id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(Seat {
                side: code(r, "side", Side::parse)?,
                position: r.try_get("position")?,
                role: code(r, "role", SeatRole::parse)?,
                name_zh: r.try_get("name_zh")?,
                name_other: r.try_get("name_other")?,
                title_zh: r.try_get("title_zh")?,
                title_other: r.try_get("title_other")?,
            })
        })
        .collect()
}

/// Replaces the seating plan of an item.
pub async fn replace_seats(
    tx: &mut Tx,
    item_id: &str,
    seats: &[Seat],
    now: Instant,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM seat WHERE item_id = $1").bind(item_id).execute(&mut **tx).await?;
    for s in seats {
        sqlx::query(
            "INSERT INTO seat (id, item_id, side, position, role, name_zh, name_other, title_zh, title_other, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(crate::db::new_id())
        .bind(item_id)
        .bind(s.side.code())
        .bind(s.position)
        .bind(s.role.code())
        .bind(&s.name_zh)
        .bind(&s.name_other)
        .bind(&s.title_zh)
        .bind(&s.title_other)
        .bind(now.millis())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
