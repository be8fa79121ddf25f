//! The signed-in home: the modules of Liaison this role works with, and
//! which of them are open yet.

pub mod handlers;
pub mod views;
