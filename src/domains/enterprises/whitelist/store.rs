//! SQL for white-list entries and their ledger.

use sqlx::Row as _;

use crate::db::{Db, Row, Tx, code};
use crate::domains::enterprises::model::item::{Balance, Usage};

#[derive(Debug, Clone)]
pub struct Entry {
    pub id: String,
    pub enterprise_id: String,
    pub enterprise_zh: String,
    pub enterprise_en: String,
    pub request_id: String,
    pub name_zh: String,
    pub name_en: String,
    pub hs_code: String,
    pub spec: String,
    pub unit: String,
    pub balance: Balance,
    pub valid_from: String,
    pub valid_until: String,
}

const SELECT: &str =
    "SELECT w.*, e.name_zh AS enterprise_zh, e.name_en AS enterprise_en FROM whitelist_entry w
    JOIN enterprise e ON e.id = w.enterprise_id";

fn entry(r: &Row) -> Result<Entry, sqlx::Error> {
    Ok(Entry {
        id: r.try_get("id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        enterprise_zh: r.try_get("enterprise_zh")?,
        enterprise_en: r.try_get("enterprise_en")?,
        request_id: r.try_get("request_id")?,
        name_zh: r.try_get("name_zh")?,
        name_en: r.try_get("name_en")?,
        hs_code: r.try_get("hs_code")?,
        spec: r.try_get("spec")?,
        unit: r.try_get("unit")?,
        balance: Balance {
            approved: r.try_get("approved")?,
            imported: r.try_get("imported")?,
            used: r.try_get("used")?,
            destroyed: r.try_get("destroyed")?,
        },
        valid_from: r.try_get("valid_from")?,
        valid_until: r.try_get("valid_until")?,
    })
}

pub async fn get(db: &Db, center_id: &str, id: &str) -> Result<Option<Entry>, sqlx::Error> {
    let row =
        sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE w.center_id = $1 AND w.id = $2")))
            .bind(center_id)
            .bind(id)
            .fetch_optional(&db.pool)
            .await?;
    row.as_ref().map(entry).transpose()
}

/// A page by id; one enterprise's when `enterprise_id` is given.
pub async fn page(
    db: &Db,
    center_id: &str,
    enterprise_id: &str,
    after: &str,
    limit: i64,
) -> Result<Vec<Entry>, sqlx::Error> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE w.center_id = $1 AND ($2 = '' OR w.enterprise_id = $2) AND w.id > $3 ORDER BY w.id LIMIT $4"
    )))
    .bind(center_id)
    .bind(enterprise_id)
    .bind(after)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(entry).collect()
}

pub struct NewEntry<'a> {
    pub id: &'a str,
    pub center_id: &'a str,
    pub enterprise_id: &'a str,
    pub request_id: &'a str,
    pub name_zh: &'a str,
    pub name_en: &'a str,
    pub hs_code: &'a str,
    pub spec: &'a str,
    pub unit: &'a str,
    pub approved: i64,
    pub valid_from: &'a str,
    pub valid_until: &'a str,
}

pub async fn insert(tx: &mut Tx, e: &NewEntry<'_>, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO whitelist_entry (id, center_id, enterprise_id, request_id, name_zh, name_en, hs_code, spec, unit, approved,
           valid_from, valid_until, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(e.id)
    .bind(e.center_id)
    .bind(e.enterprise_id)
    .bind(e.request_id)
    .bind(e.name_zh)
    .bind(e.name_en)
    .bind(e.hs_code)
    .bind(e.spec)
    .bind(e.unit)
    .bind(e.approved)
    .bind(e.valid_from)
    .bind(e.valid_until)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Takes `quantity` for a ledger line in one guarded UPDATE: the balance
/// it would leave is checked in the same statement, so concurrent lines
/// can never take it below zero. False: not enough left (or expired).
pub async fn take(
    tx: &mut Tx,
    id: &str,
    usage: Usage,
    quantity: i64,
    today: &str,
) -> Result<bool, sqlx::Error> {
    let sql = match usage {
        Usage::Imported => {
            "UPDATE whitelist_entry SET imported = imported + $1
             WHERE id = $2 AND imported + $1 <= approved AND valid_from <= $3 AND valid_until >= $3"
        }
        Usage::Used => {
            "UPDATE whitelist_entry SET used = used + $1 WHERE id = $2 AND used + destroyed + $1 <= imported AND $3 <> ''"
        }
        Usage::Destroyed => {
            "UPDATE whitelist_entry SET destroyed = destroyed + $1 WHERE id = $2 AND used + destroyed + $1 <= imported AND $3 <> ''"
        }
    };
    let r = sqlx::query(sql).bind(quantity).bind(id).bind(today).execute(&mut **tx).await?;
    Ok(r.rows_affected() == 1)
}

#[derive(Debug, Clone)]
pub struct Line {
    pub usage: Usage,
    pub quantity: i64,
    pub project: String,
    pub note: String,
    pub at: i64,
    pub by_name: Option<String>,
}

#[allow(clippy::too_many_arguments)]
pub async fn add_line(
    tx: &mut Tx,
    entry_id: &str,
    usage: Usage,
    quantity: i64,
    project: &str,
    note: &str,
    at: i64,
    by: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO whitelist_usage (id, entry_id, kind, quantity, project, note, at, by_user) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(crate::db::new_id())
    .bind(entry_id)
    .bind(usage.code())
    .bind(quantity)
    .bind(project)
    .bind(note)
    .bind(at)
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The latest `limit` ledger lines, newest first.
pub async fn lines(db: &Db, entry_id: &str, limit: i64) -> Result<Vec<Line>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT l.*, u.display_name AS by_name FROM whitelist_usage l LEFT JOIN app_user u ON u.id = l.by_user
         WHERE l.entry_id = $1 ORDER BY l.at DESC, l.id DESC LIMIT $2",
    )
    .bind(entry_id)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Line {
                usage: code(r, "kind", Usage::parse)?,
                quantity: r.try_get("quantity")?,
                project: r.try_get("project")?,
                note: r.try_get("note")?,
                at: r.try_get("at")?,
                by_name: r.try_get("by_name")?,
            })
        })
        .collect()
}

/// Entries expiring on or before `by` not yet warned about.
pub async fn expiring(db: &Db, by: &str, today: &str) -> Result<Vec<(String, Entry)>, sqlx::Error> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE w.warned_at IS NULL AND w.valid_until <= $1 AND w.valid_until >= $2 ORDER BY w.valid_until LIMIT 500"
    )))
    .bind(by)
    .bind(today)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| Ok((r.try_get("center_id")?, entry(r)?))).collect()
}

/// Marks an entry warned, once (false: another warned it first).
pub async fn mark_warned(tx: &mut Tx, id: &str, now: i64) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE whitelist_entry SET warned_at = $1 WHERE id = $2 AND warned_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() == 1)
}
