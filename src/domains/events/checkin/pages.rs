use super::service;
use crate::auth::Perm;
use crate::clock::Instant;
use crate::domains::centers::service as centers;
use crate::domains::events::checkin::service::CheckinResult;
use crate::domains::events::event::pages::*;
use crate::domains::events::model::RegStatus;
use crate::domains::events::views::CheckinPage;
use crate::domains::events::{event, registration};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::extract::{Form, Path, Query};
use crate::web::form::Pairs;
use crate::web::{PageCtx, render};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct CheckinQuery {
    #[serde(default)]
    pub q: String,
}

pub(in crate::domains::events) async fn checkin_page(
    state: &AppState,
    ctx: PageCtx,
    id: &str,
    query: &str,
) -> AppResult<CheckinPage> {
    let (user, event) = staff_event(&ctx, state, id).await?;
    let mut found = vec![];
    let q = query.trim().to_lowercase();
    // One Chinese character is a surname; Latin names need two letters.
    if q.chars().count() >= if q.is_ascii() { 2 } else { 1 } {
        for r in registration::service::registrations(state, &user, &event.id).await? {
            if r.registration.status != RegStatus::Confirmed {
                continue;
            }
            for p in r.participants {
                if p.name.to_lowercase().contains(&q) || p.email.contains(&q) {
                    let code = p.ticket_code.clone().unwrap_or_default();
                    found.push((p, code));
                }
            }
        }
        found.truncate(20);
    }
    // Door staff are told when the event is not today (a wrong event picked).
    let tz = crate::domains::centers::service::tz(state, &event.center_id).await?;
    let today = state.clock.now().local_parts(&tz).0;
    let first = crate::clock::Instant(event.span.start).local_parts(&tz).0;
    let last = crate::clock::Instant(event.span.end - 1).local_parts(&tz).0;
    let not_today = if today < first || today > last { first } else { String::new() };
    Ok(CheckinPage {
        not_today,
        tz,
        attendance: service::attendance(state, &user, &event.id).await?,
        event,
        ctx,
        result: String::new(),
        name: String::new(),
        category: String::new(),
        detail: String::new(),
        code: String::new(),
        query: query.to_string(),
        found,
    })
}

pub async fn checkin(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Query(q): Query<CheckinQuery>,
) -> AppResult<Response> {
    Ok(render(&checkin_page(&state, ctx, &id, &q.q).await?)?.into_response())
}

/// The check-in form without JavaScript: the result in large type.
pub async fn checkin_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::ManageEvents)?;
    let f = Pairs(pairs);
    let code = f.get("code");
    let lang = ctx.lang();
    let tz = {
        let e = event::service::get(&state, &id).await?;
        centers::tz(&state, &e.center_id).await?
    };
    let (result, name, category, detail, status) = if f.get("undo") == "1" {
        match service::undo_check_in(&state, &ctx.0.who(), &user, &id, &code, "web").await {
            Ok(p) => ("undone", p.name, String::new(), String::new(), StatusCode::OK),
            Err(AppError::Conflict { key, .. }) => {
                ("invalid", String::new(), String::new(), lang.t(key), StatusCode::CONFLICT)
            }
            Err(AppError::NotFound) => {
                ("unknown", String::new(), String::new(), String::new(), StatusCode::NOT_FOUND)
            }
            Err(e) => return Err(e),
        }
    } else {
        match service::check_in(&state, &user, &id, &code, &f.get("device"), None).await {
            Ok(CheckinResult::Ok { participant, category, .. }) => (
                "ok",
                participant.name,
                lang.pick(&category.zh, &category.en).to_string(),
                String::new(),
                StatusCode::OK,
            ),
            Ok(CheckinResult::Already { participant, category, at, device }) => {
                let detail = lang.t_args(
                    "checkin-already-detail",
                    &[("at", Instant(at).display_in(&tz)), ("device", device)],
                );
                (
                    "already",
                    participant.name,
                    lang.pick(&category.zh, &category.en).to_string(),
                    detail,
                    StatusCode::CONFLICT,
                )
            }
            Ok(CheckinResult::NotValid { participant, status }) => (
                "invalid",
                participant.name,
                String::new(),
                lang.t(&status.label_key()),
                StatusCode::CONFLICT,
            ),
            Ok(CheckinResult::OtherEvent { participant, event }) => {
                let title = lang.pick(&event.title.zh, &event.title.en).to_string();
                let when = Instant(event.span.start).display_in(&tz);
                (
                    "other-event",
                    participant.name,
                    String::new(),
                    lang.t_args("checkin-other-event-detail", &[("event", title), ("when", when)]),
                    StatusCode::CONFLICT,
                )
            }
            Err(AppError::NotFound) => {
                ("unknown", String::new(), String::new(), String::new(), StatusCode::NOT_FOUND)
            }
            Err(e) => return Err(e),
        }
    };
    let mut page = checkin_page(&state, ctx, &id, "").await?;
    page.result = result.into();
    page.name = name;
    page.category = category;
    page.detail = detail;
    page.code = crate::tickets::normalize(&code);
    Ok((status, render(&page)?).into_response())
}
