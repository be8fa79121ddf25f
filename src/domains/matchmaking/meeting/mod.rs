//! Meetings: requests, acceptance, placement, cancellation, the batch
//! scheduler, agendas, attendance and outcomes.

pub mod api;
pub(super) mod mail;
pub mod pages;
pub(super) mod place;
pub mod service;
pub mod staff;
pub(super) mod store;
