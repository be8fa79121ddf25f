//! Spans of time and how they read: the half-open [`Span`] every domain
//! books and compares, the day constants, weekdays by code, and the local
//! "day start–end" forms shown on pages.

use jiff::ZonedDateTime as Zoned;
use jiff::civil::Weekday;
use jiff::tz::TimeZone;

use crate::clock::Instant;
use crate::error::FieldError;

pub use crate::clock::{FIRST_YEAR, LAST_YEAR, in_range};

pub const MINUTE_MS: i64 = 60_000;
pub const HOUR_MS: i64 = 60 * MINUTE_MS;
pub const DAY_MS: i64 = 24 * HOUR_MS;

/// A half-open interval of instants in ms: `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: i64,
    pub end: i64,
}

impl Span {
    pub fn new(start: i64, end: i64) -> Span {
        Span { start, end }
    }

    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub fn minutes(&self) -> i64 {
        (self.end - self.start) / MINUTE_MS
    }
}

/// Lowercase two-letter weekday codes, Monday first (as in `by_weekday`).
pub const WEEKDAYS: [&str; 7] = ["mo", "tu", "we", "th", "fr", "sa", "su"];

pub fn weekday_index(w: Weekday) -> usize {
    w.to_monday_zero_offset() as usize
}

pub fn weekday_from_code(code: &str) -> Option<Weekday> {
    let i = WEEKDAYS.iter().position(|c| *c == code.trim().to_ascii_lowercase())?;
    Some(Weekday::from_monday_zero_offset(i as i8).unwrap_or(Weekday::Monday))
}

/// A weekday's short name in `lang` (周二 / Tue), the `weekday-<code>` key.
pub fn weekday_name(w: Weekday, lang: crate::i18n::Lang) -> String {
    weekday_name_at(weekday_index(w), lang)
}

/// The name of the `i`-th weekday, Monday first (the index of `WEEKDAYS`).
pub fn weekday_name_at(i: usize, lang: crate::i18n::Lang) -> String {
    lang.t(&format!("weekday-{}", WEEKDAYS[i % 7]))
}

/// A day as people read it: `12月1日 周二` / `Tue 1 Dec`, with the year
/// when `year` is set.
pub fn day_words(date: jiff::civil::Date, lang: crate::i18n::Lang, year: bool) -> String {
    let w = weekday_name(date.weekday(), lang);
    match (lang, year) {
        (crate::i18n::Lang::Zh, true) => {
            format!("{}年{}月{}日 {w}", date.year(), date.month(), date.day())
        }
        (crate::i18n::Lang::Zh, false) => format!("{}月{}日 {w}", date.month(), date.day()),
        (_, true) => format!("{w} {} {}", date.day(), date.strftime("%b %Y")),
        (_, false) => format!("{w} {} {}", date.day(), date.strftime("%b")),
    }
}

/// A month as people read it: `2026年12月` / `December 2026`.
pub fn month_words(date: jiff::civil::Date, lang: crate::i18n::Lang) -> String {
    match lang {
        crate::i18n::Lang::Zh => format!("{}年{}月", date.year(), date.month()),
        _ => date.strftime("%B %Y").to_string(),
    }
}

/// Reads a `YYYY-MM-DD` field once: `Ok(None)` when it is empty and may be,
/// an error naming the field when it is required or not a date.
pub fn parse_day(
    field: &str,
    value: &str,
    required: bool,
) -> Result<Option<jiff::civil::Date>, FieldError> {
    match value.trim() {
        "" if required => Err(FieldError::new(field, "field-required")),
        "" => Ok(None),
        v => match v.parse::<jiff::civil::Date>() {
            Ok(d) if in_range(d) => Ok(Some(d)),
            Ok(_) => Err(FieldError::new(field, "field-date-out-of-range")),
            Err(_) => Err(FieldError::new(field, "field-invalid-date")),
        },
    }
}

/// The year in `tz` of an instant in ms (`None` outside the calendar).
pub fn year_of(ms: i64, tz: &TimeZone) -> Option<i32> {
    zoned(ms, tz).map(|z| i32::from(z.year()))
}

/// An instant in ms as a date and time in `tz`.
pub fn zoned(ms: i64, tz: &TimeZone) -> Option<Zoned> {
    Some(jiff::Timestamp::from_millisecond(ms).ok()?.to_zoned_datetime(tz.clone()))
}

/// `HH:MM–HH:MM` of a span in local time.
pub fn time_range(span: Span, tz: &TimeZone) -> String {
    let a = Instant(span.start).display_in(tz);
    let b = Instant(span.end).display_in(tz);
    format!("{}–{}", a.get(11..).unwrap_or(&a), b.get(11..).unwrap_or(&b))
}

/// `2026-12-01 09:00–10:30`: the day and the times of a span (within a day).
pub fn day_and_times(span: Span, tz: &TimeZone) -> String {
    let a = Instant(span.start).display_in(tz);
    let b = Instant(span.end).display_in(tz);
    format!("{a}–{}", b.get(11..).unwrap_or(&b))
}
