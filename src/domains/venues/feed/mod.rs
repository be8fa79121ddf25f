//! Calendar feeds (iCalendar, RFC 5545) of a room and of a user's bookings,
//! and the door display of a room: read-only views behind secret URLs.

pub mod pages;
pub mod service;
pub(super) mod store;
