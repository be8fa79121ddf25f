//! Languages: BCP 47 tags read and written in canonical case, and their
//! names in the reader's language (Fluent keys `language-<primary>`).

use crate::i18n::Lang;

/// A BCP 47 language tag in its canonical case (`zh-Hans`, `en-GB`, `fr`),
/// or `None`. Accepts language (2–3 letters), then optionally a script (4
/// letters) and a region (2 letters or 3 digits); `_` is read as `-`.
pub fn language_tag(s: &str) -> Option<String> {
    let s = s.trim().replace('_', "-");
    let mut parts = s.split('-');
    let lang = parts.next()?;
    if !(2..=3).contains(&lang.len()) || !lang.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut out = lang.to_ascii_lowercase();
    let mut seen_script = false;
    let mut seen_region = false;
    for p in parts {
        if p.len() == 4
            && p.chars().all(|c| c.is_ascii_alphabetic())
            && !seen_script
            && !seen_region
        {
            seen_script = true;
            out.push('-');
            out.push_str(&p[..1].to_ascii_uppercase());
            out.push_str(&p[1..].to_ascii_lowercase());
        } else if !seen_region
            && (p.len() == 2 && p.chars().all(|c| c.is_ascii_alphabetic())
                || p.len() == 3 && p.chars().all(|c| c.is_ascii_digit()))
        {
            seen_region = true;
            out.push('-');
            out.push_str(&p.to_ascii_uppercase());
        } else {
            return None;
        }
    }
    Some(out)
}

/// The primary language subtag (`en` of `en-GB`).
pub fn primary_language(tag: &str) -> &str {
    tag.split('-').next().unwrap_or(tag)
}

/// A list of tags separated by commas or spaces: the canonical tags without
/// duplicates, or the first one that is not a tag.
pub fn language_tags(s: &str) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = vec![];
    for part in s.split(|c: char| c == ',' || c == ';' || c.is_whitespace()) {
        if part.trim().is_empty() {
            continue;
        }
        match language_tag(part) {
            Some(t) if !out.contains(&t) => out.push(t),
            Some(_) => {}
            None => return Err(part.trim().to_string()),
        }
    }
    Ok(out)
}

/// A language tag's name in `lang` when we have one (`language-fr`), with
/// the tag after it when it names a variant (`English (en-GB)`), else the tag.
pub fn label(lang: Lang, tag: &str) -> String {
    let key = format!("language-{}", primary_language(tag));
    if lang.has(&key) {
        let name = lang.t(&key);
        if tag.contains('-') { format!("{name} ({tag})") } else { name }
    } else {
        tag.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_are_canonical() {
        assert_eq!(language_tag("ZH_hans").as_deref(), Some("zh-Hans"));
        assert_eq!(language_tag("en-gb").as_deref(), Some("en-GB"));
        assert_eq!(language_tag("es-419").as_deref(), Some("es-419"));
        for bad in ["", "e", "english", "en-GB-GB", "zh-Hans-Hant", "en-", "1a"] {
            assert_eq!(language_tag(bad), None, "{bad}");
        }
        assert_eq!(
            language_tags("en, fr en;de-AT"),
            Ok(vec!["en".into(), "fr".into(), "de-AT".into()])
        );
        assert_eq!(language_tags("en, klingon"), Err("klingon".into()));
        assert_eq!(primary_language("en-GB"), "en");
    }

    #[test]
    fn languages_are_named_in_the_readers_language() {
        assert_eq!(label(Lang::En, "de"), "German");
        assert_eq!(label(Lang::Zh, "de"), "德语");
        assert_eq!(label(Lang::En, "en-GB"), "English (en-GB)");
        assert_eq!(label(Lang::En, "tlh"), "tlh");
    }
}
