use crate::clock::Instant;
use crate::db::{Db, Tx, known};
use crate::domains::events::model::RegStatus;
use crate::domains::events::registration::store::*;
use sqlx::Row as _;

pub async fn by_code(db: &Db, code: &str) -> Result<Option<Participant>, sqlx::Error> {
    sqlx::query("SELECT * FROM participant WHERE ticket_code = $1")
        .bind(code)
        .fetch_optional(&db.pool)
        .await?
        .as_ref()
        .map(participant_from)
        .transpose()
}

/// What the door needs to know of a ticket, in one read: the participant,
/// their registration's status, the event's center and the category's name.
pub struct AtDoor {
    pub participant: Participant,
    pub status: RegStatus,
    pub center_id: String,
    pub category: crate::i18n::Bilingual,
}

pub async fn at_door(db: &Db, code: &str) -> Result<Option<AtDoor>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT p.*, r.status AS registration_status, e.center_id AS event_center_id,
                COALESCE(c.name_zh, '') AS category_zh, COALESCE(c.name_en, '') AS category_en
         FROM participant p
         JOIN registration r ON r.id = p.registration_id
         JOIN event e ON e.id = p.event_id
         LEFT JOIN ticket_category c ON c.id = p.category_id
         WHERE p.ticket_code = $1",
    )
    .bind(code)
    .fetch_optional(&db.pool)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let status: String = r.try_get("registration_status")?;
    Ok(Some(AtDoor {
        participant: participant_from(&r)?,
        status: known("status", &status, RegStatus::parse)?,
        center_id: r.try_get("event_center_id")?,
        category: crate::db::pair(&r, "category_zh", "category_en")?,
    }))
}

/// Checks a ticket in if it is not yet; false when it already was. The
/// guarded UPDATE is what makes a double check-in impossible.
pub async fn check_in(
    conn: &mut sqlx::AnyConnection,
    participant_id: &str,
    at: i64,
    by: &str,
    device: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE participant SET checked_in_at = $2, checked_in_by = $3, checked_in_device = $4, updated_at = $2
         WHERE id = $1 AND checked_in_at IS NULL",
    )
    .bind(participant_id)
    .bind(at)
    .bind(by)
    .bind(device)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// When, by whom and on which device a participant was checked in.
pub async fn check_in_record(
    tx: &mut Tx,
    participant_id: &str,
) -> Result<Option<(i64, String, String)>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT checked_in_at, COALESCE(checked_in_by, '') AS by_user, checked_in_device
         FROM participant WHERE id = $1 AND checked_in_at IS NOT NULL",
    )
    .bind(participant_id)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|r| {
        Ok((r.try_get("checked_in_at")?, r.try_get("by_user")?, r.try_get("checked_in_device")?))
    })
    .transpose()
}

/// Takes a check-in back if it happened after `since`.
pub async fn undo_check_in(
    tx: &mut Tx,
    participant_id: &str,
    since: i64,
    now: Instant,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE participant SET checked_in_at = NULL, checked_in_by = NULL, checked_in_device = '', updated_at = $3
         WHERE id = $1 AND checked_in_at IS NOT NULL AND checked_in_at >= $2",
    )
    .bind(participant_id)
    .bind(since)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One line of the check-in log: what did not change a participant's
/// check-in (a duplicate) or took it back (an undo, logged with the
/// check-in it undid). A standing check-in is on the participant row.
pub struct CheckinLog<'a> {
    pub event_id: &'a str,
    pub participant_id: &'a str,
    /// checkin, undo, duplicate
    pub action: &'a str,
    pub device: &'a str,
    pub by: &'a str,
    /// When it happened on the device.
    pub at: i64,
}

pub async fn log_checkin(
    conn: &mut sqlx::AnyConnection,
    l: &CheckinLog<'_>,
    now: Instant,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO checkin_log (id, event_id, participant_id, action, device, by_user, at, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(crate::db::new_id())
    .bind(l.event_id)
    .bind(l.participant_id)
    .bind(l.action)
    .bind(l.device)
    .bind(l.by)
    .bind(l.at)
    .bind(now.millis())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// An event's people counted by (registration status, category, country,
/// checked in): the attendance figures in one aggregate query.
pub async fn attendance_counts(
    db: &Db,
    event_id: &str,
) -> Result<Vec<(String, String, String, bool, i64)>, sqlx::Error> {
    sqlx::query(
        "SELECT r.status AS status, p.category_id AS category_id, p.country AS country,
                CASE WHEN p.checked_in_at IS NULL THEN 0 ELSE 1 END AS checked, COUNT(*) AS n
         FROM participant p JOIN registration r ON r.id = p.registration_id
         WHERE p.event_id = $1
         GROUP BY r.status, p.category_id, p.country, CASE WHEN p.checked_in_at IS NULL THEN 0 ELSE 1 END",
    )
    .bind(event_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        Ok((
            r.try_get("status")?,
            r.try_get("category_id")?,
            r.try_get("country")?,
            r.try_get::<i64, _>("checked")? == 1,
            r.try_get("n")?,
        ))
    })
    .collect()
}
