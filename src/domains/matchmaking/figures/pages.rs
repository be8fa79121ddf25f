//! The figures page of an event's matchmaking.

use axum::extract::State;
use axum::response::{IntoResponse, Response};

use super::api::AsOfQuery;
use super::service;
use crate::domains::matchmaking::model::Outcome;
use crate::domains::matchmaking::views::FiguresPage;
use crate::error::{AppError, AppResult};
use crate::reference::countries;
use crate::state::AppState;
use crate::web::PageCtx;
use crate::web::extract::{Path, Query};
use crate::web::page::render;

pub async fn figures(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Query(q): Query<AsOfQuery>,
) -> AppResult<Response> {
    let user = ctx.0.actor.user().cloned().ok_or(AppError::Unauthorized)?;
    let event = service::readable(&state, &user, &id).await?;
    let (as_of, alert) = match q.date() {
        Ok(d) => (d, String::new()),
        Err(AppError::Invalid(e)) => {
            (None, e.iter().map(|e| ctx.lang().message(e)).collect::<Vec<_>>().join(" "))
        }
        Err(e) => return Err(e),
    };
    let f = service::figures(&state, &event, as_of).await?;
    let lang = ctx.lang();
    let none = ctx.t("mm-not-said");
    let page = FiguresPage {
        event_id: event.id.clone(),
        event_title: ctx.pick(&event.title.zh, &event.title.en).to_string(),
        as_of: as_of.map(|d| d.to_string()).unwrap_or_default(),
        outcomes: f
            .outcomes
            .iter()
            .map(|(code, n)| {
                let label =
                    Outcome::parse(code).map(|o| lang.t(&o.label_key())).unwrap_or_default();
                (label, *n)
            })
            .collect(),
        by_country: f
            .by_country
            .iter()
            .map(|r| {
                let name =
                    if r.key.is_empty() { none.clone() } else { countries::label(lang, &r.key) };
                (name, r.requests, r.held)
            })
            .collect(),
        by_sector: f
            .by_sector
            .iter()
            .map(|r| {
                let name = crate::domains::matchmaking::model::Sector::parse(&r.key)
                    .map(|s| lang.t(&s.label_key()))
                    .unwrap_or_else(|| none.clone());
                (name, r.requests, r.held)
            })
            .collect(),
        f,
        alert,
        ctx,
    };
    Ok(render(&page)?.into_response())
}
