//! SQL for glossary terms.

use sqlx::Row as _;

use crate::clock::Instant;
use crate::db::{Db, Row, Tx, code, contains_pattern};
use crate::domains::glossary::model::{Term, TermInput, TermStatus};

/// The pair (zh, en) is unique per center.
pub const UNIQUE: &[(&str, &str)] =
    &[("glossary_term_pair_key", "glossary_term.center_id, glossary_term.zh, glossary_term.en")];

/// A term as kept, with what the checker does not need.
#[derive(Debug, Clone)]
pub struct Stored {
    pub term: Term,
    pub center_id: String,
    pub source: String,
    pub notes: String,
    pub created_at: i64,
    pub updated_at: i64,
}

fn stored(r: &Row) -> Result<Stored, sqlx::Error> {
    let variants: String = r.try_get("variants")?;
    Ok(Stored {
        term: Term {
            id: r.try_get("id")?,
            zh: r.try_get("zh")?,
            en: r.try_get("en")?,
            status: code(r, "status", TermStatus::parse)?,
            variants: variants.lines().filter(|l| !l.is_empty()).map(str::to_string).collect(),
        },
        center_id: r.try_get("center_id")?,
        source: r.try_get("source")?,
        notes: r.try_get("notes")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// Every term of the center that the checker reads (approved and deprecated).
pub async fn checked(db: &Db, center_id: &str) -> Result<Vec<Term>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT * FROM glossary_term WHERE center_id = $1 AND status IN ('approved', 'deprecated') ORDER BY id",
    )
    .bind(center_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| stored(r).map(|s| s.term)).collect()
}

/// The same, read inside a write (a domain re-checking what it saves).
pub async fn checked_in(tx: &mut Tx, center_id: &str) -> Result<Vec<Term>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT * FROM glossary_term WHERE center_id = $1 AND status IN ('approved', 'deprecated') ORDER BY id",
    )
    .bind(center_id)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(|r| stored(r).map(|s| s.term)).collect()
}

/// A page of terms by id, filtered by status and words in either language.
pub async fn page(
    db: &Db,
    center_id: &str,
    status: Option<TermStatus>,
    words: &str,
    after_id: &str,
    limit: i64,
) -> Result<Vec<Stored>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT * FROM glossary_term WHERE center_id = $1 AND id > $2
           AND ($3 = '' OR status = $3)
           AND ($4 = '' OR LOWER(zh) LIKE $5 ESCAPE '\\' OR LOWER(en) LIKE $5 ESCAPE '\\' OR LOWER(variants) LIKE $5 ESCAPE '\\')
         ORDER BY id LIMIT $6",
    )
    .bind(center_id)
    .bind(after_id)
    .bind(status.map(|s| s.code()).unwrap_or(""))
    .bind(words.trim())
    .bind(contains_pattern(words))
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(stored).collect()
}

pub async fn get(db: &Db, center_id: &str, id: &str) -> Result<Option<Stored>, sqlx::Error> {
    let row = sqlx::query("SELECT * FROM glossary_term WHERE center_id = $1 AND id = $2")
        .bind(center_id)
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(stored).transpose()
}

/// Terms the center has (the seed adds only what is missing).
pub async fn count(db: &Db, center_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) AS n FROM glossary_term WHERE center_id = $1")
        .bind(center_id)
        .fetch_one(&db.pool)
        .await?
        .try_get("n")
}

/// Adds a term; with `keep_existing`, a pair the center has is left as it
/// is (the seed) instead of refused. True if added.
pub async fn insert(
    tx: &mut Tx,
    id: &str,
    center_id: &str,
    t: &TermInput,
    now: Instant,
    keep_existing: bool,
) -> Result<bool, sqlx::Error> {
    let sql = if keep_existing {
        "INSERT INTO glossary_term (id, center_id, zh, en, status, variants, source, notes, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) ON CONFLICT (center_id, zh, en) DO NOTHING"
    } else {
        "INSERT INTO glossary_term (id, center_id, zh, en, status, variants, source, notes, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)"
    };
    let done = sqlx::query(sql)
        .bind(id)
        .bind(center_id)
        .bind(&t.zh)
        .bind(&t.en)
        .bind(t.status.code())
        .bind(t.variants.join("\n"))
        .bind(&t.source)
        .bind(&t.notes)
        .bind(now.millis())
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn update(tx: &mut Tx, id: &str, t: &TermInput, now: Instant) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE glossary_term SET zh = $2, en = $3, status = $4, variants = $5, source = $6, notes = $7, updated_at = $8
         WHERE id = $1",
    )
    .bind(id)
    .bind(&t.zh)
    .bind(&t.en)
    .bind(t.status.code())
    .bind(t.variants.join("\n"))
    .bind(&t.source)
    .bind(&t.notes)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Removes the term and what was found for it.
pub async fn delete(tx: &mut Tx, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM glossary_finding WHERE term_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM glossary_term WHERE id = $1").bind(id).execute(&mut **tx).await?;
    Ok(())
}
