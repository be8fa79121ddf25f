//! Visits: requests from the public, the lifecycle from inquiry to closed, the list, figures, retention and the imported history.

pub mod api;
pub mod pages;
pub mod service;
pub(super) mod store;
