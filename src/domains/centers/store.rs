//! SQL for centers and zones.

use sqlx::Row as _;

use super::model::{Bilingual, Center, SettingsEdit, Zone, ZoneEdit};
use crate::clock::Instant;
use crate::db::{Db, Row, Tx};

fn pair(r: &Row, field: &str) -> Result<Bilingual, sqlx::Error> {
    Ok(Bilingual {
        zh: r.try_get(format!("{field}_zh").as_str())?,
        en: r.try_get(format!("{field}_en").as_str())?,
    })
}

fn center_from(r: &Row) -> Result<Center, sqlx::Error> {
    Ok(Center {
        id: r.try_get("id")?,
        slug: r.try_get("slug")?,
        name: pair(r, "name")?,
        short_name: pair(r, "short_name")?,
        intro: pair(r, "intro")?,
        address: pair(r, "address")?,
        opening_hours: pair(r, "opening_hours")?,
        phone: r.try_get("phone")?,
        email: r.try_get("email")?,
        timezone: r.try_get("timezone")?,
    })
}

fn zone_from(r: &Row) -> Result<Zone, sqlx::Error> {
    Ok(Zone {
        id: r.try_get("id")?,
        center_id: r.try_get("center_id")?,
        code: r.try_get("code")?,
        name: pair(r, "name")?,
        description: pair(r, "description")?,
        position: r.try_get("position")?,
    })
}

pub async fn get(db: &Db, id: &str) -> Result<Option<Center>, sqlx::Error> {
    sqlx::query(
        "SELECT id, slug, name_zh, name_en, short_name_zh, short_name_en, intro_zh, intro_en,
                address_zh, address_en, opening_hours_zh, opening_hours_en, phone, email, timezone
         FROM center WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    .as_ref()
    .map(center_from)
    .transpose()
}

/// The center `/` shows: by slug, or the oldest when the slug is empty.
pub async fn public_center(db: &Db, slug: &str) -> Result<Option<Center>, sqlx::Error> {
    sqlx::query(
        "SELECT id, slug, name_zh, name_en, short_name_zh, short_name_en, intro_zh, intro_en,
                address_zh, address_en, opening_hours_zh, opening_hours_en, phone, email, timezone
         FROM center WHERE ($1 = '' OR slug = $1) ORDER BY created_at, id LIMIT 1",
    )
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?
    .as_ref()
    .map(center_from)
    .transpose()
}

pub async fn find_by_slug(
    conn: &mut sqlx::AnyConnection,
    slug: &str,
) -> Result<Option<String>, sqlx::Error> {
    let row = sqlx::query("SELECT id FROM center WHERE slug = $1")
        .bind(slug)
        .fetch_optional(conn)
        .await?;
    row.map(|r| r.try_get("id")).transpose()
}

pub async fn insert_center(tx: &mut Tx, c: &Center, now: Instant) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO center (id, slug, name_zh, name_en, short_name_zh, short_name_en, intro_zh, intro_en,
                             address_zh, address_en, opening_hours_zh, opening_hours_en, phone, email,
                             timezone, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)",
    )
    .bind(&c.id)
    .bind(&c.slug)
    .bind(&c.name.zh)
    .bind(&c.name.en)
    .bind(&c.short_name.zh)
    .bind(&c.short_name.en)
    .bind(&c.intro.zh)
    .bind(&c.intro.en)
    .bind(&c.address.zh)
    .bind(&c.address.en)
    .bind(&c.opening_hours.zh)
    .bind(&c.opening_hours.en)
    .bind(&c.phone)
    .bind(&c.email)
    .bind(&c.timezone)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn update_settings(
    tx: &mut Tx,
    center_id: &str,
    s: &SettingsEdit,
    now: Instant,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE center SET name_zh = $2, name_en = $3, short_name_zh = $4, short_name_en = $5,
                intro_zh = $6, intro_en = $7, address_zh = $8, address_en = $9,
                opening_hours_zh = $10, opening_hours_en = $11, phone = $12, email = $13,
                timezone = $14, updated_at = $15
         WHERE id = $1",
    )
    .bind(center_id)
    .bind(&s.name.zh)
    .bind(&s.name.en)
    .bind(&s.short_name.zh)
    .bind(&s.short_name.en)
    .bind(&s.intro.zh)
    .bind(&s.intro.en)
    .bind(&s.address.zh)
    .bind(&s.address.en)
    .bind(&s.opening_hours.zh)
    .bind(&s.opening_hours.en)
    .bind(&s.phone)
    .bind(&s.email)
    .bind(&s.timezone)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The zones of the given centers, in display order.
pub async fn zones_of(db: &Db, center_id: &str) -> Result<Vec<Zone>, sqlx::Error> {
    sqlx::query(
        "SELECT id, center_id, code, name_zh, name_en, description_zh, description_en, position
         FROM zone WHERE center_id = $1 ORDER BY position, code",
    )
    .bind(center_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(zone_from)
    .collect()
}

pub async fn zone_for_update(tx: &mut Tx, id: &str) -> Result<Option<Zone>, sqlx::Error> {
    sqlx::query(
        "SELECT id, center_id, code, name_zh, name_en, description_zh, description_en, position
         FROM zone WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .as_ref()
    .map(zone_from)
    .transpose()
}

pub async fn center_for_update(tx: &mut Tx, id: &str) -> Result<Option<Center>, sqlx::Error> {
    sqlx::query(
        "SELECT id, slug, name_zh, name_en, short_name_zh, short_name_en, intro_zh, intro_en,
                address_zh, address_en, opening_hours_zh, opening_hours_en, phone, email, timezone
         FROM center WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .as_ref()
    .map(center_from)
    .transpose()
}

/// Inserts a zone, or leaves an existing one with the same code untouched.
pub async fn insert_zone_if_missing(
    tx: &mut Tx,
    z: &Zone,
    now: Instant,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO zone (id, center_id, code, name_zh, name_en, description_zh, description_en,
                           position, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
         ON CONFLICT (center_id, code) DO NOTHING",
    )
    .bind(&z.id)
    .bind(&z.center_id)
    .bind(&z.code)
    .bind(&z.name.zh)
    .bind(&z.name.en)
    .bind(&z.description.zh)
    .bind(&z.description.en)
    .bind(z.position)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn update_zone(
    tx: &mut Tx,
    id: &str,
    e: &ZoneEdit,
    now: Instant,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE zone SET name_zh = $2, name_en = $3, description_zh = $4, description_en = $5,
                updated_at = $6 WHERE id = $1",
    )
    .bind(id)
    .bind(&e.name.zh)
    .bind(&e.name.en)
    .bind(&e.description.zh)
    .bind(&e.description.en)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
