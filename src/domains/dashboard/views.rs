//! The dashboard page.

use askama::Template;

use super::service::{CenterFigures, Line, Work};
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
    /// The week's work, for those who run the center.
    pub work: Option<Work>,
    pub overdue: Vec<Task>,
    pub followups: Vec<Outcome>,
    /// One's own bookings to come (enterprise users).
    pub mine: Vec<Line>,
    /// The figures of the centers overseen (the accrediting office).
    pub figures: Vec<CenterFigures>,
}
