//! SQL for reservations.

use sqlx::Row as _;

use crate::db::{Db, Row, Tx, flag, known};
use crate::domains::hall::model::{Kind, Status};

#[derive(Debug, Clone)]
pub struct Reservation {
    pub id: String,
    pub center_id: String,
    pub reference: String,
    pub slot_id: String,
    pub day: String,
    pub starts_at: i64,
    pub kind: Kind,
    pub status: Status,
    pub status_reason: String,
    pub people: i64,
    pub admitted: i64,
    pub organisation: String,
    pub contact_name: String,
    pub phone: String,
    pub email: String,
    pub contact_key: String,
    pub members: String,
    pub tour: bool,
    pub tour_lang: String,
    pub origin: String,
    pub id_type: String,
    pub id_sealed: String,
    pub id_digest: String,
    pub id_masked: String,
    pub lang: String,
    pub retention_until: String,
    pub ticket_code: String,
    pub admitted_at: Option<i64>,
    pub admitted_device: String,
    pub recorded: bool,
    pub created_at: i64,
    pub purged: bool,
}

fn from_row(r: &Row) -> Result<Reservation, sqlx::Error> {
    let kind: String = r.try_get("kind")?;
    let status: String = r.try_get("status")?;
    Ok(Reservation {
        id: r.try_get("id")?,
        center_id: r.try_get("center_id")?,
        reference: r.try_get("reference")?,
        slot_id: r.try_get("slot_id")?,
        day: r.try_get("day")?,
        starts_at: r.try_get("starts_at")?,
        kind: known("kind", &kind, Kind::parse)?,
        status: known("status", &status, Status::parse)?,
        status_reason: r.try_get("status_reason")?,
        people: r.try_get("people")?,
        admitted: r.try_get("admitted")?,
        organisation: r.try_get("organisation")?,
        contact_name: r.try_get("contact_name")?,
        phone: r.try_get("phone")?,
        email: r.try_get("email")?,
        contact_key: r.try_get("contact_key")?,
        members: r.try_get("members")?,
        tour: flag(r.try_get("tour")?),
        tour_lang: r.try_get("tour_lang")?,
        origin: r.try_get("origin")?,
        id_type: r.try_get("id_type")?,
        id_sealed: r.try_get("id_sealed")?,
        id_digest: r.try_get("id_digest")?,
        id_masked: r.try_get("id_masked")?,
        lang: r.try_get("lang")?,
        retention_until: r.try_get("retention_until")?,
        ticket_code: r.try_get("ticket_code")?,
        admitted_at: r.try_get("admitted_at")?,
        admitted_device: r.try_get("admitted_device")?,
        recorded: flag(r.try_get("recorded")?),
        created_at: r.try_get("created_at")?,
        purged: r.try_get::<Option<i64>, _>("purged_at")?.is_some(),
    })
}

pub async fn insert(
    tx: &mut Tx,
    r: &Reservation,
    consent_at: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO hall_reservation (id, center_id, reference, slot_id, day, starts_at, kind, status,
            status_reason, people, admitted, organisation, contact_name, phone, email, contact_key, members,
            tour, tour_lang, origin, id_type, id_sealed, id_digest, id_masked, lang, consent_at,
            retention_until, ticket_code, admitted_at, admitted_device, recorded, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
            $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $32)",
    )
    .bind(&r.id)
    .bind(&r.center_id)
    .bind(&r.reference)
    .bind(&r.slot_id)
    .bind(&r.day)
    .bind(r.starts_at)
    .bind(r.kind.code())
    .bind(r.status.code())
    .bind(&r.status_reason)
    .bind(r.people)
    .bind(r.admitted)
    .bind(&r.organisation)
    .bind(&r.contact_name)
    .bind(&r.phone)
    .bind(&r.email)
    .bind(&r.contact_key)
    .bind(&r.members)
    .bind(i64::from(r.tour))
    .bind(&r.tour_lang)
    .bind(&r.origin)
    .bind(&r.id_type)
    .bind(&r.id_sealed)
    .bind(&r.id_digest)
    .bind(&r.id_masked)
    .bind(&r.lang)
    .bind(consent_at)
    .bind(&r.retention_until)
    .bind(&r.ticket_code)
    .bind(r.admitted_at)
    .bind(&r.admitted_device)
    .bind(i64::from(r.recorded))
    .bind(r.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn get(
    conn: &mut sqlx::AnyConnection,
    id: &str,
) -> Result<Option<Reservation>, sqlx::Error> {
    sqlx::query("SELECT * FROM hall_reservation WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

pub async fn by_id(db: &Db, id: &str) -> Result<Option<Reservation>, sqlx::Error> {
    let mut conn = db.pool.acquire().await?;
    get(&mut conn, id).await
}

pub async fn by_code(
    conn: &mut sqlx::AnyConnection,
    code: &str,
) -> Result<Option<Reservation>, sqlx::Error> {
    sqlx::query("SELECT * FROM hall_reservation WHERE ticket_code = $1")
        .bind(code)
        .fetch_optional(&mut *conn)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// A day's reservations in slot order, then by reference.
pub async fn on_day(db: &Db, center_id: &str, day: &str) -> Result<Vec<Reservation>, sqlx::Error> {
    sqlx::query(
        "SELECT * FROM hall_reservation WHERE center_id = $1 AND day = $2 ORDER BY starts_at, reference",
    )
    .bind(center_id)
    .bind(day)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// A page of reservations with slots in `[from, to)`, after `(starts_at, id)`.
pub async fn page(
    db: &Db,
    center_id: &str,
    from: i64,
    to: i64,
    after: (i64, &str),
    limit: i64,
) -> Result<Vec<Reservation>, sqlx::Error> {
    sqlx::query(
        "SELECT * FROM hall_reservation WHERE center_id = $1 AND starts_at >= $2 AND starts_at < $3
           AND (starts_at > $4 OR (starts_at = $4 AND id > $5))
         ORDER BY starts_at, id LIMIT $6",
    )
    .bind(center_id)
    .bind(from)
    .bind(to)
    .bind(after.0)
    .bind(after.1)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// Live reservations with slots from `from` on (for the list of those a
/// new calendar has no place for).
pub async fn coming(
    db: &Db,
    center_id: &str,
    from: i64,
    limit: i64,
) -> Result<Vec<Reservation>, sqlx::Error> {
    sqlx::query(
        "SELECT * FROM hall_reservation WHERE center_id = $1 AND status = 'confirmed' AND starts_at >= $2
         ORDER BY starts_at, id LIMIT $3",
    )
    .bind(center_id)
    .bind(from)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// One of a holder's reservations, as the daily allowance and the strikes
/// read it.
pub struct Held {
    pub id: String,
    pub day: String,
    pub status: String,
    pub starts_at: i64,
    pub people: i64,
}

/// The reservations of one contact, and of one document when given (each
/// read through its own index), on days from `since`.
pub async fn held_since(
    tx: &mut Tx,
    center_id: &str,
    contact_key: &str,
    id_digest: &str,
    since: &str,
) -> Result<Vec<Held>, sqlx::Error> {
    let mut out: Vec<Held> = vec![];
    for (sql, key) in [
        (
            "SELECT id, day, status, starts_at, people FROM hall_reservation
             WHERE center_id = $1 AND contact_key = $2 AND day >= $3",
            contact_key,
        ),
        (
            "SELECT id, day, status, starts_at, people FROM hall_reservation
             WHERE center_id = $1 AND id_digest = $2 AND day >= $3",
            id_digest,
        ),
    ] {
        if key.is_empty() {
            continue;
        }
        for r in sqlx::query(sql).bind(center_id).bind(key).bind(since).fetch_all(&mut **tx).await?
        {
            let id: String = r.try_get("id")?;
            if !out.iter().any(|h| h.id == id) {
                out.push(Held {
                    id,
                    day: r.try_get("day")?,
                    status: r.try_get("status")?,
                    starts_at: r.try_get("starts_at")?,
                    people: r.try_get("people")?,
                });
            }
        }
    }
    Ok(out)
}

/// Moves a live reservation from one status to another; false if it was not in `from`.
pub async fn set_status(
    tx: &mut Tx,
    id: &str,
    from: Status,
    to: Status,
    reason: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE hall_reservation SET status = $3, status_reason = $4, updated_at = $5 WHERE id = $1 AND status = $2",
    )
    .bind(id)
    .bind(from.code())
    .bind(to.code())
    .bind(reason)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Lowers a live reservation's head count from `from`; false when it is no
/// longer live with that count (changed meanwhile): nothing is released then.
pub async fn set_people(
    tx: &mut Tx,
    id: &str,
    from: i64,
    people: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE hall_reservation SET people = $3, updated_at = $4 WHERE id = $1 AND status = 'confirmed' AND people = $2",
    )
    .bind(id)
    .bind(from)
    .bind(people)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves a live reservation from the slot it holds (with the people it
/// holds) to another; false when it changed meanwhile.
pub async fn set_slot(
    tx: &mut Tx,
    r: &Reservation,
    slot_id: &str,
    day: &str,
    starts_at: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE hall_reservation SET slot_id = $2, day = $3, starts_at = $4, reminded_at = NULL, updated_at = $5
         WHERE id = $1 AND status = 'confirmed' AND slot_id = $6 AND people = $7",
    )
    .bind(&r.id)
    .bind(slot_id)
    .bind(day)
    .bind(starts_at)
    .bind(now)
    .bind(&r.slot_id)
    .bind(r.people)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Admits a reservation with the heads that came, if it is still as read
/// (`r`: confirmed or marked a no-show, in its slot, with its people);
/// false otherwise (admitted meanwhile, cancelled, changed). The guarded
/// UPDATE is what makes a double admission impossible.
pub async fn admit(
    conn: &mut sqlx::AnyConnection,
    r: &Reservation,
    heads: i64,
    at: i64,
    by: &str,
    device: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE hall_reservation SET status = 'admitted', admitted = $2, admitted_at = $3, admitted_by = $4,
            admitted_device = $5, updated_at = $3
         WHERE id = $1 AND status = $6 AND slot_id = $7 AND people = $8",
    )
    .bind(&r.id)
    .bind(heads)
    .bind(at)
    .bind(by)
    .bind(device)
    .bind(r.status.code())
    .bind(&r.slot_id)
    .bind(r.people)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks as no-shows the confirmed reservations whose arrival window closed
/// before `closed_before` (slot start + the window's end); returns their count.
pub async fn mark_no_shows(
    tx: &mut Tx,
    center_id: &str,
    starts_before: i64,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE hall_reservation SET status = 'no_show', updated_at = $3
         WHERE center_id = $1 AND status = 'confirmed' AND starts_at < $2",
    )
    .bind(center_id)
    .bind(starts_before)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// Confirmed reservations starting in `[from, to)` not yet reminded.
pub async fn due_reminders(db: &Db, from: i64, to: i64) -> Result<Vec<Reservation>, sqlx::Error> {
    sqlx::query(
        "SELECT * FROM hall_reservation WHERE status = 'confirmed' AND reminded_at IS NULL
           AND starts_at >= $1 AND starts_at < $2 ORDER BY starts_at LIMIT 500",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

pub async fn set_reminded(tx: &mut Tx, id: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE hall_reservation SET reminded_at = $2 WHERE id = $1 AND reminded_at IS NULL",
    )
    .bind(id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Reservations whose personal data is due (retention date before `today`).
pub async fn due_for_purge(db: &Db, today: &str) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query(
        "SELECT id, center_id FROM hall_reservation WHERE purged_at IS NULL AND retention_until <> '' AND retention_until < $1
         LIMIT 1000",
    )
    .bind(today)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| Ok((r.try_get("id")?, r.try_get("center_id")?)))
    .collect()
}

/// Forgets who a reservation was for; the counts (kind, people, origin,
/// admitted heads) stay for the figures.
pub async fn purge(tx: &mut Tx, id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE hall_reservation SET organisation = '', contact_name = '', phone = '', email = '', contact_key = '',
            members = '', id_sealed = '', id_digest = '', id_masked = '', status_reason = '', purged_at = $2, updated_at = $2
         WHERE id = $1",
    )
    .bind(id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Centers with a hall (for the jobs that run over every hall).
pub async fn hall_centers(db: &Db) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query("SELECT center_id FROM hall ORDER BY center_id")
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| r.try_get("center_id"))
        .collect()
}

/// Asks to be told when `people` places free up in a slot (one ask per
/// address and slot: asking again updates it).
pub struct Watch<'a> {
    pub center_id: &'a str,
    pub starts_at: i64,
    pub slot_key: &'a str,
    pub email: &'a str,
    pub people: i64,
    pub lang: &'a str,
}

pub async fn watch(tx: &mut Tx, w: &Watch<'_>, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO hall_watch (id, center_id, starts_at, slot_key, email, people, lang, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (center_id, starts_at, email) DO UPDATE SET people = excluded.people, lang = excluded.lang,
            notified_at = NULL",
    )
    .bind(crate::db::new_id())
    .bind(w.center_id)
    .bind(w.starts_at)
    .bind(w.slot_key)
    .bind(w.email)
    .bind(w.people)
    .bind(w.lang)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Who waits to hear of a slot, first asked first: (id, e-mail, people, language, slot key).
pub async fn watchers(
    tx: &mut Tx,
    center_id: &str,
    starts_at: i64,
) -> Result<Vec<(String, String, i64, String, String)>, sqlx::Error> {
    sqlx::query(
        "SELECT id, email, people, lang, slot_key FROM hall_watch
         WHERE center_id = $1 AND starts_at = $2 AND notified_at IS NULL ORDER BY created_at LIMIT 200",
    )
    .bind(center_id)
    .bind(starts_at)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|r| Ok((r.try_get("id")?, r.try_get("email")?, r.try_get("people")?, r.try_get("lang")?, r.try_get("slot_key")?)))
    .collect()
}

pub async fn watched(tx: &mut Tx, id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE hall_watch SET notified_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Forgets asks for slots that have begun (their addresses with them).
pub async fn forget_watches(tx: &mut Tx, before: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM hall_watch WHERE starts_at < $1")
        .bind(before)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}
