//! The sign registry: signs, their workflow, the audit walk, print sheets.

pub mod api;
pub mod pages;
pub mod service;
pub(super) mod store;
