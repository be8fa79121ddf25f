//! Events: their pages, sessions in the center's rooms, ticket categories, lifecycle, capacity and edits, iCalendar feeds.

pub mod api;
pub mod pages;
pub mod service;
pub(super) mod store;
