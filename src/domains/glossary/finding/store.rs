//! SQL for the checker's findings.

use std::collections::HashSet;

use sqlx::Row as _;

use crate::bilingual::{Place, Text};
use crate::clock::Instant;
use crate::db::{Db, Row, Tx, code, new_id, pair};
use crate::domains::glossary::model::{Finding, FindingKind, FindingStatus};
use crate::i18n::Bilingual;

/// A finding as kept: what was found, in which text, and what became of it.
#[derive(Debug, Clone)]
pub struct Stored {
    pub id: String,
    pub place: Place,
    pub record_id: String,
    pub field: String,
    pub label: Bilingual,
    pub finding: Finding,
    pub status: FindingStatus,
    pub found_at: i64,
}

fn stored(r: &Row) -> Result<Stored, sqlx::Error> {
    let (start, end): (i64, i64) = (r.try_get("at_start")?, r.try_get("at_end")?);
    Ok(Stored {
        id: r.try_get("id")?,
        place: code(r, "place", Place::parse)?,
        record_id: r.try_get("record_id")?,
        field: r.try_get("field")?,
        label: pair(r, "label_zh", "label_en")?,
        finding: Finding {
            kind: code(r, "kind", FindingKind::parse)?,
            term_id: r.try_get("term_id")?,
            zh: r.try_get("zh")?,
            expected: r.try_get("expected")?,
            found: r.try_get("found")?,
            at: (start >= 0 && end >= start).then_some(start as usize..end as usize),
        },
        status: code(r, "status", FindingStatus::parse)?,
        found_at: r.try_get("found_at")?,
    })
}

/// A dismissed finding is the same finding when these match.
pub type Identity = (String, String, String, String, String, String);

fn identity(place: Place, record_id: &str, field: &str, f: &Finding) -> Identity {
    (
        place.code().to_string(),
        record_id.to_string(),
        field.to_string(),
        f.term_id.clone(),
        f.kind.code().to_string(),
        f.found.clone(),
    )
}

const SELECT: &str =
    "SELECT f.*, t.zh AS zh FROM glossary_finding f JOIN glossary_term t ON t.id = f.term_id ";

/// Dismissed findings of the center (or of one text).
pub async fn dismissed(
    tx: &mut Tx,
    center_id: &str,
    text: Option<&Text>,
) -> Result<HashSet<Identity>, sqlx::Error> {
    let (place, record, field) = match text {
        Some(t) => (t.place.code(), t.record_id.as_str(), t.field),
        None => ("", "", ""),
    };
    let rows = sqlx::query(
        "SELECT place, record_id, field, term_id, kind, found FROM glossary_finding
         WHERE center_id = $1 AND status = 'dismissed' AND ($2 = '' OR (place = $2 AND record_id = $3 AND field = $4))",
    )
    .bind(center_id)
    .bind(place)
    .bind(record)
    .bind(field)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("place")?,
                r.try_get("record_id")?,
                r.try_get("field")?,
                r.try_get("term_id")?,
                r.try_get("kind")?,
                r.try_get("found")?,
            ))
        })
        .collect()
}

/// Forgets the open findings of the center, or of one text.
pub async fn clear_open(
    tx: &mut Tx,
    center_id: &str,
    text: Option<&Text>,
) -> Result<(), sqlx::Error> {
    let (place, record, field) = match text {
        Some(t) => (t.place.code(), t.record_id.as_str(), t.field),
        None => ("", "", ""),
    };
    sqlx::query(
        "DELETE FROM glossary_finding WHERE center_id = $1 AND status = 'open'
           AND ($2 = '' OR (place = $2 AND record_id = $3 AND field = $4))",
    )
    .bind(center_id)
    .bind(place)
    .bind(record)
    .bind(field)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records what was found in one text, except what was dismissed before;
/// the number recorded.
pub async fn insert_open(
    tx: &mut Tx,
    center_id: &str,
    text: &Text,
    found: &[Finding],
    dismissed: &HashSet<Identity>,
    now: Instant,
) -> Result<usize, sqlx::Error> {
    let mut n = 0;
    for f in found {
        if dismissed.contains(&identity(text.place, &text.record_id, text.field, f)) {
            continue;
        }
        let (start, end) =
            f.at.as_ref().map(|a| (a.start as i64, a.end as i64)).unwrap_or((-1, -1));
        sqlx::query(
            "INSERT INTO glossary_finding (id, center_id, place, record_id, field, label_zh, label_en, term_id, kind,
                                           found, expected, at_start, at_end, status, found_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'open', $14)",
        )
        .bind(new_id())
        .bind(center_id)
        .bind(text.place.code())
        .bind(&text.record_id)
        .bind(text.field)
        .bind(&text.label.zh)
        .bind(&text.label.en)
        .bind(&f.term_id)
        .bind(f.kind.code())
        .bind(&f.found)
        .bind(&f.expected)
        .bind(start)
        .bind(end)
        .bind(now.millis())
        .execute(&mut **tx)
        .await?;
        n += 1;
    }
    Ok(n)
}

/// A page of the center's findings by id, filtered by status, place and kind.
pub async fn page(
    db: &Db,
    center_id: &str,
    status: FindingStatus,
    place: Option<Place>,
    kind: Option<FindingKind>,
    after_id: &str,
    limit: i64,
) -> Result<Vec<Stored>, sqlx::Error> {
    let sql = format!(
        "{SELECT} WHERE f.center_id = $1 AND f.status = $2 AND ($3 = '' OR f.place = $3) AND ($4 = '' OR f.kind = $4)
           AND f.id > $5 ORDER BY f.id LIMIT $6"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(center_id)
        .bind(status.code())
        .bind(place.map(|p| p.code()).unwrap_or(""))
        .bind(kind.map(|k| k.code()).unwrap_or(""))
        .bind(after_id)
        .bind(limit)
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(stored).collect()
}

/// The open findings of one record, in the order of its fields' texts.
pub async fn open_of(
    db: &Db,
    center_id: &str,
    place: Place,
    record_id: &str,
    limit: i64,
) -> Result<Vec<Stored>, sqlx::Error> {
    let sql = format!(
        "{SELECT} WHERE f.center_id = $1 AND f.status = 'open' AND f.place = $2 AND f.record_id = $3
           ORDER BY f.field, f.at_start, f.id LIMIT $4"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(center_id)
        .bind(place.code())
        .bind(record_id)
        .bind(limit)
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(stored).collect()
}

/// One finding of the center, read inside a write.
pub async fn get(tx: &mut Tx, center_id: &str, id: &str) -> Result<Option<Stored>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE f.center_id = $1 AND f.id = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(center_id)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    row.as_ref().map(stored).transpose()
}

/// Moves an open finding to `to`; false if it was no longer open.
pub async fn decide(
    tx: &mut Tx,
    id: &str,
    to: FindingStatus,
    by: &str,
    now: Instant,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE glossary_finding SET status = $2, decided_at = $3, decided_by = $4 WHERE id = $1 AND status = 'open'",
    )
    .bind(id)
    .bind(to.code())
    .bind(now.millis())
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Open findings of the center by kind.
pub async fn open_counts(db: &Db, center_id: &str) -> Result<Vec<(FindingKind, i64)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT kind, COUNT(*) AS n FROM glossary_finding WHERE center_id = $1 AND status = 'open' GROUP BY kind ORDER BY kind",
    )
    .bind(center_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| Ok((code(r, "kind", FindingKind::parse)?, r.try_get("n")?))).collect()
}
