//! Figures of enterprise services as of a day: requests by service and
//! status, lead time per step in working days (median and p90), SLA
//! breaches. The same numbers on the page and over the API.

pub mod api;
pub mod pages;
pub mod service;
