//! Ticket codes, shared by every door (events, the exhibition hall): 12
//! random characters in Crockford's base32, typed or scanned forgivingly,
//! printed in groups of four. The QR code (`qr`) carries only this code.

use rand::Rng as _;

/// Crockford's base32 alphabet: no I, L, O, U — nothing to misread at a door.
const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A new ticket code: 12 random characters (60 bits), shown as XXXX-XXXX-XXXX.
pub fn new_code() -> String {
    let mut rng = rand::rng();
    (0..12).map(|_| ALPHABET[rng.random_range(0..32)] as char).collect()
}

/// A typed or scanned code in its stored form: upper case, no separators,
/// and the letters people confuse read as the digits they stand for.
pub fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\t' | '\r' | '\n'))
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect()
}

/// XXXX-XXXX-XXXX for people to read.
pub fn display(code: &str) -> String {
    code.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_readable_and_forgiving() {
        let c = new_code();
        assert_eq!(c.len(), 12);
        assert!(c.bytes().all(|b| ALPHABET.contains(&b)));
        assert_ne!(c, new_code());
        assert_eq!(normalize(" abcd-efgh-jko0 "), "ABCDEFGHJK00");
        assert_eq!(normalize("il"), "11");
        assert_eq!(display("ABCDEFGHJK00"), "ABCD-EFGH-JK00");
    }
}
