//! Outcomes of a visit (MOU, agreement …) and their follow-up reminders.

pub mod api;
pub mod pages;
pub mod service;
pub(super) mod store;
