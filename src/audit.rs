//! The audit log: every change of state writes one row in the transaction
//! that made it (who, when, center, entity, action, and a JSON summary of the
//! fields before and after). Admins browse it through `domains::audit_log`.

use serde_json::Value;
use sqlx::Row as _;

use crate::clock::Instant;
use crate::db::{Db, Tx, new_id};

/// Who did it, and from where.
#[derive(Debug, Clone, Default)]
pub struct Who {
    pub user_id: Option<String>,
    pub label: String,
    pub client_ip: String,
}

impl Who {
    /// Changes made by the command line (`liaison demo`, `liaison user …`).
    pub fn cli() -> Who {
        Who { user_id: None, label: "cli".into(), client_ip: String::new() }
    }

    /// Changes made by the server's own background jobs (purge, reminders).
    pub fn system() -> Who {
        Who { user_id: None, label: "system".into(), client_ip: String::new() }
    }
}

/// One audit row to write.
pub struct Entry<'a> {
    pub center_id: Option<&'a str>,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub action: &'a str,
    pub summary: Value,
}

pub async fn record(
    tx: &mut Tx,
    who: &Who,
    at: Instant,
    entry: Entry<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (id, center_id, actor_id, actor_label, at, entity, entity_id, action, summary, client_ip)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(new_id())
    .bind(entry.center_id)
    .bind(who.user_id.as_deref())
    .bind(&who.label)
    .bind(at.millis())
    .bind(entry.entity)
    .bind(entry.entity_id)
    .bind(entry.action)
    .bind(entry.summary.to_string())
    .bind(&who.client_ip)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A stored audit row.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AuditRow {
    pub id: String,
    pub center_id: Option<String>,
    pub actor_label: String,
    pub at: i64,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub summary: String,
    pub client_ip: String,
}

/// Filters for browsing; empty strings mean "any".
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub center_id: String,
    pub entity: String,
    pub action: String,
    pub actor: String,
    pub from: Option<Instant>,
    pub to: Option<Instant>,
    /// Show rows older than this id (ids sort by time).
    pub before_id: Option<String>,
    pub limit: i64,
}

/// Newest first. Each filter is a fixed predicate that an empty value
/// switches off, so the SQL text never varies.
pub async fn list(db: &Db, f: &Filter) -> Result<Vec<AuditRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, center_id, actor_label, at, entity, entity_id, action, summary, client_ip
         FROM audit_log
         WHERE (center_id = $1 OR ($1 = '' AND center_id IS NULL))
           AND ($2 = '' OR entity = $2)
           AND ($3 = '' OR action = $3)
           AND ($4 = '' OR actor_label = $4)
           AND at >= $5 AND at < $6
           AND ($7 = '' OR id < $7)
         ORDER BY id DESC
         LIMIT $8",
    )
    .bind(&f.center_id)
    .bind(&f.entity)
    .bind(&f.action)
    .bind(&f.actor)
    .bind(f.from.map_or(i64::MIN, Instant::millis))
    .bind(f.to.map_or(i64::MAX, Instant::millis))
    .bind(f.before_id.clone().unwrap_or_default())
    .bind(f.limit.clamp(1, 500))
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(AuditRow {
                id: r.try_get("id")?,
                center_id: r.try_get("center_id")?,
                actor_label: r.try_get("actor_label")?,
                at: r.try_get("at")?,
                entity: r.try_get("entity")?,
                entity_id: r.try_get("entity_id")?,
                action: r.try_get("action")?,
                summary: r.try_get("summary")?,
                client_ip: r.try_get("client_ip")?,
            })
        })
        .collect()
}

/// The distinct entity and action names present, for the filter menus.
pub async fn facets(db: &Db, center_id: &str) -> Result<(Vec<String>, Vec<String>), sqlx::Error> {
    let entities =
        sqlx::query("SELECT DISTINCT entity FROM audit_log WHERE center_id = $1 ORDER BY entity")
            .bind(center_id)
            .fetch_all(&db.pool)
            .await?
            .iter()
            .map(|r| r.try_get("entity"))
            .collect::<Result<Vec<String>, _>>()?;
    let actions =
        sqlx::query("SELECT DISTINCT action FROM audit_log WHERE center_id = $1 ORDER BY action")
            .bind(center_id)
            .fetch_all(&db.pool)
            .await?
            .iter()
            .map(|r| r.try_get("action"))
            .collect::<Result<Vec<String>, _>>()?;
    Ok((entities, actions))
}
