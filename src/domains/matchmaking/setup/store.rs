//! SQL for an event's matchmaking setup and its tables.

use sqlx::Row as _;

use crate::db::{Row, Tx, flag};
use crate::time::Span;

#[derive(Debug, Clone)]
pub struct Setup {
    pub event_id: String,
    pub center_id: String,
    pub meeting_minutes: i64,
    pub break_minutes: i64,
    pub needs_acceptance: bool,
    pub request_limit: i64,
    pub windows: Vec<Span>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    pub id: String,
    pub number: i64,
    pub room_id: Option<String>,
    pub seats: i64,
    pub active: bool,
}

fn setup_from(r: &Row) -> Result<Setup, sqlx::Error> {
    let windows: String = r.try_get("windows")?;
    let pairs: Vec<(i64, i64)> =
        serde_json::from_str(&windows).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    Ok(Setup {
        event_id: r.try_get("event_id")?,
        center_id: r.try_get("center_id")?,
        meeting_minutes: r.try_get("meeting_minutes")?,
        break_minutes: r.try_get("break_minutes")?,
        needs_acceptance: flag(r.try_get("needs_acceptance")?),
        request_limit: r.try_get("request_limit")?,
        windows: pairs.into_iter().map(|(s, e)| Span::new(s, e)).collect(),
    })
}

pub async fn setup<'e, E>(conn: E, event_id: &str) -> Result<Option<Setup>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query("SELECT * FROM mm_setup WHERE event_id = $1")
        .bind(event_id)
        .fetch_optional(conn)
        .await?
        .map(|r| setup_from(&r))
        .transpose()
}

pub async fn save(tx: &mut Tx, s: &Setup, now: i64) -> Result<(), sqlx::Error> {
    let windows: Vec<(i64, i64)> = s.windows.iter().map(|w| (w.start, w.end)).collect();
    sqlx::query(
        "INSERT INTO mm_setup (event_id, center_id, meeting_minutes, break_minutes, needs_acceptance,
             request_limit, windows, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
         ON CONFLICT (event_id) DO UPDATE SET meeting_minutes = excluded.meeting_minutes,
             break_minutes = excluded.break_minutes, needs_acceptance = excluded.needs_acceptance,
             request_limit = excluded.request_limit, windows = excluded.windows,
             updated_at = excluded.updated_at, version = mm_setup.version + 1",
    )
    .bind(&s.event_id)
    .bind(&s.center_id)
    .bind(s.meeting_minutes)
    .bind(s.break_minutes)
    .bind(s.needs_acceptance as i64)
    .bind(s.request_limit)
    .bind(serde_json::json!(windows).to_string())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Takes the event's placement turn (the setup row's lock) until the write
/// ends: false when the event has no setup.
pub async fn lock(tx: &mut Tx, event_id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE mm_setup SET version = version + 1 WHERE event_id = $1")
        .bind(event_id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

fn table_from(r: &Row) -> Result<TableRow, sqlx::Error> {
    Ok(TableRow {
        id: r.try_get("id")?,
        number: r.try_get("number")?,
        room_id: r.try_get("room_id")?,
        seats: r.try_get("seats")?,
        active: flag(r.try_get("active")?),
    })
}

/// Every table of the event (removed ones too), by number.
pub async fn tables<'e, E>(conn: E, event_id: &str) -> Result<Vec<TableRow>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query("SELECT * FROM mm_table WHERE event_id = $1 ORDER BY number")
        .bind(event_id)
        .fetch_all(conn)
        .await?
        .iter()
        .map(table_from)
        .collect()
}

pub async fn insert_table(
    tx: &mut Tx,
    id: &str,
    event_id: &str,
    t: &TableRow,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO mm_table (id, event_id, number, room_id, seats, active) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(event_id)
    .bind(t.number)
    .bind(&t.room_id)
    .bind(t.seats)
    .bind(t.active as i64)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn update_table(tx: &mut Tx, t: &TableRow) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE mm_table SET room_id = $2, seats = $3, active = $4 WHERE id = $1")
        .bind(&t.id)
        .bind(&t.room_id)
        .bind(t.seats)
        .bind(t.active as i64)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Meetings still to come that hold a table, per table id.
pub async fn placed_per_table<'e, E>(
    conn: E,
    event_id: &str,
    now: i64,
) -> Result<Vec<(String, i64)>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let rows = sqlx::query(
        "SELECT owner_id, COUNT(*) AS n FROM mm_hold
         WHERE event_id = $1 AND kind = 'table' AND starts_at >= $2 GROUP BY owner_id",
    )
    .bind(event_id)
    .bind(now)
    .fetch_all(conn)
    .await?;
    rows.iter().map(|r| Ok((r.try_get("owner_id")?, r.try_get("n")?))).collect()
}

/// Placed meetings of the event (past ones too).
pub async fn placed_count(tx: &mut Tx, event_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) AS n FROM mm_hold WHERE event_id = $1 AND kind = 'table'")
        .bind(event_id)
        .fetch_one(&mut **tx)
        .await?
        .try_get("n")
}
