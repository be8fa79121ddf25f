//! Accounts: users and their roles, signing in and out, API tokens, and the
//! throttle on failed logins. The permission table itself is `auth::allows`.

pub mod handlers;
pub mod model;
pub mod service;
pub mod store;
pub mod views;
