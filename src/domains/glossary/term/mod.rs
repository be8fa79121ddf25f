//! Terms: the Chinese, the approved English, status, forbidden variants.

pub mod api;
pub mod pages;
pub mod service;
pub(super) mod store;
