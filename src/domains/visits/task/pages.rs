use super::service;
use crate::auth::Perm;
use crate::domains::visits::task::service::TaskInput;
use crate::domains::visits::visit::pages::*;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::PageCtx;
use crate::web::extract::{Form, Path};
use crate::web::form::Pairs;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

pub async fn task_add(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::ManageVisits)?;
    let f = Pairs(pairs);
    let input = TaskInput {
        area: f.get("area"),
        title: f.get("title"),
        owner_id: f.get("owner_id"),
        due_on: f.get("due_on"),
    };
    let r = service::add_task(&state, &ctx.0.who(), &user, &id, input).await.map(|_| ());
    after(&state, ctx, &id, r, "visit-notice-saved", None).await
}

pub async fn task_status(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(task): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::ManageVisits)?;
    let t = service::set_task_status(&state, &ctx.0.who(), &user, &task, &Pairs(pairs).get("to"))
        .await?;
    Ok(Redirect::to(&format!("/visits/{}?notice=visit-notice-saved#plan", t.visit_id))
        .into_response())
}
