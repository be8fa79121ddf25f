//! Profiles with offers and needs, the catalogue and suggestions.

pub mod api;
pub mod pages;
pub mod service;
pub(super) mod store;
