//! SQL for walk-ins and the figures.

use sqlx::Row as _;

use crate::db::{Db, Tx, new_id};

pub struct WalkIn<'a> {
    pub center_id: &'a str,
    pub slot_id: &'a str,
    pub day: &'a str,
    pub heads: i64,
    pub origin: &'a str,
    pub by: &'a str,
    pub at: i64,
}

pub async fn insert_walk_in(tx: &mut Tx, w: &WalkIn<'_>, now: i64) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO hall_walkin (id, center_id, slot_id, day, heads, origin, recorded_by, at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(w.center_id)
    .bind(w.slot_id)
    .bind(w.day)
    .bind(w.heads)
    .bind(w.origin)
    .bind(w.by)
    .bind(w.at)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// A day's walk-ins: (slot id, heads, origin, at).
pub async fn walk_ins_on(
    db: &Db,
    center_id: &str,
    day: &str,
) -> Result<Vec<(String, i64, String, i64)>, sqlx::Error> {
    sqlx::query("SELECT slot_id, heads, origin, at FROM hall_walkin WHERE center_id = $1 AND day = $2 ORDER BY at")
        .bind(center_id)
        .bind(day)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("slot_id")?, r.try_get("heads")?, r.try_get("origin")?, r.try_get("at")?)))
        .collect()
}

/// One row of the figures: a day and an origin, with groups and heads.
pub struct Count {
    pub day: String,
    pub origin: String,
    pub groups: i64,
    pub heads: i64,
}

/// Per (day, origin) in `[from, to]`: admitted reservations (groups and
/// heads), or walk-ins (`walk_ins`: parties and heads).
pub async fn counts(
    db: &Db,
    center_id: &str,
    from: &str,
    to: &str,
    walk_ins: bool,
) -> Result<Vec<Count>, sqlx::Error> {
    let sql = if walk_ins {
        "SELECT day, origin, COUNT(*) AS groups, CAST(COALESCE(SUM(heads), 0) AS BIGINT) AS heads
         FROM hall_walkin WHERE center_id = $1 AND day >= $2 AND day <= $3
         GROUP BY day, origin ORDER BY day"
    } else {
        "SELECT day, origin, COUNT(*) AS groups, CAST(COALESCE(SUM(admitted), 0) AS BIGINT) AS heads
         FROM hall_reservation WHERE center_id = $1 AND status = 'admitted' AND day >= $2 AND day <= $3
         GROUP BY day, origin ORDER BY day"
    };
    sqlx::query(sql)
        .bind(center_id)
        .bind(from)
        .bind(to)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(Count {
                day: r.try_get("day")?,
                origin: r.try_get("origin")?,
                groups: r.try_get("groups")?,
                heads: r.try_get("heads")?,
            })
        })
        .collect()
}
