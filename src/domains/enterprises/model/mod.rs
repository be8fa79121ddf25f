//! Enterprise services, the pure rules: who an enterprise is (its unified
//! social credit code), what a service asks for (`form`), the path a request
//! takes and its clock (`flow`), and the goods on it and the white list's
//! arithmetic (`item`). No I/O.

pub mod flow;
pub mod form;
pub mod item;

use crate::error::FieldError;
use crate::validate::{looks_like_email, normalize_email, required_text, text};

/// Names and addresses, in characters.
pub const MAX_NAME: usize = 200;
/// Notes, messages and answers, in characters.
pub const MAX_TEXT: usize = 4000;
/// Contacts of one enterprise.
pub const MAX_CONTACTS: usize = 10;

/// GB 32100-2015's characters: digits and capitals but I, O, S, V and Z.
const USCC_CHARS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// Why a unified social credit code is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsccError {
    /// Not 18 characters (after spaces and hyphens are dropped).
    Length(usize),
    /// A character the code never uses (I, O, S, V, Z, lower-case is read as upper).
    Character(char),
    /// The 18th character is not the one the first 17 give.
    Check { expected: char },
}

impl UsccError {
    pub fn field_error(&self, field: &str) -> FieldError {
        match self {
            UsccError::Length(n) => FieldError::new(field, "uscc-length").with("count", *n),
            UsccError::Character(c) => FieldError::new(field, "uscc-character").with("char", c),
            UsccError::Check { expected } => {
                FieldError::new(field, "uscc-check").with("expected", expected)
            }
        }
    }
}

/// The check character (GB 32100-2015, 4.2) of a code's first 17 characters.
pub fn uscc_check_char(first17: &str) -> Result<char, UsccError> {
    let mut sum = 0u32;
    for (i, c) in first17.chars().enumerate().take(17) {
        let v = USCC_CHARS.find(c).ok_or(UsccError::Character(c))? as u32;
        sum += v * USCC_WEIGHTS[i];
    }
    let check = (31 - sum % 31) % 31;
    Ok(USCC_CHARS.as_bytes()[check as usize] as char)
}

/// Reads a unified social credit code as typed (spaces and hyphens dropped,
/// letters upper-cased) and checks its length, characters and check
/// character.
pub fn parse_uscc(typed: &str) -> Result<String, UsccError> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let n = code.chars().count();
    if n != 18 {
        return Err(UsccError::Length(n));
    }
    if let Some(bad) = code.chars().find(|c| !USCC_CHARS.contains(*c)) {
        return Err(UsccError::Character(bad));
    }
    let expected = uscc_check_char(&code[..17])?;
    if !code.ends_with(expected) {
        return Err(UsccError::Check { expected });
    }
    Ok(code)
}

/// The nearest-rank percentile `p` (0–100) of sorted values.
pub fn percentile(sorted: &[i64], p: u32) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (u64::from(p) * sorted.len() as u64).div_ceil(100).max(1) as usize;
    sorted.get(rank - 1).copied()
}

/// A person to call at an enterprise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub name: String,
    /// Their job ("logistics manager").
    pub title: String,
    pub phone: String,
    pub email: String,
}

/// An enterprise as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnterpriseInput {
    pub uscc: String,
    pub name_zh: String,
    pub name_en: String,
    pub address_zh: String,
    pub address_en: String,
    pub settled: bool,
    /// The day it settled in the park (`YYYY-MM-DD`), when settled.
    pub settled_on: Option<jiff::civil::Date>,
    pub contacts: Vec<Contact>,
}

/// What an enterprise form or body holds, before it is checked.
#[derive(Debug, Clone, Default)]
pub struct EnterpriseDraft<'a> {
    pub uscc: &'a str,
    pub name_zh: &'a str,
    pub name_en: &'a str,
    pub address_zh: &'a str,
    pub address_en: &'a str,
    pub settled: bool,
    pub settled_on: &'a str,
    /// (name, title, phone, e-mail); rows left empty are dropped.
    pub contacts: Vec<(&'a str, &'a str, &'a str, &'a str)>,
}

impl EnterpriseDraft<'_> {
    /// All field errors at once. Both names are required (the English is
    /// how foreign partners and the customs' English forms know it).
    pub fn check(&self) -> Result<EnterpriseInput, Vec<FieldError>> {
        let mut e = vec![];
        let uscc = match parse_uscc(self.uscc) {
            Ok(c) => c,
            Err(err) => {
                e.push(err.field_error("uscc"));
                String::new()
            }
        };
        let name_zh = required_text(&mut e, "name_zh", self.name_zh, MAX_NAME);
        let name_en = required_text(&mut e, "name_en", self.name_en, MAX_NAME);
        let address_zh = text(&mut e, "address_zh", self.address_zh, MAX_NAME);
        let address_en = text(&mut e, "address_en", self.address_en, MAX_NAME);
        let settled_on = crate::time::parse_day("settled_on", self.settled_on, false)
            .unwrap_or_else(|err| {
                e.push(err);
                None
            });
        if self.settled && settled_on.is_none() && !e.iter().any(|x| x.field == "settled_on") {
            e.push(FieldError::new("settled_on", "enterprise-settled-on-needed"));
        }
        if self.contacts.len() > MAX_CONTACTS {
            e.push(FieldError::new("contacts", "field-too-many").with("max", MAX_CONTACTS));
        }
        let mut contacts = vec![];
        for (i, (name, title, phone, email)) in self.contacts.iter().take(MAX_CONTACTS).enumerate()
        {
            if [name, title, phone, email].iter().all(|v| v.trim().is_empty()) {
                continue;
            }
            let name = required_text(&mut e, &format!("contacts.{i}.name"), name, 100);
            let title = text(&mut e, &format!("contacts.{i}.title"), title, 100);
            let phone = text(&mut e, &format!("contacts.{i}.phone"), phone, 40);
            let email = normalize_email(email);
            if !email.is_empty() && !looks_like_email(&email) {
                e.push(FieldError::new(format!("contacts.{i}.email"), "field-invalid-email"));
            }
            if phone.is_empty() && email.is_empty() {
                e.push(FieldError::new(format!("contacts.{i}.phone"), "enterprise-contact-reach"));
            }
            contacts.push(Contact { name, title, phone, email });
        }
        if !e.is_empty() {
            return Err(e);
        }
        Ok(EnterpriseInput {
            uscc,
            name_zh,
            name_en,
            address_zh,
            address_en,
            settled: self.settled,
            settled_on: if self.settled { settled_on } else { None },
            contacts,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Codes published by well-known companies (on their licences).
    const REAL: [&str; 3] = ["914403001922038216", "91330100716105852F", "91110000802100433B"];
    /// A made-up code of a Chengdu company (510100), its check character computed.
    const CHENGDU: &str = "91510100MA61R2JX73";

    #[test]
    fn percentiles_by_nearest_rank() {
        let v: Vec<i64> = (1..=10).collect();
        assert_eq!(
            (percentile(&v, 50), percentile(&v, 90), percentile(&v, 100)),
            (Some(5), Some(9), Some(10))
        );
        assert_eq!(percentile(&[3], 90), Some(3));
        assert_eq!(percentile(&[], 50), None);
    }

    #[test]
    fn published_codes_pass_their_check_character() {
        for code in REAL {
            assert_eq!(parse_uscc(code).as_deref(), Ok(code), "{code}");
        }
        // As people type them.
        assert_eq!(parse_uscc(" 9144 0300-1922 0382 16 ").as_deref(), Ok("914403001922038216"));
        assert_eq!(parse_uscc("91330100716105852f").as_deref(), Ok("91330100716105852F"));
    }

    #[test]
    fn a_wrong_code_is_refused_with_the_reason() {
        assert_eq!(parse_uscc("91440300192203821"), Err(UsccError::Length(17)));
        assert_eq!(parse_uscc("9144030019220382166"), Err(UsccError::Length(19)));
        assert_eq!(parse_uscc("91440300192203821I"), Err(UsccError::Character('I')));
        assert_eq!(parse_uscc("9144030O1922038216"), Err(UsccError::Character('O')));
        assert_eq!(parse_uscc("914403001922038217"), Err(UsccError::Check { expected: '6' }));
        // Two neighbouring digits swapped: the weights catch it.
        assert!(matches!(parse_uscc("914403001922083216"), Err(UsccError::Check { .. })));
    }

    #[test]
    fn every_single_character_slip_is_caught() {
        let code = REAL[0];
        for i in 0..17 {
            for c in USCC_CHARS.chars() {
                let mut typo: Vec<char> = code.chars().collect();
                if typo[i] == c {
                    continue;
                }
                typo[i] = c;
                let typo: String = typo.into_iter().collect();
                assert!(parse_uscc(&typo).is_err(), "{typo}");
            }
        }
    }

    #[test]
    fn an_enterprise_needs_both_names_and_a_way_to_reach_each_contact() {
        let ok = EnterpriseDraft {
            uscc: CHENGDU,
            name_zh: " 成都某生物科技有限公司 ",
            name_en: "Chengdu Example Biotech Co., Ltd.",
            settled: true,
            settled_on: "2023-05-10",
            contacts: vec![("王芳", "物流经理", "", "WANG@example.cn"), ("", "", "", "")],
            ..Default::default()
        }
        .check()
        .unwrap();
        assert_eq!(ok.name_zh, "成都某生物科技有限公司");
        assert_eq!(ok.contacts.len(), 1);
        assert_eq!(ok.contacts[0].email, "wang@example.cn");
        let bad = EnterpriseDraft {
            uscc: "123",
            settled: true,
            contacts: vec![("李", "", "", "")],
            ..Default::default()
        }
        .check()
        .unwrap_err();
        let fields: Vec<&str> = bad.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["uscc", "name_zh", "name_en", "settled_on", "contacts.0.phone"]);
    }
}
