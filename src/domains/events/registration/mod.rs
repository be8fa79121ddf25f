//! Registrations: people and groups, never over capacity or quota; the waiting line by policy; approval; tickets and the holder's page; exports; purge.

pub mod api;
pub(in crate::domains::events) mod line;
pub mod pages;
pub mod service;
pub(super) mod store;
