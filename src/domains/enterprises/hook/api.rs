//! Webhook subscriptions and deliveries over JSON.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};

use super::service::{self, Delivery, Subscription};
use crate::auth::Perm;
use crate::clock::Instant;
use crate::error::{AppError, AppResult, at_most};
use crate::state::AppState;
use crate::web::extract::{Json, Path, Query};
use crate::web::list::{List, PageQuery, key_cursor};
use crate::web::{ReqCtx, created};

#[derive(Serialize, utoipa::ToSchema)]
pub struct WebhookSubscriptionJson {
    pub id: String,
    /// None: the center's own systems.
    pub enterprise_id: Option<String>,
    pub url: String,
    pub events: Vec<String>,
    pub active: bool,
    pub created_at: String,
    /// Only in the answer that created it: keep it, it is not shown again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

pub fn subscription_json(s: &Subscription, secret: Option<String>) -> WebhookSubscriptionJson {
    WebhookSubscriptionJson {
        id: s.id.clone(),
        enterprise_id: s.enterprise_id.clone(),
        url: s.url.clone(),
        events: s.events.clone(),
        active: s.active,
        created_at: Instant(s.created_at).rfc3339_in(&jiff::tz::TimeZone::UTC),
        secret,
    }
}

/// The caller's subscriptions: the center's (admins) or their enterprise's.
#[utoipa::path(get, path = "/api/v1/webhooks", tag = "enterprises",
    responses((status = 200, body = Vec<WebhookSubscriptionJson>)), security(("bearer" = [])))]
pub async fn index(
    State(state): State<AppState>,
    ctx: ReqCtx,
) -> AppResult<Json<Vec<WebhookSubscriptionJson>>> {
    let (user, center_id) = ctx.require_center(Perm::ManageWebhooks)?;
    let list = service::list(&state, &user, &center_id).await?;
    Ok(Json(list.iter().map(|s| subscription_json(s, None)).collect()))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct WebhookSubscriptionInputJson {
    #[schema(max_length = 500)]
    pub url: String,
    /// request.status_changed, request.message, request.document_requested, whitelist.expiring.
    #[schema(max_items = 4)]
    pub events: Vec<String>,
}

/// Subscribes a receiver. Deliveries are POSTs signed with
/// `Liaison-Signature: t=<unix>,v1=<HMAC-SHA256(secret, "<t>.<body>")>`.
#[utoipa::path(post, path = "/api/v1/webhooks", tag = "enterprises", request_body = WebhookSubscriptionInputJson,
    responses((status = 201, body = WebhookSubscriptionJson), (status = 409), (status = 422)), security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Json(b): Json<WebhookSubscriptionInputJson>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.require_center(Perm::ManageWebhooks)?;
    at_most("url", &b.url, 500)?;
    if b.events.len() > 4 || b.events.iter().any(|e| e.len() > 40) {
        return Err(AppError::invalid("events", "field-invalid-choice"));
    }
    let (s, secret) =
        service::create(&state, &ctx.who(), &user, &center_id, &b.url, &b.events).await?;
    Ok(created(format!("/api/v1/webhooks/{}", s.id), subscription_json(&s, Some(secret))))
}

/// Ends a subscription (its pending deliveries are dropped).
#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", tag = "enterprises", params(("id" = String, Path)),
    responses((status = 204), (status = 404)), security(("bearer" = [])))]
pub async fn remove(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    let (user, center_id) = ctx.require_center(Perm::ManageWebhooks)?;
    service::remove(&state, &ctx.who(), &user, &center_id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct WebhookDeliveryJson {
    pub id: String,
    pub event_type: String,
    /// pending, delivered, failed.
    pub status: String,
    pub attempts: i64,
    pub created_at: String,
    pub next_attempt_at: Option<String>,
    pub delivered_at: Option<String>,
    /// The receiver's last HTTP status.
    pub last_status: Option<i64>,
    pub last_error: String,
    /// The JSON body sent, exactly as signed.
    pub payload: String,
}

pub fn delivery_json(d: &Delivery) -> WebhookDeliveryJson {
    let utc = jiff::tz::TimeZone::UTC;
    WebhookDeliveryJson {
        id: d.id.clone(),
        event_type: d.event_type.clone(),
        status: d.status.clone(),
        attempts: d.attempts,
        created_at: Instant(d.created_at).rfc3339_in(&utc),
        next_attempt_at: (d.status == "pending").then(|| Instant(d.next_at).rfc3339_in(&utc)),
        delivered_at: d.delivered_at.map(|t| Instant(t).rfc3339_in(&utc)),
        last_status: d.last_code,
        last_error: d.last_error.clone(),
        payload: d.payload.clone(),
    }
}

/// A subscription's deliveries, newest first.
#[utoipa::path(get, path = "/api/v1/webhooks/{id}/deliveries", tag = "enterprises", params(("id" = String, Path), PageQuery),
    responses((status = 200, body = List<WebhookDeliveryJson>), (status = 404)), security(("bearer" = [])))]
pub async fn deliveries(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Query(page): Query<PageQuery>,
) -> AppResult<Json<List<WebhookDeliveryJson>>> {
    let (user, center_id) = ctx.require_center(Perm::ManageWebhooks)?;
    let limit = page.size()?;
    let (at, after) = page.after()?;
    let before = if after.is_empty() { (i64::MAX, "") } else { (at, after.as_str()) };
    let rows = service::deliveries(&state, &user, &center_id, &id, before, limit + 1).await?;
    Ok(Json(List::page(
        rows,
        limit as usize,
        |d| key_cursor(d.created_at, &d.id),
        |d| delivery_json(&d),
    )))
}

/// Sends a delivery again now (a failed one, or one to repeat).
#[utoipa::path(post, path = "/api/v1/webhook-deliveries/{id}/redeliver", tag = "enterprises", params(("id" = String, Path)),
    responses((status = 202), (status = 404)), security(("bearer" = [])))]
pub async fn redeliver(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    let (user, center_id) = ctx.require_center(Perm::ManageWebhooks)?;
    service::redeliver(&state, &ctx.who(), &user, &center_id, &id).await?;
    Ok(StatusCode::ACCEPTED)
}
