//! Small shared checks on input text that more than one slice needs.

/// A plausible e-mail address: one `@`, something before it, a dotted domain
/// after it, no spaces, at most 254 characters. Deliverability is not checked.
pub fn looks_like_email(s: &str) -> bool {
    if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
}

/// Trims and lower-cases an e-mail address for storage and lookup.
pub fn normalize_email(s: &str) -> String {
    s.trim().to_lowercase()
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert!(looks_like_email("staff@center.example.cn"));
        for bad in ["", "a", "a@b", "@b.c", "a@.c", "a@b.", "a b@c.d", "a@b@c.d"] {
            assert!(!looks_like_email(bad), "{bad}");
        }
        assert_eq!(normalize_email("  Admin@Center.CN "), "admin@center.cn");
    }

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
}
