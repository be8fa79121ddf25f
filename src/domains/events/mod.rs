//! Events: bilingual event pages, sessions in the center's rooms, ticket
//! categories with quotas, registration forms, group registrations that
//! never overfill an event, a waiting list that understands groups, tickets
//! with unguessable codes, and check-in that never counts twice.

pub mod api;
pub mod demo;
pub mod export;
pub mod model;
pub mod pages;
pub mod service;
pub mod store;
pub mod views;
