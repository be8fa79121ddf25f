//! Meetings: requests, acceptance, placement, cancellation, the batch
//! scheduler, agendas, attendance and outcomes.

pub mod api;
pub(super) mod mail;
pub(super) mod place;
pub mod service;
pub(super) mod store;
