//! SQL for subscriptions and the delivery log.

use sqlx::Row as _;

use crate::db::{Db, Row, Tx};

#[derive(Debug, Clone)]
pub struct Subscription {
    pub id: String,
    pub enterprise_id: Option<String>,
    pub url: String,
    pub events: Vec<String>,
    pub active: bool,
    pub created_at: i64,
}

fn subscription(r: &Row) -> Result<Subscription, sqlx::Error> {
    let events: String = r.try_get("events")?;
    Ok(Subscription {
        id: r.try_get("id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        url: r.try_get("url")?,
        events: events.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
        active: r.try_get::<i64, _>("active")? == 1,
        created_at: r.try_get("created_at")?,
    })
}

/// The center's own (`enterprise_id` empty) or one enterprise's subscriptions.
pub async fn list(
    db: &Db,
    center_id: &str,
    enterprise_id: &str,
) -> Result<Vec<Subscription>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT * FROM webhook_subscription WHERE center_id = $1 AND COALESCE(enterprise_id, '') = $2 ORDER BY created_at, id LIMIT 100",
    )
    .bind(center_id)
    .bind(enterprise_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(subscription).collect()
}

pub async fn get(db: &Db, center_id: &str, id: &str) -> Result<Option<Subscription>, sqlx::Error> {
    let row = sqlx::query("SELECT * FROM webhook_subscription WHERE center_id = $1 AND id = $2")
        .bind(center_id)
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(subscription).transpose()
}

pub async fn count(tx: &mut Tx, center_id: &str, enterprise_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) AS n FROM webhook_subscription WHERE center_id = $1 AND COALESCE(enterprise_id, '') = $2")
        .bind(center_id)
        .bind(enterprise_id)
        .fetch_one(&mut **tx)
        .await?
        .try_get("n")
}

#[allow(clippy::too_many_arguments)]
pub async fn insert(
    tx: &mut Tx,
    id: &str,
    center_id: &str,
    enterprise_id: Option<&str>,
    url: &str,
    secret: &str,
    events: &[String],
    by: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO webhook_subscription (id, center_id, enterprise_id, url, secret, events, active, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8)",
    )
    .bind(id)
    .bind(center_id)
    .bind(enterprise_id)
    .bind(url)
    .bind(secret)
    .bind(events.join(","))
    .bind(now)
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn remove(tx: &mut Tx, id: &str) -> Result<bool, sqlx::Error> {
    let r = sqlx::query("DELETE FROM webhook_subscription WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(r.rows_affected() == 1)
}

#[derive(Debug, Clone)]
pub struct Delivery {
    pub id: String,
    pub subscription_id: String,
    pub event_type: String,
    pub payload: String,
    pub status: String,
    pub attempts: i64,
    pub created_at: i64,
    pub next_at: i64,
    pub delivered_at: Option<i64>,
    pub last_code: Option<i64>,
    pub last_error: String,
}

/// A page of a subscription's deliveries, newest first (cursor: created_at, id).
pub async fn deliveries(
    db: &Db,
    subscription_id: &str,
    before: (i64, &str),
    limit: i64,
) -> Result<Vec<Delivery>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT * FROM webhook_outbox WHERE subscription_id = $1 AND (created_at < $2 OR (created_at = $2 AND id < $3))
         ORDER BY created_at DESC, id DESC LIMIT $4",
    )
    .bind(subscription_id)
    .bind(before.0)
    .bind(before.1)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Delivery {
                id: r.try_get("id")?,
                subscription_id: r.try_get("subscription_id")?,
                event_type: r.try_get("event_type")?,
                payload: r.try_get("payload")?,
                status: r.try_get("status")?,
                attempts: r.try_get("attempts")?,
                created_at: r.try_get("created_at")?,
                next_at: r.try_get("next_at")?,
                delivered_at: r.try_get("delivered_at")?,
                last_code: r.try_get("last_code")?,
                last_error: r.try_get("last_error")?,
            })
        })
        .collect()
}

/// The subscription a delivery belongs to.
pub async fn delivery_owner(db: &Db, delivery_id: &str) -> Result<Option<String>, sqlx::Error> {
    let row = sqlx::query("SELECT subscription_id FROM webhook_outbox WHERE id = $1")
        .bind(delivery_id)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|r| r.try_get("subscription_id")).transpose()
}
