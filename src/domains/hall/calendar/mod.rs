//! The hall's opening calendar and rules, and the slots they make.
pub mod api;
pub mod pages;
pub mod service;
pub(super) mod store;
