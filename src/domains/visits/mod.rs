//! Delegation visits (外事接待): counterpart organisations, requests and the
//! visit lifecycle, members, the itinerary in the center's rooms, the plan
//! checklist, protocol (seating, name cards, gifts), outcomes and figures.

pub mod api;
pub mod demo;
pub mod model;
pub mod pages;
pub mod records;
pub mod service;
pub mod store;
pub mod views;
