//! HTTP machinery every slice shares: the per-request context (language,
//! caller, CSRF token, client address), our own extractors, cookies, CSRF,
//! error rendering, security headers and static assets. Nothing here knows a
//! domain.

pub mod assets;
pub mod context;
pub mod cookies;
pub mod csrf;
pub mod errors;
pub mod extract;
pub mod page;
pub mod security;

pub use context::ReqCtx;
pub use page::{PageCtx, render};
