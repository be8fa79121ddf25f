//! The site's own pages: which there are, and what one must hold. No I/O.

use super::{MAX_BODY, MAX_TITLE, line, text};
use crate::codes;
use crate::error::FieldError;

codes!(
    pub enum PageKey, "news-page-key" {
        About = "about",
        Zones = "zones",
        Contact = "contact",
        /// The privacy notice.
        Privacy = "privacy",
        /// The accessibility statement.
        Accessibility = "accessibility",
    }
);

/// One of the site's own pages, both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitePage {
    pub key: PageKey,
    /// None: not yet written (the default text is shown).
    pub id: Option<String>,
    pub title_zh: String,
    pub title_en: String,
    pub body_zh: String,
    pub body_en: String,
    pub version: i64,
    pub updated_at: i64,
}

/// A site page as typed: both languages required.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageInput {
    pub title_zh: String,
    pub title_en: String,
    pub body_zh: String,
    pub body_en: String,
}

impl PageInput {
    pub fn parse(
        title_zh: &str,
        title_en: &str,
        body_zh: &str,
        body_en: &str,
    ) -> Result<PageInput, Vec<FieldError>> {
        let mut e = vec![];
        let need = |e: &mut Vec<FieldError>, field: &str, v: String| {
            if v.is_empty() && !e.iter().any(|f: &FieldError| f.field == field) {
                e.push(FieldError::new(field, "field-required"));
            }
            v
        };
        let t_zh = line(&mut e, "title_zh", title_zh, MAX_TITLE);
        let t_en = line(&mut e, "title_en", title_en, MAX_TITLE);
        let b_zh = text(&mut e, "body_zh", body_zh, MAX_BODY);
        let b_en = text(&mut e, "body_en", body_en, MAX_BODY);
        let input = PageInput {
            title_zh: need(&mut e, "title_zh", t_zh),
            title_en: need(&mut e, "title_en", t_en),
            body_zh: need(&mut e, "body_zh", b_zh),
            body_en: need(&mut e, "body_en", b_en),
        };
        if e.is_empty() { Ok(input) } else { Err(e) }
    }
}
