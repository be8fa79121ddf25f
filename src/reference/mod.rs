//! Reference data every domain reads, with names in both languages:
//! countries and regions (a reviewed ISO 3166-1 table) and languages
//! (BCP 47 tags, named through Fluent `language-<code>` keys) and working
//! days (the State Council's holidays and worked weekends).

pub mod countries;
pub mod languages;
pub mod workdays;
