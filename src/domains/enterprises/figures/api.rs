//! Figures over JSON.

use std::collections::BTreeMap;

use axum::extract::State;
use serde::{Deserialize, Serialize};

use super::service;
use crate::auth::Perm;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::ReqCtx;
use crate::web::extract::{Json, Query};

#[derive(Serialize, utoipa::ToSchema)]
pub struct ServiceStepFiguresJson {
    /// The step (the status a request was in).
    pub status: String,
    /// Requests that passed through it.
    pub requests: usize,
    /// Working days in the step, summed over its runs per request.
    pub median_days: i64,
    pub p90_days: i64,
    /// Requests that took longer than the step's SLA.
    pub breaches: usize,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ServiceFiguresJson {
    pub service_type_id: String,
    pub name_zh: String,
    pub name_en: String,
    pub total: i64,
    pub by_status: BTreeMap<String, i64>,
    pub steps: Vec<ServiceStepFiguresJson>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ServiceFiguresReportJson {
    /// YYYY-MM-DD: the figures count everything up to the end of this day.
    pub as_of: String,
    pub total: i64,
    pub sla_breaches: usize,
    /// Open requests past their due day now (when `as_of` is today).
    pub overdue_now: Option<usize>,
    pub services: Vec<ServiceFiguresJson>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ServiceFiguresQuery {
    /// YYYY-MM-DD (default: today).
    #[serde(default)]
    #[param(max_length = 10)]
    pub as_of: String,
}

pub fn figures_json(f: &service::Figures) -> ServiceFiguresReportJson {
    ServiceFiguresReportJson {
        as_of: f.as_of.to_string(),
        total: f.total,
        sla_breaches: f.breaches,
        overdue_now: f.overdue_now,
        services: f
            .services
            .iter()
            .map(|s| ServiceFiguresJson {
                service_type_id: s.service_type_id.clone(),
                name_zh: s.name_zh.clone(),
                name_en: s.name_en.clone(),
                total: s.total,
                by_status: s.by_status.iter().map(|(k, v)| (k.code().to_string(), *v)).collect(),
                steps: s
                    .steps
                    .iter()
                    .map(|(st, n, med, p90, b)| ServiceStepFiguresJson {
                        status: st.code().into(),
                        requests: *n,
                        median_days: *med,
                        p90_days: *p90,
                        breaches: *b,
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// Requests by service and status, lead time per step (median, p90, in
/// working days) and SLA breaches, as of a day.
#[utoipa::path(get, path = "/api/v1/service-figures", tag = "enterprises", params(ServiceFiguresQuery),
    responses((status = 200, body = ServiceFiguresReportJson), (status = 422)), security(("bearer" = [])))]
pub async fn figures(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Query(q): Query<ServiceFiguresQuery>,
) -> AppResult<Json<ServiceFiguresReportJson>> {
    let (_, center_id) = ctx.require_center(Perm::ViewFigures)?;
    crate::error::at_most("as_of", &q.as_of, 10)?;
    let as_of = crate::time::parse_day("as_of", &q.as_of, false)
        .map_err(|e| crate::error::AppError::Invalid(vec![e]))?;
    Ok(Json(figures_json(&service::figures(&state, &center_id, as_of).await?)))
}
