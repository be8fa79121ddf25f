//! SQL for requests, their items, steps and messages.

use std::collections::BTreeMap;

use sqlx::Row as _;

use crate::db::{Db, Row, Tx, code};
use crate::domains::enterprises::model::flow::{Clock, Flow, Move, Status};
use crate::domains::enterprises::model::item::{ItemInput, Regime};

/// A request as kept, with the names lists show.
#[derive(Debug, Clone)]
pub struct Request {
    pub id: String,
    pub center_id: String,
    pub reference: String,
    pub enterprise_id: String,
    pub enterprise_zh: String,
    pub enterprise_en: String,
    pub service_type_id: String,
    pub service_zh: String,
    pub service_en: String,
    pub form_version: i64,
    pub flow: Flow,
    pub status: Status,
    pub title: String,
    pub answers: BTreeMap<String, String>,
    pub lang: String,
    pub officer_id: Option<String>,
    pub officer_name: Option<String>,
    pub clock: Clock,
    pub due_day: Option<String>,
    pub submitted_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

const SELECT: &str = "SELECT r.*, e.name_zh AS enterprise_zh, e.name_en AS enterprise_en, t.name_zh AS service_zh,
       t.name_en AS service_en, u.display_name AS officer_name
     FROM service_request r JOIN enterprise e ON e.id = r.enterprise_id JOIN service_type t ON t.id = r.service_type_id
     LEFT JOIN app_user u ON u.id = r.officer_id";

fn request(r: &Row) -> Result<Request, sqlx::Error> {
    let answers: String = r.try_get("answers")?;
    let since: Option<String> = r.try_get("clock_since")?;
    Ok(Request {
        id: r.try_get("id")?,
        center_id: r.try_get("center_id")?,
        reference: r.try_get("reference")?,
        enterprise_id: r.try_get("enterprise_id")?,
        enterprise_zh: r.try_get("enterprise_zh")?,
        enterprise_en: r.try_get("enterprise_en")?,
        service_type_id: r.try_get("service_type_id")?,
        service_zh: r.try_get("service_zh")?,
        service_en: r.try_get("service_en")?,
        form_version: r.try_get("form_version")?,
        flow: code(r, "flow", Flow::parse)?,
        status: code(r, "status", Status::parse)?,
        title: r.try_get("title")?,
        answers: serde_json::from_str(&answers).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
        lang: r.try_get("lang")?,
        officer_id: r.try_get("officer_id")?,
        officer_name: r.try_get("officer_name")?,
        clock: Clock {
            sla_days: r.try_get("clock_sla")?,
            used_before: r.try_get("clock_used")?,
            running_since: since.and_then(|s| s.parse().ok()),
        },
        due_day: r.try_get("due_day")?,
        submitted_at: r.try_get("submitted_at")?,
        closed_at: r.try_get("closed_at")?,
        version: r.try_get("version")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

pub async fn get(db: &Db, center_id: &str, id: &str) -> Result<Option<Request>, sqlx::Error> {
    let row =
        sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE r.center_id = $1 AND r.id = $2")))
            .bind(center_id)
            .bind(id)
            .fetch_optional(&db.pool)
            .await?;
    row.as_ref().map(request).transpose()
}

/// What a queue asks for (empty: any).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// One enterprise's requests only (an enterprise user's own).
    pub enterprise_id: String,
    /// `me`-resolved officer id, or `none` for unassigned.
    pub officer_id: String,
    pub status: Option<Status>,
    pub service_type_id: String,
    /// Only open requests (not drafts, closed, withdrawn or rejected).
    pub open: bool,
    /// Only those due on or before this day (overdue: yesterday).
    pub due_by: String,
}

/// A page ordered by what is due first (no due day last), then id.
pub async fn page(
    db: &Db,
    center_id: &str,
    f: &Filter,
    after: (&str, &str),
    limit: i64,
) -> Result<Vec<Request>, sqlx::Error> {
    let sql = format!(
        "{SELECT} WHERE r.center_id = $1
           AND ($2 = '' OR r.enterprise_id = $2) AND ($3 = '' OR r.status = $3) AND ($4 = '' OR r.service_type_id = $4)
           AND ($5 = '' OR $5 = 'none' OR r.officer_id = $5) AND ($5 <> 'none' OR r.officer_id IS NULL)
           AND ($6 = 0 OR r.status NOT IN ('draft', 'closed', 'withdrawn', 'rejected'))
           AND ($7 = '' OR (r.due_day IS NOT NULL AND r.due_day <= $7))
           AND (COALESCE(r.due_day, '9999-12-31'), r.id) > ($8, $9)
         ORDER BY COALESCE(r.due_day, '9999-12-31'), r.id LIMIT $10"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(center_id)
        .bind(&f.enterprise_id)
        .bind(f.status.map(|s| s.code()).unwrap_or(""))
        .bind(&f.service_type_id)
        .bind(&f.officer_id)
        .bind(i64::from(f.open))
        .bind(&f.due_by)
        .bind(after.0)
        .bind(after.1)
        .bind(limit)
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(request).collect()
}

/// The cursor of a row of [`page`].
pub fn sort_key(r: &Request) -> String {
    r.due_day.clone().unwrap_or_else(|| "9999-12-31".into())
}

/// Counts of the center's open requests by officer: (officer id, open, overdue).
pub async fn load(
    db: &Db,
    center_id: &str,
    today: &str,
) -> Result<Vec<(Option<String>, i64, i64)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT officer_id, COUNT(*) AS n, SUM(CASE WHEN due_day < $2 THEN 1 ELSE 0 END) AS late FROM service_request
         WHERE center_id = $1 AND status NOT IN ('draft', 'closed', 'withdrawn', 'rejected') GROUP BY officer_id",
    )
    .bind(center_id)
    .bind(today)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("officer_id")?,
                r.try_get("n")?,
                r.try_get::<Option<i64>, _>("late")?.unwrap_or(0),
            ))
        })
        .collect()
}

/// What a new request is made of.
pub struct NewRequest<'a> {
    pub id: &'a str,
    pub center_id: &'a str,
    pub reference: &'a str,
    pub enterprise_id: &'a str,
    pub service_type_id: &'a str,
    pub form_version: i64,
    pub flow: Flow,
    pub title: &'a str,
    pub answers: &'a BTreeMap<String, String>,
    pub lang: &'a str,
    pub created_by: &'a str,
}

pub async fn insert(tx: &mut Tx, r: &NewRequest<'_>, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO service_request (id, center_id, reference, enterprise_id, service_type_id, form_version, flow, status,
           title, answers, lang, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'draft', $8, $9, $10, $11, $12, $12)",
    )
    .bind(r.id)
    .bind(r.center_id)
    .bind(r.reference)
    .bind(r.enterprise_id)
    .bind(r.service_type_id)
    .bind(r.form_version)
    .bind(r.flow.code())
    .bind(r.title)
    .bind(serde_json::to_string(r.answers).unwrap_or_default())
    .bind(r.lang)
    .bind(r.created_by)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Saves answers edited on `version` while the request is in `status`.
pub async fn update(
    tx: &mut Tx,
    id: &str,
    version: i64,
    status: Status,
    title: &str,
    answers: &BTreeMap<String, String>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE service_request SET title = $1, answers = $2, version = version + 1, updated_at = $3
         WHERE id = $4 AND version = $5 AND status = $6",
    )
    .bind(title)
    .bind(serde_json::to_string(answers).unwrap_or_default())
    .bind(now)
    .bind(id)
    .bind(version)
    .bind(status.code())
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn set_items(tx: &mut Tx, id: &str, items: &[ItemInput]) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM request_item WHERE request_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for (i, it) in items.iter().enumerate() {
        sqlx::query(
            "INSERT INTO request_item (request_id, position, name_zh, name_en, category, hs_code, spec, quantity, unit, regime)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(id)
        .bind(i as i64)
        .bind(&it.name_zh)
        .bind(&it.name_en)
        .bind(&it.category)
        .bind(&it.hs_code)
        .bind(&it.spec)
        .bind(it.quantity)
        .bind(&it.unit)
        .bind(it.regime.code())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

fn item(r: &Row) -> Result<ItemInput, sqlx::Error> {
    Ok(ItemInput {
        name_zh: r.try_get("name_zh")?,
        name_en: r.try_get("name_en")?,
        category: r.try_get("category")?,
        hs_code: r.try_get("hs_code")?,
        spec: r.try_get("spec")?,
        quantity: r.try_get("quantity")?,
        unit: r.try_get("unit")?,
        regime: code(r, "regime", Regime::parse)?,
    })
}

pub async fn items(db: &Db, id: &str) -> Result<Vec<ItemInput>, sqlx::Error> {
    let rows = sqlx::query("SELECT * FROM request_item WHERE request_id = $1 ORDER BY position")
        .bind(id)
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(item).collect()
}

pub async fn items_in(tx: &mut Tx, id: &str) -> Result<Vec<ItemInput>, sqlx::Error> {
    let rows = sqlx::query("SELECT * FROM request_item WHERE request_id = $1 ORDER BY position")
        .bind(id)
        .fetch_all(&mut **tx)
        .await?;
    rows.iter().map(item).collect()
}

/// A move as it changes the request row: guarded by the status and version read.
pub struct Moved<'a> {
    pub from: Status,
    pub to: Status,
    pub version: i64,
    pub clock: Clock,
    pub due_day: Option<String>,
    pub submitted_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub officer_id: Option<&'a str>,
}

pub async fn apply_move(
    tx: &mut Tx,
    id: &str,
    m: &Moved<'_>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE service_request SET status = $1, clock_sla = $2, clock_used = $3, clock_since = $4, due_day = $5,
           submitted_at = $6, closed_at = $7, officer_id = $8, version = version + 1, updated_at = $9
         WHERE id = $10 AND status = $11 AND version = $12",
    )
    .bind(m.to.code())
    .bind(m.clock.sla_days)
    .bind(m.clock.used_before)
    .bind(m.clock.running_since.map(|d| d.to_string()))
    .bind(&m.due_day)
    .bind(m.submitted_at)
    .bind(m.closed_at)
    .bind(m.officer_id)
    .bind(now)
    .bind(id)
    .bind(m.from.code())
    .bind(m.version)
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn set_officer(
    tx: &mut Tx,
    id: &str,
    officer_id: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE service_request SET officer_id = $1, version = version + 1, updated_at = $2 WHERE id = $3")
        .bind(officer_id)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// One move of a request, as recorded.
#[derive(Debug, Clone)]
pub struct Step {
    pub seq: i64,
    pub mv: Move,
    pub from: Status,
    pub to: Status,
    pub at: i64,
    pub by_user: Option<String>,
    pub by_name: Option<String>,
    pub note: String,
    pub authority_ref: String,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    pub days: i64,
    pub sla_days: Option<i64>,
    pub asked: Vec<String>,
}

pub struct NewStep<'a> {
    pub request_id: &'a str,
    pub center_id: &'a str,
    pub service_type_id: &'a str,
    pub step: &'a Step,
}

pub async fn add_step(tx: &mut Tx, s: &NewStep<'_>) -> Result<(), sqlx::Error> {
    let st = s.step;
    sqlx::query(
        "INSERT INTO request_step (id, request_id, center_id, service_type_id, seq, move, from_status, to_status, at, by_user,
           note, authority_ref, valid_from, valid_until, days, sla_days, asked)
         VALUES ($1, $2, $3, $4, (SELECT COALESCE(MAX(seq), 0) + 1 FROM request_step WHERE request_id = $2), $5, $6, $7, $8,
           $9, $10, $11, $12, $13, $14, $15, $16)",
    )
    .bind(crate::db::new_id())
    .bind(s.request_id)
    .bind(s.center_id)
    .bind(s.service_type_id)
    .bind(st.mv.code())
    .bind(st.from.code())
    .bind(st.to.code())
    .bind(st.at)
    .bind(&st.by_user)
    .bind(&st.note)
    .bind(&st.authority_ref)
    .bind(&st.valid_from)
    .bind(&st.valid_until)
    .bind(st.days)
    .bind(st.sla_days)
    .bind(st.asked.join(","))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn step(r: &Row) -> Result<Step, sqlx::Error> {
    let asked: String = r.try_get("asked")?;
    Ok(Step {
        seq: r.try_get("seq")?,
        mv: code(r, "move", Move::parse)?,
        from: code(r, "from_status", Status::parse)?,
        to: code(r, "to_status", Status::parse)?,
        at: r.try_get("at")?,
        by_user: r.try_get("by_user")?,
        by_name: r.try_get("by_name")?,
        note: r.try_get("note")?,
        authority_ref: r.try_get("authority_ref")?,
        valid_from: r.try_get("valid_from")?,
        valid_until: r.try_get("valid_until")?,
        days: r.try_get("days")?,
        sla_days: r.try_get("sla_days")?,
        asked: asked.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
    })
}

pub async fn steps(db: &Db, id: &str) -> Result<Vec<Step>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT s.*, u.display_name AS by_name FROM request_step s LEFT JOIN app_user u ON u.id = s.by_user
         WHERE s.request_id = $1 ORDER BY s.seq",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(step).collect()
}

/// When the request entered its current status (the last step's time).
pub async fn entered_at(tx: &mut Tx, id: &str) -> Result<Option<i64>, sqlx::Error> {
    let row = sqlx::query("SELECT MAX(at) AS at FROM request_step WHERE request_id = $1")
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    row.try_get("at")
}

/// Steps of the center up to `until` (ms), for figures: (service type,
/// request, from status, days, SLA).
pub async fn steps_until(
    db: &Db,
    center_id: &str,
    until: i64,
) -> Result<Vec<(String, String, String, i64, Option<i64>)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT service_type_id, request_id, from_status, days, sla_days FROM request_step
         WHERE center_id = $1 AND at < $2 AND from_status <> 'draft'",
    )
    .bind(center_id)
    .bind(until)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("service_type_id")?,
                r.try_get("request_id")?,
                r.try_get("from_status")?,
                r.try_get("days")?,
                r.try_get("sla_days")?,
            ))
        })
        .collect()
}

/// A message between the enterprise and the center.
#[derive(Debug, Clone)]
pub struct Message {
    pub id: String,
    pub author_name: Option<String>,
    pub side: String,
    pub body: String,
    pub created_at: i64,
}

pub async fn add_message(
    tx: &mut Tx,
    id: &str,
    request_id: &str,
    author_id: &str,
    side: &str,
    body: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO request_message (id, request_id, author_id, side, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(id)
        .bind(request_id)
        .bind(author_id)
        .bind(side)
        .bind(body)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The latest `limit` messages, oldest first.
pub async fn messages(db: &Db, request_id: &str, limit: i64) -> Result<Vec<Message>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT m.*, u.display_name AS author_name FROM request_message m LEFT JOIN app_user u ON u.id = m.author_id
         WHERE m.request_id = $1 ORDER BY m.created_at DESC, m.id DESC LIMIT $2",
    )
    .bind(request_id)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    let mut out: Vec<Message> = rows
        .iter()
        .map(|r| {
            Ok(Message {
                id: r.try_get("id")?,
                author_name: r.try_get("author_name")?,
                side: r.try_get("side")?,
                body: r.try_get("body")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    out.reverse();
    Ok(out)
}

/// The center's officers (staff and admins) who may take requests: (id, name).
pub async fn officers(db: &Db, center_id: &str) -> Result<Vec<(String, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, display_name FROM app_user WHERE center_id = $1 AND active = 1 AND role IN ('admin', 'staff') ORDER BY display_name, id",
    )
    .bind(center_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| Ok((r.try_get("id")?, r.try_get("display_name")?))).collect()
}

/// Figures: requests of the center created before `until` by (service, status).
pub async fn counts(
    db: &Db,
    center_id: &str,
    until: i64,
) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT service_type_id, status, COUNT(*) AS n FROM service_request WHERE center_id = $1 AND created_at < $2
         GROUP BY service_type_id, status",
    )
    .bind(center_id)
    .bind(until)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("service_type_id")?, r.try_get("status")?, r.try_get("n")?)))
        .collect()
}

/// Open requests past their due day, for the digest: (reference, officer id, due day).
pub async fn overdue(
    db: &Db,
    center_id: &str,
    today: &str,
    limit: i64,
) -> Result<Vec<Request>, sqlx::Error> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE r.center_id = $1 AND r.due_day < $2 AND r.status NOT IN ('draft', 'closed', 'withdrawn', 'rejected', 'supplement')
         ORDER BY r.due_day, r.id LIMIT $3"
    )))
    .bind(center_id)
    .bind(today)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(request).collect()
}

/// The center's active admins' ids.
pub async fn admins(db: &Db, center_id: &str) -> Result<Vec<String>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id FROM app_user WHERE center_id = $1 AND active = 1 AND role = 'admin'",
    )
    .bind(center_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| r.try_get("id")).collect()
}

/// The checklist keys a request has documents for.
pub async fn doc_keys(db: &Db, request_id: &str) -> Result<Vec<String>, sqlx::Error> {
    let rows = sqlx::query("SELECT DISTINCT doc_key FROM request_document WHERE request_id = $1")
        .bind(request_id)
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(|r| r.try_get("doc_key")).collect()
}

/// The centers with requests on a clock (for the daily digest).
pub async fn centers_with_clocks(db: &Db) -> Result<Vec<String>, sqlx::Error> {
    let rows =
        sqlx::query("SELECT DISTINCT center_id FROM service_request WHERE due_day IS NOT NULL")
            .fetch_all(&db.pool)
            .await?;
    rows.iter().map(|r| r.try_get("center_id")).collect()
}

/// Holds a request's row while it is in `status` (false: it is not).
pub async fn hold_status(tx: &mut Tx, id: &str, status: Status) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE service_request SET updated_at = updated_at WHERE id = $1 AND status = $2",
    )
    .bind(id)
    .bind(status.code())
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() == 1)
}
