//! Liaison (联络) runs an International Exchange Center (对外交流中心).
//!
//! Shared machinery sits at the top level (`db`, `web`, `auth`, `i18n`,
//! `audit`, `clock`, `error`, `config`, `cli`) and imports nothing from the
//! domain slices under `domains/`; the slices depend downward on it and call
//! one another only through their `service` modules.

pub mod approvals;
pub mod audit;
pub mod auth;
pub mod bilingual;
pub mod center;
pub mod cli;
pub mod clock;
pub mod codes;
pub mod config;
pub mod db;
pub mod demo;
pub mod domains;
pub mod error;
pub mod i18n;
pub mod ical;
pub mod images;
pub mod links;
pub mod notify;
pub mod openapi;
pub mod print;
pub mod qr;
pub mod reference;
pub mod router;
pub mod sealed;
pub mod seats;
pub mod state;
pub mod storage;
pub mod throttle;
pub mod tickets;
pub mod time;
pub mod validate;
pub mod web;
pub mod webhooks;
pub mod write;
