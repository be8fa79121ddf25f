//! SQL for authentication: sessions, API tokens, failed-login counts and the
//! user as a caller. User administration lives in `domains::accounts`.

use std::sync::Arc;

use sqlx::Row as _;

use super::{CurrentUser, Role};
use crate::clock::Instant;
use crate::db::{Db, Row, Tx};

/// What login needs to know of an account.
pub struct LoginRow {
    pub id: String,
    pub center_id: Option<String>,
    pub password_hash: String,
    pub active: bool,
}

pub async fn find_login(db: &Db, email: &str) -> Result<Option<LoginRow>, sqlx::Error> {
    let row =
        sqlx::query("SELECT id, center_id, password_hash, active FROM app_user WHERE email = $1")
            .bind(email)
            .fetch_optional(&db.pool)
            .await?;
    row.map(|r| {
        Ok(LoginRow {
            id: r.try_get("id")?,
            center_id: r.try_get("center_id")?,
            password_hash: r.try_get("password_hash")?,
            active: r.try_get::<i64, _>("active")? != 0,
        })
    })
    .transpose()
}

async fn current_from_row(
    db: &Db,
    row: &Row,
    csrf_token: Option<String>,
) -> Result<Option<Arc<CurrentUser>>, sqlx::Error> {
    let role_code: String = row.try_get("role")?;
    let Some(role) = Role::parse(&role_code) else {
        return Ok(None);
    };
    let id: String = row.try_get("id")?;
    let center_id: Option<String> = row.try_get("center_id")?;
    let scope = match (&center_id, role) {
        (_, Role::Oversight) => oversight_scope(db, &id).await?,
        (Some(c), _) => vec![c.clone()],
        (None, _) => vec![],
    };
    Ok(Some(Arc::new(CurrentUser {
        id,
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        role,
        center_id,
        scope,
        csrf_token,
    })))
}

pub async fn oversight_scope(db: &Db, user_id: &str) -> Result<Vec<String>, sqlx::Error> {
    let rows =
        sqlx::query("SELECT center_id FROM oversight_scope WHERE user_id = $1 ORDER BY center_id")
            .bind(user_id)
            .fetch_all(&db.pool)
            .await?;
    rows.iter().map(|r| r.try_get("center_id")).collect()
}

/// The active user behind a live session.
pub async fn user_by_session(
    db: &Db,
    token_hash: &str,
    now: Instant,
) -> Result<Option<Arc<CurrentUser>>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT u.id, u.email, u.display_name, u.role, u.center_id, s.csrf_token
         FROM user_session s JOIN app_user u ON u.id = s.user_id
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = 1",
    )
    .bind(token_hash)
    .bind(now.millis())
    .fetch_optional(&db.pool)
    .await?;
    match row {
        Some(r) => {
            let csrf: String = r.try_get("csrf_token")?;
            current_from_row(db, &r, Some(csrf)).await
        }
        None => Ok(None),
    }
}

/// The active user behind an unrevoked API token.
pub async fn user_by_api_token(
    db: &Db,
    token_hash: &str,
) -> Result<Option<Arc<CurrentUser>>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT u.id, u.email, u.display_name, u.role, u.center_id
         FROM api_token t JOIN app_user u ON u.id = t.user_id
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active = 1",
    )
    .bind(token_hash)
    .fetch_optional(&db.pool)
    .await?;
    match row {
        Some(r) => current_from_row(db, &r, None).await,
        None => Ok(None),
    }
}

pub async fn create_session(
    tx: &mut Tx,
    token_hash: &str,
    user_id: &str,
    csrf_token: &str,
    now: Instant,
    expires_at: Instant,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO user_session (token_hash, user_id, csrf_token, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(csrf_token)
    .bind(now.millis())
    .bind(expires_at.millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn delete_session(tx: &mut Tx, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM user_session WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Ends every session of a user (deactivated, password or role changed).
pub async fn delete_sessions_of(tx: &mut Tx, user_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM user_session WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn delete_expired_sessions(db: &Db, now: Instant) -> Result<u64, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let n = sqlx::query("DELETE FROM user_session WHERE expires_at <= $1")
        .bind(now.millis())
        .execute(&mut *tx)
        .await?
        .rows_affected();
    tx.commit().await?;
    Ok(n)
}

pub async fn create_api_token(
    tx: &mut Tx,
    id: &str,
    user_id: &str,
    name: &str,
    token_hash: &str,
    now: Instant,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO api_token (id, user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(user_id)
    .bind(name)
    .bind(token_hash)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Failed logins since `since`: (count, oldest) for the account and for the address.
pub struct FailureCounts {
    /// This account from this address.
    pub by_pair: (i64, Option<i64>),
    /// This address, any account.
    pub by_ip: (i64, Option<i64>),
    /// This account, any address.
    pub by_email: (i64, Option<i64>),
}

/// Failed logins since `since`, read in the caller's transaction (which
/// holds the account's and the address's locks, see `accounts::service::login`).
pub async fn failures_since(
    tx: &mut Tx,
    email: &str,
    client_ip: &str,
    since: Instant,
) -> Result<FailureCounts, sqlx::Error> {
    let mut count = async |sql: &'static str, a: &str, b: Option<&str>| {
        let mut q = sqlx::query(sql).bind(a.to_string());
        if let Some(b) = b {
            q = q.bind(b.to_string());
        }
        let row = q.bind(since.millis()).fetch_one(&mut **tx).await?;
        Ok::<_, sqlx::Error>((row.try_get("n")?, row.try_get("oldest")?))
    };
    let by_pair = count(
        "SELECT COUNT(*) AS n, MIN(at) AS oldest FROM login_failure
         WHERE email = $1 AND client_ip = $2 AND at > $3",
        email,
        Some(client_ip),
    )
    .await?;
    let by_ip = count(
        "SELECT COUNT(*) AS n, MIN(at) AS oldest FROM login_failure WHERE client_ip = $1 AND at > $2",
        client_ip,
        None,
    )
    .await?;
    let by_email = count(
        "SELECT COUNT(*) AS n, MIN(at) AS oldest FROM login_failure WHERE email = $1 AND at > $2",
        email,
        None,
    )
    .await?;
    Ok(FailureCounts { by_pair, by_ip, by_email })
}

pub async fn record_failure(
    tx: &mut Tx,
    email: &str,
    client_ip: &str,
    now: Instant,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO login_failure (id, email, client_ip, at) VALUES ($1, $2, $3, $4)")
        .bind(crate::db::new_id())
        .bind(email)
        .bind(client_ip)
        .bind(now.millis())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A successful login forgives the account's earlier failures.
pub async fn clear_failures(tx: &mut Tx, email: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_failure WHERE email = $1")
        .bind(email)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// One of a user's API tokens, without its secret.
#[derive(Debug, Clone)]
pub struct TokenInfo {
    pub id: String,
    pub name: String,
    pub created_at: Instant,
    pub revoked: bool,
}

pub async fn tokens_of(db: &Db, user_id: &str) -> Result<Vec<TokenInfo>, sqlx::Error> {
    sqlx::query("SELECT id, name, created_at, revoked_at FROM api_token WHERE user_id = $1 ORDER BY created_at DESC, id DESC")
        .bind(user_id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(TokenInfo {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                created_at: Instant(r.try_get("created_at")?),
                revoked: r.try_get::<Option<i64>, _>("revoked_at")?.is_some(),
            })
        })
        .collect()
}

/// Revokes every live token of a user (their password was set by someone else).
pub async fn revoke_tokens_of(
    tx: &mut Tx,
    user_id: &str,
    now: Instant,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE api_token SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
    )
    .bind(user_id)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// Revokes a token of this user; false when there is no such live token.
pub async fn revoke_token(
    tx: &mut Tx,
    user_id: &str,
    token_id: &str,
    now: Instant,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE api_token SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL")
        .bind(token_id)
        .bind(user_id)
        .bind(now.millis())
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn password_hash_of(db: &Db, user_id: &str) -> Result<Option<String>, sqlx::Error> {
    let row = sqlx::query("SELECT password_hash FROM app_user WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|r| r.try_get("password_hash")).transpose()
}
