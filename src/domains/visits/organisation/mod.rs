//! Counterpart organisations: found or made from a request, corrected by staff, with the timeline of their visits.

pub mod api;
pub mod pages;
pub mod service;
pub(super) mod store;
