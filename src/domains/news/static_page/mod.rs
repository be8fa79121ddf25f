//! The public site's own pages: about, zones, contact, the privacy notice
//! and the accessibility statement — both languages, edited by the senior
//! editor, shown from the program's default text until written.

pub mod api;
pub mod pages;
pub mod service;
pub(super) mod store;
