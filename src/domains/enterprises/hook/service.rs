//! Subscriptions: an admin subscribes the center's own systems (every
//! request of the center; they may be on the center's network), an
//! enterprise's member subscribes the enterprise's (its requests and white
//! list only; public HTTPS addresses). The signing secret is shown once.

use serde_json::json;

use super::store;
pub use super::store::{Delivery, Subscription};
use crate::audit::Who;
use crate::auth::{CurrentUser, Perm, Role, allows};
use crate::db::new_id;
use crate::domains::enterprises::company::service as companies;
use crate::error::{AppError, AppResult, FieldError};
use crate::state::AppState;
use crate::webhooks::{self, EventType};
use crate::write::Write;

/// Subscriptions per owner.
pub const MAX_PER_OWNER: i64 = 10;

/// Whose subscriptions `user` manages: the center's (`""`) or their enterprise's.
pub async fn owner(state: &AppState, user: &CurrentUser) -> AppResult<String> {
    if !allows(Some(user.role), Perm::ManageWebhooks) {
        return Err(AppError::Forbidden);
    }
    if user.role == Role::Enterprise {
        return companies::of_user(state, user)
            .await?
            .ok_or(AppError::Conflict { key: "enterprise-not-linked", conflicts: json!({}) });
    }
    Ok(String::new())
}

pub async fn list(
    state: &AppState,
    user: &CurrentUser,
    center_id: &str,
) -> AppResult<Vec<Subscription>> {
    let owner = owner(state, user).await?;
    Ok(store::list(&state.db, center_id, &owner).await?)
}

pub async fn get(
    state: &AppState,
    user: &CurrentUser,
    center_id: &str,
    id: &str,
) -> AppResult<Subscription> {
    let owner = owner(state, user).await?;
    let s = store::get(&state.db, center_id, id).await?.ok_or(AppError::NotFound)?;
    if s.enterprise_id.clone().unwrap_or_default() != owner {
        return Err(AppError::NotFound);
    }
    Ok(s)
}

/// Checks a receiver's address: http(s) only; an enterprise's must be
/// HTTPS and not a private address (unless the server allows it).
pub fn check_url(url: &str, internal: bool, private_ok: bool) -> Result<String, FieldError> {
    let url = url.trim();
    let bad = || FieldError::new("url", "webhook-url-invalid");
    if url.len() > 500 {
        return Err(FieldError::new("url", "field-too-long"));
    }
    let parsed = reqwest::Url::parse(url).map_err(|_| bad())?;
    let host = parsed.host_str().ok_or_else(bad)?;
    if !matches!(parsed.scheme(), "http" | "https")
        || parsed.username() != ""
        || parsed.password().is_some()
    {
        return Err(bad());
    }
    if !internal && !private_ok {
        if parsed.scheme() != "https" {
            return Err(FieldError::new("url", "webhook-url-https"));
        }
        let literal =
            host.trim_start_matches('[').trim_end_matches(']').parse::<std::net::IpAddr>().ok();
        if literal.is_some_and(webhooks::is_private)
            || host == "localhost"
            || host.ends_with(".localhost")
        {
            return Err(FieldError::new("url", "webhook-url-private"));
        }
    }
    Ok(parsed.to_string())
}

/// Subscribes a receiver; returns it and its signing secret (shown once).
pub async fn create(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    center_id: &str,
    url: &str,
    events: &[String],
) -> AppResult<(Subscription, String)> {
    let owner = owner(state, user).await?;
    let mut e = vec![];
    let url = check_url(url, owner.is_empty(), state.config.webhooks_private)
        .map_err(|x| e.push(x))
        .unwrap_or_default();
    let mut kinds: Vec<String> = vec![];
    for ev in events {
        match EventType::exact(ev) {
            Some(k) if !kinds.iter().any(|x| x == k.code()) => kinds.push(k.code().into()),
            Some(_) => {}
            None => {
                e.push(FieldError::new("events", "field-invalid-choice"));
                break;
            }
        }
    }
    if kinds.is_empty() && e.is_empty() {
        e.push(FieldError::new("events", "webhook-events-needed"));
    }
    if !e.is_empty() {
        return Err(AppError::Invalid(e));
    }
    let secret = webhooks::new_secret();
    let mut w = Write::begin(state, who).await?;
    if store::count(&mut w, center_id, &owner).await? >= MAX_PER_OWNER {
        return Err(AppError::Conflict {
            key: "webhook-too-many",
            conflicts: json!({"max": MAX_PER_OWNER}),
        });
    }
    let id = new_id();
    let enterprise = (!owner.is_empty()).then_some(owner.as_str());
    let kept = webhooks::keep_secret(state, &secret);
    let now = w.now().millis();
    store::insert(&mut w, &id, center_id, enterprise, &url, &kept, &kinds, &user.id, now).await?;
    w.audit(
        Some(center_id),
        "webhook",
        &id,
        "create",
        json!({"url": url, "events": kinds, "enterprise_id": enterprise}),
    )
    .await?;
    w.commit().await?;
    Ok((store::get(&state.db, center_id, &id).await?.ok_or(AppError::NotFound)?, secret))
}

pub async fn remove(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    center_id: &str,
    id: &str,
) -> AppResult<()> {
    let s = get(state, user, center_id, id).await?;
    let mut w = Write::begin(state, who).await?;
    if !store::remove(&mut w, &s.id).await? {
        return Err(AppError::NotFound);
    }
    w.audit(Some(center_id), "webhook", id, "remove", json!({"url": s.url})).await?;
    w.commit().await?;
    Ok(())
}

pub async fn deliveries(
    state: &AppState,
    user: &CurrentUser,
    center_id: &str,
    id: &str,
    before: (i64, &str),
    limit: i64,
) -> AppResult<Vec<Delivery>> {
    let s = get(state, user, center_id, id).await?;
    Ok(store::deliveries(&state.db, &s.id, before, limit).await?)
}

/// Sends a delivery again now.
pub async fn redeliver(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    center_id: &str,
    delivery_id: &str,
) -> AppResult<()> {
    let sub = store::delivery_owner(&state.db, delivery_id).await?.ok_or(AppError::NotFound)?;
    get(state, user, center_id, &sub).await?;
    webhooks::redeliver(&state.db, state.clock.now(), delivery_id).await?;
    let mut w = Write::begin(state, who).await?;
    w.audit(Some(center_id), "webhook", &sub, "redeliver", json!({"delivery_id": delivery_id}))
        .await?;
    w.commit().await?;
    state.hooks.notify_one();
    Ok(())
}
