//! The plan checklist: tasks by area with owners and due dates.

pub mod api;
pub mod pages;
pub mod service;
pub(super) mod store;
