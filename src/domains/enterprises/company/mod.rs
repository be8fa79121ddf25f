//! Enterprises: the settled companies the center serves, identified by
//! their unified social credit code, with contacts and the accounts that
//! act for them (each enterprise user belongs to one enterprise).

pub mod api;
pub mod pages;
pub mod service;
pub(super) mod store;
