//! An event's matchmaking setup: meeting length, breaks, windows, tables.

pub mod api;
pub mod pages;
pub mod service;
pub(super) mod store;
