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

/// The modules a role works with. Those not built yet are listed as coming,
/// so staff can see what the system will cover; they link nowhere.
fn modules_for(role: Role) -> Vec<Module> {
    let m = |id, href, available| Module { id, href, available };
    match role {
        Role::Admin => vec![
            m("users", "/admin/users", true),
            m("zones", "/admin/zones", true),
            m("settings", "/admin/settings", true),
            m("audit", "/admin/audit", true),
            m("venues", "/venues", true),
            m("inbox", "/inbox", true),
            m("visits", "/visits", true),
            m("events", "", false),
            m("hall", "", false),
            m("services", "", false),
            m("reports", "", false),
        ],
        Role::Staff => vec![
            m("venues", "/venues", true),
            m("visits", "/visits", true),
            m("events", "", false),
            m("hall", "", false),
            m("services", "", false),
        ],
        Role::Interpreter => {
            vec![m("venues", "/venues", true), m("assignments", "/interpreting/mine", true)]
        }
        Role::Enterprise => {
            vec![m("venues", "/venues", true), m("services", "", false), m("events", "", false)]
        }
        Role::Oversight => vec![m("reports", "", false)],
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
