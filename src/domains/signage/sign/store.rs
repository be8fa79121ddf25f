//! SQL for signs.

use sqlx::Row as _;

use crate::db::{Db, Row, Tx, code};
use crate::domains::signage::model::{SignClass, SignInput, SignSize, SignStatus};

/// A sign as kept.
#[derive(Debug, Clone)]
pub struct Sign {
    pub id: String,
    pub reference: String,
    pub zone_id: Option<String>,
    pub room_id: Option<String>,
    pub floor: String,
    pub class: SignClass,
    pub size: SignSize,
    pub text_zh: String,
    pub text_en: String,
    pub standard_ref: String,
    pub status: SignStatus,
    pub finding: String,
    /// The photo as installed (a kept picture's key).
    pub photo_key: Option<String>,
    pub audited_at: Option<i64>,
    pub version: i64,
    pub updated_at: i64,
}

impl Sign {
    pub fn photo_href(&self) -> Option<String> {
        self.photo_key.as_ref().map(|k| format!("/media/{k}.jpg"))
    }
}

fn sign(r: &Row) -> Result<Sign, sqlx::Error> {
    Ok(Sign {
        id: r.try_get("id")?,
        reference: r.try_get("reference")?,
        zone_id: r.try_get("zone_id")?,
        room_id: r.try_get("room_id")?,
        floor: r.try_get("floor")?,
        class: code(r, "class", SignClass::parse)?,
        size: code(r, "size", SignSize::parse)?,
        text_zh: r.try_get("text_zh")?,
        text_en: r.try_get("text_en")?,
        standard_ref: r.try_get("standard_ref")?,
        status: code(r, "status", SignStatus::parse)?,
        finding: r.try_get("finding")?,
        photo_key: r.try_get("photo_key")?,
        audited_at: r.try_get("audited_at")?,
        version: r.try_get("version")?,
        updated_at: r.try_get("updated_at")?,
    })
}

pub async fn get(db: &Db, center_id: &str, id: &str) -> Result<Option<Sign>, sqlx::Error> {
    let row = sqlx::query("SELECT * FROM sign WHERE center_id = $1 AND id = $2")
        .bind(center_id)
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(sign).transpose()
}

pub async fn get_in(tx: &mut Tx, center_id: &str, id: &str) -> Result<Option<Sign>, sqlx::Error> {
    let row = sqlx::query("SELECT * FROM sign WHERE center_id = $1 AND id = $2")
        .bind(center_id)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    row.as_ref().map(sign).transpose()
}

/// What a list asks for (empty: any).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub zone_id: String,
    pub class: Option<SignClass>,
    pub status: Option<SignStatus>,
    pub size: Option<SignSize>,
}

/// A page of the center's signs by reference order (id), filtered.
pub async fn page(
    db: &Db,
    center_id: &str,
    f: &Filter,
    after_id: &str,
    limit: i64,
) -> Result<Vec<Sign>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT * FROM sign WHERE center_id = $1 AND id > $2
           AND ($3 = '' OR zone_id = $3) AND ($4 = '' OR class = $4) AND ($5 = '' OR status = $5)
           AND ($6 = '' OR size = $6)
         ORDER BY id LIMIT $7",
    )
    .bind(center_id)
    .bind(after_id)
    .bind(&f.zone_id)
    .bind(f.class.map(|c| c.code()).unwrap_or(""))
    .bind(f.status.map(|s| s.code()).unwrap_or(""))
    .bind(f.size.map(|s| s.code()).unwrap_or(""))
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(sign).collect()
}

pub async fn insert(
    tx: &mut Tx,
    id: &str,
    center_id: &str,
    reference: &str,
    s: &SignInput,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sign (id, center_id, reference, zone_id, room_id, floor, class, size, text_zh, text_en, standard_ref,
           status, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'draft', 1, $12, $12)",
    )
    .bind(id)
    .bind(center_id)
    .bind(reference)
    .bind(&s.zone_id)
    .bind(&s.room_id)
    .bind(&s.floor)
    .bind(s.class.code())
    .bind(s.size.code())
    .bind(&s.text_zh)
    .bind(&s.text_en)
    .bind(&s.standard_ref)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Saves an edit over `version` while the sign is still in `status`.
pub async fn update(
    tx: &mut Tx,
    id: &str,
    version: i64,
    status: SignStatus,
    s: &SignInput,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE sign SET zone_id = $4, room_id = $5, floor = $6, class = $7, size = $8, text_zh = $9, text_en = $10,
           standard_ref = $11, version = version + 1, updated_at = $12
         WHERE id = $1 AND version = $2 AND status = $3",
    )
    .bind(id)
    .bind(version)
    .bind(status.code())
    .bind(&s.zone_id)
    .bind(&s.room_id)
    .bind(&s.floor)
    .bind(s.class.code())
    .bind(s.size.code())
    .bind(&s.text_zh)
    .bind(&s.text_en)
    .bind(&s.standard_ref)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets the sign's photo.
pub async fn set_photo(tx: &mut Tx, id: &str, key: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sign SET photo_key = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(key)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Moves the sign from `from` to `to` (with the audit's finding and time,
/// for the walk's steps); false if its status changed meanwhile.
pub async fn step(
    tx: &mut Tx,
    id: &str,
    from: SignStatus,
    to: SignStatus,
    finding: &str,
    audited_at: Option<i64>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE sign SET status = $3, finding = $4, audited_at = COALESCE($5, audited_at), updated_at = $6
         WHERE id = $1 AND status = $2",
    )
    .bind(id)
    .bind(from.code())
    .bind(to.code())
    .bind(finding)
    .bind(audited_at)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
