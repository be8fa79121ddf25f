//! Where a browser may be sent back to after signing in: a path of this
//! site only. Browsers forgive a lot in a `Location` — they drop tabs and
//! newlines, read `\` as `/`, and take `//host` (and `/\t/host`) as another
//! site — so anything that is not plainly a local path is refused.

/// `next` when it is a same-origin path, else `None`. The value is checked
/// as sent and again after percent-decoding: it must start with one `/`,
/// and hold no `\`, no control character and no second `/` right after the
/// first (once tabs and newlines are gone, as browsers remove them).
pub fn local_path(next: &str) -> Option<&str> {
    fn plain(s: &str) -> bool {
        s.starts_with('/')
            && !s.contains('\\')
            && !s.chars().any(char::is_control)
            && !s[1..].starts_with('/')
    }
    let decoded = percent_encoding::percent_decode_str(next).decode_utf8().ok()?;
    (next.len() <= 2000 && plain(next) && plain(&decoded)).then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_local_paths_are_followed() {
        for ok in ["/dashboard", "/events/abc?lang=en", "/visits/1#members", "/a%20b"] {
            assert_eq!(local_path(ok), Some(ok), "{ok}");
        }
        for bad in [
            "",
            "dashboard",
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/%09/evil.example",
            "/%2F/evil.example",
            "/%5Cevil.example",
            "/\n/evil.example",
            "/%0d%0a/evil.example",
            "https://evil.example",
            "/ok\\..\\x",
            "/%ff%fe",
        ] {
            assert_eq!(local_path(bad), None, "{bad:?}");
        }
        assert_eq!(local_path(&format!("/{}", "a".repeat(3000))), None);
    }
}
