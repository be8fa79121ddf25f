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

/// The languages named in `reference.ftl`, offered by name in forms.
pub const NAMED: [&str; 13] =
    ["zh", "en", "fr", "de", "es", "ru", "ar", "ja", "ko", "pt", "it", "th", "vi"];

/// A language tag's name in `lang` (`language-fr`). A variant is named in
/// words too: its script (`zh-Hans` → 中文（简体）/ Chinese (Simplified)) or
/// its region from the country table (`en-GB` → English (United Kingdom)).
/// A tag we cannot name stays a tag.
pub fn label(lang: Lang, tag: &str) -> String {
    let key = format!("language-{}", primary_language(tag));
    if !lang.has(&key) {
        return tag.to_string();
    }
    let name = lang.t(&key);
    let Some((_, rest)) = tag.split_once('-') else { return name };
    let words: Vec<String> = rest
        .split('-')
        .map(|part| {
            let script = format!("script-{part}");
            if part.len() == 4 && lang.has(&script) {
                lang.t(&script)
            } else if part.len() == 2 {
                super::countries::label(lang, part)
            } else {
                part.to_string()
            }
        })
        .collect();
    match lang {
        Lang::Zh => format!("{name}（{}）", words.join("，")),
        Lang::En => format!("{name} ({})", words.join(", ")),
    }
}

/// One named language in a picker, ticked when the value holds it.
pub struct Choice {
    pub tag: &'static str,
    pub name: String,
    pub checked: bool,
}

/// A language picker for a comma-separated value: the named languages with
/// those in the value ticked, and the tags it holds that have no box (a
/// variant such as `de-AT`, a language we do not name) left as text.
pub fn picker(lang: Lang, value: &str) -> (Vec<Choice>, String) {
    let tags = language_tags(value).unwrap_or_default();
    let choices = NAMED
        .iter()
        .map(|t| Choice {
            tag: t,
            name: lang.t(&format!("language-{t}")),
            checked: tags.iter().any(|x| x == t),
        })
        .collect();
    let other: Vec<String> = tags.into_iter().filter(|t| !NAMED.contains(&t.as_str())).collect();
    let other = if value.trim().is_empty() || language_tags(value).is_ok() {
        other.join(", ")
    } else {
        value.to_string()
    };
    (choices, other)
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
        assert_eq!(label(Lang::En, "en-GB"), "English (United Kingdom)");
        assert_eq!(label(Lang::Zh, "zh-Hans"), "中文（简体）");
        assert_eq!(label(Lang::En, "zh-Hant-TW"), "Chinese (Traditional, Taiwan, China)");
        assert_eq!(label(Lang::En, "es-419"), "Spanish (419)");
        let (choices, other) = picker(Lang::En, "de, fr, de-AT");
        assert!(choices.iter().any(|c| c.tag == "de" && c.checked && c.name == "German"));
        assert!(!choices.iter().any(|c| c.tag == "en" && c.checked));
        assert_eq!(other, "de-AT");
        assert_eq!(
            picker(Lang::En, "en, klingon").1,
            "en, klingon",
            "a refused value is kept as typed"
        );
        assert_eq!(label(Lang::En, "tlh"), "tlh");
    }
}
