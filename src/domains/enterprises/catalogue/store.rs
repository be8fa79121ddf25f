//! SQL for the service catalogue, item categories and the center's days.

use sqlx::Row as _;

use crate::db::{Db, Row, Tx, code};
use crate::domains::enterprises::model::flow::Flow;
use crate::domains::enterprises::model::form::FormSpec;

/// A service as kept, with the form its new requests are filed under.
#[derive(Debug, Clone)]
pub struct ServiceType {
    pub id: String,
    pub code: String,
    pub flow: Flow,
    pub name_zh: String,
    pub name_en: String,
    pub summary_zh: String,
    pub summary_en: String,
    pub whitelist: bool,
    pub active: bool,
    pub form_version: i64,
    pub position: i64,
}

fn service_type(r: &Row) -> Result<ServiceType, sqlx::Error> {
    Ok(ServiceType {
        id: r.try_get("id")?,
        code: r.try_get("code")?,
        flow: code(r, "flow", Flow::parse)?,
        name_zh: r.try_get("name_zh")?,
        name_en: r.try_get("name_en")?,
        summary_zh: r.try_get("summary_zh")?,
        summary_en: r.try_get("summary_en")?,
        whitelist: r.try_get::<i64, _>("whitelist")? == 1,
        active: r.try_get::<i64, _>("active")? == 1,
        form_version: r.try_get("form_version")?,
        position: r.try_get("position")?,
    })
}

pub async fn types(db: &Db, center_id: &str) -> Result<Vec<ServiceType>, sqlx::Error> {
    let rows = sqlx::query("SELECT * FROM service_type WHERE center_id = $1 ORDER BY position, id")
        .bind(center_id)
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(service_type).collect()
}

pub async fn get(db: &Db, center_id: &str, id: &str) -> Result<Option<ServiceType>, sqlx::Error> {
    let row = sqlx::query("SELECT * FROM service_type WHERE center_id = $1 AND id = $2")
        .bind(center_id)
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(service_type).transpose()
}

pub async fn get_in(
    tx: &mut Tx,
    center_id: &str,
    id: &str,
) -> Result<Option<ServiceType>, sqlx::Error> {
    let row = sqlx::query("SELECT * FROM service_type WHERE center_id = $1 AND id = $2")
        .bind(center_id)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    row.as_ref().map(service_type).transpose()
}

pub async fn count(tx: &mut Tx, center_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) AS n FROM service_type WHERE center_id = $1")
        .bind(center_id)
        .fetch_one(&mut **tx)
        .await?
        .try_get("n")
}

fn spec_of(r: &Row) -> Result<FormSpec, sqlx::Error> {
    let text: String = r.try_get("spec")?;
    serde_json::from_str(&text).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

pub async fn form(db: &Db, type_id: &str, version: i64) -> Result<Option<FormSpec>, sqlx::Error> {
    let row =
        sqlx::query("SELECT spec FROM service_form WHERE service_type_id = $1 AND version = $2")
            .bind(type_id)
            .bind(version)
            .fetch_optional(&db.pool)
            .await?;
    row.as_ref().map(spec_of).transpose()
}

pub async fn form_in(
    tx: &mut Tx,
    type_id: &str,
    version: i64,
) -> Result<Option<FormSpec>, sqlx::Error> {
    let row =
        sqlx::query("SELECT spec FROM service_form WHERE service_type_id = $1 AND version = $2")
            .bind(type_id)
            .bind(version)
            .fetch_optional(&mut **tx)
            .await?;
    row.as_ref().map(spec_of).transpose()
}

/// What a new service is made of.
pub struct NewType<'a> {
    pub code: &'a str,
    pub flow: Flow,
    pub name_zh: &'a str,
    pub name_en: &'a str,
    pub summary_zh: &'a str,
    pub summary_en: &'a str,
    pub whitelist: bool,
    pub position: i64,
}

pub async fn insert_type(
    tx: &mut Tx,
    id: &str,
    center_id: &str,
    t: &NewType<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO service_type (id, center_id, code, flow, name_zh, name_en, summary_zh, summary_en, whitelist, position,
           form_version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11)",
    )
    .bind(id)
    .bind(center_id)
    .bind(t.code)
    .bind(t.flow.code())
    .bind(t.name_zh)
    .bind(t.name_en)
    .bind(t.summary_zh)
    .bind(t.summary_en)
    .bind(i64::from(t.whitelist))
    .bind(t.position)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn insert_form(
    tx: &mut Tx,
    type_id: &str,
    version: i64,
    spec: &FormSpec,
    by: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO service_form (service_type_id, version, spec, created_at, created_by) VALUES ($1, $2, $3, $4, $5)")
        .bind(type_id)
        .bind(version)
        .bind(serde_json::to_string(spec).unwrap_or_default())
        .bind(now)
        .bind(by)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Moves the service to a new form version, if it is still on `from`.
pub async fn bump_form(
    tx: &mut Tx,
    type_id: &str,
    from: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query("UPDATE service_type SET form_version = form_version + 1, updated_at = $1 WHERE id = $2 AND form_version = $3")
        .bind(now)
        .bind(type_id)
        .bind(from)
        .execute(&mut **tx)
        .await?;
    Ok(r.rows_affected() == 1)
}

#[allow(clippy::too_many_arguments)]
pub async fn update_type(
    tx: &mut Tx,
    id: &str,
    name_zh: &str,
    name_en: &str,
    summary_zh: &str,
    summary_en: &str,
    active: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE service_type SET name_zh = $1, name_en = $2, summary_zh = $3, summary_en = $4, active = $5, updated_at = $6 WHERE id = $7",
    )
    .bind(name_zh)
    .bind(name_en)
    .bind(summary_zh)
    .bind(summary_en)
    .bind(i64::from(active))
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// An item category.
#[derive(Debug, Clone)]
pub struct Category {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub special: bool,
    pub risk_class: String,
}

pub async fn categories(db: &Db, center_id: &str) -> Result<Vec<Category>, sqlx::Error> {
    let rows =
        sqlx::query("SELECT * FROM item_category WHERE center_id = $1 ORDER BY position, code")
            .bind(center_id)
            .fetch_all(&db.pool)
            .await?;
    rows.iter()
        .map(|r| {
            Ok(Category {
                code: r.try_get("code")?,
                name_zh: r.try_get("name_zh")?,
                name_en: r.try_get("name_en")?,
                special: r.try_get::<i64, _>("special")? == 1,
                risk_class: r.try_get("risk_class")?,
            })
        })
        .collect()
}

pub async fn insert_category(
    tx: &mut Tx,
    center_id: &str,
    c: &Category,
    position: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO item_category (center_id, code, name_zh, name_en, special, risk_class, position) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (center_id, code) DO UPDATE SET name_zh = $3, name_en = $4, special = $5, risk_class = $6",
    )
    .bind(center_id)
    .bind(&c.code)
    .bind(&c.name_zh)
    .bind(&c.name_en)
    .bind(i64::from(c.special))
    .bind(&c.risk_class)
    .bind(position)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A day of the center's own calendar.
#[derive(Debug, Clone)]
pub struct CenterDay {
    pub day: String,
    pub closed: bool,
    pub note_zh: String,
    pub note_en: String,
}

pub async fn days(db: &Db, center_id: &str) -> Result<Vec<CenterDay>, sqlx::Error> {
    let rows = sqlx::query("SELECT * FROM center_day WHERE center_id = $1 ORDER BY day")
        .bind(center_id)
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(CenterDay {
                day: r.try_get("day")?,
                closed: r.try_get::<i64, _>("closed")? == 1,
                note_zh: r.try_get("note_zh")?,
                note_en: r.try_get("note_en")?,
            })
        })
        .collect()
}

pub async fn set_day(tx: &mut Tx, center_id: &str, d: &CenterDay) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO center_day (center_id, day, closed, note_zh, note_en) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (center_id, day) DO UPDATE SET closed = $3, note_zh = $4, note_en = $5",
    )
    .bind(center_id)
    .bind(&d.day)
    .bind(i64::from(d.closed))
    .bind(&d.note_zh)
    .bind(&d.note_en)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn remove_day(tx: &mut Tx, center_id: &str, day: &str) -> Result<bool, sqlx::Error> {
    let r = sqlx::query("DELETE FROM center_day WHERE center_id = $1 AND day = $2")
        .bind(center_id)
        .bind(day)
        .execute(&mut **tx)
        .await?;
    Ok(r.rows_affected() == 1)
}
