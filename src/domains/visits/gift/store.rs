use crate::clock::Instant;
use crate::db::{Db, Row, Tx, pair};
use crate::domains::visits::records::{Gift, GiftMovement};
use sqlx::Row as _;

pub(in crate::domains::visits) fn gift_from(r: &Row) -> Result<Gift, sqlx::Error> {
    Ok(Gift {
        id: r.try_get("id")?,
        name: pair(r, "name_zh", "name_en")?,
        unit_value: r.try_get("unit_value")?,
        stock: r.try_get("stock")?,
    })
}

pub async fn gifts(db: &Db, center_id: &str) -> Result<Vec<Gift>, sqlx::Error> {
    sqlx::query("SELECT * FROM gift WHERE center_id = $1 ORDER BY name_zh")
        .bind(center_id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(gift_from)
        .collect()
}

/// A page of a center's gifts by id after `after_id`.
pub async fn gifts_page(
    db: &Db,
    center_id: &str,
    after_id: &str,
    limit: i64,
) -> Result<Vec<Gift>, sqlx::Error> {
    sqlx::query("SELECT * FROM gift WHERE center_id = $1 AND id > $2 ORDER BY id LIMIT $3")
        .bind(center_id)
        .bind(after_id)
        .bind(limit)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(gift_from)
        .collect()
}

pub async fn gift(db: &Db, center_id: &str, id: &str) -> Result<Option<Gift>, sqlx::Error> {
    sqlx::query("SELECT * FROM gift WHERE id = $1 AND center_id = $2")
        .bind(id)
        .bind(center_id)
        .fetch_optional(&db.pool)
        .await?
        .as_ref()
        .map(gift_from)
        .transpose()
}

pub async fn insert_gift(
    tx: &mut Tx,
    center_id: &str,
    g: &Gift,
    now: Instant,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO gift (id, center_id, name_zh, name_en, unit_value, stock, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 0, $6, $6)",
    )
    .bind(&g.id)
    .bind(center_id)
    .bind(&g.name.zh)
    .bind(&g.name.en)
    .bind(g.unit_value)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Changes the stock by `delta`; false when that would go below zero.
pub async fn move_stock(
    tx: &mut Tx,
    gift_id: &str,
    delta: i64,
    now: Instant,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE gift SET stock = stock + $2, updated_at = $3 WHERE id = $1 AND stock + $2 >= 0",
    )
    .bind(gift_id)
    .bind(delta)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn insert_movement(
    tx: &mut Tx,
    center_id: &str,
    m: &GiftMovement,
    by: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO gift_movement (id, center_id, gift_id, quantity, visit_id, organisation_id, recipient, note, created_by, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&m.id)
    .bind(center_id)
    .bind(&m.gift_id)
    .bind(m.quantity)
    .bind(&m.visit_id)
    .bind(&m.organisation_id)
    .bind(&m.recipient)
    .bind(&m.note)
    .bind(by)
    .bind(m.at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Movements, newest first: of one gift, one visit or one organisation.
pub async fn movements(
    db: &Db,
    center_id: &str,
    gift_id: &str,
    visit_id: &str,
    organisation_id: &str,
) -> Result<Vec<GiftMovement>, sqlx::Error> {
    sqlx::query(
        "SELECT m.*, g.name_zh AS gift_zh, g.name_en AS gift_en, COALESCE(o.name_zh, '') AS org_zh,
         COALESCE(o.name_en, '') AS org_en FROM gift_movement m JOIN gift g ON g.id = m.gift_id
         LEFT JOIN organisation o ON o.id = m.organisation_id
         WHERE m.center_id = $1 AND ($2 = '' OR m.gift_id = $2) AND ($3 = '' OR m.visit_id = $3)
         AND ($4 = '' OR m.organisation_id = $4) ORDER BY m.at DESC, m.id DESC LIMIT 500",
    )
    .bind(center_id)
    .bind(gift_id)
    .bind(visit_id)
    .bind(organisation_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        Ok(GiftMovement {
            id: r.try_get("id")?,
            gift_id: r.try_get("gift_id")?,
            gift_name: pair(r, "gift_zh", "gift_en")?,
            quantity: r.try_get("quantity")?,
            visit_id: r.try_get("visit_id")?,
            organisation_id: r.try_get("organisation_id")?,
            organisation_name: pair(r, "org_zh", "org_en")?,
            recipient: r.try_get("recipient")?,
            note: r.try_get("note")?,
            at: r.try_get("at")?,
        })
    })
    .collect()
}
