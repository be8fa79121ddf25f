//! The dashboard page.

use askama::Template;

use crate::domains::visits::records::{Outcome, Task};
use crate::web::PageCtx;

/// A module tile: its name key and where it lives.
pub struct Module {
    pub id: &'static str,
    pub href: &'static str,
}

#[derive(Template)]
#[template(path = "dashboard/index.html")]
pub struct DashboardPage {
    pub ctx: PageCtx,
    pub center_name: String,
    pub modules: Vec<Module>,
    pub overdue: Vec<Task>,
    pub followups: Vec<Outcome>,
}
