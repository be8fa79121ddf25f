//! Domain slices. Each holds `model` (types and pure rules), `store` (SQL
//! only), `service` (rules and transactions), `handlers` (HTTP in, view out)
//! and `views` (templates and JSON shapes), as it needs them.

pub mod accounts;
pub mod audit_log;
pub mod centers;
pub mod dashboard;
pub mod enterprises;
pub mod events;
pub mod glossary;
pub mod hall;
pub mod interpreting;
pub mod matchmaking;
pub mod news;
pub mod signage;
pub mod venues;
pub mod visits;
