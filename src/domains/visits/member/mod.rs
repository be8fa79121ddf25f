//! Members of a delegation: names as in the passport, languages, dietary needs, sealed passport numbers.

pub mod api;
pub mod pages;
pub mod service;
pub(super) mod store;
