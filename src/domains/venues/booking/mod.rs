//! Bookings: one-off and recurring, never overlapping; approvals, cancellations, moves, my bookings, the inbox and notifications.

pub mod api;
pub mod conflict;
pub mod pages;
pub mod service;
pub(super) mod store;
