use crate::clock::Instant;
use crate::db::{Db, Row, Tx, known};
use crate::domains::events::event::store::*;
use crate::domains::events::model::RegStatus;
use sqlx::Row as _;

#[derive(Debug, Clone)]
pub struct Registration {
    pub id: String,
    pub event_id: String,
    pub center_id: String,
    pub reference: String,
    pub status: RegStatus,
    pub status_reason: String,
    pub seats: i64,
    pub contact_name: String,
    pub contact_email: String,
    pub answers: serde_json::Map<String, serde_json::Value>,
    pub lang: String,
    /// The secret of a ticket link in hand: just made (registration, e-mail)
    /// or presented by its holder. Empty when read from the database, which
    /// keeps only its hash (`links`).
    pub link: String,
    pub waiting_since: Option<i64>,
    pub expires_at: Option<i64>,
    pub created_at: i64,
}

pub(in crate::domains::events) fn registration_from(r: &Row) -> Result<Registration, sqlx::Error> {
    let status: String = r.try_get("status")?;
    let answers: String = r.try_get("answers")?;
    Ok(Registration {
        id: r.try_get("id")?,
        event_id: r.try_get("event_id")?,
        center_id: r.try_get("center_id")?,
        reference: r.try_get("reference")?,
        status: known("status", &status, RegStatus::parse)?,
        status_reason: r.try_get("status_reason")?,
        seats: r.try_get("seats")?,
        contact_name: r.try_get("contact_name")?,
        contact_email: r.try_get("contact_email")?,
        answers: json_column("answers", &answers)?,
        lang: r.try_get("lang")?,
        link: String::new(),
        waiting_since: r.try_get("waiting_since")?,
        expires_at: r.try_get("expires_at")?,
        created_at: r.try_get("created_at")?,
    })
}

pub async fn insert_registration(
    tx: &mut Tx,
    g: &Registration,
    consent_at: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO registration (id, event_id, center_id, reference, status, seats, contact_name, contact_email,
         answers, lang, consent_at, manage_token, waiting_since, expires_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)",
    )
    .bind(&g.id)
    .bind(&g.event_id)
    .bind(&g.center_id)
    .bind(&g.reference)
    .bind(g.status.code())
    .bind(g.seats)
    .bind(&g.contact_name)
    .bind(&g.contact_email)
    .bind(serde_json::Value::Object(g.answers.clone()).to_string())
    .bind(&g.lang)
    .bind(consent_at)
    .bind(crate::links::placeholder(&g.id))
    .bind(g.waiting_since)
    .bind(g.expires_at)
    .bind(g.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn registration(db: &Db, id: &str) -> Result<Option<Registration>, sqlx::Error> {
    sqlx::query("SELECT * FROM registration WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .as_ref()
        .map(registration_from)
        .transpose()
}

/// Registrations of an event, oldest first.
pub async fn registrations(db: &Db, event_id: &str) -> Result<Vec<Registration>, sqlx::Error> {
    sqlx::query("SELECT * FROM registration WHERE event_id = $1 ORDER BY created_at, id")
        .bind(event_id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(registration_from)
        .collect()
}

/// A page of an event's registrations by (created_at, id) after `after`,
/// with the people of those registrations (one query each).
pub async fn registrations_page(
    db: &Db,
    event_id: &str,
    after: &(i64, String),
    limit: i64,
) -> Result<(Vec<Registration>, Vec<Participant>), sqlx::Error> {
    let regs = sqlx::query(
        "SELECT * FROM registration WHERE event_id = $1 AND (created_at > $2 OR (created_at = $2 AND id > $3))
         ORDER BY created_at, id LIMIT $4",
    )
    .bind(event_id)
    .bind(after.0)
    .bind(&after.1)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(registration_from)
    .collect::<Result<Vec<_>, _>>()?;
    let people = sqlx::query(
        "SELECT * FROM participant WHERE registration_id IN (
            SELECT id FROM registration WHERE event_id = $1 AND (created_at > $2 OR (created_at = $2 AND id > $3))
            ORDER BY created_at, id LIMIT $4)
         ORDER BY registration_id, position",
    )
    .bind(event_id)
    .bind(after.0)
    .bind(&after.1)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(participant_from)
    .collect::<Result<Vec<_>, _>>()?;
    Ok((regs, people))
}

/// A page of an event's valid tickets (confirmed registrations), by
/// participant id after `after_id`.
pub async fn tickets_page(
    db: &Db,
    event_id: &str,
    after_id: &str,
    limit: i64,
) -> Result<Vec<Participant>, sqlx::Error> {
    sqlx::query(
        "SELECT p.* FROM participant p JOIN registration r ON r.id = p.registration_id
         WHERE p.event_id = $1 AND r.status = 'confirmed' AND p.ticket_code IS NOT NULL AND p.id > $2
         ORDER BY p.id LIMIT $3",
    )
    .bind(event_id)
    .bind(after_id)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(participant_from)
    .collect()
}

/// The waiting line of an event, in order, in the write turn.
pub async fn waiting_tx(tx: &mut Tx, event_id: &str) -> Result<Vec<Registration>, sqlx::Error> {
    sqlx::query(
        "SELECT * FROM registration WHERE event_id = $1 AND status = 'waitlisted' ORDER BY waiting_since, id",
    )
    .bind(event_id)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(registration_from)
    .collect()
}

/// Whether a waiting entry of this event has lapsed and still stands in the
/// line, in the write turn.
pub async fn has_lapsed(tx: &mut Tx, event_id: &str, now: i64) -> Result<bool, sqlx::Error> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM registration
         WHERE event_id = $1 AND status = 'waitlisted' AND expires_at <= $2",
    )
    .bind(event_id)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.try_get::<i64, _>("n")? > 0)
}

/// Live registrations of an event (for cancelling it), in the write turn.
pub async fn live_tx(tx: &mut Tx, event_id: &str) -> Result<Vec<Registration>, sqlx::Error> {
    sqlx::query(
        "SELECT * FROM registration WHERE event_id = $1 AND status IN ('confirmed', 'pending', 'waitlisted') ORDER BY created_at, id",
    )
    .bind(event_id)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(registration_from)
    .collect()
}

pub async fn set_registration_status(
    tx: &mut Tx,
    id: &str,
    from: RegStatus,
    to: RegStatus,
    reason: &str,
    now: Instant,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE registration SET status = $3, status_reason = $4, updated_at = $5 WHERE id = $1 AND status = $2",
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

#[derive(Debug, Clone)]
pub struct Participant {
    pub id: String,
    pub registration_id: String,
    pub event_id: String,
    pub position: i64,
    pub name: String,
    pub email: String,
    pub category_id: String,
    pub country: String,
    pub ticket_code: Option<String>,
    pub checked_in_at: Option<i64>,
    pub checked_in_device: String,
}

pub(in crate::domains::events) fn participant_from(r: &Row) -> Result<Participant, sqlx::Error> {
    Ok(Participant {
        id: r.try_get("id")?,
        registration_id: r.try_get("registration_id")?,
        event_id: r.try_get("event_id")?,
        position: r.try_get("position")?,
        name: r.try_get("name")?,
        email: r.try_get("email")?,
        category_id: r.try_get("category_id")?,
        country: r.try_get("country")?,
        ticket_code: r.try_get("ticket_code")?,
        checked_in_at: r.try_get("checked_in_at")?,
        checked_in_device: r.try_get("checked_in_device")?,
    })
}

pub async fn insert_participant(
    tx: &mut Tx,
    p: &Participant,
    now: Instant,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO participant (id, registration_id, event_id, position, name, email, category_id, country,
         ticket_code, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
    )
    .bind(&p.id)
    .bind(&p.registration_id)
    .bind(&p.event_id)
    .bind(p.position)
    .bind(&p.name)
    .bind(&p.email)
    .bind(&p.category_id)
    .bind(&p.country)
    .bind(&p.ticket_code)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn participants<'c, E>(
    ex: E,
    registration_id: &str,
) -> Result<Vec<Participant>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query("SELECT * FROM participant WHERE registration_id = $1 ORDER BY position")
        .bind(registration_id)
        .fetch_all(ex)
        .await?
        .iter()
        .map(participant_from)
        .collect()
}

/// One participant.
pub async fn participant(db: &Db, id: &str) -> Result<Option<Participant>, sqlx::Error> {
    sqlx::query("SELECT * FROM participant WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .map(|r| participant_from(&r))
        .transpose()
}

/// Every participant of an event (confirmed or not), by name.
pub async fn event_participants(db: &Db, event_id: &str) -> Result<Vec<Participant>, sqlx::Error> {
    sqlx::query("SELECT * FROM participant WHERE event_id = $1 ORDER BY name, id")
        .bind(event_id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(participant_from)
        .collect()
}

pub async fn set_ticket(
    tx: &mut Tx,
    participant_id: &str,
    code: &str,
    now: Instant,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE participant SET ticket_code = $2, updated_at = $3 WHERE id = $1 AND ticket_code IS NULL")
        .bind(participant_id)
        .bind(code)
        .bind(now.millis())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Names (or renames) a participant of a registration.
pub async fn name_participant(
    tx: &mut Tx,
    registration_id: &str,
    participant_id: &str,
    name: &str,
    email: &str,
    now: Instant,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE participant SET name = $3, email = $4, updated_at = $5 WHERE id = $2 AND registration_id = $1",
    )
    .bind(registration_id)
    .bind(participant_id)
    .bind(name)
    .bind(email)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Events whose registrants' data is past its retention date: (id, center).
pub async fn due_for_purge(db: &Db, today: &str) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query(
        "SELECT id, center_id FROM event WHERE retention_until <> '' AND retention_until < $1 AND purged_at IS NULL",
    )
    .bind(today)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| Ok((r.try_get("id")?, r.try_get("center_id")?)))
    .collect()
}

/// Removes registrants' names, e-mails and answers; categories, countries
/// and check-in times stay, so the event's figures remain.
pub async fn purge(tx: &mut Tx, event_id: &str, now: Instant) -> Result<u64, sqlx::Error> {
    let people = sqlx::query(
        "UPDATE participant SET name = '', email = '', updated_at = $2 WHERE event_id = $1",
    )
    .bind(event_id)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE registration SET contact_name = '', contact_email = '', answers = '{}', updated_at = $2 WHERE event_id = $1",
    )
    .bind(event_id)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE event SET purged_at = $2 WHERE id = $1")
        .bind(event_id)
        .bind(now.millis())
        .execute(&mut **tx)
        .await?;
    Ok(people.rows_affected())
}
