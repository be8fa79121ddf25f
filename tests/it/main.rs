//! The integration suite: one binary. Each test builds the app on a fresh
//! database — a temporary SQLite file, or a new PostgreSQL database when
//! `LIAISON_TEST_DATABASE_URL` is set — and talks to it over HTTP in process.

#![allow(clippy::unwrap_used)]

mod helpers;

mod admin;
mod api;
mod architecture;
mod audit;
mod auth;
mod cli;
mod concurrency;
mod csrf;
mod dashboard;
mod enterprises;
mod errors;
mod event_pages;
mod events;
mod glossary;
mod hall;
mod i18n;
mod matchmaking;
mod news;
mod permissions;
mod privacy;
mod signage;
mod venue_pages;
mod venues;
mod visit_pages;
mod visits;
