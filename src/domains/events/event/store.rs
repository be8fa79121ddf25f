use crate::clock::Instant;
use crate::db::{Db, Row, Tx, flag, known, pair};
use crate::domains::events::model::{EventKind, EventStatus, Question, Visibility, WaitlistPolicy};
use crate::i18n::Bilingual;
use crate::time::Span;
use sqlx::Row as _;

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

pub(in crate::domains::events) fn event_from(r: &Row) -> Result<Event, sqlx::Error> {
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
    .bind(crate::links::placeholder(&e.id))
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
    after: &(i64, String),
    limit: i64,
) -> Result<Vec<Event>, sqlx::Error> {
    sqlx::query(
        "SELECT * FROM event WHERE center_id = $1 AND ends_at > $2
         AND ($4 = 0 OR (visibility = 'public' AND status IN ('planned', 'registration_open', 'held', 'reported')))
         AND (starts_at > $5 OR (starts_at = $5 AND id > $6))
         ORDER BY starts_at, id LIMIT $3",
    )
    .bind(center_id)
    .bind(from)
    .bind(limit)
    .bind(i64::from(public_only))
    .bind(after.0)
    .bind(&after.1)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(event_from)
    .collect()
}

/// Events held (or reported) that started in `[from, to)`, and the people
/// checked in at them: (events, attended).
pub async fn held_figures(
    db: &Db,
    center_id: &str,
    from: i64,
    to: i64,
) -> Result<(i64, i64), sqlx::Error> {
    let r = sqlx::query(
        "SELECT COUNT(DISTINCT e.id) AS events,
                CAST(COUNT(p.checked_in_at) AS BIGINT) AS attended
         FROM event e LEFT JOIN participant p ON p.event_id = e.id
         WHERE e.center_id = $1 AND e.status IN ('held', 'reported')
         AND e.starts_at >= $2 AND e.starts_at < $3",
    )
    .bind(center_id)
    .bind(from)
    .bind(to)
    .fetch_one(&db.pool)
    .await?;
    Ok((r.try_get("events")?, r.try_get("attended")?))
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
/// nobody is waiting whose entry is still live at `now` (a newcomer never
/// passes a strict line, and a lapsed entry holds nobody up); the only way
/// seats are taken.
pub async fn take_seats(
    tx: &mut Tx,
    event_id: &str,
    n: i64,
    behind_line: bool,
    now: Instant,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE event SET taken = taken + $2 WHERE id = $1 AND taken + $2 <= capacity
         AND ($3 = 0 OR NOT EXISTS
              (SELECT 1 FROM registration WHERE event_id = $1 AND status = 'waitlisted'
               AND (expires_at IS NULL OR expires_at > $4)))",
    )
    .bind(event_id)
    .bind(n)
    .bind(i64::from(behind_line))
    .bind(now.millis())
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

/// Writes what [`service::update`] may change of an event.
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

pub(in crate::domains::events) fn category_from(r: &Row) -> Result<Category, sqlx::Error> {
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
    crate::seats::take(tx, crate::seats::Pool::EventCategory, category_id, n).await
}

pub async fn release_category(tx: &mut Tx, category_id: &str, n: i64) -> Result<(), sqlx::Error> {
    crate::seats::release(tx, crate::seats::Pool::EventCategory, category_id, n).await
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

/// A JSON column read back whole: unreadable JSON is a decoding error.
pub(in crate::domains::events) fn json_column<T: serde::de::DeserializeOwned>(
    column: &str,
    text: &str,
) -> Result<T, sqlx::Error> {
    serde_json::from_str(text)
        .map_err(|e| sqlx::Error::ColumnDecode { index: column.to_string(), source: Box::new(e) })
}
