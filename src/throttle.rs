//! Rate limits for public forms: each accepted submission is counted per
//! (kind, client address) in the database, in the caller's transaction, so
//! the limit holds across instances. Old events are swept as new ones come.
//! Count-and-take is atomic on both backends: a hit first upserts the
//! `rate_key` row of its (kind, key), which holds that row's lock on
//! PostgreSQL until the transaction ends (SQLite writers take turns anyway).

use sqlx::Row as _;

use crate::clock::Instant;
use crate::db::{Tx, new_id};
use crate::error::AppError;

/// How many submissions of one kind an address may make in a window.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub kind: &'static str,
    pub max: i64,
    pub window_secs: i64,
}

/// Takes the lock of one (kind, key) until the caller's transaction ends:
/// counts read after it are not raced by another writer of the same key.
pub async fn lock(tx: &mut Tx, kind: &str, key: &str, now: Instant) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO rate_key (kind, key, touched_at) VALUES ($1, $2, $3)
         ON CONFLICT (kind, key) DO UPDATE SET touched_at = excluded.touched_at",
    )
    .bind(kind)
    .bind(key)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Counts one submission, or refuses it with 429 and when to retry.
pub async fn hit(tx: &mut Tx, limit: Limit, key: &str, now: Instant) -> Result<(), AppError> {
    let since = now.minus_secs(limit.window_secs).millis();
    lock(tx, limit.kind, key, now).await?;
    sqlx::query("DELETE FROM rate_event WHERE kind = $1 AND at < $2")
        .bind(limit.kind)
        .bind(since)
        .execute(&mut **tx)
        .await?;
    let row = sqlx::query(
        "SELECT COUNT(*) AS n, MIN(at) AS first FROM rate_event WHERE kind = $1 AND key = $2 AND at >= $3",
    )
    .bind(limit.kind)
    .bind(key)
    .bind(since)
    .fetch_one(&mut **tx)
    .await?;
    let n: i64 = row.try_get("n")?;
    if n >= limit.max {
        let first: Option<i64> = row.try_get("first")?;
        let retry =
            first.map(|f| (f + limit.window_secs * 1000 - now.millis()) / 1000).unwrap_or(60);
        return Err(AppError::TooManyRequests { retry_after_secs: retry.max(1) });
    }
    sqlx::query("INSERT INTO rate_event (id, kind, key, at) VALUES ($1, $2, $3, $4)")
        .bind(new_id())
        .bind(limit.kind)
        .bind(key)
        .bind(now.millis())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Forgets the keys and hits not seen for a day (longer than any window);
/// the server runs it hourly.
pub async fn sweep(db: &crate::db::Db, now: Instant) -> Result<u64, sqlx::Error> {
    let before = now.minus_secs(86_400).millis();
    let mut one = db.write_single().await?;
    let keys = sqlx::query("DELETE FROM rate_key WHERE touched_at < $1")
        .bind(before)
        .execute(&mut *one)
        .await?
        .rows_affected();
    sqlx::query("DELETE FROM rate_event WHERE at < $1").bind(before).execute(&mut *one).await?;
    Ok(keys)
}
