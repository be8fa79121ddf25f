//! The service catalogue: each service with its flow and its versioned form
//! (field rows, document checklist, SLA per step), the item categories, and
//! the center's own working days. Seeded with the seven services of the
//! center's R&D supply-chain and technology-innovation platforms.

pub mod api;
pub mod pages;
mod seed;
pub mod service;
pub(super) mod store;
