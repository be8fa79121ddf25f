//! SQL for enterprises, their contacts and members.

use sqlx::Row as _;

use crate::db::{Db, Row, Tx};
use crate::domains::enterprises::model::{Contact, EnterpriseInput};

/// An enterprise as kept.
#[derive(Debug, Clone)]
pub struct Enterprise {
    pub id: String,
    pub center_id: String,
    pub uscc: String,
    pub name_zh: String,
    pub name_en: String,
    pub address_zh: String,
    pub address_en: String,
    pub settled: bool,
    pub settled_on: Option<String>,
    pub contacts: Vec<Contact>,
    pub version: i64,
}

fn enterprise(r: &Row) -> Result<Enterprise, sqlx::Error> {
    Ok(Enterprise {
        id: r.try_get("id")?,
        center_id: r.try_get("center_id")?,
        uscc: r.try_get("uscc")?,
        name_zh: r.try_get("name_zh")?,
        name_en: r.try_get("name_en")?,
        address_zh: r.try_get("address_zh")?,
        address_en: r.try_get("address_en")?,
        settled: r.try_get::<i64, _>("settled")? == 1,
        settled_on: r.try_get("settled_on")?,
        contacts: vec![],
        version: r.try_get("version")?,
    })
}

fn contact(r: &Row) -> Result<Contact, sqlx::Error> {
    Ok(Contact {
        name: r.try_get("name")?,
        title: r.try_get("title")?,
        phone: r.try_get("phone")?,
        email: r.try_get("email")?,
    })
}

const CONTACTS: &str = "SELECT name, title, phone, email FROM enterprise_contact WHERE enterprise_id = $1 ORDER BY position";

pub async fn get(db: &Db, center_id: &str, id: &str) -> Result<Option<Enterprise>, sqlx::Error> {
    let Some(row) = sqlx::query("SELECT * FROM enterprise WHERE center_id = $1 AND id = $2")
        .bind(center_id)
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
    else {
        return Ok(None);
    };
    let mut e = enterprise(&row)?;
    let rows = sqlx::query(CONTACTS).bind(id).fetch_all(&db.pool).await?;
    e.contacts = rows.iter().map(contact).collect::<Result<_, _>>()?;
    Ok(Some(e))
}

pub async fn get_in(
    tx: &mut Tx,
    center_id: &str,
    id: &str,
) -> Result<Option<Enterprise>, sqlx::Error> {
    let row = sqlx::query("SELECT * FROM enterprise WHERE center_id = $1 AND id = $2")
        .bind(center_id)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    row.as_ref().map(enterprise).transpose()
}

/// A page of the center's enterprises by id, matching `q` in either name or the code.
pub async fn page(
    db: &Db,
    center_id: &str,
    q: &str,
    after_id: &str,
    limit: i64,
) -> Result<Vec<Enterprise>, sqlx::Error> {
    let like = format!("%{}%", q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    let rows = sqlx::query(
        "SELECT * FROM enterprise WHERE center_id = $1 AND id > $2
           AND ($3 = '' OR name_zh LIKE $4 ESCAPE '\\' OR LOWER(name_en) LIKE LOWER($4) ESCAPE '\\' OR uscc LIKE UPPER($4) ESCAPE '\\')
         ORDER BY id LIMIT $5",
    )
    .bind(center_id)
    .bind(after_id)
    .bind(q)
    .bind(&like)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(enterprise).collect()
}

/// Every enterprise of the center, for pickers (id, names), at most `limit`.
pub async fn names(
    db: &Db,
    center_id: &str,
    limit: i64,
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, name_zh, name_en FROM enterprise WHERE center_id = $1 ORDER BY name_zh, id LIMIT $2")
        .bind(center_id)
        .bind(limit)
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("name_zh")?, r.try_get("name_en")?)))
        .collect()
}

async fn write_contacts(tx: &mut Tx, id: &str, contacts: &[Contact]) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM enterprise_contact WHERE enterprise_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for (i, c) in contacts.iter().enumerate() {
        sqlx::query(
            "INSERT INTO enterprise_contact (enterprise_id, position, name, title, phone, email) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(i as i64)
        .bind(&c.name)
        .bind(&c.title)
        .bind(&c.phone)
        .bind(&c.email)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

pub async fn insert(
    tx: &mut Tx,
    id: &str,
    center_id: &str,
    e: &EnterpriseInput,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO enterprise (id, center_id, uscc, name_zh, name_en, address_zh, address_en, settled, settled_on, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
    )
    .bind(id)
    .bind(center_id)
    .bind(&e.uscc)
    .bind(&e.name_zh)
    .bind(&e.name_en)
    .bind(&e.address_zh)
    .bind(&e.address_en)
    .bind(i64::from(e.settled))
    .bind(e.settled_on.map(|d| d.to_string()))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    write_contacts(tx, id, &e.contacts).await
}

/// Saves an edit made on `version` (false: changed meanwhile).
pub async fn update(
    tx: &mut Tx,
    id: &str,
    version: i64,
    e: &EnterpriseInput,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE enterprise SET uscc = $1, name_zh = $2, name_en = $3, address_zh = $4, address_en = $5, settled = $6,
           settled_on = $7, version = version + 1, updated_at = $8
         WHERE id = $9 AND version = $10",
    )
    .bind(&e.uscc)
    .bind(&e.name_zh)
    .bind(&e.name_en)
    .bind(&e.address_zh)
    .bind(&e.address_en)
    .bind(i64::from(e.settled))
    .bind(e.settled_on.map(|d| d.to_string()))
    .bind(now)
    .bind(id)
    .bind(version)
    .execute(&mut **tx)
    .await?;
    if r.rows_affected() != 1 {
        return Ok(false);
    }
    write_contacts(tx, id, &e.contacts).await?;
    Ok(true)
}

/// A member: an account acting for the enterprise.
#[derive(Debug, Clone)]
pub struct Member {
    pub user_id: String,
    pub email: String,
    pub display_name: String,
    pub lang: String,
}

pub async fn members(db: &Db, enterprise_id: &str) -> Result<Vec<Member>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT u.id, u.email, u.display_name, u.preferred_lang FROM enterprise_member m JOIN app_user u ON u.id = m.user_id
         WHERE m.enterprise_id = $1 AND u.active = 1 ORDER BY u.email",
    )
    .bind(enterprise_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Member {
                user_id: r.try_get("id")?,
                email: r.try_get("email")?,
                display_name: r.try_get("display_name")?,
                lang: r.try_get("preferred_lang")?,
            })
        })
        .collect()
}

/// The members' ids, inside a write (to notify them).
pub async fn member_ids_in(tx: &mut Tx, enterprise_id: &str) -> Result<Vec<String>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT m.user_id FROM enterprise_member m JOIN app_user u ON u.id = m.user_id WHERE m.enterprise_id = $1 AND u.active = 1",
    )
    .bind(enterprise_id)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(|r| r.try_get("user_id")).collect()
}

/// The enterprise a user acts for.
pub async fn of_user(db: &Db, user_id: &str) -> Result<Option<String>, sqlx::Error> {
    let row = sqlx::query("SELECT enterprise_id FROM enterprise_member WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|r| r.try_get("enterprise_id")).transpose()
}

/// An active enterprise account of the center by e-mail: (id, already a member of).
pub async fn enterprise_account(
    tx: &mut Tx,
    center_id: &str,
    email: &str,
) -> Result<Option<(String, Option<String>)>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT u.id, m.enterprise_id FROM app_user u LEFT JOIN enterprise_member m ON m.user_id = u.id
         WHERE u.center_id = $1 AND u.email = $2 AND u.role = 'enterprise' AND u.active = 1",
    )
    .bind(center_id)
    .bind(email)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|r| Ok((r.try_get("id")?, r.try_get("enterprise_id")?))).transpose()
}

pub async fn add_member(
    tx: &mut Tx,
    user_id: &str,
    enterprise_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO enterprise_member (user_id, enterprise_id) VALUES ($1, $2)")
        .bind(user_id)
        .bind(enterprise_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn remove_member(
    tx: &mut Tx,
    user_id: &str,
    enterprise_id: &str,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query("DELETE FROM enterprise_member WHERE user_id = $1 AND enterprise_id = $2")
        .bind(user_id)
        .bind(enterprise_id)
        .execute(&mut **tx)
        .await?;
    Ok(r.rows_affected() == 1)
}
