//! Documents handed in against a request's checklist: streamed into the
//! document store under their hash, their type read from the content and
//! checked against what the checklist accepts, served back only as
//! downloads (`attachment`, `nosniff`) to those who may read the request.

pub mod api;
pub mod service;
pub(super) mod store;
