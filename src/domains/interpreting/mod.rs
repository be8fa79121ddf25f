//! Interpreters: foreign-language staff with their languages (BCP 47) and
//! levels, their unavailability, and their assignments to itinerary items —
//! never two overlapping ones, under any concurrency — with a ranked "who is
//! free and qualified" suggestion and the interpreter's own accept/decline.

pub mod api;
pub mod model;
pub mod pages;
pub mod service;
pub mod store;
