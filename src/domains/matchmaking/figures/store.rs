//! SQL for the figures: each meeting with its two people's country and
//! sector, and the outcomes recorded.

use sqlx::Row as _;

use crate::db::{Db, flag, known};
use crate::domains::matchmaking::model::{Attendance, Fact, MeetingStatus, Outcome, Sector};

/// The event's meetings asked up to `until` (ms), as the figures count them.
pub async fn facts(db: &Db, event_id: &str, until: i64) -> Result<Vec<Fact>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT m.status, m.by_staff, m.accepted_at, m.starts_at, m.attendance,
                a.country AS a_country, a.sector AS a_sector, b.country AS b_country, b.sector AS b_sector
         FROM mm_meeting m
         JOIN mm_profile a ON a.id = m.requester_id
         JOIN mm_profile b ON b.id = m.invitee_id
         WHERE m.event_id = $1 AND m.created_at <= $2",
    )
    .bind(event_id)
    .bind(until)
    .fetch_all(&db.pool)
    .await?;
    let sector = |s: String| -> Result<Option<Sector>, sqlx::Error> {
        if s.is_empty() { Ok(None) } else { known("sector", &s, Sector::parse).map(Some) }
    };
    rows.iter()
        .map(|r| {
            let status: String = r.try_get("status")?;
            let attendance: String = r.try_get("attendance")?;
            Ok(Fact {
                status: known("status", &status, MeetingStatus::parse)?,
                by_staff: flag(r.try_get("by_staff")?),
                accepted: r.try_get::<Option<i64>, _>("accepted_at")?.is_some(),
                placed: r.try_get::<Option<i64>, _>("starts_at")?.is_some(),
                attendance: if attendance.is_empty() {
                    None
                } else {
                    Some(known("attendance", &attendance, Attendance::parse)?)
                },
                sides: [
                    (r.try_get("a_country")?, sector(r.try_get("a_sector")?)?),
                    (r.try_get("b_country")?, sector(r.try_get("b_sector")?)?),
                ],
            })
        })
        .collect()
}

/// Every outcome recorded for the event's meetings (one per side and code).
pub async fn outcomes(db: &Db, event_id: &str, until: i64) -> Result<Vec<Outcome>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT o.outcomes FROM mm_outcome o JOIN mm_meeting m ON m.id = o.meeting_id
         WHERE m.event_id = $1 AND o.recorded_at <= $2",
    )
    .bind(event_id)
    .bind(until)
    .fetch_all(&db.pool)
    .await?;
    let mut out = vec![];
    for r in rows {
        let codes: String = r.try_get("outcomes")?;
        for c in codes.split(',').filter(|c| !c.is_empty()) {
            out.push(known("outcomes", c, Outcome::parse)?);
        }
    }
    Ok(out)
}
