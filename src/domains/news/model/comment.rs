//! Readers' comments: their statuses, blocks, limits and the spam checks.
//! No I/O.

use super::{line, text};
use crate::codes;
use crate::error::FieldError;

codes!(
    pub enum CommentStatus, "news-comment-status" {
        /// Waiting for a moderator.
        Held = "held",
        Approved = "approved",
        Rejected = "rejected",
    }
);

codes!(
    pub enum BlockKind, "news-block-kind" {
        /// The client address a comment came from.
        Address = "address",
        Email = "email",
    }
);

/// A commenter's name, in characters.
pub const MAX_COMMENT_NAME: usize = 80;
/// A comment, in characters.
pub const MAX_COMMENT: usize = 2000;
/// Seconds a person needs at least between opening the page and sending a
/// comment; faster is a program. (A cached page may be a few seconds old,
/// so the effective minimum is a little less.)
pub const MIN_FILL_SECS: i64 = 8;
/// Days a commenter's e-mail and address are kept.
pub const COMMENT_RETENTION_DAYS: i64 = 180;

/// A comment as kept (what moderators see: never the e-mail itself).
#[derive(Debug, Clone)]
pub struct Comment {
    pub id: String,
    pub article_id: String,
    pub status: CommentStatus,
    pub lang: String,
    pub name: String,
    pub body: String,
    pub has_email: bool,
    pub has_address: bool,
    pub created_at: i64,
}

/// A comment as sent, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentInput {
    pub name: String,
    /// Lower-cased; empty when not given.
    pub email: String,
    pub body: String,
}

/// What the anti-spam checks make of a comment form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spam {
    /// A person, it seems.
    No,
    /// The hidden field was filled: a program. Dropped without a word.
    Honeypot,
    /// Sent too soon after the page was made (or with no time at all).
    TooFast,
}

/// The honeypot (a field people never see) and the time the form was made
/// (ms) against now.
pub fn spam(honeypot: &str, started_ms: Option<i64>, now_ms: i64) -> Spam {
    if !honeypot.is_empty() {
        return Spam::Honeypot;
    }
    match started_ms {
        Some(t) if t <= now_ms && now_ms - t >= MIN_FILL_SECS * 1000 => Spam::No,
        _ => Spam::TooFast,
    }
}

impl CommentInput {
    /// All field errors at once: a name and a text are required; the e-mail
    /// is optional but must look like one; plain text (no control
    /// characters but line breaks).
    pub fn parse(name: &str, email: &str, body: &str) -> Result<CommentInput, Vec<FieldError>> {
        let mut e = vec![];
        let name = line(&mut e, "name", name, MAX_COMMENT_NAME);
        if name.is_empty() && !e.iter().any(|f| f.field == "name") {
            e.push(FieldError::new("name", "field-required"));
        }
        let body = text(&mut e, "body", body, MAX_COMMENT);
        if body.is_empty() && !e.iter().any(|f| f.field == "body") {
            e.push(FieldError::new("body", "field-required"));
        }
        let email = email.trim();
        if !email.is_empty() && !crate::validate::looks_like_email(email) {
            e.push(FieldError::new("email", "field-invalid-email"));
        }
        if !e.is_empty() {
            return Err(e);
        }
        Ok(CommentInput { name, email: crate::validate::normalize_email(email), body })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spam_checks_need_an_empty_honeypot_and_a_moment() {
        let now = 1_000_000;
        assert_eq!(spam("", Some(now - 9_000), now), Spam::No);
        assert_eq!(spam("http://spam.example", Some(now - 60_000), now), Spam::Honeypot);
        assert_eq!(spam("", Some(now - 2_000), now), Spam::TooFast);
        assert_eq!(spam("", None, now), Spam::TooFast);
        assert_eq!(spam("", Some(now + 60_000), now), Spam::TooFast, "a time to come is forged");
        let ok =
            CommentInput::parse(" Anna ", " Anna@Example.org ", "Great visit!\nThanks.").unwrap();
        assert_eq!((ok.name.as_str(), ok.email.as_str()), ("Anna", "anna@example.org"));
        let bad =
            CommentInput::parse("", "not-an-email", &"x".repeat(MAX_COMMENT + 1)).unwrap_err();
        let fields: Vec<&str> = bad.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "body", "email"]);
        assert!(CommentInput::parse("A", "", "a\u{1}b").is_err());
    }
}
