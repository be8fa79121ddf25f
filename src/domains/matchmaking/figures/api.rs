//! The figures API.

use axum::extract::State;
use serde::Deserialize;

use super::service;
use crate::domains::matchmaking::model::MatchmakingFigures;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::ReqCtx;
use crate::web::extract::{Json, Path, Query};

#[derive(Deserialize, utoipa::IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct AsOfQuery {
    /// `YYYY-MM-DD`: figures as of the end of that day (empty: now).
    #[serde(default)]
    #[param(max_length = 10)]
    pub as_of: String,
}

impl AsOfQuery {
    pub fn date(&self) -> AppResult<Option<jiff::civil::Date>> {
        crate::error::at_most("as_of", &self.as_of, 10)?;
        Ok(crate::time::parse_day("as_of", &self.as_of, false)?)
    }
}

/// An event's matchmaking figures: requests, acceptance rate, meetings
/// held, no-shows, outcomes by type, by country and sector.
#[utoipa::path(get, path = "/api/v1/events/{id}/matchmaking/figures", tag = "matchmaking",
    params(("id" = String, Path), AsOfQuery),
    responses((status = 200, body = MatchmakingFigures), (status = 401), (status = 404), (status = 422)),
    security(("bearer" = [])))]
pub async fn figures(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Query(q): Query<AsOfQuery>,
) -> AppResult<Json<MatchmakingFigures>> {
    let user = ctx.actor.user().ok_or(AppError::Unauthorized)?;
    let event = service::readable(&state, user, &id).await?;
    Ok(Json(service::figures(&state, &event, q.date()?).await?))
}
