//! Centers and zones as the rest of the code sees them, and the rules for
//! editing them. No I/O.

use crate::error::FieldError;

pub use crate::i18n::Bilingual;

/// The six functional zones of an accredited center (GLOSSARY.md).
pub const STANDARD_ZONES: [(&str, &str, &str); 6] = [
    ("city_promotion", "城市推介", "City promotion"),
    ("conference_exhibition", "会议会展", "Conferences and exhibitions"),
    ("trade_negotiation", "经贸洽谈", "Economic and trade negotiations"),
    ("government_services", "政务服务", "Government services"),
    ("import_export", "进出口服务", "Import-export services"),
    ("science_popularization", "市民科普", "Science popularization"),
];

pub use crate::center::Center;

#[derive(Debug, Clone)]
pub struct Zone {
    pub id: String,
    pub center_id: String,
    pub code: String,
    pub name: Bilingual,
    pub description: Bilingual,
    pub position: i64,
}

/// A validated edit of a zone's texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneEdit {
    pub name: Bilingual,
    pub description: Bilingual,
}

impl ZoneEdit {
    pub fn parse(name: Bilingual, description: Bilingual) -> Result<ZoneEdit, Vec<FieldError>> {
        let mut errors = name.require("name", 80);
        errors.extend(description.limit("description", 2000));
        if errors.is_empty() { Ok(ZoneEdit { name, description }) } else { Err(errors) }
    }
}

/// A validated edit of the center's public settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsEdit {
    pub name: Bilingual,
    pub short_name: Bilingual,
    pub intro: Bilingual,
    pub address: Bilingual,
    pub opening_hours: Bilingual,
    pub phone: String,
    pub email: String,
    pub timezone: String,
}

impl SettingsEdit {
    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        name: Bilingual,
        short_name: Bilingual,
        intro: Bilingual,
        address: Bilingual,
        opening_hours: Bilingual,
        phone: &str,
        email: &str,
        timezone: &str,
    ) -> Result<SettingsEdit, Vec<FieldError>> {
        let mut errors = name.require("name", 200);
        errors.extend(short_name.limit("short_name", 60));
        errors.extend(intro.limit("intro", 4000));
        errors.extend(address.limit("address", 300));
        errors.extend(opening_hours.limit("opening_hours", 300));
        let phone = phone.trim();
        if phone.chars().count() > 40
            || !phone.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c))
        {
            errors.push(FieldError::new("phone", "field-invalid-phone"));
        }
        let email = email.trim();
        if !email.is_empty() && !crate::validate::looks_like_email(email) {
            errors.push(FieldError::new("email", "field-invalid-email"));
        }
        let timezone = timezone.trim();
        if jiff::tz::TimeZone::get(timezone).is_err() {
            errors.push(FieldError::new("timezone", "field-invalid-timezone"));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(SettingsEdit {
            name,
            short_name,
            intro,
            address,
            opening_hours,
            phone: phone.to_string(),
            email: email.to_string(),
            timezone: timezone.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_sides_are_required_for_a_zone_name() {
        let err =
            ZoneEdit::parse(Bilingual::new("城市推介", " "), Bilingual::default()).unwrap_err();
        assert_eq!(err, vec![FieldError::new("name_en", "field-required")]);
        assert!(ZoneEdit::parse(Bilingual::new("a", "b"), Bilingual::new("", "")).is_ok());
    }

    #[test]
    fn overlong_text_is_refused() {
        let long = "字".repeat(81);
        let err = ZoneEdit::parse(Bilingual::new(long, "x"), Bilingual::default()).unwrap_err();
        assert_eq!(err, vec![FieldError::new("name_zh", "field-too-long")]);
    }

    #[test]
    fn settings_check_phone_email_and_zone() {
        let n = Bilingual::new("中心", "Center");
        let e = Bilingual::default();
        let ok = SettingsEdit::parse(
            n.clone(),
            e.clone(),
            e.clone(),
            e.clone(),
            e.clone(),
            "+86 28 8888-0000",
            "info@example.org",
            "Asia/Shanghai",
        );
        assert!(ok.is_ok());
        let err = SettingsEdit::parse(
            n,
            e.clone(),
            e.clone(),
            e.clone(),
            e,
            "call me",
            "nope",
            "Mars/Olympus",
        )
        .unwrap_err();
        let fields: Vec<_> = err.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["phone", "email", "timezone"]);
    }

    #[test]
    fn the_six_zones_have_distinct_codes() {
        let mut codes: Vec<_> = STANDARD_ZONES.iter().map(|z| z.0).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), 6);
    }
}
