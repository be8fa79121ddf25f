//! Requests: an enterprise files one against a service's form (answers,
//! item lines), hands in documents, and follows it through the service's
//! flow; officers take it from a queue ordered by what is due, move it on,
//! ask for supplements (the clock stops), record the authority's reference
//! and validity, and talk to the enterprise in messages.

pub mod api;
pub mod pages;
pub mod service;
pub(super) mod store;
