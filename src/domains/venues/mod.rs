//! Venues: the rooms of a center's zones and their bookings — one-off and
//! recurring, never overlapping under any concurrency — with approvals,
//! calendars, iCalendar feeds and door displays.

pub mod api;
pub mod booking_pages;
pub mod calendar;
pub mod feeds;
pub mod model;
pub mod pages;
pub mod recurrence;
pub mod service;
pub mod store;
pub mod views;
