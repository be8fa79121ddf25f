//! An event's matchmaking figures: requests and answers, meetings held,
//! no-shows, outcomes, by country and sector, as of a date.

pub mod api;
pub mod pages;
pub mod service;
pub(super) mod store;
