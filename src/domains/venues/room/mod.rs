//! Rooms: their rules, closures, availability, day and week calendars, and the free-room finder.

pub mod api;
pub mod pages;
pub mod service;
pub(super) mod store;
