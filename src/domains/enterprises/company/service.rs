//! Enterprises: staff (`Perm::ManageEnterprises`) register them, keep their
//! contacts and say which accounts act for them; an enterprise user sees
//! their own. Every change is audited.

use serde_json::json;

use super::store;
pub use super::store::{Enterprise, Member};
use crate::audit::Who;
use crate::auth::{CurrentUser, Perm, Role, allows};
use crate::db::{new_id, unique_violation};
use crate::domains::enterprises::model::EnterpriseInput;
use crate::error::{AppError, AppResult, FieldError};
use crate::state::AppState;
use crate::write::Write;

const UNIQUE: &[(&str, &str)] = &[("enterprise_uscc_key", "enterprise.center_id, enterprise.uscc")];

/// The enterprise `user` acts for (none for staff, or one not yet linked).
pub async fn of_user(state: &AppState, user: &CurrentUser) -> AppResult<Option<String>> {
    if user.role != Role::Enterprise {
        return Ok(None);
    }
    Ok(store::of_user(&state.db, &user.id).await?)
}

/// Whether `user` may read the enterprise's records: staff of its center,
/// or its own members.
pub async fn may_read(
    state: &AppState,
    user: &CurrentUser,
    enterprise_id: &str,
) -> AppResult<bool> {
    if allows(Some(user.role), Perm::HandleRequests)
        || allows(Some(user.role), Perm::ManageEnterprises)
    {
        return Ok(true);
    }
    Ok(of_user(state, user).await?.as_deref() == Some(enterprise_id))
}

/// One enterprise of the center, for someone who may read it (another's is
/// "not found").
pub async fn get(
    state: &AppState,
    user: &CurrentUser,
    center_id: &str,
    id: &str,
) -> AppResult<Enterprise> {
    if !may_read(state, user, id).await? {
        return Err(AppError::NotFound);
    }
    store::get(&state.db, center_id, id).await?.ok_or(AppError::NotFound)
}

/// For other resources of this domain: the enterprise by id, no check.
pub async fn find(state: &AppState, center_id: &str, id: &str) -> AppResult<Option<Enterprise>> {
    Ok(store::get(&state.db, center_id, id).await?)
}

pub async fn page(
    state: &AppState,
    center_id: &str,
    q: &str,
    after: &str,
    limit: i64,
) -> AppResult<Vec<Enterprise>> {
    crate::validate::search_words(q)?;
    Ok(store::page(&state.db, center_id, q.trim(), after, limit).await?)
}

/// (id, Chinese name, English name) of the center's enterprises, for pickers.
pub async fn names(state: &AppState, center_id: &str) -> AppResult<Vec<(String, String, String)>> {
    Ok(store::names(&state.db, center_id, 2000).await?)
}

pub async fn members(state: &AppState, enterprise_id: &str) -> AppResult<Vec<Member>> {
    Ok(store::members(&state.db, enterprise_id).await?)
}

/// Inside another write: who to tell about one of the enterprise's records.
pub async fn member_ids_in(w: &mut Write, enterprise_id: &str) -> AppResult<Vec<String>> {
    Ok(store::member_ids_in(w, enterprise_id).await?)
}

fn taken(e: sqlx::Error) -> AppError {
    match unique_violation(&e, UNIQUE) {
        Some(_) => AppError::Invalid(vec![FieldError::new("uscc", "enterprise-uscc-taken")]),
        None => e.into(),
    }
}

pub async fn create(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    center_id: &str,
    input: EnterpriseInput,
) -> AppResult<Enterprise> {
    if !allows(Some(user.role), Perm::ManageEnterprises) {
        return Err(AppError::Forbidden);
    }
    let mut w = Write::begin(state, who).await?;
    let id = new_id();
    let now = w.now().millis();
    store::insert(&mut w, &id, center_id, &input, now).await.map_err(taken)?;
    w.audit(
        Some(center_id),
        "enterprise",
        &id,
        "create",
        json!({"uscc": input.uscc, "name_zh": input.name_zh}),
    )
    .await?;
    w.commit().await?;
    get(state, user, center_id, &id).await
}

pub async fn update(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    center_id: &str,
    id: &str,
    version: i64,
    input: EnterpriseInput,
) -> AppResult<Enterprise> {
    if !allows(Some(user.role), Perm::ManageEnterprises) {
        return Err(AppError::Forbidden);
    }
    let mut w = Write::begin(state, who).await?;
    let before = store::get_in(&mut w, center_id, id).await?.ok_or(AppError::NotFound)?;
    let now = w.now().millis();
    if !store::update(&mut w, id, version, &input, now).await.map_err(taken)? {
        return Err(AppError::Conflict {
            key: "enterprise-saved-meanwhile",
            conflicts: json!({"version": before.version}),
        });
    }
    w.audit(
        Some(center_id),
        "enterprise",
        id,
        "update",
        json!({"before": {"uscc": before.uscc, "name_zh": before.name_zh}, "after": {"uscc": input.uscc, "name_zh": input.name_zh}}),
    )
    .await?;
    w.commit().await?;
    get(state, user, center_id, id).await
}

/// Lets an enterprise account of the center act for this enterprise (one
/// enterprise per account: 409 when it already acts for another).
pub async fn add_member(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    center_id: &str,
    id: &str,
    email: &str,
) -> AppResult<()> {
    if !allows(Some(user.role), Perm::ManageEnterprises) {
        return Err(AppError::Forbidden);
    }
    let email = crate::validate::normalize_email(email);
    let mut w = Write::begin(state, who).await?;
    store::get_in(&mut w, center_id, id).await?.ok_or(AppError::NotFound)?;
    let Some((user_id, member_of)) = store::enterprise_account(&mut w, center_id, &email).await?
    else {
        return Err(AppError::invalid("email", "enterprise-member-unknown"));
    };
    match member_of {
        Some(other) if other == id => return Ok(()),
        Some(_) => {
            return Err(AppError::Conflict {
                key: "enterprise-member-elsewhere",
                conflicts: json!({"email": email}),
            });
        }
        None => {}
    }
    store::add_member(&mut w, &user_id, id).await?;
    w.audit(Some(center_id), "enterprise", id, "add_member", json!({"email": email})).await?;
    w.commit().await?;
    state.actors.clear();
    Ok(())
}

pub async fn remove_member(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    center_id: &str,
    id: &str,
    user_id: &str,
) -> AppResult<()> {
    if !allows(Some(user.role), Perm::ManageEnterprises) {
        return Err(AppError::Forbidden);
    }
    let mut w = Write::begin(state, who).await?;
    store::get_in(&mut w, center_id, id).await?.ok_or(AppError::NotFound)?;
    if !store::remove_member(&mut w, user_id, id).await? {
        return Err(AppError::NotFound);
    }
    w.audit(Some(center_id), "enterprise", id, "remove_member", json!({"user_id": user_id}))
        .await?;
    w.commit().await?;
    Ok(())
}
