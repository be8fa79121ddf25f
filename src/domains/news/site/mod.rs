//! The public site's news pages, feeds and sitemap.

pub mod pages;
