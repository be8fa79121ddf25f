//! Creating and editing accounts, signing in and out, and API tokens. Every
//! change is audited in its own transaction; a failed login is recorded (and
//! audited) even though nothing else changes.

use serde_json::json;

use super::model::{ACCOUNT_CEILING_FACTOR, NewUser, RecentFailures, User, UserEdit, throttle};
use super::store;
use crate::audit::Who;
use crate::auth::{password, secret, store as auth_store};
use crate::db::{new_id, unique_violation};
use crate::error::{AppError, AppResult, FieldError};
use crate::state::AppState;
use crate::validate::normalize_email;
use crate::write::Write;

pub async fn create_user(state: &AppState, who: &Who, new: NewUser) -> AppResult<User> {
    let hash = password::hash(new.password.clone()).await;
    let now = state.clock.now();
    let id = new_id();
    let mut tx = Write::begin(state, who).await?;
    if let Err(e) = store::insert(&mut tx, &id, &new, &hash, now).await {
        return Err(match unique_violation(&e, store::UNIQUE) {
            Some(_) => AppError::invalid("email", "field-email-taken"),
            None => e.into(),
        });
    }
    let audit_center = new.center_id.as_deref().or(new.oversees.first().map(String::as_str));
    tx.audit(
        audit_center,
        "user",
        &id,
        "create",
        json!({"email": new.email, "role": new.role.code(), "oversees": new.oversees}),
    )
    .await?;
    tx.commit().await?;
    Ok(User {
        id,
        center_id: new.center_id,
        email: new.email,
        display_name: new.display_name,
        role: new.role,
        active: true,
        created_at: now,
    })
}

/// A user by e-mail address, if there is one.
pub async fn find_by_email(state: &AppState, email: &str) -> AppResult<Option<User>> {
    Ok(store::find_by_email(&state.db, email).await?)
}

pub async fn users_in(state: &AppState, center_id: &str) -> AppResult<Vec<User>> {
    Ok(store::list_in_center(&state.db, center_id).await?)
}

/// A page of a center's users in the order they were added.
pub async fn users_page(
    state: &AppState,
    center_id: &str,
    after_id: &str,
    limit: i64,
) -> AppResult<Vec<User>> {
    Ok(store::page_in_center(&state.db, center_id, after_id, limit).await?)
}

/// A user of `center_id`; anyone else is "not found".
pub async fn user_in(state: &AppState, center_id: &str, user_id: &str) -> AppResult<User> {
    users_in(state, center_id)
        .await?
        .into_iter()
        .find(|u| u.id == user_id)
        .ok_or(AppError::NotFound)
}

/// An admin's edit of a user of their center. A role change or a
/// deactivation ends the user's sessions.
pub async fn update_user(
    state: &AppState,
    who: &Who,
    center_id: &str,
    user_id: &str,
    edit: UserEdit,
) -> AppResult<User> {
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    let before = store::get_for_update(&mut tx, user_id).await?;
    let before =
        before.filter(|u| u.center_id.as_deref() == Some(center_id)).ok_or(AppError::NotFound)?;
    store::update(&mut tx, user_id, &edit, now).await?;
    let role_changed = before.role != edit.role;
    if role_changed || !edit.active {
        auth_store::delete_sessions_of(&mut tx, user_id).await?;
    }
    let action = if role_changed {
        "role_change"
    } else if before.active != edit.active {
        if edit.active { "activate" } else { "deactivate" }
    } else {
        "update"
    };
    let summary = json!({
        "email": before.email,
        "before": {"role": before.role.code(), "active": before.active, "display_name": before.display_name},
        "after": {"role": edit.role.code(), "active": edit.active, "display_name": edit.display_name},
    });
    tx.audit(Some(center_id), "user", user_id, action, summary).await?;
    tx.commit().await?;
    state.actors.clear();
    Ok(User { display_name: edit.display_name, role: edit.role, active: edit.active, ..before })
}

/// Sets a new password (command line); ends the user's sessions and
/// revokes their API tokens.
pub async fn set_password(
    state: &AppState,
    who: &Who,
    email: &str,
    new_password: &str,
) -> AppResult<()> {
    if !password::acceptable(new_password) {
        return Err(AppError::invalid("password", "field-password-short"));
    }
    let user = store::find_by_email(&state.db, &normalize_email(email))
        .await?
        .ok_or(AppError::NotFound)?;
    let hash = password::hash(new_password.to_string()).await;
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    store::set_password(&mut tx, &user.id, &hash, now).await?;
    auth_store::delete_sessions_of(&mut tx, &user.id).await?;
    // A password set by someone else means the account may be in other
    // hands: its API tokens stop working too.
    let revoked = auth_store::revoke_tokens_of(&mut tx, &user.id, now).await?;
    tx.audit(
        user.center_id.as_deref(),
        "user",
        &user.id,
        "password_set",
        json!({"email": user.email, "tokens_revoked": revoked}),
    )
    .await?;
    tx.commit().await?;
    state.actors.clear();
    Ok(())
}

/// Why a login did not succeed.
#[derive(Debug)]
pub enum LoginError {
    /// Wrong e-mail or password, or an inactive account (never said which).
    BadCredentials,
    /// Too many failures: try again in this many seconds.
    Throttled(i64),
    Internal(AppError),
}

impl From<sqlx::Error> for LoginError {
    fn from(e: sqlx::Error) -> LoginError {
        LoginError::Internal(e.into())
    }
}

/// A new session: the cookie's secret and when it expires.
pub struct NewSession {
    pub token: String,
    pub max_age_secs: i64,
}

/// Checks the throttle, then the password; on success opens a new session
/// (a fresh id: nothing from before the login is reused).
pub async fn login(
    state: &AppState,
    email: &str,
    password_given: &str,
    client_ip: &str,
) -> Result<NewSession, LoginError> {
    let email = normalize_email(email);
    let now = state.clock.now();
    let cfg = &state.config;
    let since = now.minus_secs(cfg.login_window_secs);
    let anonymous = Who { user_id: None, label: email.clone(), client_ip: client_ip.into() };
    // Count and take an attempt in one step: the account's and the address's
    // keys are locked (in that order) for this short write, and the attempt
    // is recorded as a failure before the password is checked — forgiven
    // below if it is right. So N parallel guesses get `max` checks, not N.
    let mut gate = Write::begin(state, &anonymous).await?;
    crate::throttle::lock(&mut gate, "login_account", &email, now).await?;
    crate::throttle::lock(&mut gate, "login_address", client_ip, now).await?;
    let counts = auth_store::failures_since(&mut gate, &email, client_ip, since).await?;
    let recent = RecentFailures { by_account: counts.by_pair, by_address: counts.by_ip };
    if let Some(wait) = throttle(recent, cfg.login_max_failures, cfg.login_window_secs, now) {
        gate.rollback().await?;
        return Err(LoginError::Throttled(wait));
    }
    auth_store::record_failure(&mut gate, &email, client_ip, now).await?;
    gate.commit().await?;
    // Many failures for the account from everywhere slow each attempt; they
    // never lock its owner out.
    if counts.by_email.0 >= cfg.login_max_failures * ACCOUNT_CEILING_FACTOR {
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    }
    let account = auth_store::find_login(&state.db, &email).await?;
    let ok = match &account {
        Some(a) if a.active => {
            password::verify(password_given.to_string(), a.password_hash.clone()).await
        }
        // Spend the same time on unknown accounts, so timing does not tell.
        _ => {
            let _ =
                password::verify(password_given.to_string(), password::dummy_hash().await).await;
            false
        }
    };
    let who = Who {
        user_id: account.as_ref().map(|a| a.id.clone()),
        label: email.clone(),
        client_ip: client_ip.into(),
    };
    let center_id = account.as_ref().and_then(|a| a.center_id.clone());
    let mut tx = Write::begin(state, &who).await?;
    let Some(account) = account.filter(|_| ok) else {
        // The failure was recorded at the gate.
        tx.audit(center_id.as_deref(), "session", "", "login_failed", json!({"email": email}))
            .await?;
        tx.commit().await?;
        return Err(LoginError::BadCredentials);
    };
    let token = secret::random_token();
    let max_age_secs = cfg.session_hours * 3600;
    auth_store::create_session(
        &mut tx,
        &secret::digest(&token),
        &account.id,
        &secret::random_token(),
        now,
        now.plus_secs(max_age_secs),
    )
    .await?;
    auth_store::clear_failures(&mut tx, &email).await?;
    tx.audit(center_id.as_deref(), "session", &account.id, "login", json!({"email": email}))
        .await?;
    tx.commit().await?;
    Ok(NewSession { token, max_age_secs })
}

pub async fn logout(
    state: &AppState,
    who: &Who,
    center_id: Option<&str>,
    token: &str,
) -> AppResult<()> {
    let _now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    auth_store::delete_session(&mut tx, &secret::digest(token)).await?;
    tx.audit(center_id, "session", who.user_id.as_deref().unwrap_or(""), "logout", json!({}))
        .await?;
    tx.commit().await?;
    state.actors.clear();
    Ok(())
}

/// Creates an API token for the user with this e-mail; returns it (shown once).
pub async fn create_token(
    state: &AppState,
    who: &Who,
    email: &str,
    name: &str,
) -> AppResult<String> {
    let user = store::find_by_email(&state.db, &normalize_email(email))
        .await?
        .ok_or(AppError::NotFound)?;
    if !user.active {
        return Err(AppError::Invalid(vec![FieldError::new("email", "user-inactive")]));
    }
    let token = secret::new_api_token();
    let now = state.clock.now();
    let id = new_id();
    let name = if name.trim().is_empty() { "api" } else { name.trim() };
    let mut tx = Write::begin(state, who).await?;
    auth_store::create_api_token(&mut tx, &id, &user.id, name, &secret::digest(&token), now)
        .await?;
    tx.audit(
        user.center_id.as_deref(),
        "api_token",
        &id,
        "create",
        json!({"user": user.email, "name": name}),
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// The signed-in user changes their own password: the current one must be
/// right; every session of theirs ends (they sign in again).
pub async fn change_own_password(
    state: &AppState,
    who: &Who,
    user: &crate::auth::CurrentUser,
    current: &str,
    new_password: &str,
    repeated: &str,
) -> AppResult<()> {
    let hash =
        auth_store::password_hash_of(&state.db, &user.id).await?.ok_or(AppError::NotFound)?;
    if !password::verify(current.to_string(), hash).await {
        return Err(AppError::invalid("current_password", "password-current-wrong"));
    }
    let mut errors = vec![];
    if !password::acceptable(new_password) {
        errors.push(FieldError::new("new_password", "field-password-short"));
    } else if new_password != repeated {
        errors.push(FieldError::new("repeat_password", "password-mismatch"));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    set_password(state, who, &user.email, new_password).await
}

/// The user's API tokens (never their secrets).
pub async fn tokens(state: &AppState, user_id: &str) -> AppResult<Vec<auth_store::TokenInfo>> {
    Ok(auth_store::tokens_of(&state.db, user_id).await?)
}

/// Revokes one of the user's own tokens.
pub async fn revoke_token(
    state: &AppState,
    who: &Who,
    user: &crate::auth::CurrentUser,
    token_id: &str,
) -> AppResult<()> {
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    if !auth_store::revoke_token(&mut tx, &user.id, token_id, now).await? {
        return Err(AppError::NotFound);
    }
    tx.audit(
        user.center_id.as_deref(),
        "api_token",
        token_id,
        "revoke",
        json!({"user": user.email}),
    )
    .await?;
    tx.commit().await?;
    state.actors.clear();
    Ok(())
}
