//! SQL for meetings, the holds that keep one person and one table to one
//! meeting per slot, and what each side says a meeting led to.

use sqlx::Row as _;

use crate::db::{Db, Row, Tx, flag, known};
use crate::domains::matchmaking::model::{Attendance, MeetingStatus, Outcome};
use crate::time::Span;

#[derive(Debug, Clone)]
pub struct Meeting {
    pub id: String,
    pub event_id: String,
    pub center_id: String,
    pub requester_id: String,
    pub invitee_id: String,
    pub status: MeetingStatus,
    pub message: String,
    pub reason: String,
    pub by_staff: bool,
    pub span: Option<Span>,
    pub table_id: Option<String>,
    pub sequence: i64,
    pub attendance: Option<Attendance>,
    pub late: bool,
    pub accepted_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Meeting {
    /// The other side of the meeting from `profile_id`.
    pub fn other(&self, profile_id: &str) -> &str {
        if self.requester_id == profile_id { &self.invitee_id } else { &self.requester_id }
    }

    pub fn involves(&self, profile_id: &str) -> bool {
        self.requester_id == profile_id || self.invitee_id == profile_id
    }
}

fn from_row(r: &Row) -> Result<Meeting, sqlx::Error> {
    let status: String = r.try_get("status")?;
    let attendance: String = r.try_get("attendance")?;
    let starts: Option<i64> = r.try_get("starts_at")?;
    let ends: Option<i64> = r.try_get("ends_at")?;
    Ok(Meeting {
        id: r.try_get("id")?,
        event_id: r.try_get("event_id")?,
        center_id: r.try_get("center_id")?,
        requester_id: r.try_get("requester_id")?,
        invitee_id: r.try_get("invitee_id")?,
        status: known("status", &status, MeetingStatus::parse)?,
        message: r.try_get("message")?,
        reason: r.try_get("reason")?,
        by_staff: flag(r.try_get("by_staff")?),
        span: starts.zip(ends).map(|(s, e)| Span::new(s, e)),
        table_id: r.try_get("table_id")?,
        sequence: r.try_get("sequence")?,
        attendance: if attendance.is_empty() {
            None
        } else {
            Some(known("attendance", &attendance, Attendance::parse)?)
        },
        late: flag(r.try_get("late")?),
        accepted_at: r.try_get("accepted_at")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

pub async fn insert(tx: &mut Tx, m: &Meeting) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO mm_meeting (id, event_id, center_id, requester_id, invitee_id, status, message,
             by_staff, accepted_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
    )
    .bind(&m.id)
    .bind(&m.event_id)
    .bind(&m.center_id)
    .bind(&m.requester_id)
    .bind(&m.invitee_id)
    .bind(m.status.code())
    .bind(&m.message)
    .bind(m.by_staff as i64)
    .bind(m.accepted_at)
    .bind(m.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn by_id<'e, E>(conn: E, id: &str) -> Result<Option<Meeting>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query("SELECT * FROM mm_meeting WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(|r| from_row(&r))
        .transpose()
}

/// Moves a meeting from the state read to another: false when someone
/// else moved it first.
pub async fn set_status(
    tx: &mut Tx,
    id: &str,
    from: MeetingStatus,
    to: MeetingStatus,
    reason: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let accepted = if to == MeetingStatus::Accepted { Some(now) } else { None };
    let done = sqlx::query(
        "UPDATE mm_meeting SET status = $3, reason = $4, updated_at = $5,
             accepted_at = COALESCE($6, accepted_at)
         WHERE id = $1 AND status = $2",
    )
    .bind(id)
    .bind(from.code())
    .bind(to.code())
    .bind(reason)
    .bind(now)
    .bind(accepted)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Puts an accepted, unplaced meeting at a slot and a table.
pub async fn place(
    tx: &mut Tx,
    id: &str,
    span: Span,
    table_id: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE mm_meeting SET starts_at = $2, ends_at = $3, table_id = $4, sequence = sequence + 1,
             updated_at = $5
         WHERE id = $1 AND status = 'accepted' AND starts_at IS NULL",
    )
    .bind(id)
    .bind(span.start)
    .bind(span.end)
    .bind(table_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Takes a meeting off its slot and table (to place it again: a move).
pub async fn unplace(tx: &mut Tx, id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE mm_meeting SET starts_at = NULL, ends_at = NULL, table_id = NULL,
             sequence = sequence + 1, updated_at = $2 WHERE id = $1",
    )
    .bind(id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Moves a meeting's .ics sequence on (a cancellation keeps its time for
/// the record; calendars see the change).
pub async fn bump(tx: &mut Tx, id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE mm_meeting SET sequence = sequence + 1, updated_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Holds `owner` (a person or a table) at `starts_at` for a meeting: false
/// when it already holds another meeting then.
pub async fn hold(
    tx: &mut Tx,
    owner: &str,
    starts_at: i64,
    event_id: &str,
    meeting_id: &str,
    kind: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO mm_hold (owner_id, starts_at, event_id, meeting_id, kind)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (owner_id, starts_at) DO NOTHING",
    )
    .bind(owner)
    .bind(starts_at)
    .bind(event_id)
    .bind(meeting_id)
    .bind(kind)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn release_holds(tx: &mut Tx, meeting_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM mm_hold WHERE meeting_id = $1")
        .bind(meeting_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The holds of an event of one kind (`person` or `table`): (owner, start).
pub async fn holds(
    tx: &mut Tx,
    event_id: &str,
    kind: &str,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let rows =
        sqlx::query("SELECT owner_id, starts_at FROM mm_hold WHERE event_id = $1 AND kind = $2")
            .bind(event_id)
            .bind(kind)
            .fetch_all(&mut **tx)
            .await?;
    rows.iter().map(|r| Ok((r.try_get("owner_id")?, r.try_get("starts_at")?))).collect()
}

/// The holds of some owners: (owner, start).
pub async fn holds_of(tx: &mut Tx, owners: &[&str]) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let mut out = vec![];
    for o in owners {
        let rows = sqlx::query("SELECT owner_id, starts_at FROM mm_hold WHERE owner_id = $1")
            .bind(*o)
            .fetch_all(&mut **tx)
            .await?;
        for r in rows {
            out.push((r.try_get("owner_id")?, r.try_get("starts_at")?));
        }
    }
    Ok(out)
}

/// A live meeting (requested or accepted) between two people, either way.
pub async fn live_between<'e, E>(conn: E, a: &str, b: &str) -> Result<Option<Meeting>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query(
        "SELECT * FROM mm_meeting WHERE status IN ('requested', 'accepted')
         AND ((requester_id = $1 AND invitee_id = $2) OR (requester_id = $2 AND invitee_id = $1))",
    )
    .bind(a)
    .bind(b)
    .fetch_optional(conn)
    .await?
    .map(|r| from_row(&r))
    .transpose()
}

/// Accepted meetings without a slot, first accepted first.
pub async fn waiting(tx: &mut Tx, event_id: &str) -> Result<Vec<Meeting>, sqlx::Error> {
    sqlx::query(
        "SELECT * FROM mm_meeting WHERE event_id = $1 AND status = 'accepted' AND starts_at IS NULL
         ORDER BY accepted_at, id",
    )
    .bind(event_id)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// A page of one person's meetings (either side), newest request last.
pub async fn of_profile(
    db: &Db,
    profile_id: &str,
    after: &(i64, String),
    limit: i64,
) -> Result<Vec<Meeting>, sqlx::Error> {
    sqlx::query(
        "SELECT * FROM mm_meeting WHERE (requester_id = $1 OR invitee_id = $1)
         AND (created_at > $2 OR (created_at = $2 AND id > $3))
         ORDER BY created_at, id LIMIT $4",
    )
    .bind(profile_id)
    .bind(after.0)
    .bind(&after.1)
    .bind(limit + 1)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// One person's placed, accepted meetings in time order (their agenda: at
/// most one per slot).
pub async fn agenda(db: &Db, profile_id: &str) -> Result<Vec<Meeting>, sqlx::Error> {
    sqlx::query(
        "SELECT m.* FROM mm_hold h JOIN mm_meeting m ON m.id = h.meeting_id
         WHERE h.owner_id = $1 ORDER BY h.starts_at",
    )
    .bind(profile_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// An event's meetings of some states, by time then request, a page after
/// the cursor (key: created_at).
pub async fn of_event(
    db: &Db,
    event_id: &str,
    statuses: &[MeetingStatus],
    after: &(i64, String),
    limit: i64,
) -> Result<Vec<Meeting>, sqlx::Error> {
    let codes: Vec<String> = statuses.iter().map(|s| format!("'{}'", s.code())).collect();
    let sql = format!(
        "SELECT * FROM mm_meeting WHERE event_id = $1 AND status IN ({})
         AND (created_at > $2 OR (created_at = $2 AND id > $3))
         ORDER BY created_at, id LIMIT $4",
        codes.join(", ")
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(event_id)
        .bind(after.0)
        .bind(&after.1)
        .bind(limit + 1)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(from_row)
        .collect()
}

/// An event's placed meetings, by time then table (the table cards and
/// the day's sheet).
pub async fn placed(db: &Db, event_id: &str) -> Result<Vec<Meeting>, sqlx::Error> {
    sqlx::query(
        "SELECT * FROM mm_meeting WHERE event_id = $1 AND status = 'accepted' AND starts_at IS NOT NULL
         ORDER BY starts_at, table_id",
    )
    .bind(event_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// Records attendance on a meeting still agreed and placed: false when it
/// was cancelled (or taken off its slot) in the meantime.
pub async fn set_attendance(
    tx: &mut Tx,
    id: &str,
    attendance: Attendance,
    late: bool,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE mm_meeting SET attendance = $2, late = $3, updated_at = $4
         WHERE id = $1 AND status = 'accepted' AND starts_at IS NOT NULL",
    )
    .bind(id)
    .bind(attendance.code())
    .bind(late as i64)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn save_outcome(
    tx: &mut Tx,
    meeting_id: &str,
    profile_id: &str,
    outcomes: &str,
    note: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO mm_outcome (meeting_id, profile_id, outcomes, note, recorded_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (meeting_id, profile_id) DO UPDATE SET outcomes = excluded.outcomes,
             note = excluded.note, recorded_at = excluded.recorded_at",
    )
    .bind(meeting_id)
    .bind(profile_id)
    .bind(outcomes)
    .bind(note)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What each side recorded of a meeting: (profile id, outcomes, note).
pub async fn outcomes(
    db: &Db,
    meeting_id: &str,
) -> Result<Vec<(String, Vec<Outcome>, String)>, sqlx::Error> {
    let rows = sqlx::query("SELECT * FROM mm_outcome WHERE meeting_id = $1")
        .bind(meeting_id)
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| {
            let codes: String = r.try_get("outcomes")?;
            let list = codes
                .split(',')
                .filter(|c| !c.is_empty())
                .map(|c| known("outcomes", c, Outcome::parse))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((r.try_get("profile_id")?, list, r.try_get("note")?))
        })
        .collect()
}

/// An event's meetings per (status, placed): (status code, placed, count).
pub async fn counts(db: &Db, event_id: &str) -> Result<Vec<(String, bool, i64)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT status, CASE WHEN starts_at IS NULL THEN 0 ELSE 1 END AS placed, COUNT(*) AS n
         FROM mm_meeting WHERE event_id = $1 GROUP BY status, CASE WHEN starts_at IS NULL THEN 0 ELSE 1 END",
    )
    .bind(event_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("status")?, flag(r.try_get::<i64, _>("placed")?), r.try_get("n")?)))
        .collect()
}
