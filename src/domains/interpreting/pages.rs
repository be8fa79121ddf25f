//! HTML for interpreters: my assignments (accept / decline with a reason)
//! and my time away; the roster, where an admin sets who works in which
//! languages at which level.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::model::AssignmentStatus;
use super::service;
use super::store::{Assignment, Interpreter, Unavailability};
use crate::auth::{Perm, Role};
use crate::clock::Instant;
use crate::domains::accounts::service as accounts;
use crate::domains::visits;
use crate::error::{AppError, AppResult};
use crate::reference::languages::label as language_label;
use crate::state::AppState;
use crate::time::Span;
use crate::web::extract::{Form, Path};
use crate::web::form::FormErrors;
use crate::web::form::Pairs;
use crate::web::{PageCtx, render};

/// One of my assignments with what it is for.
pub struct MineLine {
    pub a: Assignment,
    pub when: String,
    pub visit_reference: String,
    pub title: String,
}

#[derive(Template)]
#[template(path = "interpreting/mine.html")]
pub struct MinePage {
    pub ctx: PageCtx,
    pub me: Option<Interpreter>,
    pub lines: Vec<MineLine>,
    pub away: Vec<(Unavailability, String)>,
    pub errors: FormErrors,
}

impl MinePage {
    pub fn language(&self, tag: &str) -> String {
        language_label(self.ctx.lang(), tag)
    }
}

#[derive(Template)]
#[template(path = "interpreting/roster.html")]
pub struct RosterPage {
    pub ctx: PageCtx,
    pub interpreters: Vec<Interpreter>,
    pub users: Vec<(String, String)>,
    pub errors: FormErrors,
}

impl RosterPage {
    pub fn language(&self, tag: &str) -> String {
        language_label(self.ctx.lang(), tag)
    }

    pub fn level_key(&self, level: &i64) -> String {
        format!("interp-level-{level}")
    }
}

async fn mine_page(state: &AppState, ctx: PageCtx, errors: FormErrors) -> AppResult<MinePage> {
    let (user, center_id) = ctx.0.require_center(Perm::Interpret)?;
    let tz = crate::domains::centers::service::tz(state, &center_id).await?;
    let me = service::of_user(state, &user).await?;
    let (mut lines, mut away) = (vec![], vec![]);
    if let Some(i) = &me {
        let list = service::for_interpreter(state, i).await?;
        let ids: Vec<String> = list.iter().map(|a| a.item_id.clone()).collect();
        let labels = visits::itinerary::service::item_labels(state, &ids).await?;
        for a in list {
            let label = labels.iter().find(|l| l.0 == a.item_id);
            lines.push(MineLine {
                when: crate::time::day_and_times(a.span, &tz),
                visit_reference: label.map(|l| l.2.clone()).unwrap_or_default(),
                // A visit's item by its visit's label; anything else (a
                // matchmaking meeting) by the label kept with the assignment.
                title: label
                    .map(|l| ctx.pick(&l.3.zh, &l.3.en).to_string())
                    .unwrap_or_else(|| ctx.pick(&a.title.zh, &a.title.en).to_string()),
                a,
            });
        }
        for u in service::unavailability(state, i).await? {
            let when = format!(
                "{} – {}",
                Instant(u.span.start).display_in(&tz),
                Instant(u.span.end).display_in(&tz)
            );
            away.push((u, when));
        }
    }
    Ok(MinePage { ctx, me, lines, away, errors })
}

pub async fn mine(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    Ok(render(&mine_page(&state, ctx, FormErrors::default()).await?)?.into_response())
}

async fn decide(
    state: AppState,
    ctx: PageCtx,
    id: String,
    to: AssignmentStatus,
    reason: String,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::Interpret)?;
    match service::decide(&state, &ctx.0.who(), &user, &id, to, &reason).await {
        Ok(_) => Ok(Redirect::to("/interpreting/mine").into_response()),
        Err(AppError::Invalid(errors)) => {
            let page = mine_page(&state, ctx, FormErrors(errors)).await?;
            crate::web::form::again(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e),
    }
}

pub async fn accept(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> AppResult<Response> {
    decide(state, ctx, id, AssignmentStatus::Accepted, String::new()).await
}

pub async fn decline(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let reason = Pairs(pairs).get("reason");
    decide(state, ctx, id, AssignmentStatus::Declined, reason).await
}

pub async fn away_add(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::Interpret)?;
    let me = service::of_user(&state, &user).await?.ok_or(AppError::NotFound)?;
    let f = Pairs(pairs);
    let tz = crate::domains::centers::service::tz(&state, &center_id).await?;
    let start = Instant::parse_local(&f.get("from_date"), &f.get("from_time"), &tz);
    let end = Instant::parse_local(&f.get("to_date"), &f.get("to_time"), &tz);
    let result = match (start, end) {
        (Some(s), Some(e)) => {
            service::add_unavailability(
                &state,
                &ctx.0.who(),
                &me,
                Span { start: s.millis(), end: e.millis() },
                &f.get("reason"),
            )
            .await
        }
        _ => Err(AppError::invalid("from_date", "field-invalid-instant")),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/interpreting/mine").into_response()),
        Err(AppError::Invalid(errors)) => {
            let page = mine_page(&state, ctx, FormErrors(errors)).await?;
            crate::web::form::again(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e),
    }
}

pub async fn away_delete(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::Interpret)?;
    let me = service::of_user(&state, &user).await?.ok_or(AppError::NotFound)?;
    service::remove_unavailability(&state, &ctx.0.who(), &me, &id).await?;
    Ok(Redirect::to("/interpreting/mine").into_response())
}

async fn roster_page(state: &AppState, ctx: PageCtx, errors: FormErrors) -> AppResult<RosterPage> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageVisits)?;
    let users = accounts::users_in(state, &center_id)
        .await?
        .into_iter()
        .filter(|u| u.active && matches!(u.role, Role::Interpreter | Role::Staff | Role::Admin))
        .map(|u| (u.id, u.display_name))
        .collect();
    Ok(RosterPage { interpreters: service::list(state, &center_id).await?, users, ctx, errors })
}

pub async fn roster(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    Ok(render(&roster_page(&state, ctx, FormErrors::default()).await?)?.into_response())
}

pub async fn roster_save(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageInterpreters)?;
    let f = Pairs(pairs);
    // Each named language picked with its level, then any other as "tag:level".
    let mut picked: Vec<String> = crate::reference::languages::NAMED
        .iter()
        .filter_map(|t| {
            let level = f.get(&format!("level_{t}"));
            (!level.is_empty()).then(|| format!("{t}:{level}"))
        })
        .collect();
    picked.extend(f.all("languages"));
    let result = match service::parse_languages(&picked.join(", ")) {
        Ok(langs) => service::save(
            &state,
            &ctx.0.who(),
            &center_id,
            &f.get("user_id"),
            langs,
            &f.get("notes"),
            !f.get("active").is_empty(),
        )
        .await
        .map(|_| ()),
        Err(e) => Err(AppError::Invalid(vec![e])),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/interpreting").into_response()),
        Err(AppError::Invalid(errors)) => {
            let page = roster_page(&state, ctx, FormErrors(errors)).await?;
            crate::web::form::again(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e),
    }
}
