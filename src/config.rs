//! Run-time configuration: what `liaison serve` reads from flags and
//! `LIAISON_*` environment variables (see `cli.rs` for the flags and the
//! README for the table). Secrets never reach a log: `Debug` is hand-written.

use std::fmt;

#[derive(Clone)]
pub struct Config {
    /// `sqlite://liaison.db` or `postgres://…`.
    pub database_url: String,
    /// Pool size; SQLite serialises writers anyway.
    pub max_connections: u32,
    /// Hours a login session lasts.
    pub session_hours: i64,
    /// Failed logins allowed per (account, client address) and per client
    /// address in the window.
    pub login_max_failures: i64,
    pub login_window_secs: i64,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy you run).
    pub trust_forwarded_for: bool,
    /// How many proxies of ours append to `X-Forwarded-For` (1 or more).
    pub trusted_proxies: usize,
    /// Mark cookies `Secure` (set when served over TLS, or behind a TLS proxy).
    pub secure_cookies: bool,
    /// Slug of the center whose public site `/` shows; the first center when empty.
    pub default_center: String,
    /// `smtp://…` or `smtps://…`; empty: e-mail is logged, not sent.
    pub smtp_url: String,
    /// The sender of notification e-mail.
    pub smtp_from: String,
    /// The address the public reaches this site at (`https://…`, no
    /// trailing slash): absolute links in feeds, the sitemap and Open Graph.
    pub public_url: String,
    /// The Chromium that prints PDFs (sign sheets).
    pub chromium: String,
    /// The folder kept pictures are written to (content-addressed).
    pub files_dir: std::path::PathBuf,
    /// Where documents are kept: empty for `files_dir`, or
    /// `s3://bucket?endpoint=…` for an S3-compatible object store.
    pub document_store: String,
    /// Let enterprises' webhooks point at private addresses (tests, a
    /// closed network); the center's own hooks always may.
    pub webhooks_private: bool,
    /// Key that seals identity-document numbers; without one they are refused.
    pub data_key: Option<crate::sealed::DataKey>,
}

impl Config {
    /// A configuration for the given database with every other value at its default.
    pub fn for_database(database_url: impl Into<String>) -> Config {
        Config {
            database_url: database_url.into(),
            max_connections: 8,
            session_hours: 12,
            login_max_failures: 5,
            login_window_secs: 15 * 60,
            trust_forwarded_for: false,
            trusted_proxies: 1,
            secure_cookies: false,
            default_center: String::new(),
            smtp_url: String::new(),
            smtp_from: "Liaison <liaison@localhost>".into(),
            public_url: "http://localhost:8080".into(),
            chromium: "/usr/bin/chromium".into(),
            files_dir: std::env::temp_dir().join("liaison-files"),
            document_store: String::new(),
            webhooks_private: false,
            data_key: None,
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact_url(&self.database_url))
            .field("max_connections", &self.max_connections)
            .field("session_hours", &self.session_hours)
            .field("login_max_failures", &self.login_max_failures)
            .field("login_window_secs", &self.login_window_secs)
            .field("trust_forwarded_for", &self.trust_forwarded_for)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("secure_cookies", &self.secure_cookies)
            .field("default_center", &self.default_center)
            .field("smtp_url", &redact_url(&self.smtp_url))
            .field("smtp_from", &self.smtp_from)
            .field("public_url", &self.public_url)
            .field("chromium", &self.chromium)
            .field("files_dir", &self.files_dir)
            .field("document_store", &self.document_store.split('?').next().unwrap_or(""))
            .field("webhooks_private", &self.webhooks_private)
            .field("data_key", &self.data_key.as_ref().map(|_| "***"))
            .finish()
    }
}

/// Hides the password in `scheme://user:password@host/db`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:***@{host}")
        }
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(redact_url("postgres://app:s3cret@db:5432/x"), "postgres://app:***@db:5432/x");
        assert_eq!(redact_url("sqlite://liaison.db"), "sqlite://liaison.db");
        let dbg = format!("{:?}", Config::for_database("postgres://a:pw@h/d"));
        assert!(!dbg.contains("pw@"), "{dbg}");
    }
}
