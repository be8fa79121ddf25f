//! Guarded seat counting, shared by every place that hands out a limited
//! number of places (an event's ticket categories, the exhibition hall's
//! slots and its per-day group allowance, the meeting requests one
//! matchmaking participant may send). Each pool is a row with `taken`
//! and a limit; taking is one `UPDATE … SET taken = taken + n WHERE taken +
//! n <= limit`, and only a changed row means the places were had. On
//! PostgreSQL the UPDATE row-locks and a concurrent one re-checks its WHERE;
//! on SQLite the write transaction is already exclusive. Nothing is ever
//! read first and written later, so no race can take a place twice.
//!
//! An event's own capacity keeps its query in the events store: it also
//! refuses newcomers while people wait in a strict line.

use sqlx::AnyConnection;

/// The pools: a table whose row holds `taken` and its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pool {
    /// `ticket_category`: a quota inside an event (none: no limit of its own).
    EventCategory,
    /// `hall_slot`: people in one time slot of the exhibition hall.
    HallSlot,
    /// `hall_day`: people in groups on one day of the exhibition hall.
    HallDay,
    /// `mm_profile.sent`: live meeting requests one person has sent, within
    /// their event's `mm_setup.request_limit`.
    MeetingRequests,
}

impl Pool {
    fn take_sql(self) -> &'static str {
        match self {
            Pool::EventCategory => {
                "UPDATE ticket_category SET taken = taken + $2 WHERE id = $1 AND (quota IS NULL OR taken + $2 <= quota)"
            }
            Pool::HallSlot => {
                "UPDATE hall_slot SET taken = taken + $2 WHERE id = $1 AND taken + $2 <= capacity"
            }
            Pool::HallDay => {
                "UPDATE hall_day SET taken = taken + $2 WHERE id = $1 AND taken + $2 <= capacity"
            }
            Pool::MeetingRequests => {
                "UPDATE mm_profile SET sent = sent + $2 WHERE id = $1 AND sent + $2 <= \
                 (SELECT request_limit FROM mm_setup WHERE mm_setup.event_id = mm_profile.event_id)"
            }
        }
    }

    fn release_sql(self) -> &'static str {
        match self {
            Pool::EventCategory => "UPDATE ticket_category SET taken = taken - $2 WHERE id = $1",
            Pool::HallSlot => "UPDATE hall_slot SET taken = taken - $2 WHERE id = $1",
            Pool::HallDay => "UPDATE hall_day SET taken = taken - $2 WHERE id = $1",
            Pool::MeetingRequests => {
                "UPDATE mm_profile SET sent = sent - $2 WHERE id = $1 AND sent >= $2"
            }
        }
    }
}

/// Takes `n` places of the pool row `id`, or none: true when they were had.
pub async fn take(
    conn: &mut AnyConnection,
    pool: Pool,
    id: &str,
    n: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(pool.take_sql()).bind(id).bind(n).execute(&mut *conn).await?;
    Ok(done.rows_affected() == 1)
}

/// Gives `n` places back to the pool row `id`.
pub async fn release(
    conn: &mut AnyConnection,
    pool: Pool,
    id: &str,
    n: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(pool.release_sql()).bind(id).bind(n).execute(&mut *conn).await?;
    Ok(())
}
