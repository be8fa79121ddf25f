//! The exhibition hall's types and pure rules: reservation kinds and
//! states, identity documents (with the GB 11643 check digit of resident ID
//! numbers), visitor origins, the rules a center sets, the slots an opening
//! calendar makes of a day, and the no-show strikes that lead to a
//! cooling-off period. Nothing here reads or writes.

use std::collections::BTreeMap;

use jiff::civil::{Date, Weekday};

use crate::codes;
use crate::error::FieldError;
use crate::time::{DAY_MS, MINUTE_MS};

codes!(
    /// Who a reservation is for.
    pub enum Kind, "hall-kind" {
        /// One person or a family (1 to `max_party` people).
        Individual = "individual",
        /// An organisation's group with a leader.
        Group = "group",
    }
);

codes!(
    /// Where a reservation stands. Only `Confirmed` holds places to come.
    pub enum Status, "hall-status" {
        Confirmed = "confirmed",
        Admitted = "admitted",
        NoShow = "no_show",
        Cancelled = "cancelled",
    }
);

codes!(
    /// Identity documents accepted for real-name booking.
    pub enum IdType, "hall-id" {
        /// 居民身份证: 18 characters with the GB 11643 check character.
        ResidentId = "resident_id",
        Passport = "passport",
        /// 港澳居民来往内地通行证.
        HkMacaoPermit = "hk_macao_permit",
        /// 台湾居民来往大陆通行证.
        TaiwanPermit = "taiwan_permit",
        /// 外国人永久居留身份证.
        ForeignPermanent = "foreign_permanent",
    }
);

codes!(
    /// Where visitors come from, for the figures.
    pub enum Origin, "hall-origin" {
        Local = "local",
        OtherProvince = "other_province",
        HkMacaoTaiwan = "hk_macao_taiwan",
        Foreign = "foreign",
    }
);

impl Status {
    /// Still holding its places in the slot.
    pub fn holds_places(self) -> bool {
        self == Status::Confirmed
    }
}

/// The weights of GB 11643's check character (ISO 7064 MOD 11-2).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: &[u8; 11] = b"10X98765432";

/// The check character of 17 digits, by GB 11643.
fn check_char(digits: &[u8]) -> Option<u8> {
    if digits.len() != 17 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = digits.iter().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    Some(CHECK[(sum % 11) as usize])
}

/// An 18-character number with a valid GB 11643 check character.
fn checks_out(n: &str) -> bool {
    let b = n.as_bytes();
    b.len() == 18 && check_char(&b[..17]) == Some(b[17])
}

/// A resident ID number: 18 characters, a real date of birth at 7–14, and
/// the check character at the end.
pub fn valid_resident_id(n: &str) -> bool {
    if !checks_out(n) {
        return false;
    }
    let (y, m, d) = (&n[6..10], &n[10..12], &n[12..14]);
    match (y.parse::<i16>(), m.parse::<i8>(), d.parse::<i8>()) {
        (Ok(y), Ok(m), Ok(d)) => (1900..=2199).contains(&y) && Date::new(y, m, d).is_ok(),
        _ => false,
    }
}

/// Full-width letters and digits (typed by Chinese input methods) as ASCII.
fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        c => c,
    }
}

/// A document number as stored: half-width, upper case, without spaces,
/// dashes or brackets.
pub fn normalize_id(number: &str) -> String {
    number
        .chars()
        .map(half_width)
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '(' && *c != ')')
        .collect::<String>()
        .to_ascii_uppercase()
}

/// Checks a document number for its type; the Fluent key says what is wrong.
pub fn check_id(kind: IdType, number: &str) -> Result<(), &'static str> {
    let n = number;
    // Only ASCII from here on (byte positions are character positions).
    if !n.is_ascii() {
        return Err("hall-id-invalid");
    }
    let alnum = |s: &str| s.bytes().all(|b| b.is_ascii_alphanumeric());
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let ok = match kind {
        IdType::ResidentId => {
            if n.len() == 18 && digits(&n[..17]) && !checks_out(n) {
                return Err("hall-id-check-digit");
            }
            valid_resident_id(n)
        }
        IdType::Passport => (5..=20).contains(&n.len()) && alnum(n),
        // H or M and 8 digits (the card since 2013), or 10 (the old booklet).
        IdType::HkMacaoPermit => {
            (n.starts_with('H') || n.starts_with('M'))
                && matches!(n.len(), 9 | 11)
                && digits(&n[1..])
        }
        // 8 digits, or 10 with the issue count.
        IdType::TaiwanPermit => matches!(n.len(), 8 | 10) && digits(n),
        // Since 2023: 18 characters beginning with 9, with the GB 11643
        // check character; before: 3 letters and 12 digits.
        IdType::ForeignPermanent => {
            (n.len() == 18 && n.starts_with('9') && checks_out(n))
                || (n.len() == 15
                    && n[..3].bytes().all(|b| b.is_ascii_uppercase())
                    && digits(&n[3..]))
        }
    };
    if ok { Ok(()) } else { Err("hall-id-invalid") }
}

/// The number as shown to people: the first and last characters, the rest hidden.
pub fn mask_id(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    let (head, tail) = match chars.len() {
        0..=4 => (0, 1.min(chars.len())),
        5..=10 => (1, 2),
        _ => (3, 4),
    };
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| if i < head || i >= chars.len() - tail { *c } else { '*' })
        .collect()
}

/// Where a document says its holder comes from: a resident ID's first
/// digits name the place of registration (`local_prefix`, e.g. `5101`
/// for Chengdu, is "local").
pub fn origin_of_id(kind: IdType, number: &str, local_prefix: &str) -> Origin {
    match kind {
        IdType::ResidentId => {
            if !local_prefix.is_empty() && number.starts_with(local_prefix) {
                Origin::Local
            } else if ["71", "81", "82", "83"].iter().any(|p| number.starts_with(p)) {
                // Residence permits of Hong Kong, Macao and Taiwan residents.
                Origin::HkMacaoTaiwan
            } else {
                Origin::OtherProvince
            }
        }
        IdType::HkMacaoPermit | IdType::TaiwanPermit => Origin::HkMacaoTaiwan,
        IdType::Passport | IdType::ForeignPermanent => Origin::Foreign,
    }
}

/// A phone number as the rules compare it: its digits, with the ways of
/// writing China's country code (+86, 0086, 86 before a mobile number)
/// dropped, so one phone is one key however it is typed.
pub fn phone_digits(phone: &str) -> String {
    let d: String = phone.chars().map(half_width).filter(char::is_ascii_digit).collect();
    let d = d.strip_prefix("00").map(str::to_string).unwrap_or(d);
    match d.strip_prefix("86") {
        Some(rest) if rest.len() == 11 && rest.starts_with('1') => rest.to_string(),
        _ => d,
    }
}

/// A phone number people can type: 6 to 20 digits with spaces, dashes,
/// brackets and a leading +.
pub fn looks_like_phone(phone: &str) -> bool {
    let p = phone.trim();
    let ok_chars = p.chars().enumerate().all(|(i, c)| {
        c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')') || (i == 0 && c == '+')
    });
    let n = p.chars().filter(char::is_ascii_digit).count();
    ok_chars && (6..=20).contains(&n)
}

/// The rules a center sets for its hall.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Rules {
    /// Taking reservations at all.
    pub open: bool,
    /// Length of a slot in minutes (15–480).
    pub slot_minutes: i64,
    /// People in one slot (1–10,000).
    pub slot_capacity: i64,
    /// People in group reservations per day (0: no groups).
    pub group_day_cap: i64,
    /// How many days ahead one may book (1–366).
    pub horizon_days: i64,
    /// Changes and cancellations up to this many hours before the slot.
    pub cancel_hours: i64,
    /// Arrivals are admitted from this many minutes before the slot…
    pub arrive_before_min: i64,
    /// …to this many after its start; then it is a no-show.
    pub arrive_after_min: i64,
    /// Largest individual or family party.
    pub max_party: i64,
    /// Largest group.
    pub max_group: i64,
    /// People one contact or ID may book for in a day.
    pub max_day_people: i64,
    /// Reservations one contact or ID may hold in a day.
    pub max_day_bookings: i64,
    /// No-shows within the window that start a cooling-off period.
    pub strike_limit: i64,
    pub strike_window_days: i64,
    /// Days of cooling-off after the last strike.
    pub cooloff_days: i64,
    /// Ask every visitor for an identity document.
    pub real_name: bool,
    /// Days personal data is kept after the visit.
    pub retention_days: i64,
    /// Resident ID numbers starting with this are local (`5101`: Chengdu).
    pub local_prefix: String,
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            open: true,
            slot_minutes: 60,
            slot_capacity: 60,
            group_day_cap: 120,
            horizon_days: 14,
            cancel_hours: 2,
            arrive_before_min: 30,
            arrive_after_min: 30,
            max_party: 6,
            max_group: 30,
            max_day_people: 30,
            max_day_bookings: 2,
            strike_limit: 3,
            strike_window_days: 90,
            cooloff_days: 30,
            real_name: false,
            retention_days: 180,
            local_prefix: "5101".into(),
        }
    }
}

impl Rules {
    /// Every field's bounds at once.
    pub fn check(&self) -> Vec<FieldError> {
        let bounds: [(&str, i64, i64, i64); 15] = [
            ("slot_minutes", self.slot_minutes, 15, 480),
            ("slot_capacity", self.slot_capacity, 1, 10_000),
            ("group_day_cap", self.group_day_cap, 0, 100_000),
            ("horizon_days", self.horizon_days, 1, 366),
            ("cancel_hours", self.cancel_hours, 0, 720),
            ("arrive_before_min", self.arrive_before_min, 0, 240),
            ("arrive_after_min", self.arrive_after_min, 0, 240),
            ("max_party", self.max_party, 1, 100),
            ("max_group", self.max_group, 1, 1000),
            ("max_day_people", self.max_day_people, 1, 1000),
            ("max_day_bookings", self.max_day_bookings, 1, 100),
            ("strike_limit", self.strike_limit, 1, 100),
            ("strike_window_days", self.strike_window_days, 1, 3650),
            ("cooloff_days", self.cooloff_days, 1, 3650),
            ("retention_days", self.retention_days, 1, 3650),
        ];
        let mut errors: Vec<FieldError> = bounds
            .iter()
            .filter(|(_, v, lo, hi)| v < lo || v > hi)
            .map(|(f, _, lo, hi)| {
                FieldError::new(*f, "field-out-of-range").with("min", lo).with("max", hi)
            })
            .collect();
        if !self.local_prefix.is_empty()
            && (self.local_prefix.len() > 6
                || !self.local_prefix.bytes().all(|b| b.is_ascii_digit()))
        {
            errors.push(FieldError::new("local_prefix", "hall-local-prefix-invalid"));
        }
        errors
    }

    /// The largest party of a kind.
    pub fn max_of(&self, kind: Kind) -> i64 {
        match kind {
            Kind::Individual => self.max_party,
            Kind::Group => self.max_group,
        }
    }
}

/// Opening hours of a day: minutes after midnight, `[opens, closes)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hours {
    pub opens: u16,
    pub closes: u16,
}

/// `HH:MM` as minutes after midnight (`24:00` is the end of the day).
/// Exactly two digits, a colon, two digits (what `<input type="time">` sends).
pub fn parse_hm(s: &str) -> Option<u16> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() != 5 || b[2] != b':' || ![0, 1, 3, 4].iter().all(|i| b[*i].is_ascii_digit()) {
        return None;
    }
    let (h, m): (u16, u16) = (s[..2].parse().ok()?, s[3..].parse().ok()?);
    (h <= 24 && m < 60 && h * 60 + m <= 1440).then_some(h * 60 + m)
}

pub fn hm(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

impl Hours {
    /// Hours from two `HH:MM` texts; `None` unless they open before they close.
    pub fn parse(opens: &str, closes: &str) -> Option<Hours> {
        let (o, c) = (parse_hm(opens)?, parse_hm(closes)?);
        (o < c).then_some(Hours { opens: o, closes: c })
    }
}

/// The calendar a hall opens by: hours per weekday (Monday first; `None`
/// closed) and dated exceptions (`None`: closed that day).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    pub week: [Option<Hours>; 7],
    pub exceptions: BTreeMap<Date, Option<Hours>>,
}

impl Calendar {
    /// The hours of a day: its exception if it has one, else its weekday's.
    pub fn hours_on(&self, day: Date) -> Option<Hours> {
        match self.exceptions.get(&day) {
            Some(h) => *h,
            None => self.week[weekday_index(day.weekday())],
        }
    }

    /// The slots of a day, as minutes `[start, end)`: whole slots of
    /// `minutes` from opening; a last stub shorter than a slot is not one.
    pub fn slots_on(&self, day: Date, minutes: i64) -> Vec<(u16, u16)> {
        let Some(h) = self.hours_on(day) else { return vec![] };
        let step = u16::try_from(minutes.clamp(1, 1440)).unwrap_or(60);
        let mut out = vec![];
        let mut at = h.opens;
        while at + step <= h.closes {
            out.push((at, at + step));
            at += step;
        }
        out
    }
}

fn weekday_index(w: Weekday) -> usize {
    crate::time::weekday_index(w)
}

/// The end of the cooling-off period a contact or ID is in at `now`, if any.
///
/// Strikes are no-shows (the instants of their slots). Going through them in
/// order, once `limit` fall within `window` of each other a cooling-off
/// period of `cooloff` starts at the last of them; those strikes are then
/// spent: only later no-shows count toward the next period.
pub fn cooling_until(
    strikes: &[i64],
    limit: i64,
    window_days: i64,
    cooloff_days: i64,
    now: i64,
) -> Option<i64> {
    let mut sorted = strikes.to_vec();
    sorted.sort_unstable();
    let limit = usize::try_from(limit.max(1)).unwrap_or(1);
    let mut live: Vec<i64> = vec![];
    let mut until: Option<i64> = None;
    for s in sorted {
        live.retain(|x| s - x < window_days * DAY_MS);
        live.push(s);
        if live.len() >= limit {
            until = Some(s + cooloff_days * DAY_MS);
            live.clear();
        }
    }
    until.filter(|u| *u > now)
}

/// When an arrival for a slot starting at `start` is admitted without a
/// second look: from `before` minutes ahead to `after` minutes past the start.
pub fn arrival_window(start: i64, rules: &Rules) -> (i64, i64) {
    (start - rules.arrive_before_min * MINUTE_MS, start + rules.arrive_after_min * MINUTE_MS)
}

/// The figures' buckets: a day, a month or a year of a `YYYY-MM-DD` day.
pub fn bucket(day: &str, by: &str) -> String {
    match by {
        "year" => day.get(..4).unwrap_or(day).to_string(),
        "month" => day.get(..7).unwrap_or(day).to_string(),
        _ => day.to_string(),
    }
}

/// A reservation as asked for, before it is checked.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// The slot's key, `YYYY-MM-DDTHH:MM` local.
    pub slot: String,
    pub kind: String,
    pub people: i64,
    pub organisation: String,
    pub contact_name: String,
    pub phone: String,
    pub email: String,
    /// A group's member names, one per entry (optional).
    pub members: Vec<String>,
    pub tour: bool,
    pub tour_lang: String,
    pub origin: String,
    pub id_type: String,
    pub id_number: String,
    pub consent: bool,
}

/// What a checked request holds: its kind, the contact key the per-contact
/// rules compare, and the document (type, number) when one was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub kind: Kind,
    pub contact_key: String,
    pub id: Option<(IdType, String)>,
    pub origin: Option<Origin>,
    pub members: Vec<String>,
}

/// Longest member list read (the largest group the rules may allow).
pub const MAX_MEMBERS: usize = 1000;

/// Checks a request against the rules: every field's error at once.
pub fn check_request(req: &Request, rules: &Rules) -> Result<Checked, Vec<FieldError>> {
    let mut errors = vec![];
    let kind = Kind::parse(&req.kind);
    if kind.is_none() {
        errors.push(FieldError::new("kind", "field-required"));
    }
    let kind = kind.unwrap_or(Kind::Individual);
    let max = rules.max_of(kind);
    if req.people < 1 {
        errors
            .push(FieldError::new("people", "field-out-of-range").with("min", 1).with("max", max));
    } else if req.people > max {
        errors.push(
            FieldError::new("people", format!("hall-too-many-{}", kind.code().replace('_', "-")))
                .with("max", max),
        );
    }
    let text = |field: &str, v: &str, max: usize, required: bool, errors: &mut Vec<FieldError>| {
        if required && v.trim().is_empty() {
            errors.push(FieldError::new(field, "field-required"));
        } else if v.chars().count() > max {
            errors.push(FieldError::new(field, "field-too-long"));
        }
    };
    text("contact_name", &req.contact_name, 200, true, &mut errors);
    text("organisation", &req.organisation, 200, kind == Kind::Group, &mut errors);
    text("tour_lang", &req.tour_lang, 35, false, &mut errors);
    let phone = req.phone.trim();
    let email = req.email.trim();
    if phone.is_empty() && email.is_empty() {
        errors.push(FieldError::new("phone", "hall-contact-required"));
    }
    if phone.chars().count() > 40 {
        errors.push(FieldError::new("phone", "field-too-long"));
    } else if !phone.is_empty() && !looks_like_phone(phone) {
        errors.push(FieldError::new("phone", "field-invalid-phone"));
    }
    if !email.is_empty() && (email.len() > 254 || !crate::validate::looks_like_email(email)) {
        errors.push(FieldError::new("email", "field-invalid-email"));
    }
    let members: Vec<String> = req
        .members
        .iter()
        .take(MAX_MEMBERS + 1)
        .flat_map(|m| m.lines())
        .map(|m| m.trim().to_string())
        .filter(|m| !m.is_empty())
        .collect();
    if members.len() > MAX_MEMBERS || members.len() as i64 > req.people.max(0) {
        errors.push(FieldError::new("members", "hall-members-too-many").with("people", req.people));
    } else if members.iter().any(|m| m.chars().count() > 200) {
        errors.push(FieldError::new("members", "field-too-long"));
    }
    let origin = match req.origin.trim() {
        "" => None,
        o => match Origin::parse(o) {
            Some(o) => Some(o),
            None => {
                errors.push(FieldError::new("origin", "field-invalid"));
                None
            }
        },
    };
    let mut id = None;
    let number = normalize_id(&req.id_number);
    if req.slot.chars().count() > 16 {
        errors.push(FieldError::new("slot", "field-too-long"));
    }
    let id_type = if req.id_number.chars().count() > 40 {
        errors.push(FieldError::new("id_number", "field-too-long"));
        Err(())
    } else if !req.id_type.trim().is_empty() && IdType::parse(&req.id_type).is_none() {
        errors.push(FieldError::new("id_type", "field-invalid"));
        Err(())
    } else {
        Ok(IdType::parse(&req.id_type))
    };
    match id_type.map(|t| (t, number.is_empty())).unwrap_or((None, false)) {
        (Some(t), false) => match check_id(t, &number) {
            Ok(()) => id = Some((t, number)),
            Err(key) => errors.push(FieldError::new("id_number", key)),
        },
        (None, false) if req.id_number.chars().count() <= 40 => {
            errors.push(FieldError::new("id_type", "field-required"))
        }
        (None, false) => {}
        (Some(_), true) => errors.push(FieldError::new("id_number", "field-required")),
        (None, true) if rules.real_name => {
            errors.push(FieldError::new("id_type", "field-required"));
            errors.push(FieldError::new("id_number", "field-required"));
        }
        (None, true) => {}
    }
    if !req.consent {
        errors.push(FieldError::new("consent", "hall-consent-required"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let contact_key = if phone.is_empty() {
        crate::validate::normalize_email(email)
    } else {
        phone_digits(phone)
    };
    let origin =
        origin.or_else(|| id.as_ref().map(|(t, n)| origin_of_id(*t, n, &rules.local_prefix)));
    Ok(Checked { kind, contact_key, id, origin, members })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn with_check(first17: &str) -> String {
        let c = check_char(first17.as_bytes()).expect("17 digits") as char;
        format!("{first17}{c}")
    }

    #[test]
    fn resident_ids_are_checked_by_gb_11643() {
        // The standard's own example.
        assert!(valid_resident_id("11010519491231002X"));
        assert_eq!(check_id(IdType::ResidentId, "110105194912310021"), Err("hall-id-check-digit"));
        assert!(valid_resident_id(&with_check("51012419900307123")));
        // A date of birth that does not exist.
        assert!(!valid_resident_id(&with_check("51012419900230123")));
        assert_eq!(check_id(IdType::ResidentId, "5101"), Err("hall-id-invalid"));
        assert_eq!(normalize_id(" 110105 19491231 002x "), "11010519491231002X");
        // Full-width digits, as Chinese input methods type them.
        assert_eq!(normalize_id("１１０１０５１９４９１２３１００２Ｘ"), "11010519491231002X");
        // Anything else that is not ASCII is refused, never sliced.
        assert_eq!(check_id(IdType::ResidentId, "110105194912310２é"), Err("hall-id-invalid"));
        assert_eq!(check_id(IdType::ForeignPermanent, "ÉÉ12345678901"), Err("hall-id-invalid"));
    }

    proptest! {
        #[test]
        fn one_changed_digit_is_always_caught(pos in 0usize..17, delta in 1u8..10) {
            let good = "11010519491231002X";
            let mut b = good.as_bytes().to_vec();
            b[pos] = b'0' + (b[pos] - b'0' + delta) % 10;
            let bad = String::from_utf8(b).expect("ascii");
            prop_assert!(!checks_out(&bad));
        }
    }

    #[test]
    fn other_documents_have_their_shapes() {
        assert!(check_id(IdType::Passport, "E12345678").is_ok());
        assert!(check_id(IdType::Passport, "E1").is_err());
        assert!(check_id(IdType::HkMacaoPermit, "H12345678").is_ok());
        assert!(check_id(IdType::HkMacaoPermit, "M1234567890").is_ok());
        assert!(check_id(IdType::HkMacaoPermit, "X12345678").is_err());
        assert!(check_id(IdType::TaiwanPermit, "12345678").is_ok());
        assert!(check_id(IdType::TaiwanPermit, "1234567").is_err());
        assert!(check_id(IdType::ForeignPermanent, "USA110012345678").is_ok());
        assert!(check_id(IdType::ForeignPermanent, &with_check("93384019900101123")).is_ok());
        assert!(
            check_id(IdType::ForeignPermanent, "933840199001011230").is_err()
                || checks_out("933840199001011230")
        );
    }

    #[test]
    fn numbers_are_masked_and_origins_read_from_them() {
        assert_eq!(mask_id("11010519491231002X"), "110***********002X");
        assert_eq!(mask_id("E12345678"), "E******78");
        assert_eq!(origin_of_id(IdType::ResidentId, "510124199003071234", "5101"), Origin::Local);
        assert_eq!(
            origin_of_id(IdType::ResidentId, "110105194912310021", "5101"),
            Origin::OtherProvince
        );
        assert_eq!(
            origin_of_id(IdType::ResidentId, "810000199001011234", "5101"),
            Origin::HkMacaoTaiwan
        );
        assert_eq!(origin_of_id(IdType::Passport, "E1", "5101"), Origin::Foreign);
        assert_eq!(origin_of_id(IdType::TaiwanPermit, "1", "5101"), Origin::HkMacaoTaiwan);
    }

    #[test]
    fn phones_compare_by_their_digits() {
        assert_eq!(phone_digits("+86 138-0000-1234"), "13800001234");
        assert_eq!(phone_digits("138 0000 1234"), "13800001234");
        assert_eq!(phone_digits("008613800001234"), "13800001234");
        assert_eq!(phone_digits("8613800001234"), "13800001234");
        assert_eq!(phone_digits("+86 28 8888 1234"), "862888881234");
        assert!(looks_like_phone("+86 (28) 8888-1234"));
        assert!(!looks_like_phone("call me"));
        assert!(!looks_like_phone("12+3456789"));
    }

    #[test]
    fn a_day_is_cut_into_whole_slots_and_exceptions_win() {
        let mut cal = Calendar::default();
        cal.week[1] = Hours::parse("09:00", "11:30"); // Tuesday
        let tue = Date::new(2026, 12, 1).expect("date");
        assert_eq!(cal.slots_on(tue, 60), vec![(540, 600), (600, 660)]);
        assert!(cal.slots_on(Date::new(2026, 12, 2).expect("date"), 60).is_empty());
        cal.exceptions.insert(tue, None);
        assert!(cal.slots_on(tue, 60).is_empty());
        cal.exceptions.insert(tue, Hours::parse("14:00", "15:00"));
        assert_eq!(cal.slots_on(tue, 30), vec![(840, 870), (870, 900)]);
        assert!(Hours::parse("10:00", "09:00").is_none());
        assert_eq!(parse_hm("24:00"), Some(1440));
        assert_eq!(parse_hm("24:01"), None);
        assert_eq!(parse_hm("9:00"), None);
        assert_eq!(parse_hm("09:0é"), None);
        assert_eq!(hm(545), "09:05");
    }

    #[test]
    fn strikes_within_the_window_start_a_cooling_off_that_spends_them() {
        let d = DAY_MS;
        // Three no-shows in 90 days: 30 days from the third.
        assert_eq!(cooling_until(&[0, 10 * d, 20 * d], 3, 90, 30, 21 * d), Some(50 * d));
        // Spread wider than the window: no period.
        assert_eq!(cooling_until(&[0, 50 * d, 100 * d], 3, 90, 30, 101 * d), None);
        // After the period ends, the spent strikes do not count again.
        assert_eq!(cooling_until(&[0, 10 * d, 20 * d], 3, 90, 30, 51 * d), None);
        assert_eq!(cooling_until(&[0, 10 * d, 20 * d, 60 * d], 3, 90, 30, 61 * d), None);
        assert_eq!(cooling_until(&[], 1, 90, 30, 0), None);
        assert_eq!(cooling_until(&[5 * d], 1, 90, 30, 6 * d), Some(35 * d));
    }

    fn family() -> Request {
        Request {
            slot: "2026-12-01T09:00".into(),
            kind: "individual".into(),
            people: 3,
            contact_name: "王芳".into(),
            phone: "+86 138 0000 1234".into(),
            consent: true,
            ..Request::default()
        }
    }

    #[test]
    fn a_request_is_checked_whole() {
        let rules = Rules::default();
        let ok = check_request(&family(), &rules).expect("a family of three");
        assert_eq!(ok.contact_key, "13800001234");
        assert_eq!(ok.origin, None);
        let class = Request { kind: "group".into(), people: 40, ..family() };
        let errors = check_request(&class, &rules).expect_err("over the group cap");
        let keys: Vec<_> = errors.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, vec!["hall-too-many-group", "field-required"]);
        let nobody = Request { phone: String::new(), consent: false, ..family() };
        let keys: Vec<_> = check_request(&nobody, &rules)
            .expect_err("no contact")
            .into_iter()
            .map(|e| e.key)
            .collect();
        assert_eq!(keys, vec!["hall-contact-required", "hall-consent-required"]);
        let strict = Rules { real_name: true, ..rules.clone() };
        assert!(check_request(&family(), &strict).is_err());
        let with_id = Request {
            id_type: "resident_id".into(),
            id_number: "510124 19900307 1230".into(),
            ..family()
        };
        match check_request(&with_id, &strict) {
            Ok(c) => assert_eq!(c.origin, Some(Origin::Local)),
            Err(e) => assert_eq!(e[0].key, "hall-id-check-digit"),
        }
        let good = with_check("51012419900307123");
        let with_id =
            Request { id_type: "resident_id".into(), id_number: good.clone(), ..family() };
        let c = check_request(&with_id, &strict).expect("a valid ID");
        assert_eq!(c.id, Some((IdType::ResidentId, good)));
        assert_eq!(c.origin, Some(Origin::Local));
    }

    #[test]
    fn rules_have_bounds() {
        assert!(Rules::default().check().is_empty());
        let bad =
            Rules { slot_minutes: 5, max_party: 0, local_prefix: "51a".into(), ..Rules::default() };
        let fields: Vec<_> = bad.check().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["slot_minutes", "max_party", "local_prefix"]);
        assert_eq!(bucket("2022-05-03", "month"), "2022-05");
        assert_eq!(bucket("2022-05-03", "year"), "2022");
    }
}
