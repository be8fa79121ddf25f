//! HTTP for the dashboard.

use axum::extract::State;
use axum::response::{IntoResponse, Response};

use super::service;
use super::views::{DashboardPage, Module};
use crate::auth::{Perm, Role};
use crate::domains::centers::service as centers;
use crate::domains::visits;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::{PageCtx, render};

/// The modules a role works with, each one live: a module that is not
/// built yet is not shown (its card would lead nowhere).
fn modules_for(role: Role) -> Vec<Module> {
    let m = |id, href| Module { id, href };
    match role {
        Role::Admin => vec![
            m("visits", "/visits"),
            m("events", "/events"),
            m("venues", "/venues"),
            m("inbox", "/inbox"),
            m("interpreters", "/interpreting"),
            m("users", "/admin/users"),
            m("settings", "/admin/settings"),
            m("audit", "/admin/audit"),
        ],
        Role::Staff => vec![m("visits", "/visits"), m("events", "/events"), m("venues", "/venues")],
        Role::Interpreter => {
            vec![m("assignments", "/interpreting/mine"), m("venues", "/venues")]
        }
        Role::Enterprise => vec![m("venues", "/venues"), m("events", "/events")],
        Role::Oversight => vec![m("events", "/events")],
    }
}

/// The signed-in home: today's and this week's work first, then the modules.
pub async fn index(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let me = ctx.0.require(Perm::SignedIn)?;
    let mut names = vec![];
    for center_id in &me.scope {
        let c = centers::get(&state, center_id).await?;
        names.push(ctx.pick(&c.name.zh, &c.name.en).to_string());
    }
    let lang = ctx.lang();
    let (mut work, mut overdue, mut followups, mut mine) = (None, vec![], vec![], vec![]);
    if let Some(center_id) = &me.center_id {
        if ctx.can(Perm::ManageVisits) {
            work = Some(service::work(&state, center_id, lang).await?);
            // What is late: plan tasks past their due date, follow-ups due.
            overdue = visits::task::service::overdue_tasks(&state, center_id).await?;
            followups = visits::outcome::service::followups_due(&state, center_id).await?;
        } else if ctx.can(Perm::BookRooms) {
            mine = service::my_bookings(&state, &me, center_id, lang).await?;
        }
    }
    let figures = if me.role == Role::Oversight {
        service::figures(&state, &me, lang).await?
    } else {
        vec![]
    };
    let page = DashboardPage {
        ctx,
        center_name: names.join(" · "),
        modules: modules_for(me.role),
        work,
        overdue,
        followups,
        mine,
        figures,
    };
    Ok(render(&page)?.into_response())
}
