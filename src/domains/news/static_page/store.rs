//! SQL for the site's pages.

use sqlx::Row as _;

use crate::db::{Db, Row, Tx, code};
use crate::domains::news::model::{PageInput, PageKey, SitePage};

fn page(r: &Row) -> Result<SitePage, sqlx::Error> {
    Ok(SitePage {
        key: code(r, "page_key", PageKey::parse)?,
        id: Some(r.try_get("id")?),
        title_zh: r.try_get("title_zh")?,
        title_en: r.try_get("title_en")?,
        body_zh: r.try_get("body_zh")?,
        body_en: r.try_get("body_en")?,
        version: r.try_get("version")?,
        updated_at: r.try_get("updated_at")?,
    })
}

pub async fn get(db: &Db, center_id: &str, key: PageKey) -> Result<Option<SitePage>, sqlx::Error> {
    let row = sqlx::query("SELECT * FROM site_page WHERE center_id = $1 AND page_key = $2")
        .bind(center_id)
        .bind(key.code())
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(page).transpose()
}

pub async fn key_of(db: &Db, center_id: &str, id: &str) -> Result<Option<PageKey>, sqlx::Error> {
    let row = sqlx::query("SELECT * FROM site_page WHERE center_id = $1 AND id = $2")
        .bind(center_id)
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.as_ref().map(page).transpose()?.map(|p| p.key))
}

/// The page's id, inside a write.
pub async fn id_in(
    tx: &mut Tx,
    center_id: &str,
    key: PageKey,
) -> Result<Option<String>, sqlx::Error> {
    let row = sqlx::query("SELECT id FROM site_page WHERE center_id = $1 AND page_key = $2")
        .bind(center_id)
        .bind(key.code())
        .fetch_optional(&mut **tx)
        .await?;
    row.map(|r| r.try_get("id")).transpose()
}

/// The first save of a page; false if someone wrote it meanwhile.
pub async fn insert(
    tx: &mut Tx,
    id: &str,
    center_id: &str,
    key: PageKey,
    p: &PageInput,
    by: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO site_page (id, center_id, page_key, title_zh, title_en, body_zh, body_en, version, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9) ON CONFLICT (center_id, page_key) DO NOTHING",
    )
    .bind(id)
    .bind(center_id)
    .bind(key.code())
    .bind(&p.title_zh)
    .bind(&p.title_en)
    .bind(&p.body_zh)
    .bind(&p.body_en)
    .bind(by)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Saves over `version`; false if someone saved since.
pub async fn update(
    tx: &mut Tx,
    center_id: &str,
    key: PageKey,
    version: i64,
    p: &PageInput,
    by: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE site_page SET title_zh = $4, title_en = $5, body_zh = $6, body_en = $7, version = version + 1,
           updated_by = $8, updated_at = $9
         WHERE center_id = $1 AND page_key = $2 AND version = $3",
    )
    .bind(center_id)
    .bind(key.code())
    .bind(version)
    .bind(&p.title_zh)
    .bind(&p.title_en)
    .bind(&p.body_zh)
    .bind(&p.body_en)
    .bind(by)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
