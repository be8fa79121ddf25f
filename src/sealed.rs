//! Field encryption for identity-document numbers: XChaCha20-Poly1305 under
//! the data key from the configuration (`LIAISON_DATA_KEY`, 32 bytes in
//! base64), a fresh random nonce per value, stored as base64(nonce ‖
//! ciphertext). Without a key nothing is sealed, and callers refuse the field.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore as _;

/// The key; `Debug` never shows it.
#[derive(Clone)]
pub struct DataKey([u8; 32]);

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(***)")
    }
}

impl DataKey {
    /// Reads a key from base64; `None` unless it is exactly 32 bytes.
    pub fn from_base64(s: &str) -> Option<DataKey> {
        let bytes = STANDARD.decode(s.trim()).ok()?;
        Some(DataKey(bytes.try_into().ok()?))
    }

    /// A new random key, in base64 (what `liaison` prints for operators).
    pub fn generate_base64() -> String {
        let mut k = [0u8; 32];
        rand::rng().fill_bytes(&mut k);
        STANDARD.encode(k)
    }

    pub fn seal(&self, plain: &str) -> String {
        let cipher = XChaCha20Poly1305::new((&self.0).into());
        let mut nonce = [0u8; 24];
        rand::rng().fill_bytes(&mut nonce);
        // Encryption with a valid key and nonce does not fail.
        let sealed =
            cipher.encrypt(XNonce::from_slice(&nonce), plain.as_bytes()).unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend(sealed);
        STANDARD.encode(out)
    }

    /// A keyed digest of a value (SHA-256 over the key and the value, hex):
    /// the same value always gives the same digest, so rules can match it
    /// ("this document's no-shows") without the value being readable.
    pub fn digest(&self, purpose: &str, value: &str) -> String {
        use sha2::Digest as _;
        let mut h = sha2::Sha256::new();
        h.update(self.0);
        h.update(purpose.as_bytes());
        h.update([0u8]);
        h.update(value.as_bytes());
        hex::encode(h.finalize())
    }

    /// The plain text, or `None` for a value sealed under another key or damaged.
    pub fn open(&self, sealed: &str) -> Option<String> {
        let bytes = STANDARD.decode(sealed).ok()?;
        if bytes.len() < 24 {
            return None;
        }
        let (nonce, body) = bytes.split_at(24);
        let cipher = XChaCha20Poly1305::new((&self.0).into());
        let plain = cipher.decrypt(XNonce::from_slice(nonce), body).ok()?;
        String::from_utf8(plain).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_with_fresh_nonces() {
        let key = DataKey::from_base64(&DataKey::generate_base64()).expect("key");
        let a = key.seal("E12345678");
        let b = key.seal("E12345678");
        assert_ne!(a, b, "a fresh nonce per value");
        assert!(!a.contains("12345678"));
        assert_eq!(key.open(&a).as_deref(), Some("E12345678"));
        let other = DataKey::from_base64(&DataKey::generate_base64()).expect("key");
        assert_eq!(other.open(&a), None);
        assert_eq!(key.open("not base64!"), None);
        assert!(DataKey::from_base64("c2hvcnQ=").is_none());
        assert_eq!(format!("{key:?}"), "DataKey(***)");
    }
}
