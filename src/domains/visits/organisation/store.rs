use crate::clock::Instant;
use crate::db::code;
use crate::db::{Db, Row, Tx, pair};
use crate::domains::visits::model::OrgKind;
use crate::domains::visits::records::Organisation;
use sqlx::Row as _;

/// Unique constraints that become field errors (name, SQLite columns).
pub const ORG_UNIQUE: &[(&str, &str)] =
    &[("organisation_center_name_key", "organisation.center_id, organisation.name_key")];

pub(in crate::domains::visits) fn org_from(r: &Row) -> Result<Organisation, sqlx::Error> {
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
/// A page of a center's organisations in the order they were added (by id).
pub async fn orgs_page(
    db: &Db,
    center_id: &str,
    kind: &str,
    after_id: &str,
    limit: i64,
) -> Result<Vec<Organisation>, sqlx::Error> {
    sqlx::query(
        "SELECT * FROM organisation WHERE center_id = $1 AND ($2 = '' OR kind = $2) AND id > $3 ORDER BY id LIMIT $4",
    )
    .bind(center_id)
    .bind(kind)
    .bind(after_id)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(org_from)
    .collect()
}

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
