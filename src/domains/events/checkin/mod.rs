//! Check-in at the door: once per ticket whatever the concurrency, undo within a minute, the door list and the attendance counts.

pub mod api;
pub mod pages;
pub mod service;
pub(super) mod store;
