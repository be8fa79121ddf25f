//! Users and the rules for creating, editing and signing them in. No I/O.

use crate::auth::{Role, password};
use crate::clock::Instant;
use crate::error::FieldError;
use crate::validate::{looks_like_email, normalize_email};

#[derive(Debug, Clone)]
pub struct User {
    pub id: String,
    pub center_id: Option<String>,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    pub created_at: Instant,
}

/// A validated new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub password: String,
    /// The user's center; for oversight, the first overseen center (if any).
    pub center_id: Option<String>,
    /// Centers an oversight user sees.
    pub oversees: Vec<String>,
}

impl NewUser {
    /// Checks the fields of a new account in `center_id`.
    pub fn parse(
        email: &str,
        display_name: &str,
        role: &str,
        password: &str,
        center_id: Option<String>,
    ) -> Result<NewUser, Vec<FieldError>> {
        let mut errors = vec![];
        let email = normalize_email(email);
        if !looks_like_email(&email) {
            errors.push(FieldError::new("email", "field-invalid-email"));
        }
        let display_name = display_name.trim().to_string();
        if display_name.is_empty() {
            errors.push(FieldError::new("display_name", "field-required"));
        } else if display_name.chars().count() > 100 {
            errors.push(FieldError::new("display_name", "field-too-long"));
        }
        let role = Role::parse(role);
        if role.is_none() {
            errors.push(FieldError::new("role", "field-invalid-role"));
        }
        if !password::acceptable(password) {
            errors.push(FieldError::new("password", "field-password-short"));
        }
        let (center_id, oversees) = match (role, center_id) {
            (Some(Role::Oversight), c) => (None, c.into_iter().collect()),
            (Some(_), None) => {
                errors.push(FieldError::new("center", "field-required"));
                (None, vec![])
            }
            (_, c) => (c, vec![]),
        };
        match role {
            Some(role) if errors.is_empty() => Ok(NewUser {
                email,
                display_name,
                role,
                password: password.to_string(),
                center_id,
                oversees,
            }),
            _ => Err(errors),
        }
    }
}

impl NewUser {
    /// A new account made by a center's admin (page or API): any role but
    /// oversight, which the city grants from the command line.
    pub fn parse_in_center(
        email: &str,
        display_name: &str,
        role: &str,
        password: &str,
        center_id: String,
    ) -> Result<NewUser, Vec<FieldError>> {
        let role = if Role::parse(role) == Some(Role::Oversight) { "" } else { role };
        NewUser::parse(email, display_name, role, password, Some(center_id))
    }
}

/// A validated edit of an account by an admin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserEdit {
    pub display_name: String,
    pub role: Role,
    pub active: bool,
}

impl UserEdit {
    /// Admins manage the roles of their center; oversight is granted by the
    /// city (command line), and an admin cannot lock themselves out.
    pub fn parse(
        display_name: &str,
        role: &str,
        active: bool,
        editing_self: bool,
    ) -> Result<UserEdit, Vec<FieldError>> {
        let mut errors = vec![];
        let display_name = display_name.trim().to_string();
        if display_name.is_empty() {
            errors.push(FieldError::new("display_name", "field-required"));
        } else if display_name.chars().count() > 100 {
            errors.push(FieldError::new("display_name", "field-too-long"));
        }
        let role = match Role::parse(role) {
            Some(Role::Oversight) | None => {
                errors.push(FieldError::new("role", "field-invalid-role"));
                None
            }
            r => r,
        };
        if editing_self && (role != Some(Role::Admin) || !active) {
            errors.push(FieldError::new("role", "user-cannot-demote-self"));
        }
        match role {
            Some(role) if errors.is_empty() => Ok(UserEdit { display_name, role, active }),
            _ => Err(errors),
        }
    }
}

/// Failed logins recently seen for the account or the client address:
/// (how many, the oldest instant in ms).
#[derive(Debug, Clone, Copy)]
pub struct RecentFailures {
    /// Failures for this account from this address: the ones that close the
    /// door (others' failures never lock the account's owner out).
    pub by_account: (i64, Option<i64>),
    /// Failures from this address, whatever the account.
    pub by_address: (i64, Option<i64>),
}

/// Beyond this many failures for an account from all addresses together
/// (times the per-address maximum), each attempt is slowed, never refused.
pub const ACCOUNT_CEILING_FACTOR: i64 = 10;

/// Seconds to wait before another login attempt, if the throttle is on:
/// `max` failures within `window_secs` close the door until the oldest of
/// them leaves the window.
pub fn throttle(f: RecentFailures, max: i64, window_secs: i64, now: Instant) -> Option<i64> {
    [f.by_account, f.by_address]
        .into_iter()
        .filter(|(count, _)| *count >= max)
        .filter_map(|(_, oldest)| oldest)
        .map(|oldest| ((oldest + window_secs * 1000 - now.millis()) / 1000).max(1))
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_user_needs_a_center_unless_overseeing() {
        let err = NewUser::parse("a@b.cn", "A", "staff", "long enough pw", None).unwrap_err();
        assert_eq!(err, vec![FieldError::new("center", "field-required")]);
        let ok = NewUser::parse("A@B.cn ", "A", "oversight", "long enough pw", Some("c1".into()))
            .expect("valid");
        assert_eq!(
            (ok.email.as_str(), ok.center_id, ok.oversees),
            ("a@b.cn", None, vec!["c1".into()])
        );
    }

    #[test]
    fn every_bad_field_is_reported() {
        let err = NewUser::parse("nope", " ", "root", "short", Some("c".into())).unwrap_err();
        let fields: Vec<_> = err.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["email", "display_name", "role", "password"]);
    }

    #[test]
    fn admins_cannot_demote_or_disable_themselves() {
        assert!(UserEdit::parse("Me", "admin", true, true).is_ok());
        assert!(UserEdit::parse("Me", "staff", true, true).is_err());
        assert!(UserEdit::parse("Me", "admin", false, true).is_err());
        assert!(UserEdit::parse("Them", "staff", false, false).is_ok());
        assert!(UserEdit::parse("Them", "oversight", true, false).is_err());
    }

    #[test]
    fn throttle_opens_when_the_oldest_failure_leaves_the_window() {
        let now = Instant(1_000_000);
        let window = 900;
        let quiet = RecentFailures { by_account: (4, Some(990_000)), by_address: (0, None) };
        assert_eq!(throttle(quiet, 5, window, now), None);
        let busy =
            RecentFailures { by_account: (5, Some(400_000)), by_address: (1, Some(999_000)) };
        // oldest at 400 s, window 900 s, now 1000 s: wait 300 s.
        assert_eq!(throttle(busy, 5, window, now), Some(300));
        let by_ip = RecentFailures { by_account: (0, None), by_address: (9, Some(999_999)) };
        assert_eq!(throttle(by_ip, 5, window, now), Some(899));
    }
}
