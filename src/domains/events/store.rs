//! SQL for events, sessions, ticket categories, registrations, participants
//! and the check-in log. Seats are only ever taken by guarded UPDATEs.

use sqlx::Row as _;

use super::model::{EventKind, EventStatus, Question, RegStatus, Visibility, WaitlistPolicy};
use crate::clock::Instant;
use crate::db::{Db, Row, Tx, flag, known, pair};
use crate::i18n::Bilingual;
use crate::time::Span;

#[derive(Debug, Clone)]
pub struct Event {
    pub id: String,
    pub center_id: String,
    pub reference: String,
    pub kind: EventKind,
    pub title: Bilingual,
    pub summary: Bilingual,
    pub description: Bilingual,
    pub organizers: String,
    pub visibility: Visibility,
    pub invitation_code: String,
    pub languages: Vec<String>,
    pub span: Span,
    pub capacity: i64,
    pub taken: i64,
    pub waitlist: bool,
    pub policy: WaitlistPolicy,
    pub waitlist_hours: i64,
    pub requires_approval: bool,
    pub max_group: i64,
    pub status: EventStatus,
    pub status_reason: String,
    pub form: Vec<Question>,
    pub retention_until: String,
    pub created_at: i64,
}

fn event_from(r: &Row) -> Result<Event, sqlx::Error> {
    let s = |c: &str| -> Result<String, sqlx::Error> { r.try_get(c) };
    let languages = s("languages")?;
    Ok(Event {
        id: s("id")?,
        center_id: s("center_id")?,
        reference: s("reference")?,
        kind: known("kind", &s("kind")?, EventKind::parse)?,
        title: pair(r, "title_zh", "title_en")?,
        summary: pair(r, "summary_zh", "summary_en")?,
        description: pair(r, "description_zh", "description_en")?,
        organizers: s("organizers")?,
        visibility: known("visibility", &s("visibility")?, Visibility::parse)?,
        invitation_code: s("invitation_code")?,
        languages: languages.split(',').filter(|l| !l.is_empty()).map(str::to_string).collect(),
        span: Span::new(r.try_get("starts_at")?, r.try_get("ends_at")?),
        capacity: r.try_get("capacity")?,
        taken: r.try_get("taken")?,
        waitlist: flag(r.try_get("waitlist")?),
        policy: known("waitlist_policy", &s("waitlist_policy")?, WaitlistPolicy::parse)?,
        waitlist_hours: r.try_get("waitlist_hours")?,
        requires_approval: flag(r.try_get("requires_approval")?),
        max_group: r.try_get("max_group")?,
        status: known("status", &s("status")?, EventStatus::parse)?,
        status_reason: s("status_reason")?,
        form: json_column("form", &s("form")?)?,
        retention_until: s("retention_until")?,
        created_at: r.try_get("created_at")?,
    })
}

pub async fn insert_event(tx: &mut Tx, e: &Event, by: Option<&str>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO event (id, center_id, reference, kind, title_zh, title_en, summary_zh, summary_en, description_zh,
         description_en, organizers, visibility, invitation_code, languages, starts_at, ends_at, capacity, taken,
         waitlist, waitlist_policy, waitlist_hours, requires_approval, max_group, status, form, retention_until,
         created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 0, $18, $19, $20, $21,
                 $22, $23, $24, $25, $26, $27, $27)",
    )
    .bind(&e.id)
    .bind(&e.center_id)
    .bind(&e.reference)
    .bind(e.kind.code())
    .bind(&e.title.zh)
    .bind(&e.title.en)
    .bind(&e.summary.zh)
    .bind(&e.summary.en)
    .bind(&e.description.zh)
    .bind(&e.description.en)
    .bind(&e.organizers)
    .bind(e.visibility.code())
    .bind(&e.invitation_code)
    .bind(e.languages.join(","))
    .bind(e.span.start)
    .bind(e.span.end)
    .bind(e.capacity)
    .bind(i64::from(e.waitlist))
    .bind(e.policy.code())
    .bind(e.waitlist_hours)
    .bind(i64::from(e.requires_approval))
    .bind(e.max_group)
    .bind(e.status.code())
    .bind(serde_json::to_string(&e.form).unwrap_or_else(|_| "[]".into()))
    .bind(&e.retention_until)
    .bind(by)
    .bind(e.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn event(db: &Db, id: &str) -> Result<Option<Event>, sqlx::Error> {
    sqlx::query("SELECT * FROM event WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .as_ref()
        .map(event_from)
        .transpose()
}

pub async fn event_tx(tx: &mut Tx, id: &str) -> Result<Option<Event>, sqlx::Error> {
    sqlx::query("SELECT * FROM event WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .as_ref()
        .map(event_from)
        .transpose()
}

/// Events of a center ending after `from`, soonest first; `public_only`
/// keeps those the public may see (public, not cancelled).
pub async fn events(
    db: &Db,
    center_id: &str,
    from: i64,
    public_only: bool,
    limit: i64,
) -> Result<Vec<Event>, sqlx::Error> {
    let rows = if public_only {
        sqlx::query(
            "SELECT * FROM event WHERE center_id = $1 AND ends_at > $2 AND visibility = 'public'
             AND status IN ('planned', 'registration_open', 'held', 'reported') ORDER BY starts_at, id LIMIT $3",
        )
        .bind(center_id)
        .bind(from)
        .bind(limit)
        .fetch_all(&db.pool)
        .await?
    } else {
        sqlx::query("SELECT * FROM event WHERE center_id = $1 AND ends_at > $2 ORDER BY starts_at, id LIMIT $3")
            .bind(center_id)
            .bind(from)
            .bind(limit)
            .fetch_all(&db.pool)
            .await?
    };
    rows.iter().map(event_from).collect()
}

pub async fn set_status(
    tx: &mut Tx,
    id: &str,
    from: EventStatus,
    to: EventStatus,
    reason: &str,
    now: Instant,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE event SET status = $3, status_reason = $4, updated_at = $5 WHERE id = $1 AND status = $2",
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

/// Takes `n` seats of the event if they are free and, when `behind_line`,
/// nobody is waiting (a newcomer never passes a strict line); the only way
/// seats are taken.
pub async fn take_seats(
    tx: &mut Tx,
    event_id: &str,
    n: i64,
    behind_line: bool,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE event SET taken = taken + $2 WHERE id = $1 AND taken + $2 <= capacity
         AND ($3 = 0 OR NOT EXISTS
              (SELECT 1 FROM registration WHERE event_id = $1 AND status = 'waitlisted'))",
    )
    .bind(event_id)
    .bind(n)
    .bind(i64::from(behind_line))
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn release_seats(tx: &mut Tx, event_id: &str, n: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE event SET taken = taken - $2 WHERE id = $1")
        .bind(event_id)
        .bind(n)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Writes what [`super::service::update`] may change of an event.
pub async fn update_details(tx: &mut Tx, e: &Event, now: Instant) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE event SET title_zh = $2, title_en = $3, summary_zh = $4, summary_en = $5,
         description_zh = $6, description_en = $7, organizers = $8, visibility = $9, languages = $10,
         waitlist = $11, waitlist_policy = $12, waitlist_hours = $13, requires_approval = $14,
         max_group = $15, updated_at = $16
         WHERE id = $1",
    )
    .bind(&e.id)
    .bind(&e.title.zh)
    .bind(&e.title.en)
    .bind(&e.summary.zh)
    .bind(&e.summary.en)
    .bind(&e.description.zh)
    .bind(&e.description.en)
    .bind(&e.organizers)
    .bind(e.visibility.code())
    .bind(e.languages.join(","))
    .bind(i64::from(e.waitlist))
    .bind(e.policy.code())
    .bind(e.waitlist_hours)
    .bind(i64::from(e.requires_approval))
    .bind(e.max_group)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Changes the capacity; false when seats already taken exceed it.
pub async fn set_capacity(
    tx: &mut Tx,
    event_id: &str,
    capacity: i64,
    now: Instant,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE event SET capacity = $2, updated_at = $3 WHERE id = $1 AND taken <= $2",
    )
    .bind(event_id)
    .bind(capacity)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, Clone)]
pub struct Category {
    pub id: String,
    pub event_id: String,
    pub code: String,
    pub name: Bilingual,
    pub quota: Option<i64>,
    pub taken: i64,
    pub position: i64,
}

fn category_from(r: &Row) -> Result<Category, sqlx::Error> {
    Ok(Category {
        id: r.try_get("id")?,
        event_id: r.try_get("event_id")?,
        code: r.try_get("code")?,
        name: pair(r, "name_zh", "name_en")?,
        quota: r.try_get("quota")?,
        taken: r.try_get("taken")?,
        position: r.try_get("position")?,
    })
}

pub async fn insert_category(tx: &mut Tx, c: &Category) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO ticket_category (id, event_id, code, name_zh, name_en, quota, taken, position)
         VALUES ($1, $2, $3, $4, $5, $6, 0, $7)",
    )
    .bind(&c.id)
    .bind(&c.event_id)
    .bind(&c.code)
    .bind(&c.name.zh)
    .bind(&c.name.en)
    .bind(c.quota)
    .bind(c.position)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn categories<'c, E>(ex: E, event_id: &str) -> Result<Vec<Category>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query("SELECT * FROM ticket_category WHERE event_id = $1 ORDER BY position, code")
        .bind(event_id)
        .fetch_all(ex)
        .await?
        .iter()
        .map(category_from)
        .collect()
}

/// Takes `n` seats of a category if its quota allows.
pub async fn take_category(tx: &mut Tx, category_id: &str, n: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE ticket_category SET taken = taken + $2 WHERE id = $1 AND (quota IS NULL OR taken + $2 <= quota)",
    )
    .bind(category_id)
    .bind(n)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn release_category(tx: &mut Tx, category_id: &str, n: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE ticket_category SET taken = taken - $2 WHERE id = $1")
        .bind(category_id)
        .bind(n)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct Session {
    pub id: String,
    pub position: i64,
    pub title: Bilingual,
    pub span: Span,
    pub room_id: Option<String>,
    pub booking_id: Option<String>,
}

pub async fn insert_session(
    tx: &mut Tx,
    event_id: &str,
    s: &Session,
    now: Instant,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO event_session (id, event_id, position, title_zh, title_en, starts_at, ends_at, room_id, booking_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&s.id)
    .bind(event_id)
    .bind(s.position)
    .bind(&s.title.zh)
    .bind(&s.title.en)
    .bind(s.span.start)
    .bind(s.span.end)
    .bind(&s.room_id)
    .bind(&s.booking_id)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn sessions(db: &Db, event_id: &str) -> Result<Vec<Session>, sqlx::Error> {
    sqlx::query("SELECT * FROM event_session WHERE event_id = $1 ORDER BY starts_at, position")
        .bind(event_id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(Session {
                id: r.try_get("id")?,
                position: r.try_get("position")?,
                title: pair(r, "title_zh", "title_en")?,
                span: Span::new(r.try_get("starts_at")?, r.try_get("ends_at")?),
                room_id: r.try_get("room_id")?,
                booking_id: r.try_get("booking_id")?,
            })
        })
        .collect()
}

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
    pub manage_token: String,
    pub waiting_since: Option<i64>,
    pub expires_at: Option<i64>,
    pub created_at: i64,
}

fn registration_from(r: &Row) -> Result<Registration, sqlx::Error> {
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
        manage_token: r.try_get("manage_token")?,
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
    .bind(&g.manage_token)
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

pub async fn registration_by_token(
    db: &Db,
    token: &str,
) -> Result<Option<Registration>, sqlx::Error> {
    sqlx::query("SELECT * FROM registration WHERE manage_token = $1")
        .bind(token)
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

/// Whether anyone is waiting for this event, in the write turn.
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

fn participant_from(r: &Row) -> Result<Participant, sqlx::Error> {
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

/// A JSON column read back whole: unreadable JSON is a decoding error.
fn json_column<T: serde::de::DeserializeOwned>(column: &str, text: &str) -> Result<T, sqlx::Error> {
    serde_json::from_str(text)
        .map_err(|e| sqlx::Error::ColumnDecode { index: column.to_string(), source: Box::new(e) })
}
