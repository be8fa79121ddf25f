//! Findings: what the checker found in the center's texts, and the fixes.

pub mod api;
pub mod pages;
pub mod service;
pub(super) mod store;
