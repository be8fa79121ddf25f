//! Readers' comments: posted on published articles, held for moderation,
//! blocked by address or e-mail, purged of personal data in time.

pub mod api;
pub mod pages;
pub mod service;
pub(super) mod store;
