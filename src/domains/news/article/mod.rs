//! Articles: drafting, the workflow, revisions.

pub mod api;
pub mod pages;
pub mod service;
pub(super) mod store;
