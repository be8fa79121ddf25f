//! Venues: the rooms of a center's zones and their bookings — one-off and
//! recurring, never overlapping under any concurrency — with approvals,
//! calendars, iCalendar feeds and door displays.

pub mod api;
pub mod model;
pub mod service;
pub mod store;
