use crate::clock::Instant;
use crate::db::code;
use crate::db::{Db, Row, Tx, pair};
use crate::domains::visits::model::{OrgKind, VisitStatus};
use crate::domains::visits::records::{Transition, Visit};
use sqlx::Row as _;

pub(in crate::domains::visits) fn list(s: String) -> Vec<String> {
    s.split(',').filter(|x| !x.is_empty()).map(str::to_string).collect()
}

macro_rules! visit_sql {
    ($($tail:tt)+) => {
        concat!(
            "SELECT v.*, o.name_zh AS org_name_zh, o.name_en AS org_name_en FROM visit v JOIN organisation o ON o.id = v.organisation_id ",
            $($tail)+
        )
    };
}

/// A visit's first day in SQL: the agreed one, else the preferred one (as
/// `Visit::dates` reads it).
macro_rules! first_day {
    () => {
        "(CASE WHEN v.starts_on <> '' THEN v.starts_on ELSE v.preferred_from END)"
    };
}

pub(in crate::domains::visits) fn visit_from(r: &Row) -> Result<Visit, sqlx::Error> {
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
    /// Words in the reference, the organisation's names or a member's name.
    pub text: String,
    /// Only visits after this one in the list's order: (date, id).
    pub after: Option<(String, String)>,
    pub limit: i64,
}

/// Visits by date, latest first (the agreed first day, else the preferred
/// one; then the newest id). Only the filters given become conditions, so
/// the planner can use `visit_list_idx` (a generic `$n = '' OR col = $n`
/// form kept it to a scan of the center's visits).
pub async fn visits(db: &Db, f: &VisitFilter) -> Result<Vec<Visit>, sqlx::Error> {
    enum Arg<'a> {
        Text(&'a str),
        Owned(String),
        Int(i64),
    }
    const DAY: &str = first_day!();
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
    if !f.text.trim().is_empty() {
        args.push(Arg::Owned(crate::db::contains_pattern(&f.text)));
        let n = args.len();
        let like = |col: &str| format!("LOWER({col}) LIKE ${n} ESCAPE '\\'");
        sql.push_str(&format!(
            " AND ({} OR {} OR {} OR EXISTS (SELECT 1 FROM visit_member m WHERE m.visit_id = v.id AND ({} OR {} OR {})))",
            like("v.reference"),
            like("o.name_zh"),
            like("o.name_en"),
            like("m.surname"),
            like("m.given_name"),
            like("m.name_zh"),
        ));
    }
    if let Some((day, id)) = &f.after {
        args.push(Arg::Text(day));
        args.push(Arg::Text(id));
        let n = args.len();
        sql.push_str(&format!(" AND ({DAY} < ${} OR ({DAY} = ${} AND v.id < ${n}))", n - 1, n - 1));
    }
    args.push(Arg::Int(f.limit));
    sql.push_str(&format!(" ORDER BY {DAY} DESC, v.id DESC LIMIT ${}", args.len()));
    // Only column names from the list above and numbered placeholders are
    // formatted in; every value is bound.
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for a in args {
        q = match a {
            Arg::Text(t) => q.bind(t),
            Arg::Owned(t) => q.bind(t),
            Arg::Int(n) => q.bind(n),
        };
    }
    q.fetch_all(&db.pool).await?.iter().map(visit_from).collect()
}

/// Live visits whose dates (agreed, else preferred) meet the days `from` to
/// `to` (inclusive, `YYYY-MM-DD`), soonest first: the dashboard's "this week".
pub async fn in_days(
    db: &Db,
    center_id: &str,
    from: &str,
    to: &str,
    limit: i64,
) -> Result<Vec<Visit>, sqlx::Error> {
    // A visit's year is its first day's: one that meets these days began in
    // their year or the one before (`visit_list_idx` then reads two years).
    let year = |d: &str| d.get(..4).and_then(|y| y.parse::<i64>().ok()).unwrap_or(0);
    sqlx::query(visit_sql!(
        "WHERE v.center_id = $1 AND v.year >= $5 AND v.year <= $6
         AND v.status NOT IN ('declined', 'closed', 'postponed', 'cancelled') AND ",
        first_day!(),
        " <= $3
         AND (CASE WHEN v.ends_on <> '' THEN v.ends_on WHEN v.starts_on <> '' THEN v.starts_on ELSE v.preferred_to END) >= $2
         ORDER BY ",
        first_day!(),
        ", v.id LIMIT $4"
    ))
    .bind(center_id)
    .bind(from)
    .bind(to)
    .bind(limit)
    .bind(year(from) - 1)
    .bind(year(to))
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(visit_from)
    .collect()
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
/// dietary notes; the requester's name, e-mail and phone on the visit, on the
/// counterpart organisation where they were copied from the request, and in
/// the audit entries of both. Members' names and titles stay as the record
/// of who was received. Returns the members touched.
pub async fn purge(tx: &mut Tx, visit: &Visit, now: Instant) -> Result<u64, sqlx::Error> {
    let visit_id = visit.id.as_str();
    let requester = [&visit.contact_name, &visit.contact_email, &visit.contact_phone];
    // The organisation keeps its contact only where it is not the requester's.
    for (column, value) in
        ["contact_name", "contact_email", "contact_phone"].into_iter().zip(requester)
    {
        if value.trim().is_empty() {
            continue;
        }
        let sql = match column {
            "contact_name" => {
                "UPDATE organisation SET contact_name = '' WHERE id = $1 AND contact_name = $2"
            }
            "contact_email" => {
                "UPDATE organisation SET contact_email = '' WHERE id = $1 AND contact_email = $2"
            }
            _ => "UPDATE organisation SET contact_phone = '' WHERE id = $1 AND contact_phone = $2",
        };
        sqlx::query(sql).bind(&visit.organisation_id).bind(value).execute(&mut **tx).await?;
    }
    // Audit entries of the visit and its organisation lose those values
    // (as they appear inside the JSON summary).
    // Two characters at least (a Chinese name may have two): one would
    // match too much of unrelated text.
    for value in requester.iter().filter(|v| v.trim().chars().count() >= 2) {
        let quoted = serde_json::to_string(value.as_str()).unwrap_or_default();
        let inner = quoted.trim_matches('"');
        sqlx::query(
            "UPDATE audit_log SET summary = REPLACE(summary, $3, '[purged]')
             WHERE entity_id IN ($1, $2) AND summary LIKE '%' || $3 || '%'",
        )
        .bind(visit_id)
        .bind(&visit.organisation_id)
        .bind(inner)
        .execute(&mut **tx)
        .await?;
    }
    let members = sqlx::query(
        "UPDATE visit_member SET passport_enc = '', email = '', phone = '', dietary = '', updated_at = $2
         WHERE visit_id = $1",
    )
    .bind(visit_id)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE visit SET contact_name = '', contact_email = '', contact_phone = '', purged_at = $2 WHERE id = $1",
    )
    .bind(visit_id)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(members.rows_affected())
}
