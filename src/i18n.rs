//! Languages and translated text. Every user-facing string lives in
//! `locales/<lang>/*.ftl` under the same keys in both languages; Rust code and
//! templates carry keys, never literal text. Dates and numbers are formatted
//! in Rust (Fluent has no date formatting) and passed in as arguments.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};

use crate::error::FieldError;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "zh-CN",
        // No Unicode isolation marks around arguments: they end up in HTML
        // attributes and e-mail subjects.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static ZH: LanguageIdentifier = langid!("zh-CN");
static EN: LanguageIdentifier = langid!("en");

/// A language the product speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Zh, Lang::En];

    /// The BCP 47 tag used in `?lang=`, the cookie and `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The other language: the one the switch offers.
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// Reads a tag loosely: `zh`, `zh-CN`, `zh-Hans`, `en`, `en-GB`, … .
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The best language for an `Accept-Language` header, honouring q-values.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q <= 0.0 {
                continue;
            }
            if let Some(lang) = Lang::parse(tag)
                && best.is_none_or(|(bq, _)| q > bq)
            {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l)
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }

    /// The text for `key`; the key itself if it is missing (a test forbids that).
    pub fn t(self, key: &str) -> String {
        LOCALES.try_lookup(self.id(), key).unwrap_or_else(|| key.to_string())
    }

    /// The text for `key` with named arguments.
    /// A field error's message in this language, its values filled in.
    pub fn message(self, e: &crate::error::FieldError) -> String {
        if e.args.is_empty() {
            return self.t(&e.key);
        }
        let args: Vec<(&str, String)> =
            e.args.iter().map(|(k, zh, en)| (*k, self.pick(zh, en).to_string())).collect();
        self.t_args(&e.key, &args)
    }

    /// A conflict's message: the text for `key` with the conflict's plain
    /// members (strings and numbers: `until`, `free`, `max`…) as arguments,
    /// so "cooling off until { $until }" says the date.
    pub fn conflict(self, key: &str, details: &serde_json::Value) -> String {
        let args: Vec<(&str, String)> = match details {
            serde_json::Value::Object(m) => m
                .iter()
                .filter_map(|(k, v)| match v {
                    serde_json::Value::String(s) => Some((k.as_str(), s.clone())),
                    serde_json::Value::Number(n) => Some((k.as_str(), n.to_string())),
                    _ => None,
                })
                .collect(),
            _ => vec![],
        };
        self.t_args(key, &args)
    }

    pub fn t_args(self, key: &str, args: &[(&str, String)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(k, v)| (Cow::Owned(k.to_string()), FluentValue::from(v.clone())))
            .collect();
        LOCALES.try_lookup_with_args(self.id(), key, &map).unwrap_or_else(|| key.to_string())
    }

    /// Whether `key` exists in this language, without falling back. (A
    /// message that needs arguments fails to format here, but it exists.)
    pub fn has(self, key: &str) -> bool {
        // The crate does not export its error type; its Display tells a
        // formatting error ("Fluent errors: …") from a missing message.
        match LOCALES.lookup_single_language::<&str>(self.id(), key, None) {
            Ok(_) => true,
            Err(e) => e.to_string().starts_with("Fluent errors"),
        }
    }

    /// Picks the side of a bilingual pair for this language, falling back to
    /// the other side when this one is empty (drafts may miss a side).
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh if !zh.is_empty() => zh,
            Lang::En if !en.is_empty() => en,
            Lang::Zh => en,
            Lang::En => zh,
        }
    }

    /// This language's side of a pair, or the other when this one is empty
    /// (a title given in one language only).
    pub fn pick_either<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        let s = self.pick(zh, en);
        if s.is_empty() { self.other().pick(zh, en) } else { s }
    }
}

/// A text every visitor may read, in both languages.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Bilingual {
    pub zh: String,
    pub en: String,
}

impl Bilingual {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Bilingual {
        Bilingual { zh: zh.into().trim().to_string(), en: en.into().trim().to_string() }
    }

    /// Both sides present: required to publish.
    pub fn is_complete(&self) -> bool {
        !self.zh.is_empty() && !self.en.is_empty()
    }

    /// Field errors for a pair that must be complete: `<field>_zh`, `<field>_en`.
    pub fn require(&self, field: &str, max_chars: usize) -> Vec<FieldError> {
        let mut errors = vec![];
        for (side, text) in [("zh", &self.zh), ("en", &self.en)] {
            if text.is_empty() {
                errors.push(FieldError::new(format!("{field}_{side}"), "field-required"));
            } else if text.chars().count() > max_chars {
                errors.push(FieldError::new(format!("{field}_{side}"), "field-too-long"));
            }
        }
        errors
    }

    /// Field errors for an optional pair (drafts may miss a side): length only.
    pub fn limit(&self, field: &str, max_chars: usize) -> Vec<FieldError> {
        [("zh", &self.zh), ("en", &self.en)]
            .into_iter()
            .filter(|(_, t)| t.chars().count() > max_chars)
            .map(|(side, _)| FieldError::new(format!("{field}_{side}"), "field-too-long"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_parse_loosely() {
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::parse("zh_Hans"), Some(Lang::Zh));
        assert_eq!(Lang::parse("EN-gb"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::parse(""), None);
    }

    #[test]
    fn accept_language_honours_quality() {
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9,zh;q=0.8"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("fr;q=1, zh-CN;q=0.5, en;q=0.4"), Some(Lang::Zh));
        assert_eq!(Lang::from_accept_language("en;q=0, zh;q=0.1"), Some(Lang::Zh));
        assert_eq!(Lang::from_accept_language("de, fr"), None);
        assert_eq!(Lang::from_accept_language("garbage;;;q=x"), None);
    }

    #[test]
    fn pick_falls_back_to_the_other_side() {
        assert_eq!(Lang::Zh.pick("中", "en"), "中");
        assert_eq!(Lang::En.pick("中", ""), "中");
        assert_eq!(Lang::En.pick("中", "en"), "en");
    }

    #[test]
    fn lookups_use_the_right_language() {
        assert_eq!(Lang::Zh.t("lang-name"), "中文");
        assert_eq!(Lang::En.t("lang-name"), "English");
        assert_eq!(Lang::En.t("no-such-key-anywhere"), "no-such-key-anywhere");
    }
}
