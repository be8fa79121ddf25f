//! The itinerary: items booked in the center's rooms, their interpreters, seating plans, name cards, print and iCalendar.

pub mod api;
pub mod pages;
pub mod service;
pub(super) mod store;
