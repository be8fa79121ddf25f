//! HTTP for browsing and filtering the audit log.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::views::{AuditJson, AuditLine, AuditPage};
use crate::audit::{self, Filter};
use crate::auth::Perm;
use crate::clock::{Instant, time_zone};
use crate::domains::centers::service as centers;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::extract::{Json, Query};
use crate::web::list::List;
use crate::web::{PageCtx, ReqCtx, render};

const PAGE_SIZE: i64 = 50;

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// e.g. `user`, `zone`, `center`, `session`.
    #[serde(default)]
    entity: String,
    /// e.g. `create`, `role_change`, `login_failed`.
    #[serde(default)]
    action: String,
    /// The actor's e-mail (or `cli`).
    #[serde(default)]
    actor: String,
    /// First day, `YYYY-MM-DD` in the center's time zone.
    #[serde(default)]
    from: String,
    /// Last day, `YYYY-MM-DD`.
    #[serde(default)]
    to: String,
    /// Cursor from the previous page.
    #[serde(default)]
    before: String,
}

async fn load(
    state: &AppState,
    ctx: &ReqCtx,
    q: &AuditQuery,
) -> AppResult<(Vec<audit::AuditRow>, jiff::tz::TimeZone, String)> {
    let (_, center_id) = ctx.require_center(Perm::ViewAudit)?;
    let center = centers::get(state, &center_id).await?;
    let tz = time_zone(&center.timezone);
    let day = |s: &str, field: &str| -> AppResult<Option<Instant>> {
        if s.trim().is_empty() {
            return Ok(None);
        }
        Instant::parse_local_date(s, &tz)
            .map(Some)
            .ok_or_else(|| AppError::invalid(field, "field-invalid-date"))
    };
    let from = day(&q.from, "from")?;
    let to = day(&q.to, "to")?.map(|t| t.plus_secs(86_400));
    let filter = Filter {
        center_id: center_id.clone(),
        entity: q.entity.trim().into(),
        action: q.action.trim().into(),
        actor: q.actor.trim().to_lowercase(),
        from,
        to,
        before_id: Some(q.before.clone()).filter(|b| !b.is_empty()),
        limit: PAGE_SIZE + 1,
    };
    Ok((audit::list(&state.db, &filter).await?, tz, center_id))
}

pub async fn index(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<AuditQuery>,
) -> AppResult<Response> {
    let (mut rows, tz, center_id) = load(&state, &ctx.0, &q).await?;
    let older = if rows.len() as i64 > PAGE_SIZE {
        rows.truncate(PAGE_SIZE as usize);
        let last = rows.last().map(|r| r.id.clone()).unwrap_or_default();
        serde_urlencoded::to_string([
            ("entity", q.entity.as_str()),
            ("action", q.action.as_str()),
            ("actor", q.actor.as_str()),
            ("from", q.from.as_str()),
            ("to", q.to.as_str()),
            ("before", last.as_str()),
        ])
        .unwrap_or_default()
    } else {
        String::new()
    };
    let (entities, actions) = audit::facets(&state.db, &center_id).await?;
    let lines = rows
        .into_iter()
        .map(|r| AuditLine {
            at: Instant(r.at).display_in(&tz),
            actor: r.actor_label,
            entity: r.entity,
            entity_id: r.entity_id,
            action: r.action,
            summary: r.summary,
            client_ip: r.client_ip,
        })
        .collect();
    let page = AuditPage {
        ctx,
        lines,
        entities,
        actions,
        entity: q.entity,
        action: q.action,
        actor: q.actor,
        from: q.from,
        to: q.to,
        older,
    };
    Ok(render(&page)?.into_response())
}

/// The audit log of the caller's center, newest first (admin).
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = List<AuditJson>), (status = 401), (status = 403), (status = 422)),
    security(("bearer" = [])))]
pub async fn api_index(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Query(q): Query<AuditQuery>,
) -> AppResult<Json<List<AuditJson>>> {
    let (rows, tz, _) = load(&state, &ctx, &q).await?;
    let page_size = PAGE_SIZE as usize;
    Ok(Json(List::page(rows, page_size, |r| r.id.clone(), |r| AuditJson::from_row(r, &tz))))
}
