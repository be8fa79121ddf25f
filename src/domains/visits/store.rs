//! SQL for organisations, visits, their history, members, itinerary items,
//! plan tasks, seating, gifts and outcomes.

use sqlx::Row as _;

use super::model::{
    Gender, ItemKind, ItemStatus, OrgKind, OutcomeKind, OutcomeStatus, PlanArea, SeatRole, Side,
    TaskStatus, VisitStatus,
};
use super::records::{
    Gift, GiftMovement, Item, Member, Organisation, Outcome, Seat, Task, Transition, Visit,
};
use crate::clock::Instant;
use crate::db::code;
use crate::db::{Db, Row, Tx, flag, pair};
use crate::time::Span;

fn list(s: String) -> Vec<String> {
    s.split(',').filter(|x| !x.is_empty()).map(str::to_string).collect()
}

// ---------------------------------------------------------------- organisations

/// Unique constraints that become field errors (name, SQLite columns).
pub const ORG_UNIQUE: &[(&str, &str)] =
    &[("organisation_center_name_key", "organisation.center_id, organisation.name_key")];

fn org_from(r: &Row) -> Result<Organisation, sqlx::Error> {
    Ok(Organisation {
        id: r.try_get("id")?,
        center_id: r.try_get("center_id")?,
        kind: code(r, "kind", OrgKind::parse)?,
        country: r.try_get("country")?,
        name: pair(r, "name_zh", "name_en")?,
        contact_name: r.try_get("contact_name")?,
        contact_email: r.try_get("contact_email")?,
        contact_phone: r.try_get("contact_phone")?,
        notes: r.try_get("notes")?,
        created_at: r.try_get("created_at")?,
    })
}

pub async fn org_by_key(
    tx: &mut Tx,
    center_id: &str,
    key: &str,
) -> Result<Option<Organisation>, sqlx::Error> {
    sqlx::query("SELECT * FROM organisation WHERE center_id = $1 AND name_key = $2")
        .bind(center_id)
        .bind(key)
        .fetch_optional(&mut **tx)
        .await?
        .as_ref()
        .map(org_from)
        .transpose()
}

pub async fn insert_org(
    tx: &mut Tx,
    o: &Organisation,
    key: &str,
    now: Instant,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO organisation (id, center_id, kind, country, name_zh, name_en, name_key, contact_name,
         contact_email, contact_phone, notes, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
    )
    .bind(&o.id)
    .bind(&o.center_id)
    .bind(o.kind.code())
    .bind(&o.country)
    .bind(&o.name.zh)
    .bind(&o.name.en)
    .bind(key)
    .bind(&o.contact_name)
    .bind(&o.contact_email)
    .bind(&o.contact_phone)
    .bind(&o.notes)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn update_org(
    tx: &mut Tx,
    o: &Organisation,
    key: &str,
    now: Instant,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE organisation SET kind = $2, country = $3, name_zh = $4, name_en = $5, name_key = $6,
         contact_name = $7, contact_email = $8, contact_phone = $9, notes = $10, updated_at = $11 WHERE id = $1",
    )
    .bind(&o.id)
    .bind(o.kind.code())
    .bind(&o.country)
    .bind(&o.name.zh)
    .bind(&o.name.en)
    .bind(key)
    .bind(&o.contact_name)
    .bind(&o.contact_email)
    .bind(&o.contact_phone)
    .bind(&o.notes)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    // Visits carry the kind and country for fast lists.
    sqlx::query("UPDATE visit SET kind = $2, country = $3 WHERE organisation_id = $1")
        .bind(&o.id)
        .bind(o.kind.code())
        .bind(&o.country)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn org(db: &Db, id: &str) -> Result<Option<Organisation>, sqlx::Error> {
    sqlx::query("SELECT * FROM organisation WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .as_ref()
        .map(org_from)
        .transpose()
}

/// Organisations of a center, optionally of one kind, by English name.
pub async fn orgs(db: &Db, center_id: &str, kind: &str) -> Result<Vec<Organisation>, sqlx::Error> {
    sqlx::query(
        "SELECT * FROM organisation WHERE center_id = $1 AND ($2 = '' OR kind = $2) ORDER BY name_key LIMIT 2000",
    )
    .bind(center_id)
    .bind(kind)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(org_from)
    .collect()
}

// ---------------------------------------------------------------- visits

macro_rules! visit_sql {
    ($tail:literal) => {
        concat!(
            "SELECT v.*, o.name_zh AS org_name_zh, o.name_en AS org_name_en FROM visit v JOIN organisation o ON o.id = v.organisation_id ",
            $tail
        )
    };
}

fn visit_from(r: &Row) -> Result<Visit, sqlx::Error> {
    Ok(Visit {
        id: r.try_get("id")?,
        center_id: r.try_get("center_id")?,
        reference: r.try_get("reference")?,
        organisation_id: r.try_get("organisation_id")?,
        org_name: pair(r, "org_name_zh", "org_name_en")?,
        kind: code(r, "kind", OrgKind::parse)?,
        country: r.try_get("country")?,
        status: code(r, "status", VisitStatus::parse)?,
        status_reason: r.try_get("status_reason")?,
        title: pair(r, "title_zh", "title_en")?,
        purpose: r.try_get("purpose")?,
        preferred_from: r.try_get("preferred_from")?,
        preferred_to: r.try_get("preferred_to")?,
        starts_on: r.try_get("starts_on")?,
        ends_on: r.try_get("ends_on")?,
        year: r.try_get("year")?,
        party_size: r.try_get("party_size")?,
        languages: list(r.try_get("languages")?),
        protocol_level: r.try_get("protocol_level")?,
        hosts: r.try_get("hosts")?,
        approval_ref: r.try_get("approval_ref")?,
        budget: r.try_get("budget")?,
        summary: r.try_get("summary")?,
        contact_name: r.try_get("contact_name")?,
        contact_email: r.try_get("contact_email")?,
        contact_phone: r.try_get("contact_phone")?,
        source: r.try_get("source")?,
        consent_at: r.try_get("consent_at")?,
        retention_until: r.try_get("retention_until")?,
        purged_at: r.try_get("purged_at")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

pub async fn insert_visit(
    tx: &mut Tx,
    v: &Visit,
    created_by: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO visit (id, center_id, reference, organisation_id, kind, country, status, status_reason,
         title_zh, title_en, purpose, preferred_from, preferred_to, starts_on, ends_on, year, party_size,
         languages, protocol_level, hosts, approval_ref, budget, summary, contact_name, contact_email,
         contact_phone, source, consent_at, retention_until, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
                 $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $31)",
    )
    .bind(&v.id)
    .bind(&v.center_id)
    .bind(&v.reference)
    .bind(&v.organisation_id)
    .bind(v.kind.code())
    .bind(&v.country)
    .bind(v.status.code())
    .bind(&v.status_reason)
    .bind(&v.title.zh)
    .bind(&v.title.en)
    .bind(&v.purpose)
    .bind(&v.preferred_from)
    .bind(&v.preferred_to)
    .bind(&v.starts_on)
    .bind(&v.ends_on)
    .bind(v.year)
    .bind(v.party_size)
    .bind(v.languages.join(","))
    .bind(&v.protocol_level)
    .bind(&v.hosts)
    .bind(&v.approval_ref)
    .bind(&v.budget)
    .bind(&v.summary)
    .bind(&v.contact_name)
    .bind(&v.contact_email)
    .bind(&v.contact_phone)
    .bind(&v.source)
    .bind(v.consent_at)
    .bind(&v.retention_until)
    .bind(created_by)
    .bind(v.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Writes the editable details of a visit (not its status).
pub async fn update_visit(tx: &mut Tx, v: &Visit, now: Instant) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE visit SET title_zh = $2, title_en = $3, purpose = $4, preferred_from = $5, preferred_to = $6,
         starts_on = $7, ends_on = $8, year = $9, party_size = $10, languages = $11, protocol_level = $12,
         hosts = $13, approval_ref = $14, budget = $15, summary = $16, contact_name = $17,
         contact_email = $18, contact_phone = $19, retention_until = $20, updated_at = $21 WHERE id = $1",
    )
    .bind(&v.id)
    .bind(&v.title.zh)
    .bind(&v.title.en)
    .bind(&v.purpose)
    .bind(&v.preferred_from)
    .bind(&v.preferred_to)
    .bind(&v.starts_on)
    .bind(&v.ends_on)
    .bind(v.year)
    .bind(v.party_size)
    .bind(v.languages.join(","))
    .bind(&v.protocol_level)
    .bind(&v.hosts)
    .bind(&v.approval_ref)
    .bind(&v.budget)
    .bind(&v.summary)
    .bind(&v.contact_name)
    .bind(&v.contact_email)
    .bind(&v.contact_phone)
    .bind(&v.retention_until)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn visit(db: &Db, id: &str) -> Result<Option<Visit>, sqlx::Error> {
    sqlx::query(visit_sql!("WHERE v.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .as_ref()
        .map(visit_from)
        .transpose()
}

pub async fn visit_tx(tx: &mut Tx, id: &str) -> Result<Option<Visit>, sqlx::Error> {
    sqlx::query(visit_sql!("WHERE v.id = $1"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .as_ref()
        .map(visit_from)
        .transpose()
}

/// Moves a visit from `from` to `to`; false when someone moved it first.
pub async fn set_status(
    tx: &mut Tx,
    id: &str,
    from: VisitStatus,
    to: VisitStatus,
    reason: &str,
    now: Instant,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE visit SET status = $3, status_reason = $4, updated_at = $5 WHERE id = $1 AND status = $2",
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

pub async fn insert_transition(
    tx: &mut Tx,
    visit_id: &str,
    t: &Transition,
    actor_id: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO visit_transition (id, visit_id, from_status, to_status, reason, actor_id, actor_label, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(crate::db::new_id())
    .bind(visit_id)
    .bind(&t.from)
    .bind(&t.to)
    .bind(&t.reason)
    .bind(actor_id)
    .bind(&t.actor_label)
    .bind(t.at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn transitions(db: &Db, visit_id: &str) -> Result<Vec<Transition>, sqlx::Error> {
    sqlx::query("SELECT * FROM visit_transition WHERE visit_id = $1 ORDER BY at, id")
        .bind(visit_id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(Transition {
                from: r.try_get("from_status")?,
                to: r.try_get("to_status")?,
                reason: r.try_get("reason")?,
                actor_label: r.try_get("actor_label")?,
                at: r.try_get("at")?,
            })
        })
        .collect()
}

/// What a visit list is filtered by; empty strings and zero mean "any".
#[derive(Debug, Clone, Default)]
pub struct VisitFilter {
    pub center_id: String,
    pub status: String,
    pub kind: String,
    pub country: String,
    pub year: i64,
    pub organisation_id: String,
    /// Only visits with an id below this (the next page).
    pub before: String,
    pub limit: i64,
}

/// Visits, newest first (ids are time-ordered). Only the filters given
/// become conditions, so the planner can use `visit_list_idx` (a generic
/// `$n = '' OR col = $n` form kept it to a scan of the center's visits).
pub async fn visits(db: &Db, f: &VisitFilter) -> Result<Vec<Visit>, sqlx::Error> {
    enum Arg<'a> {
        Text(&'a str),
        Int(i64),
    }
    let mut sql = String::from(visit_sql!("WHERE v.center_id = $1"));
    let mut args = vec![Arg::Text(&f.center_id)];
    let mut add = |column: &str, op: &str, arg| {
        args.push(arg);
        sql.push_str(&format!(" AND v.{column} {op} ${}", args.len()));
    };
    if f.year != 0 {
        add("year", "=", Arg::Int(f.year));
    }
    for (column, value) in [
        ("kind", &f.kind),
        ("status", &f.status),
        ("country", &f.country),
        ("organisation_id", &f.organisation_id),
    ] {
        if !value.is_empty() {
            add(column, "=", Arg::Text(value));
        }
    }
    if !f.before.is_empty() {
        add("id", "<", Arg::Text(&f.before));
    }
    args.push(Arg::Int(f.limit));
    sql.push_str(&format!(" ORDER BY v.id DESC LIMIT ${}", args.len()));
    // Only column names from the list above and numbered placeholders are
    // formatted in; every value is bound.
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for a in args {
        q = match a {
            Arg::Text(t) => q.bind(t),
            Arg::Int(n) => q.bind(n),
        };
    }
    q.fetch_all(&db.pool).await?.iter().map(visit_from).collect()
}

/// Visits that took place between two dates (inclusive), by counterpart type:
/// (kind, groups, person-visits).
pub async fn received_by_kind(
    db: &Db,
    center_id: &str,
    from: &str,
    to: &str,
) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    sqlx::query(
        "SELECT kind, COUNT(*) AS groups, CAST(SUM(party_size) AS BIGINT) AS persons FROM visit
         WHERE center_id = $1 AND status IN ('completed', 'follow_up', 'closed')
         AND starts_on <> '' AND starts_on >= $2 AND starts_on <= $3 GROUP BY kind ORDER BY kind",
    )
    .bind(center_id)
    .bind(from)
    .bind(to)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| Ok((r.try_get("kind")?, r.try_get("groups")?, r.try_get("persons")?)))
    .collect()
}

/// Years that have visits, newest first (for the filter).
pub async fn years(db: &Db, center_id: &str) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query("SELECT DISTINCT year FROM visit WHERE center_id = $1 ORDER BY year DESC")
        .bind(center_id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| r.try_get("year"))
        .collect()
}

/// Visits whose retention date has passed and whose data is still there.
pub async fn due_for_purge(db: &Db, today: &str) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query(
        "SELECT id, center_id FROM visit WHERE retention_until <> '' AND retention_until < $1 AND purged_at IS NULL",
    )
    .bind(today)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| Ok((r.try_get("id")?, r.try_get("center_id")?)))
    .collect()
}

/// Removes the personal data of a visit: members' documents, contacts and
/// dietary notes, and the requester's contact. Names and titles stay as the
/// record of who was received. Returns the members touched.
pub async fn purge(tx: &mut Tx, visit_id: &str, now: Instant) -> Result<u64, sqlx::Error> {
    let members = sqlx::query(
        "UPDATE visit_member SET passport_enc = '', email = '', phone = '', dietary = '', updated_at = $2
         WHERE visit_id = $1",
    )
    .bind(visit_id)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE visit SET contact_email = '', contact_phone = '', purged_at = $2 WHERE id = $1",
    )
    .bind(visit_id)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(members.rows_affected())
}

// ---------------------------------------------------------------- members

fn member_from(r: &Row) -> Result<Member, sqlx::Error> {
    let gender: String = r.try_get("gender")?;
    Ok(Member {
        id: r.try_get("id")?,
        visit_id: r.try_get("visit_id")?,
        position: r.try_get("position")?,
        surname: r.try_get("surname")?,
        given_name: r.try_get("given_name")?,
        name_zh: r.try_get("name_zh")?,
        gender: match gender.as_str() {
            "" => None,
            g => Some(crate::db::known("gender", g, Gender::parse)?),
        },
        title: pair(r, "title_zh", "title_en")?,
        organisation: r.try_get("organisation")?,
        languages: list(r.try_get("languages")?),
        dietary: r.try_get("dietary")?,
        email: r.try_get("email")?,
        phone: r.try_get("phone")?,
        is_head: flag(r.try_get("is_head")?),
        passport_enc: r.try_get("passport_enc")?,
    })
}

pub async fn members(db: &Db, visit_id: &str) -> Result<Vec<Member>, sqlx::Error> {
    sqlx::query("SELECT * FROM visit_member WHERE visit_id = $1 ORDER BY position, id")
        .bind(visit_id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(member_from)
        .collect()
}

/// Inserts or replaces a member (same id).
pub async fn save_member(tx: &mut Tx, m: &Member, now: Instant) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM visit_member WHERE id = $1").bind(&m.id).execute(&mut **tx).await?;
    sqlx::query(
        "INSERT INTO visit_member (id, visit_id, position, surname, given_name, name_zh, gender, title_zh,
         title_en, organisation, languages, dietary, email, phone, is_head, passport_enc, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)",
    )
    .bind(&m.id)
    .bind(&m.visit_id)
    .bind(m.position)
    .bind(&m.surname)
    .bind(&m.given_name)
    .bind(&m.name_zh)
    .bind(m.gender.map(|g| g.code()).unwrap_or(""))
    .bind(&m.title.zh)
    .bind(&m.title.en)
    .bind(&m.organisation)
    .bind(m.languages.join(","))
    .bind(&m.dietary)
    .bind(&m.email)
    .bind(&m.phone)
    .bind(i64::from(m.is_head))
    .bind(&m.passport_enc)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn delete_member(tx: &mut Tx, visit_id: &str, id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM visit_member WHERE id = $1 AND visit_id = $2")
        .bind(id)
        .bind(visit_id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn next_member_position(tx: &mut Tx, visit_id: &str) -> Result<i64, sqlx::Error> {
    let r = sqlx::query(
        "SELECT CAST(COALESCE(MAX(position), 0) + 1 AS BIGINT) AS n FROM visit_member WHERE visit_id = $1",
    )
    .bind(visit_id)
    .fetch_one(&mut **tx)
    .await?;
    r.try_get("n")
}

// ---------------------------------------------------------------- itinerary

fn item_from(r: &Row) -> Result<Item, sqlx::Error> {
    Ok(Item {
        id: r.try_get("id")?,
        center_id: r.try_get("center_id")?,
        visit_id: r.try_get("visit_id")?,
        kind: code(r, "kind", ItemKind::parse)?,
        title: pair(r, "title_zh", "title_en")?,
        span: Span::new(r.try_get("starts_at")?, r.try_get("ends_at")?),
        room_id: r.try_get("room_id")?,
        booking_id: r.try_get("booking_id")?,
        place: pair(r, "place_zh", "place_en")?,
        participants: r.try_get("participants")?,
        notes: r.try_get("notes")?,
        status: code(r, "status", ItemStatus::parse)?,
    })
}

pub async fn insert_item(tx: &mut Tx, i: &Item, now: Instant) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO itinerary_item (id, center_id, visit_id, kind, title_zh, title_en, starts_at, ends_at,
         room_id, booking_id, place_zh, place_en, participants, notes, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)",
    )
    .bind(&i.id)
    .bind(&i.center_id)
    .bind(&i.visit_id)
    .bind(i.kind.code())
    .bind(&i.title.zh)
    .bind(&i.title.en)
    .bind(i.span.start)
    .bind(i.span.end)
    .bind(&i.room_id)
    .bind(&i.booking_id)
    .bind(&i.place.zh)
    .bind(&i.place.en)
    .bind(&i.participants)
    .bind(&i.notes)
    .bind(i.status.code())
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn items(db: &Db, visit_id: &str) -> Result<Vec<Item>, sqlx::Error> {
    sqlx::query("SELECT * FROM itinerary_item WHERE visit_id = $1 ORDER BY starts_at, id")
        .bind(visit_id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(item_from)
        .collect()
}

pub async fn item(db: &Db, id: &str) -> Result<Option<Item>, sqlx::Error> {
    sqlx::query("SELECT * FROM itinerary_item WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .as_ref()
        .map(item_from)
        .transpose()
}

pub async fn set_item_status(
    tx: &mut Tx,
    id: &str,
    status: ItemStatus,
    now: Instant,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE itinerary_item SET status = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(status.code())
        .bind(now.millis())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

// ---------------------------------------------------------------- plan tasks

macro_rules! task_sql {
    ($tail:literal) => {
        concat!(
            "SELECT t.*, v.reference AS visit_reference, COALESCE(u.display_name, '') AS owner_name FROM visit_task t
             JOIN visit v ON v.id = t.visit_id LEFT JOIN app_user u ON u.id = t.owner_id ",
            $tail
        )
    };
}

fn task_from(r: &Row) -> Result<Task, sqlx::Error> {
    Ok(Task {
        id: r.try_get("id")?,
        visit_id: r.try_get("visit_id")?,
        visit_reference: r.try_get("visit_reference")?,
        area: code(r, "area", PlanArea::parse)?,
        title: r.try_get("title")?,
        owner_id: r.try_get("owner_id")?,
        owner_name: r.try_get("owner_name")?,
        due_on: r.try_get("due_on")?,
        status: code(r, "status", TaskStatus::parse)?,
    })
}

pub async fn insert_task(
    tx: &mut Tx,
    center_id: &str,
    t: &Task,
    now: Instant,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO visit_task (id, visit_id, center_id, area, title, owner_id, due_on, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(&t.id)
    .bind(&t.visit_id)
    .bind(center_id)
    .bind(t.area.code())
    .bind(&t.title)
    .bind(&t.owner_id)
    .bind(&t.due_on)
    .bind(t.status.code())
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn tasks(db: &Db, visit_id: &str) -> Result<Vec<Task>, sqlx::Error> {
    sqlx::query(task_sql!("WHERE t.visit_id = $1 ORDER BY t.area, t.due_on, t.id"))
        .bind(visit_id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(task_from)
        .collect()
}

pub async fn task(db: &Db, id: &str) -> Result<Option<Task>, sqlx::Error> {
    sqlx::query(task_sql!("WHERE t.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .as_ref()
        .map(task_from)
        .transpose()
}

/// Open tasks of a center due before `today`, oldest first.
pub async fn overdue_tasks(
    db: &Db,
    center_id: &str,
    today: &str,
) -> Result<Vec<Task>, sqlx::Error> {
    sqlx::query(task_sql!(
        "WHERE t.center_id = $1 AND t.status = 'open' AND t.due_on <> '' AND t.due_on < $2
         ORDER BY t.due_on, t.id LIMIT 50"
    ))
    .bind(center_id)
    .bind(today)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(task_from)
    .collect()
}

pub async fn set_task_status(
    tx: &mut Tx,
    id: &str,
    status: TaskStatus,
    now: Instant,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE visit_task SET status = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(status.code())
        .bind(now.millis())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

// ---------------------------------------------------------------- seating

pub async fn seats(db: &Db, item_id: &str) -> Result<Vec<Seat>, sqlx::Error> {
    sqlx::query("SELECT * FROM seat WHERE item_id = $1 ORDER BY side, position")
        .bind(item_id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(Seat {
                side: code(r, "side", Side::parse)?,
                position: r.try_get("position")?,
                role: code(r, "role", SeatRole::parse)?,
                name_zh: r.try_get("name_zh")?,
                name_other: r.try_get("name_other")?,
                title_zh: r.try_get("title_zh")?,
                title_other: r.try_get("title_other")?,
            })
        })
        .collect()
}

/// Replaces the seating plan of an item.
pub async fn replace_seats(
    tx: &mut Tx,
    item_id: &str,
    seats: &[Seat],
    now: Instant,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM seat WHERE item_id = $1").bind(item_id).execute(&mut **tx).await?;
    for s in seats {
        sqlx::query(
            "INSERT INTO seat (id, item_id, side, position, role, name_zh, name_other, title_zh, title_other, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(crate::db::new_id())
        .bind(item_id)
        .bind(s.side.code())
        .bind(s.position)
        .bind(s.role.code())
        .bind(&s.name_zh)
        .bind(&s.name_other)
        .bind(&s.title_zh)
        .bind(&s.title_other)
        .bind(now.millis())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

// ---------------------------------------------------------------- gifts

fn gift_from(r: &Row) -> Result<Gift, sqlx::Error> {
    Ok(Gift {
        id: r.try_get("id")?,
        name: pair(r, "name_zh", "name_en")?,
        unit_value: r.try_get("unit_value")?,
        stock: r.try_get("stock")?,
    })
}

pub async fn gifts(db: &Db, center_id: &str) -> Result<Vec<Gift>, sqlx::Error> {
    sqlx::query("SELECT * FROM gift WHERE center_id = $1 ORDER BY name_zh")
        .bind(center_id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(gift_from)
        .collect()
}

pub async fn gift(db: &Db, center_id: &str, id: &str) -> Result<Option<Gift>, sqlx::Error> {
    sqlx::query("SELECT * FROM gift WHERE id = $1 AND center_id = $2")
        .bind(id)
        .bind(center_id)
        .fetch_optional(&db.pool)
        .await?
        .as_ref()
        .map(gift_from)
        .transpose()
}

pub async fn insert_gift(
    tx: &mut Tx,
    center_id: &str,
    g: &Gift,
    now: Instant,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO gift (id, center_id, name_zh, name_en, unit_value, stock, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 0, $6, $6)",
    )
    .bind(&g.id)
    .bind(center_id)
    .bind(&g.name.zh)
    .bind(&g.name.en)
    .bind(g.unit_value)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Changes the stock by `delta`; false when that would go below zero.
pub async fn move_stock(
    tx: &mut Tx,
    gift_id: &str,
    delta: i64,
    now: Instant,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE gift SET stock = stock + $2, updated_at = $3 WHERE id = $1 AND stock + $2 >= 0",
    )
    .bind(gift_id)
    .bind(delta)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn insert_movement(
    tx: &mut Tx,
    center_id: &str,
    m: &GiftMovement,
    by: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO gift_movement (id, center_id, gift_id, quantity, visit_id, organisation_id, recipient, note, created_by, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&m.id)
    .bind(center_id)
    .bind(&m.gift_id)
    .bind(m.quantity)
    .bind(&m.visit_id)
    .bind(&m.organisation_id)
    .bind(&m.recipient)
    .bind(&m.note)
    .bind(by)
    .bind(m.at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Movements, newest first: of one gift, one visit or one organisation.
pub async fn movements(
    db: &Db,
    center_id: &str,
    gift_id: &str,
    visit_id: &str,
    organisation_id: &str,
) -> Result<Vec<GiftMovement>, sqlx::Error> {
    sqlx::query(
        "SELECT m.*, g.name_zh AS gift_zh, g.name_en AS gift_en, COALESCE(o.name_zh, '') AS org_zh,
         COALESCE(o.name_en, '') AS org_en FROM gift_movement m JOIN gift g ON g.id = m.gift_id
         LEFT JOIN organisation o ON o.id = m.organisation_id
         WHERE m.center_id = $1 AND ($2 = '' OR m.gift_id = $2) AND ($3 = '' OR m.visit_id = $3)
         AND ($4 = '' OR m.organisation_id = $4) ORDER BY m.at DESC, m.id DESC LIMIT 500",
    )
    .bind(center_id)
    .bind(gift_id)
    .bind(visit_id)
    .bind(organisation_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        Ok(GiftMovement {
            id: r.try_get("id")?,
            gift_id: r.try_get("gift_id")?,
            gift_name: pair(r, "gift_zh", "gift_en")?,
            quantity: r.try_get("quantity")?,
            visit_id: r.try_get("visit_id")?,
            organisation_id: r.try_get("organisation_id")?,
            organisation_name: pair(r, "org_zh", "org_en")?,
            recipient: r.try_get("recipient")?,
            note: r.try_get("note")?,
            at: r.try_get("at")?,
        })
    })
    .collect()
}

// ---------------------------------------------------------------- outcomes

macro_rules! outcome_sql {
    ($tail:literal) => {
        concat!(
            "SELECT x.*, o.name_zh AS org_zh, o.name_en AS org_en, COALESCE(u.display_name, '') AS owner_name
             FROM outcome x JOIN organisation o ON o.id = x.organisation_id LEFT JOIN app_user u ON u.id = x.owner_id ",
            $tail
        )
    };
}

fn outcome_from(r: &Row) -> Result<Outcome, sqlx::Error> {
    Ok(Outcome {
        id: r.try_get("id")?,
        organisation_id: r.try_get("organisation_id")?,
        organisation_name: pair(r, "org_zh", "org_en")?,
        visit_id: r.try_get("visit_id")?,
        kind: code(r, "kind", OutcomeKind::parse)?,
        title: pair(r, "title_zh", "title_en")?,
        parties: r.try_get("parties")?,
        signed_on: r.try_get("signed_on")?,
        document_ref: r.try_get("document_ref")?,
        owner_id: r.try_get("owner_id")?,
        owner_name: r.try_get("owner_name")?,
        next_action: r.try_get("next_action")?,
        next_action_on: r.try_get("next_action_on")?,
        status: code(r, "status", OutcomeStatus::parse)?,
    })
}

pub async fn insert_outcome(
    tx: &mut Tx,
    center_id: &str,
    o: &Outcome,
    now: Instant,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO outcome (id, center_id, organisation_id, visit_id, kind, title_zh, title_en, parties,
         signed_on, document_ref, owner_id, next_action, next_action_on, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)",
    )
    .bind(&o.id)
    .bind(center_id)
    .bind(&o.organisation_id)
    .bind(&o.visit_id)
    .bind(o.kind.code())
    .bind(&o.title.zh)
    .bind(&o.title.en)
    .bind(&o.parties)
    .bind(&o.signed_on)
    .bind(&o.document_ref)
    .bind(&o.owner_id)
    .bind(&o.next_action)
    .bind(&o.next_action_on)
    .bind(o.status.code())
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn update_outcome(tx: &mut Tx, o: &Outcome, now: Instant) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE outcome SET status = $2, signed_on = $3, document_ref = $4, next_action = $5,
         next_action_on = $6, owner_id = $7, updated_at = $8 WHERE id = $1",
    )
    .bind(&o.id)
    .bind(o.status.code())
    .bind(&o.signed_on)
    .bind(&o.document_ref)
    .bind(&o.next_action)
    .bind(&o.next_action_on)
    .bind(&o.owner_id)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Outcomes of a center, optionally of one visit or organisation.
pub async fn outcomes(
    db: &Db,
    center_id: &str,
    visit_id: &str,
    organisation_id: &str,
) -> Result<Vec<Outcome>, sqlx::Error> {
    sqlx::query(outcome_sql!(
        "WHERE x.center_id = $1 AND ($2 = '' OR x.visit_id = $2) AND ($3 = '' OR x.organisation_id = $3)
         ORDER BY x.id DESC LIMIT 500"
    ))
    .bind(center_id)
    .bind(visit_id)
    .bind(organisation_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(outcome_from)
    .collect()
}

pub async fn outcome(db: &Db, id: &str) -> Result<Option<Outcome>, sqlx::Error> {
    sqlx::query(outcome_sql!("WHERE x.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .as_ref()
        .map(outcome_from)
        .transpose()
}

/// Live outcomes whose next action is due on or before `today`.
pub async fn followups_due(
    db: &Db,
    center_id: &str,
    today: &str,
) -> Result<Vec<Outcome>, sqlx::Error> {
    sqlx::query(outcome_sql!(
        "WHERE x.center_id = $1 AND x.status IN ('proposed', 'signed', 'in_progress')
         AND x.next_action_on <> '' AND x.next_action_on <= $2 ORDER BY x.next_action_on LIMIT 50"
    ))
    .bind(center_id)
    .bind(today)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(outcome_from)
    .collect()
}

/// Live outcomes due on or before `today` whose owner was not yet reminded
/// of that date, across centers: (id, center, owner, title, next action).
pub async fn reminders_due(db: &Db, today: &str) -> Result<Vec<Outcome>, sqlx::Error> {
    sqlx::query(outcome_sql!(
        "WHERE x.status IN ('proposed', 'signed', 'in_progress') AND x.next_action_on <> ''
         AND x.next_action_on <= $1 AND x.reminded_on <> x.next_action_on AND x.owner_id IS NOT NULL LIMIT 500"
    ))
    .bind(today)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(outcome_from)
    .collect()
}

pub async fn mark_reminded(tx: &mut Tx, id: &str, on: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE outcome SET reminded_on = $2 WHERE id = $1")
        .bind(id)
        .bind(on)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
