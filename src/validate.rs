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

/// Words to search for (a list's `q`): at most 100 characters, no control
/// characters — 422 naming `q` otherwise.
pub fn search_words(words: &str) -> Result<(), crate::error::AppError> {
    if words.chars().count() > 100 {
        return Err(crate::error::AppError::invalid("q", "field-too-long"));
    }
    if words.chars().any(char::is_control) {
        return Err(crate::error::AppError::invalid("q", "field-invalid"));
    }
    Ok(())
}

/// An optional instant as the API document writes it (RFC 3339 with an
/// offset, the `at` of an offline check-in): absent is none; anything sent,
/// an empty string included, must be one (422 naming `field` otherwise).
pub fn optional_instant(
    field: &str,
    value: Option<&str>,
) -> Result<Option<i64>, crate::error::AppError> {
    value
        .map(|s| {
            crate::clock::Instant::parse_rfc3339(s)
                .map(|t| t.millis())
                .ok_or_else(|| crate::error::AppError::invalid(field, "field-invalid-instant"))
        })
        .transpose()
}

/// A typed text field: trimmed; at most `max` characters and no control
/// characters but line breaks, or an error for `field` is added to `errors`.
pub fn text(
    errors: &mut Vec<crate::error::FieldError>,
    field: &str,
    v: &str,
    max: usize,
) -> String {
    if v.chars().count() > max {
        errors.push(crate::error::FieldError::new(field, "field-too-long"));
    } else if v.chars().any(|c| c.is_control() && c != '\n' && c != '\r') {
        errors.push(crate::error::FieldError::new(field, "field-invalid"));
    }
    v.trim().to_string()
}

/// As [`text`], and required: empty adds `field-required`.
pub fn required_text(
    errors: &mut Vec<crate::error::FieldError>,
    field: &str,
    v: &str,
    max: usize,
) -> String {
    let before = errors.len();
    let t = text(errors, field, v, max);
    if t.is_empty() && errors.len() == before {
        errors.push(crate::error::FieldError::new(field, "field-required"));
    }
    t
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
}
