//! SQL for interpreters, their languages and unavailability, and assignments.

use sqlx::Row as _;

use super::model::AssignmentStatus;
use crate::clock::Instant;
use crate::db::{Db, Row, Tx, flag};
use crate::time::Span;

/// Items last at most a day, so overlap searches look back no further.
pub const MAX_ITEM_MS: i64 = 86_400_000;

#[derive(Debug, Clone)]
pub struct Interpreter {
    pub id: String,
    pub center_id: String,
    pub user_id: String,
    pub name: String,
    pub email: String,
    /// (tag, level), best first.
    pub languages: Vec<(String, i64)>,
    pub notes: String,
    pub active: bool,
}

#[derive(Debug, Clone)]
pub struct Assignment {
    pub id: String,
    pub center_id: String,
    pub interpreter_id: String,
    pub interpreter_name: String,
    pub interpreter_user_id: String,
    pub item_id: String,
    /// `itinerary` (a visit's item) or `meeting` (a matchmaking meeting).
    pub item_kind: String,
    /// The item's label as kept with the assignment.
    pub title: crate::i18n::Bilingual,
    pub language: String,
    pub span: Span,
    pub status: AssignmentStatus,
    pub reason: String,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct Unavailability {
    pub id: String,
    pub span: Span,
    pub reason: String,
}

fn interpreter_from(r: &Row) -> Result<Interpreter, sqlx::Error> {
    Ok(Interpreter {
        id: r.try_get("id")?,
        center_id: r.try_get("center_id")?,
        user_id: r.try_get("user_id")?,
        name: r.try_get("name")?,
        email: r.try_get("email")?,
        languages: vec![],
        notes: r.try_get("notes")?,
        active: flag(r.try_get("active")?),
    })
}

macro_rules! interpreter_sql {
    ($tail:literal) => {
        concat!("SELECT i.*, u.display_name AS name, u.email AS email FROM interpreter i JOIN app_user u ON u.id = i.user_id ", $tail)
    };
}

async fn with_languages(
    db: &Db,
    mut list: Vec<Interpreter>,
    center_id: &str,
) -> Result<Vec<Interpreter>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT l.interpreter_id, l.tag, l.level FROM interpreter_language l JOIN interpreter i ON i.id = l.interpreter_id
         WHERE i.center_id = $1 ORDER BY l.level DESC, l.tag",
    )
    .bind(center_id)
    .fetch_all(&db.pool)
    .await?;
    for r in rows {
        let id: String = r.try_get("interpreter_id")?;
        if let Some(i) = list.iter_mut().find(|i| i.id == id) {
            i.languages.push((r.try_get("tag")?, r.try_get("level")?));
        }
    }
    Ok(list)
}

/// The interpreters of a center, by name, with their languages.
pub async fn interpreters(db: &Db, center_id: &str) -> Result<Vec<Interpreter>, sqlx::Error> {
    let list =
        sqlx::query(interpreter_sql!("WHERE i.center_id = $1 ORDER BY u.display_name, i.id"))
            .bind(center_id)
            .fetch_all(&db.pool)
            .await?
            .iter()
            .map(interpreter_from)
            .collect::<Result<Vec<_>, _>>()?;
    with_languages(db, list, center_id).await
}

/// A page of a center's interpreters by id after `after_id`, working in
/// every one of up to three primary languages (empty: any).
pub async fn interpreters_page(
    db: &Db,
    center_id: &str,
    primaries: &[&str],
    after_id: &str,
    limit: i64,
) -> Result<Vec<Interpreter>, sqlx::Error> {
    let lang = |k: usize| primaries.get(k).copied().unwrap_or_default();
    let list = sqlx::query(interpreter_sql!(
        "WHERE i.center_id = $1 AND i.id > $2
           AND ($3 = '' OR EXISTS (SELECT 1 FROM interpreter_language l WHERE l.interpreter_id = i.id AND l.primary_tag = $3))
           AND ($4 = '' OR EXISTS (SELECT 1 FROM interpreter_language l WHERE l.interpreter_id = i.id AND l.primary_tag = $4))
           AND ($5 = '' OR EXISTS (SELECT 1 FROM interpreter_language l WHERE l.interpreter_id = i.id AND l.primary_tag = $5))
         ORDER BY i.id LIMIT $6"
    ))
    .bind(center_id)
    .bind(after_id)
    .bind(lang(0))
    .bind(lang(1))
    .bind(lang(2))
    .bind(limit)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(interpreter_from)
    .collect::<Result<Vec<_>, _>>()?;
    with_languages(db, list, center_id).await
}

pub async fn interpreter(db: &Db, id: &str) -> Result<Option<Interpreter>, sqlx::Error> {
    let found =
        sqlx::query(interpreter_sql!("WHERE i.id = $1")).bind(id).fetch_optional(&db.pool).await?;
    one(db, found).await
}

pub async fn interpreter_by_user(
    db: &Db,
    user_id: &str,
) -> Result<Option<Interpreter>, sqlx::Error> {
    let found = sqlx::query(interpreter_sql!("WHERE i.user_id = $1"))
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?;
    one(db, found).await
}

async fn one(db: &Db, row: Option<Row>) -> Result<Option<Interpreter>, sqlx::Error> {
    let Some(found) = row.as_ref().map(interpreter_from).transpose()? else {
        return Ok(None);
    };
    let rows = sqlx::query("SELECT tag, level FROM interpreter_language WHERE interpreter_id = $1 ORDER BY level DESC, tag")
        .bind(&found.id)
        .fetch_all(&db.pool)
        .await?;
    let languages = rows
        .iter()
        .map(|r| Ok((r.try_get("tag")?, r.try_get("level")?)))
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Some(Interpreter { languages, ..found }))
}

/// Creates the interpreter row of a user, or updates it; then replaces their languages.
#[allow(clippy::too_many_arguments)]
pub async fn save_interpreter(
    tx: &mut Tx,
    id: &str,
    center_id: &str,
    user_id: &str,
    languages: &[(String, i64)],
    notes: &str,
    active: bool,
    now: Instant,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO interpreter (id, center_id, user_id, notes, active, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)
         ON CONFLICT (user_id) DO UPDATE SET notes = $4, active = $5, updated_at = $6",
    )
    .bind(id)
    .bind(center_id)
    .bind(user_id)
    .bind(notes)
    .bind(i64::from(active))
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    let row = sqlx::query("SELECT id FROM interpreter WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(&mut **tx)
        .await?;
    let real_id: String = row.try_get("id")?;
    sqlx::query("DELETE FROM interpreter_language WHERE interpreter_id = $1")
        .bind(&real_id)
        .execute(&mut **tx)
        .await?;
    for (tag, level) in languages {
        sqlx::query("INSERT INTO interpreter_language (interpreter_id, tag, primary_tag, level) VALUES ($1, $2, $3, $4)")
            .bind(&real_id)
            .bind(tag)
            .bind(crate::reference::languages::primary_language(tag))
            .bind(level)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Takes the interpreter's write turn (a row lock on PostgreSQL; SQLite's
/// IMMEDIATE transaction already serialises). False when there is no such row.
pub async fn lock_interpreter(tx: &mut Tx, id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE interpreter SET lock_version = lock_version + 1 WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

macro_rules! assignment_sql {
    ($tail:literal) => {
        concat!(
            "SELECT a.*, u.display_name AS interpreter_name, i.user_id AS interpreter_user_id FROM interpreter_assignment a
             JOIN interpreter i ON i.id = a.interpreter_id JOIN app_user u ON u.id = i.user_id ",
            $tail
        )
    };
}

fn assignment_from(r: &Row) -> Result<Assignment, sqlx::Error> {
    let status: String = r.try_get("status")?;
    Ok(Assignment {
        id: r.try_get("id")?,
        center_id: r.try_get("center_id")?,
        interpreter_id: r.try_get("interpreter_id")?,
        interpreter_name: r.try_get("interpreter_name")?,
        interpreter_user_id: r.try_get("interpreter_user_id")?,
        item_id: r.try_get("item_id")?,
        item_kind: r.try_get("item_kind")?,
        title: crate::i18n::Bilingual::new(
            r.try_get::<String, _>("title_zh")?,
            r.try_get::<String, _>("title_en")?,
        ),
        language: r.try_get("language")?,
        span: Span::new(r.try_get("starts_at")?, r.try_get("ends_at")?),
        status: crate::db::known("status", &status, AssignmentStatus::parse)?,
        reason: r.try_get("reason")?,
        created_at: r.try_get("created_at")?,
        decided_at: r.try_get("decided_at")?,
    })
}

/// Live assignments of an interpreter meeting `span`, in the write turn.
pub async fn live_overlapping(
    tx: &mut Tx,
    interpreter_id: &str,
    span: Span,
) -> Result<Vec<Assignment>, sqlx::Error> {
    sqlx::query(assignment_sql!(
        "WHERE a.interpreter_id = $1 AND a.status IN ('offered', 'accepted') AND a.starts_at < $3 AND a.ends_at > $2
         AND a.starts_at > $4 ORDER BY a.starts_at"
    ))
    .bind(interpreter_id)
    .bind(span.start)
    .bind(span.end)
    .bind(span.start - MAX_ITEM_MS)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(assignment_from)
    .collect()
}

/// Unavailability of an interpreter meeting `span`.
pub async fn unavailable_overlapping<'c, E>(
    ex: E,
    interpreter_id: &str,
    span: Span,
) -> Result<Vec<Unavailability>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query(
        "SELECT * FROM interpreter_unavailability WHERE interpreter_id = $1 AND starts_at < $3 AND ends_at > $2 ORDER BY starts_at",
    )
    .bind(interpreter_id)
    .bind(span.start)
    .bind(span.end)
    .fetch_all(ex)
    .await?
    .iter()
    .map(unavailability_from)
    .collect()
}

fn unavailability_from(r: &Row) -> Result<Unavailability, sqlx::Error> {
    Ok(Unavailability {
        id: r.try_get("id")?,
        span: Span::new(r.try_get("starts_at")?, r.try_get("ends_at")?),
        reason: r.try_get("reason")?,
    })
}

pub async fn unavailability(
    db: &Db,
    interpreter_id: &str,
    from: i64,
) -> Result<Vec<Unavailability>, sqlx::Error> {
    sqlx::query("SELECT * FROM interpreter_unavailability WHERE interpreter_id = $1 AND ends_at > $2 ORDER BY starts_at LIMIT 200")
        .bind(interpreter_id)
        .bind(from)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(unavailability_from)
        .collect()
}

pub async fn insert_unavailability(
    tx: &mut Tx,
    id: &str,
    interpreter_id: &str,
    span: Span,
    reason: &str,
    now: Instant,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO interpreter_unavailability (id, interpreter_id, starts_at, ends_at, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(id)
        .bind(interpreter_id)
        .bind(span.start)
        .bind(span.end)
        .bind(reason)
        .bind(now.millis())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn delete_unavailability(
    tx: &mut Tx,
    interpreter_id: &str,
    id: &str,
) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("DELETE FROM interpreter_unavailability WHERE id = $1 AND interpreter_id = $2")
            .bind(id)
            .bind(interpreter_id)
            .execute(&mut **tx)
            .await?;
    Ok(done.rows_affected() == 1)
}

pub struct NewAssignment<'a> {
    pub id: &'a str,
    pub center_id: &'a str,
    pub interpreter_id: &'a str,
    pub item_id: &'a str,
    pub item_kind: &'a str,
    pub title: &'a crate::i18n::Bilingual,
    pub language: &'a str,
    pub span: Span,
    pub created_by: Option<&'a str>,
}

pub async fn insert_assignment(
    tx: &mut Tx,
    a: &NewAssignment<'_>,
    now: Instant,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO interpreter_assignment (id, center_id, interpreter_id, item_id, language, starts_at, ends_at,
         status, created_by, created_at, item_kind, title_zh, title_en)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'offered', $8, $9, $10, $11, $12)",
    )
    .bind(a.id)
    .bind(a.center_id)
    .bind(a.interpreter_id)
    .bind(a.item_id)
    .bind(a.language)
    .bind(a.span.start)
    .bind(a.span.end)
    .bind(a.created_by)
    .bind(now.millis())
    .bind(a.item_kind)
    .bind(&a.title.zh)
    .bind(&a.title.en)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn assignment(db: &Db, id: &str) -> Result<Option<Assignment>, sqlx::Error> {
    sqlx::query(assignment_sql!("WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .as_ref()
        .map(assignment_from)
        .transpose()
}

pub async fn for_items(db: &Db, item_ids: &[String]) -> Result<Vec<Assignment>, sqlx::Error> {
    let mut out = vec![];
    for chunk in item_ids.chunks(50) {
        let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "{} WHERE a.item_id IN ({}) ORDER BY a.created_at",
            assignment_sql!(""),
            placeholders.join(", ")
        );
        // Only numbered placeholders are formatted in; the ids are bound.
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for id in chunk {
            q = q.bind(id);
        }
        for r in q.fetch_all(&db.pool).await? {
            out.push(assignment_from(&r)?);
        }
    }
    Ok(out)
}

/// Offers nobody has answered yet, for work starting after `from`, soonest first.
pub async fn unanswered(
    db: &Db,
    center_id: &str,
    from: i64,
    limit: i64,
) -> Result<Vec<Assignment>, sqlx::Error> {
    sqlx::query(assignment_sql!(
        "WHERE a.center_id = $1 AND a.status = 'offered' AND a.starts_at > $2 ORDER BY a.starts_at, a.id LIMIT $3"
    ))
    .bind(center_id)
    .bind(from)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(assignment_from)
    .collect()
}

/// A page of an interpreter's assignments ending after `from`, by start,
/// after `after` (start, id).
pub async fn for_interpreter_page(
    db: &Db,
    interpreter_id: &str,
    from: i64,
    after: &(i64, String),
    limit: i64,
) -> Result<Vec<Assignment>, sqlx::Error> {
    sqlx::query(assignment_sql!(
        "WHERE a.interpreter_id = $1 AND a.ends_at > $2 AND (a.starts_at > $3 OR (a.starts_at = $3 AND a.id > $4))
         ORDER BY a.starts_at, a.id LIMIT $5"
    ))
    .bind(interpreter_id)
    .bind(from)
    .bind(after.0)
    .bind(&after.1)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(assignment_from)
    .collect()
}

pub async fn for_interpreter(
    db: &Db,
    interpreter_id: &str,
    from: i64,
) -> Result<Vec<Assignment>, sqlx::Error> {
    sqlx::query(assignment_sql!(
        "WHERE a.interpreter_id = $1 AND a.ends_at > $2 ORDER BY a.starts_at LIMIT 200"
    ))
    .bind(interpreter_id)
    .bind(from)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(assignment_from)
    .collect()
}

/// Moves an assignment from `from` to `to`; false when it was moved first.
pub async fn set_status(
    tx: &mut Tx,
    id: &str,
    from: AssignmentStatus,
    to: AssignmentStatus,
    reason: &str,
    now: Instant,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE interpreter_assignment SET status = $3, reason = $4, decided_at = $5 WHERE id = $1 AND status = $2",
    )
    .bind(id)
    .bind(from.code())
    .bind(to.code())
    .bind(reason)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Cancels the live assignments of an item (the item was cancelled).
pub async fn cancel_for_item(tx: &mut Tx, item_id: &str, now: Instant) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE interpreter_assignment SET status = 'cancelled', reason = 'item cancelled', decided_at = $2
         WHERE item_id = $1 AND status IN ('offered', 'accepted')",
    )
    .bind(item_id)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// Active interpreters of a center holding a language whose primary subtag
/// is `primary`: (interpreter id, name, tag, level).
pub async fn qualified(
    db: &Db,
    center_id: &str,
    primary: &str,
) -> Result<Vec<(String, String, String, i64)>, sqlx::Error> {
    sqlx::query(
        "SELECT i.id, u.display_name AS name, l.tag, l.level FROM interpreter_language l
         JOIN interpreter i ON i.id = l.interpreter_id JOIN app_user u ON u.id = i.user_id
         WHERE i.center_id = $1 AND i.active = 1 AND u.active = 1 AND l.primary_tag = $2",
    )
    .bind(center_id)
    .bind(primary)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| Ok((r.try_get("id")?, r.try_get("name")?, r.try_get("tag")?, r.try_get("level")?)))
    .collect()
}

/// Interpreters of a center assigned or unavailable during `span`.
pub async fn busy(db: &Db, center_id: &str, span: Span) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query(
        "SELECT a.interpreter_id AS id FROM interpreter_assignment a WHERE a.center_id = $1
         AND a.status IN ('offered', 'accepted') AND a.starts_at < $3 AND a.ends_at > $2 AND a.starts_at > $4
         UNION SELECT n.interpreter_id AS id FROM interpreter_unavailability n JOIN interpreter i ON i.id = n.interpreter_id
         WHERE i.center_id = $1 AND n.starts_at < $3 AND n.ends_at > $2",
    )
    .bind(center_id)
    .bind(span.start)
    .bind(span.end)
    .bind(span.start - MAX_ITEM_MS)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| r.try_get("id"))
    .collect()
}

/// Live assignments per interpreter of a center starting in `window`.
pub async fn workload(
    db: &Db,
    center_id: &str,
    window: Span,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query(
        "SELECT interpreter_id, COUNT(*) AS n FROM interpreter_assignment WHERE center_id = $1
         AND status IN ('offered', 'accepted') AND starts_at >= $2 AND starts_at < $3 GROUP BY interpreter_id",
    )
    .bind(center_id)
    .bind(window.start)
    .bind(window.end)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| Ok((r.try_get("interpreter_id")?, r.try_get("n")?)))
    .collect()
}

/// Who offered an assignment.
pub async fn offered_by(db: &Db, assignment_id: &str) -> Result<Option<String>, sqlx::Error> {
    let row = sqlx::query("SELECT created_by FROM interpreter_assignment WHERE id = $1")
        .bind(assignment_id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(match row {
        Some(r) => r.try_get("created_by")?,
        None => None,
    })
}
