//! SQL for user administration. Authentication queries are in `auth::store`.

use sqlx::Row as _;

use super::model::{NewUser, User, UserEdit};
use crate::auth::Role;
use crate::clock::Instant;
use crate::db::{Db, Row, Tx};

/// Unique constraints that become field errors (name, SQLite columns).
pub const UNIQUE: &[(&str, &str)] = &[("app_user_email_key", "app_user.email")];

fn user_from(r: &Row) -> Result<User, sqlx::Error> {
    let role: String = r.try_get("role")?;
    Ok(User {
        id: r.try_get("id")?,
        center_id: r.try_get("center_id")?,
        email: r.try_get("email")?,
        display_name: r.try_get("display_name")?,
        role: crate::db::known("role", &role, Role::parse)?,
        active: r.try_get::<i64, _>("active")? != 0,
        created_at: Instant(r.try_get("created_at")?),
    })
}

pub async fn insert(
    tx: &mut Tx,
    id: &str,
    u: &NewUser,
    password_hash: &str,
    now: Instant,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO app_user (id, center_id, email, display_name, role, password_hash, active,
                               created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7)",
    )
    .bind(id)
    .bind(u.center_id.as_deref())
    .bind(&u.email)
    .bind(&u.display_name)
    .bind(u.role.code())
    .bind(password_hash)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    for center in &u.oversees {
        sqlx::query(
            "INSERT INTO oversight_scope (user_id, center_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(center)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

pub async fn list_in_center(db: &Db, center_id: &str) -> Result<Vec<User>, sqlx::Error> {
    sqlx::query(
        "SELECT id, center_id, email, display_name, role, active, created_at
         FROM app_user WHERE center_id = $1 ORDER BY role, email",
    )
    .bind(center_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(user_from)
    .collect()
}

/// A page of a center's users in the order they were added (by id).
pub async fn page_in_center(
    db: &Db,
    center_id: &str,
    after_id: &str,
    limit: i64,
) -> Result<Vec<User>, sqlx::Error> {
    sqlx::query(
        "SELECT id, center_id, email, display_name, role, active, created_at
         FROM app_user WHERE center_id = $1 AND id > $2 ORDER BY id LIMIT $3",
    )
    .bind(center_id)
    .bind(after_id)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(user_from)
    .collect()
}

pub async fn get_for_update(tx: &mut Tx, id: &str) -> Result<Option<User>, sqlx::Error> {
    sqlx::query(
        "SELECT id, center_id, email, display_name, role, active, created_at FROM app_user WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .as_ref()
    .map(user_from)
    .transpose()
}

pub async fn find_by_email(db: &Db, email: &str) -> Result<Option<User>, sqlx::Error> {
    sqlx::query(
        "SELECT id, center_id, email, display_name, role, active, created_at FROM app_user WHERE email = $1",
    )
    .bind(email)
    .fetch_optional(&db.pool)
    .await?
    .as_ref()
    .map(user_from)
    .transpose()
}

pub async fn update(tx: &mut Tx, id: &str, e: &UserEdit, now: Instant) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE app_user SET display_name = $2, role = $3, active = $4, updated_at = $5 WHERE id = $1",
    )
    .bind(id)
    .bind(&e.display_name)
    .bind(e.role.code())
    .bind(i64::from(e.active))
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn set_password(
    tx: &mut Tx,
    id: &str,
    hash: &str,
    now: Instant,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE app_user SET password_hash = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(hash)
        .bind(now.millis())
        .execute(&mut **tx)
        .await?;
    Ok(())
}
