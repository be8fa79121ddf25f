use crate::clock::Instant;
use crate::db::{Db, Row, Tx, flag, pair};
use crate::domains::visits::model::Gender;
use crate::domains::visits::records::Member;
use crate::domains::visits::visit::store::*;
use sqlx::Row as _;

pub(in crate::domains::visits) fn member_from(r: &Row) -> Result<Member, sqlx::Error> {
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

/// One member of a visit, read in the write transaction that changes it.
pub async fn member_tx(
    tx: &mut Tx,
    visit_id: &str,
    id: &str,
) -> Result<Option<Member>, sqlx::Error> {
    sqlx::query("SELECT * FROM visit_member WHERE id = $1 AND visit_id = $2")
        .bind(id)
        .bind(visit_id)
        .fetch_optional(&mut **tx)
        .await?
        .as_ref()
        .map(member_from)
        .transpose()
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
