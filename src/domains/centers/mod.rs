//! Centers, their functional zones (功能区) and settings, and the public home
//! page. Every record of every other slice belongs to one center.

pub mod handlers;
pub mod model;
pub mod service;
pub mod store;
pub mod views;
