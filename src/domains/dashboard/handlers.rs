//! HTTP for the dashboard.

use axum::extract::State;
use axum::response::{IntoResponse, Response};

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
            m("users", "/admin/users"),
            m("zones", "/admin/zones"),
            m("settings", "/admin/settings"),
            m("audit", "/admin/audit"),
            m("venues", "/venues"),
            m("inbox", "/inbox"),
            m("visits", "/visits"),
            m("events", "/events"),
            m("interpreters", "/interpreting"),
        ],
        Role::Staff => vec![m("venues", "/venues"), m("visits", "/visits"), m("events", "/events")],
        Role::Interpreter => {
            vec![m("venues", "/venues"), m("assignments", "/interpreting/mine")]
        }
        Role::Enterprise => vec![m("venues", "/venues"), m("events", "/events")],
        Role::Oversight => vec![],
    }
}

pub async fn index(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let me = ctx.0.require(Perm::SignedIn)?;
    let mut names = vec![];
    for center_id in &me.scope {
        let c = centers::get(&state, center_id).await?;
        names.push(ctx.pick(&c.name.zh, &c.name.en).to_string());
    }
    // Staff see what is late: plan tasks past their due date and outcomes
    // whose follow-up is due.
    let (mut overdue, mut followups) = (vec![], vec![]);
    if let (true, Some(center_id)) = (ctx.can(Perm::ManageVisits), &me.center_id) {
        overdue = visits::task::service::overdue_tasks(&state, center_id).await?;
        followups = visits::outcome::service::followups_due(&state, center_id).await?;
    }
    let page = DashboardPage {
        ctx,
        center_name: names.join(" · "),
        modules: modules_for(me.role),
        overdue,
        followups,
    };
    Ok(render(&page)?.into_response())
}
