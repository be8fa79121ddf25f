//! The staff's day sheet, the door page (the events' check-in page, with
//! heads and walk-ins) and the figures page.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use jiff::ToSpan as _;
use serde::Deserialize;

use super::api::{FiguresQuery, figure_days, figures_center, holder_name};
use super::service::{self, Admission, AdmitInput};
use crate::auth::Perm;
use crate::domains::centers::service as centers;
use crate::domains::hall::views::{DayPage, DoorPage, FiguresPage};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::time::day_words;
use crate::web::extract::{Form, Query};
use crate::web::form::{FormErrors, Pairs, again, refusal};
use crate::web::{PageCtx, render};

#[derive(Deserialize, Default)]
pub struct DayQuery {
    #[serde(default)]
    pub day: String,
}

/// Who is expected when, and who came: printable.
pub async fn day(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<DayQuery>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::ManageHall)?;
    let tz = centers::tz(&state, &center_id).await?;
    let today: jiff::civil::Date = crate::domains::hall::calendar::service::today(&state, &tz)?;
    let day = crate::time::parse_day("day", &q.day, false).ok().flatten().unwrap_or(today);
    if crate::domains::hall::calendar::service::hall(&state, &center_id).await?.is_none() {
        // No hall yet: its settings page makes one.
        return Ok(axum::response::Redirect::to("/hall/manage").into_response());
    }
    let sheet = service::day_sheet(&state, &user, day).await?;
    let near =
        |d: Result<jiff::civil::Date, jiff::Error>| d.map(|d| d.to_string()).unwrap_or_default();
    let page = DayPage {
        day: day.to_string(),
        day_label: day_words(day, ctx.lang(), true),
        prev: near(day.checked_sub(1.day())),
        next: near(day.checked_add(1.day())),
        sheet,
        tz,
        ctx,
    };
    Ok(render(&page)?.into_response())
}

async fn door_page(state: &AppState, ctx: PageCtx) -> AppResult<DoorPage> {
    let (user, center_id) = ctx.0.require_center(Perm::ManageHall)?;
    let tz = centers::tz(state, &center_id).await?;
    let today: jiff::civil::Date = crate::domains::hall::calendar::service::today(state, &tz)?;
    let sheet = service::day_sheet(state, &user, today).await?;
    Ok(DoorPage {
        center: center_id.clone(),
        result: String::new(),
        check: String::new(),
        name: String::new(),
        detail: String::new(),
        code: String::new(),
        heads: String::new(),
        current: service::current_slot(state, &center_id).await?,
        expected: sheet.iter().map(|s| s.expected()).sum(),
        admitted: sheet.iter().map(|s| s.admitted()).sum(),
        errors: FormErrors::default(),
        ctx,
    })
}

/// The door: scan or type a ticket code, admit with the heads that came.
pub async fn door(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    Ok(render(&door_page(&state, ctx).await?)?.into_response())
}

/// An admission from the door page without script.
pub async fn door_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::ManageHall)?;
    let f = Pairs(pairs);
    let code = f.get("code");
    let heads_text = f.get("heads");
    let heads = heads_text.parse::<i64>().ok();
    let who = ctx.0.who();
    let device = f.get("device");
    let input = AdmitInput {
        code: &code,
        heads,
        confirm: f.get("confirm") == "1",
        device: &device,
        at: None,
    };
    let result = service::admit(&state, &who, &user, input).await;
    let mut page = door_page(&state, ctx).await?;
    page.code = crate::tickets::normalize(&code);
    page.heads = heads_text;
    let lang = page.ctx.lang();
    match result {
        Ok(Admission::Ok { reservation, heads }) => {
            page.result = "ok".into();
            page.name = holder_name(&reservation);
            page.detail = lang.t_args(
                "hall-door-admitted-of",
                &[("heads", heads.to_string()), ("people", reservation.people.to_string())],
            );
        }
        Ok(Admission::Already { reservation }) => {
            page.result = "already".into();
            page.name = holder_name(&reservation);
            page.detail = lang.t_args(
                "hall-door-admitted-of",
                &[
                    ("heads", reservation.admitted.to_string()),
                    ("people", reservation.people.to_string()),
                ],
            );
        }
        Ok(Admission::NotValid { reservation }) => {
            page.result = "invalid".into();
            page.name = holder_name(&reservation);
            page.detail = page.ctx.t(reservation.status.label_key());
        }
        Ok(Admission::Confirm { reservation, check }) => {
            page.result = "confirm".into();
            page.check = check.code().into();
            page.name = holder_name(&reservation);
            page.detail = page.ctx.t(format!("hall-check-{}", check.code().replace('_', "-")));
        }
        Err(AppError::NotFound) => page.result = "unknown".into(),
        Err(e) => {
            let (status, errors, alert) = refusal(e, lang)?;
            page.errors = errors;
            page.result = if alert.is_empty() { String::new() } else { "refused".into() };
            page.detail = alert;
            return again(status, &page);
        }
    }
    Ok(render(&page)?.into_response())
}

/// A walk-in party, from the door page.
pub async fn walk_in_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::ManageHall)?;
    let f = Pairs(pairs);
    let heads = f.get("heads").parse::<i64>().unwrap_or(0);
    let result = service::walk_in(&state, &ctx.0.who(), &user, heads, &f.get("origin"), "").await;
    let mut page = door_page(&state, ctx).await?;
    match result {
        Ok(slot) => {
            page.result = "walk_in".into();
            page.detail = page.ctx.0.lang.t_args(
                "hall-door-walk-in-detail",
                &[
                    ("heads", heads.to_string()),
                    ("times", slot.times.clone()),
                    ("free", slot.free.to_string()),
                ],
            );
            Ok(render(&page)?.into_response())
        }
        Err(e) => {
            let (status, errors, alert) = refusal(e, page.ctx.lang())?;
            page.errors = errors;
            if !alert.is_empty() {
                page.result = "refused".into();
                page.detail = alert;
            }
            again(status, &page)
        }
    }
}

/// The figures: 批 and 人次 as of any date, by period and origin.
pub async fn figures(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<FiguresQuery>,
) -> AppResult<Response> {
    let user = ctx.0.require(Perm::ViewFigures)?;
    let center_id = figures_center(&user, &q.center)?;
    let tz = centers::tz(&state, &center_id).await?;
    let today: jiff::civil::Date = crate::domains::hall::calendar::service::today(&state, &tz)?;
    let (days, errors) = match figure_days(&q, today) {
        Ok(d) => (d, FormErrors::default()),
        Err(e) => {
            let (_, errors, _) = refusal(e, ctx.lang())?;
            let d = figure_days(&FiguresQuery::default(), today)?;
            (d, errors)
        }
    };
    let (from, to, by) = days;
    let figures = service::figures(&state, &center_id, from, to, &by).await?;
    let page = FiguresPage {
        from: q.from.clone(),
        to: q.to.clone(),
        as_of: q.as_of.clone(),
        by,
        figures,
        errors,
        ctx,
    };
    Ok(render(&page)?.into_response())
}
