//! Webhook subscriptions of the center (admins) and of enterprises (their
//! members), their delivery log, and redelivery. Delivery itself is the
//! shared `webhooks` module's.

pub mod api;
pub mod pages;
pub mod service;
pub(super) mod store;
