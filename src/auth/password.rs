//! Argon2id password hashing, off the async threads (a hash takes tens of
//! milliseconds even optimised).

/// Hashes a password (Argon2id, random salt, PHC string).
pub async fn hash(password: String) -> String {
    tokio::task::spawn_blocking(move || password_auth::generate_hash(password))
        .await
        .unwrap_or_default()
}

/// Whether `password` matches the PHC `hash`. A malformed hash never matches.
pub async fn verify(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || password_auth::verify_password(password, &hash).is_ok())
        .await
        .unwrap_or(false)
}

/// The rule for new passwords: at least 10 characters.
pub fn acceptable(password: &str) -> bool {
    password.chars().count() >= 10
}

/// A real hash of a random secret, to verify against when an account does not
/// exist, so a login takes as long for an unknown e-mail as for a known one.
pub async fn dummy_hash() -> String {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    if let Some(h) = DUMMY.get() {
        return h.clone();
    }
    let h = hash(super::secret::random_token()).await;
    DUMMY.get_or_init(|| h).clone()
}
