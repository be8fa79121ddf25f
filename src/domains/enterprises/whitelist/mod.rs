//! Sichuan's R&D-materials white list: an entry per enterprise and item
//! (HS code, specification, quantity), valid 12 months, made when a
//! white-list application is approved; its usage ledger (imported, used per
//! project, destroyed) never takes a balance below zero; entries expiring
//! within 30 days are announced.

pub mod api;
pub mod pages;
pub mod service;
pub(super) mod store;
