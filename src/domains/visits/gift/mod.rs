//! The gift register: stock, gifts given, repeat-gift warnings.

pub mod api;
pub mod pages;
pub mod service;
pub(super) mod store;
