//! Reservations: booking a slot without an account, the holder's page and
//! ticket, changes and cancellation, staff moves, reminders, no-shows and
//! their strikes, and the purge of personal data.
pub mod api;
pub mod pages;
pub mod service;
pub(in crate::domains::hall) mod store;
pub mod watch;
