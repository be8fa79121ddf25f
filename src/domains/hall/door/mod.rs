//! At the door: admitting reservations with the heads that came, walk-ins,
//! the staff day sheet, and the figures (批 and 人次).
pub mod api;
pub mod pages;
pub mod service;
pub(super) mod store;
