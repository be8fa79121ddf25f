//! Recurring bookings, with no I/O: an RFC 5545 RRULE subset (daily; weekly on
//! several weekdays; monthly on the same day; interval; until a date or a
//! count), expanded in the center's time zone so wall-clock times repeat.

use jiff::ToSpan;
use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;

use crate::error::FieldError;
use crate::i18n::Lang;
use crate::time::{Span, WEEKDAYS, weekday_from_code, weekday_index, zoned};

/// How a series repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freq {
    Daily,
    Weekly,
    Monthly,
}

impl Freq {
    pub fn parse(s: &str) -> Option<Freq> {
        match s {
            "daily" => Some(Freq::Daily),
            "weekly" => Some(Freq::Weekly),
            "monthly" => Some(Freq::Monthly),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Freq::Daily => "daily",
            Freq::Weekly => "weekly",
            Freq::Monthly => "monthly",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesEnd {
    /// The last local date an occurrence may start on (inclusive).
    Until(Date),
    Count(u32),
}

/// A validated recurrence rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recurrence {
    pub freq: Freq,
    pub interval: u32,
    /// For weekly series; empty means the first occurrence's weekday.
    pub by_weekday: Vec<Weekday>,
    pub end: SeriesEnd,
}

pub use crate::time::{weekday_name, weekday_name_at};

/// A series in words from its RRULE and the times it books (see [`describe`]).
pub fn describe_spans(rrule: &str, spans: &[Span], tz: &TimeZone, lang: Lang) -> String {
    let day = |ms: i64| zoned(ms, tz).map(|z| z.date()).unwrap_or(Date::MIN);
    let first = spans.iter().map(|s| s.start).min();
    let last = spans.iter().map(|s| s.start).max();
    match (first, last) {
        (Some(f), Some(l)) => describe(rrule, spans.len(), day(f), day(l), lang),
        _ => String::new(),
    }
}

/// A series in words, from its RRULE and the dates it was given:
/// "每周二，共 6 次，12月2日–1月6日" / "Every Tue, 6 times, 2 Dec – 6 Jan".
pub fn describe(rrule: &str, count: usize, first: Date, last: Date, lang: Lang) -> String {
    let part = |name: &str| {
        rrule.split(';').find_map(|p| p.strip_prefix(name).and_then(|v| v.strip_prefix('=')))
    };
    let n: u32 = part("INTERVAL").and_then(|v| v.parse().ok()).unwrap_or(1);
    let each = if n == 1 { "1" } else { "n" };
    let n_text = n.to_string();
    let rule = match part("FREQ").unwrap_or("") {
        "DAILY" => lang.t_args(&format!("recurrence-every-day-{each}"), &[("n", n_text)]),
        "WEEKLY" => {
            let days: Vec<String> = match part("BYDAY") {
                Some(list) => list
                    .split(',')
                    .filter_map(weekday_from_code)
                    .map(|w| weekday_name(w, lang))
                    .collect(),
                None => vec![weekday_name(first.weekday(), lang)],
            };
            let sep = if lang == Lang::Zh { "、" } else { ", " };
            lang.t_args(
                &format!("recurrence-every-week-{each}"),
                &[("n", n_text), ("days", days.join(sep))],
            )
        }
        _ => lang.t_args(
            &format!("recurrence-every-month-{each}"),
            &[("n", n_text), ("day", first.day().to_string())],
        ),
    };
    let date = |d: Date| match lang {
        Lang::Zh => format!("{}月{}日", d.month(), d.day()),
        Lang::En => d.strftime("%-d %b").to_string(),
    };
    lang.t_args(
        "recurrence-summary",
        &[
            ("rule", rule),
            ("count", count.to_string()),
            ("first", date(first)),
            ("last", date(last)),
        ],
    )
}

/// Where an occurrence of a series goes when one of them (`anchor`) moves to
/// `moved`: as many days on, at the new wall-clock time, as long as the new
/// one. Pure; the center's zone keeps wall-clock times across DST.
pub fn shifted(b: Span, anchor: Span, moved: Span, tz: &TimeZone) -> Span {
    let day =
        |ms: i64| crate::clock::Instant(ms).local_parts(tz).0.parse::<jiff::civil::Date>().ok();
    let (_, time) = crate::clock::Instant(moved.start).local_parts(tz);
    let start = match (day(anchor.start), day(moved.start), day(b.start)) {
        (Some(a), Some(m), Some(d)) => d
            .checked_add(jiff::Span::new().days((m - a).get_days()))
            .ok()
            .and_then(|d| crate::clock::Instant::parse_local(&d.to_string(), &time, tz))
            .map(|i| i.millis()),
        _ => None,
    }
    .unwrap_or(b.start + (moved.start - anchor.start));
    Span::new(start, start + (moved.end - moved.start))
}

/// Most occurrences one series may have.
pub const MAX_OCCURRENCES: usize = 366;

impl Recurrence {
    pub fn parse(
        freq: &str,
        interval: Option<i64>,
        by_weekday: &[String],
        until: Option<&str>,
        count: Option<i64>,
    ) -> Result<Recurrence, Vec<FieldError>> {
        let mut errors = vec![];
        let freq = Freq::parse(freq.trim());
        if freq.is_none() {
            errors.push(FieldError::new("recurrence.freq", "recurrence-freq"));
        }
        let interval = interval.unwrap_or(1);
        if !(1..=99).contains(&interval) {
            errors.push(FieldError::new("recurrence.interval", "recurrence-interval"));
        }
        let mut days = vec![];
        for d in by_weekday {
            match weekday_from_code(d) {
                Some(w) if !days.contains(&w) => days.push(w),
                Some(_) => {}
                None => errors.push(FieldError::new("recurrence.by_weekday", "recurrence-weekday")),
            }
        }
        days.sort_by_key(|w| weekday_index(*w));
        let end = match (until.map(str::trim).filter(|s| !s.is_empty()), count) {
            (Some(u), None) => match u.get(..10).unwrap_or(u).parse::<Date>() {
                Ok(d) => Some(SeriesEnd::Until(d)),
                Err(_) => {
                    errors.push(FieldError::new("recurrence.until", "field-invalid-date"));
                    None
                }
            },
            (None, Some(c)) if (1..=MAX_OCCURRENCES as i64).contains(&c) => {
                Some(SeriesEnd::Count(c as u32))
            }
            (None, Some(_)) => {
                errors.push(FieldError::new("recurrence.count", "recurrence-count"));
                None
            }
            _ => {
                errors.push(FieldError::new("recurrence.until", "recurrence-until-or-count"));
                None
            }
        };
        match (freq, end) {
            (Some(freq), Some(end)) if errors.is_empty() => {
                Ok(Recurrence { freq, interval: interval as u32, by_weekday: days, end })
            }
            _ => Err(errors),
        }
    }

    /// The RRULE value for iCalendar (UNTIL in UTC at the end of that local day).
    pub fn rrule(&self, tz: &TimeZone) -> String {
        let mut r = format!("FREQ={};INTERVAL={}", self.freq.code().to_uppercase(), self.interval);
        if self.freq == Freq::Weekly && !self.by_weekday.is_empty() {
            let days: Vec<String> = self
                .by_weekday
                .iter()
                .map(|w| WEEKDAYS[weekday_index(*w)].to_uppercase())
                .collect();
            r.push_str(&format!(";BYDAY={}", days.join(",")));
        }
        match self.end {
            SeriesEnd::Count(c) => r.push_str(&format!(";COUNT={c}")),
            SeriesEnd::Until(d) => {
                let end = d
                    .to_datetime(Time::constant(23, 59, 59, 0))
                    .to_zoned_datetime(tz.clone())
                    .map(|z| z.timestamp().strftime("%Y%m%dT%H%M%SZ").to_string())
                    .unwrap_or_default();
                r.push_str(&format!(";UNTIL={end}"));
            }
        }
        r
    }

    /// The first occurrence must itself fit the rule (a weekly series on
    /// Mondays cannot start on a Tuesday): RFC 5545 leaves that case undefined.
    pub fn check_start(&self, first: Span, tz: &TimeZone) -> Option<FieldError> {
        let start = zoned(first.start, tz)?;
        let off_rule = self.freq == Freq::Weekly
            && !self.by_weekday.is_empty()
            && !self.by_weekday.contains(&start.weekday());
        off_rule.then(|| FieldError::new("recurrence.by_weekday", "recurrence-start-off-rule"))
    }

    /// The occurrences of a series whose first occurrence is `first`, in the
    /// center's time zone (local wall-clock times repeat). At most
    /// [`MAX_OCCURRENCES`]; `None` when the rule would give more.
    pub fn expand(&self, first: Span, tz: &TimeZone) -> Option<Vec<Span>> {
        let start = zoned(first.start, tz)?;
        let duration_ms = first.end - first.start;
        let time = start.time();
        let first_date = start.date();
        let mut out = vec![];
        let push = |date: Date, out: &mut Vec<Span>| -> Option<bool> {
            match self.end {
                SeriesEnd::Until(u) if date > u => return Some(false),
                SeriesEnd::Count(c) if out.len() >= c as usize => return Some(false),
                _ => {}
            }
            let z = date.to_datetime(time).to_zoned_datetime(tz.clone()).ok()?;
            let s = z.timestamp().as_millisecond();
            out.push(Span::new(s, s + duration_ms));
            Some(out.len() <= MAX_OCCURRENCES)
        };
        let interval = i64::from(self.interval);
        match self.freq {
            Freq::Daily => {
                let mut k = 0i64;
                loop {
                    let date = first_date.checked_add((k * interval).days()).ok()?;
                    if !push(date, &mut out)? {
                        break;
                    }
                    k += 1;
                }
            }
            Freq::Weekly => {
                let days = if self.by_weekday.is_empty() {
                    vec![start.weekday()]
                } else {
                    self.by_weekday.clone()
                };
                let week_start = first_date
                    .checked_sub(i64::from(first_date.weekday().to_monday_zero_offset()).days())
                    .ok()?;
                let mut week = 0i64;
                'weeks: loop {
                    let monday = week_start.checked_add((week * interval * 7).days()).ok()?;
                    for d in &days {
                        let date =
                            monday.checked_add(i64::from(d.to_monday_zero_offset()).days()).ok()?;
                        if date < first_date {
                            continue;
                        }
                        if !push(date, &mut out)? {
                            break 'weeks;
                        }
                    }
                    week += 1;
                }
            }
            Freq::Monthly => {
                let day = first_date.day();
                let mut k = 0i64;
                let mut misses = 0;
                loop {
                    let month_first =
                        first_date.first_of_month().checked_add((k * interval).months()).ok()?;
                    k += 1;
                    // Months without this day (the 31st in June) are skipped, as in RFC 5545.
                    match Date::new(month_first.year(), month_first.month(), day) {
                        Ok(date) => {
                            misses = 0;
                            if !push(date, &mut out)? {
                                break;
                            }
                        }
                        Err(_) => {
                            misses += 1;
                            if misses > 24 {
                                break;
                            }
                            if let SeriesEnd::Until(u) = self.end
                                && month_first > u
                            {
                                break;
                            }
                        }
                    }
                }
            }
        }
        (out.len() <= MAX_OCCURRENCES).then_some(out)
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_series_moves_together() {
        let tz = tz();
        // Tuesday 14:00–15:00 moves to Wednesday 15:00–16:30: next week's
        // Tuesday goes to next week's Wednesday, at the same new time.
        let anchor = Span::new(at("2026-12-01T14:00:00+08:00"), at("2026-12-01T15:00:00+08:00"));
        let moved = Span::new(at("2026-12-02T15:00:00+08:00"), at("2026-12-02T16:30:00+08:00"));
        let later = Span::new(at("2026-12-08T14:00:00+08:00"), at("2026-12-08T15:00:00+08:00"));
        assert_eq!(
            shifted(later, anchor, moved, &tz),
            Span::new(at("2026-12-09T15:00:00+08:00"), at("2026-12-09T16:30:00+08:00"))
        );
        assert_eq!(shifted(anchor, anchor, moved, &tz), moved);
    }

    #[test]
    fn a_series_reads_as_words() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        let weekly = "FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=6";
        assert_eq!(
            describe(weekly, 6, d("2026-12-01"), d("2027-01-05"), Lang::Zh),
            "每周二，共 6 次，12月1日–1月5日"
        );
        assert_eq!(
            describe(weekly, 6, d("2026-12-01"), d("2027-01-05"), Lang::En),
            "Every Tue, 6 times, 1 Dec – 5 Jan"
        );
        let two = "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;UNTIL=20270101T155959Z";
        assert_eq!(
            describe(two, 9, d("2026-12-03"), d("2026-12-31"), Lang::En),
            "Every 2 weeks on Mon, Thu, 9 times, 3 Dec – 31 Dec"
        );
        assert_eq!(
            describe(
                "FREQ=DAILY;INTERVAL=1;COUNT=3",
                3,
                d("2026-12-01"),
                d("2026-12-03"),
                Lang::Zh
            ),
            "每天，共 3 次，12月1日–12月3日"
        );
        assert_eq!(
            describe(
                "FREQ=MONTHLY;INTERVAL=1;COUNT=3",
                3,
                d("2026-12-15"),
                d("2027-02-15"),
                Lang::En
            ),
            "Every month on day 15, 3 times, 15 Dec – 15 Feb"
        );
    }

    use super::*;
    use crate::clock::Instant;
    use crate::time::DAY_MS;
    use proptest::prelude::*;

    fn tz() -> TimeZone {
        crate::clock::time_zone("Asia/Shanghai")
    }

    fn at(s: &str) -> i64 {
        Instant::parse_rfc3339(s).expect("time").millis()
    }

    fn rec(
        freq: &str,
        interval: i64,
        days: &[&str],
        until: Option<&str>,
        count: Option<i64>,
    ) -> Recurrence {
        let days: Vec<String> = days.iter().map(|d| d.to_string()).collect();
        Recurrence::parse(freq, Some(interval), &days, until, count).expect("valid rule")
    }

    fn starts(spans: &[Span]) -> Vec<String> {
        spans.iter().map(|s| Instant(s.start).display_in(&tz())).collect()
    }

    #[test]
    fn weekly_on_several_days_until_a_date() {
        let first = Span::new(at("2026-12-02T14:00:00+08:00"), at("2026-12-02T15:30:00+08:00")); // a Wednesday
        let r = rec("weekly", 1, &["mo", "we", "fr"], Some("2026-12-14"), None);
        let occ = r.expand(first, &tz()).expect("expands");
        assert_eq!(
            starts(&occ),
            [
                "2026-12-02 14:00",
                "2026-12-04 14:00",
                "2026-12-07 14:00",
                "2026-12-09 14:00",
                "2026-12-11 14:00",
                "2026-12-14 14:00"
            ]
        );
        assert!(occ.iter().all(|s| s.minutes() == 90));
        assert_eq!(r.rrule(&tz()), "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,WE,FR;UNTIL=20261214T155959Z");
    }

    #[test]
    fn a_series_must_start_on_one_of_its_days() {
        let tuesday = Span::new(at("2026-12-01T09:00:00+08:00"), at("2026-12-01T10:00:00+08:00"));
        let mondays = rec("weekly", 1, &["mo"], None, Some(3));
        assert_eq!(
            mondays.check_start(tuesday, &tz()).map(|e| e.field),
            Some("recurrence.by_weekday".into())
        );
        assert!(rec("weekly", 1, &[], None, Some(3)).check_start(tuesday, &tz()).is_none());
        assert!(rec("daily", 1, &[], None, Some(3)).check_start(tuesday, &tz()).is_none());
    }

    #[test]
    fn every_other_week_by_count() {
        let first = Span::new(at("2026-12-01T09:00:00+08:00"), at("2026-12-01T10:00:00+08:00")); // Tuesday
        let occ = rec("weekly", 2, &[], None, Some(3)).expand(first, &tz()).expect("expands");
        assert_eq!(starts(&occ), ["2026-12-01 09:00", "2026-12-15 09:00", "2026-12-29 09:00"]);
    }

    #[test]
    fn daily_and_monthly() {
        let first = Span::new(at("2026-12-30T09:00:00+08:00"), at("2026-12-30T10:00:00+08:00"));
        let occ = rec("daily", 1, &[], None, Some(3)).expand(first, &tz()).expect("expands");
        assert_eq!(starts(&occ), ["2026-12-30 09:00", "2026-12-31 09:00", "2027-01-01 09:00"]);
        let first = Span::new(at("2027-01-31T09:00:00+08:00"), at("2027-01-31T10:00:00+08:00"));
        let occ = rec("monthly", 1, &[], None, Some(3)).expand(first, &tz()).expect("expands");
        assert_eq!(
            starts(&occ),
            ["2027-01-31 09:00", "2027-03-31 09:00", "2027-05-31 09:00"],
            "months without a 31st are skipped"
        );
    }

    #[test]
    fn runaway_rules_are_refused() {
        let first = Span::new(at("2026-12-01T09:00:00+08:00"), at("2026-12-01T10:00:00+08:00"));
        assert!(rec("daily", 1, &[], Some("2030-01-01"), None).expand(first, &tz()).is_none());
        assert!(Recurrence::parse("hourly", Some(1), &[], None, Some(3)).is_err());
        assert!(Recurrence::parse("daily", Some(0), &[], None, Some(3)).is_err());
        assert!(Recurrence::parse("daily", Some(1), &[], None, None).is_err());
        assert!(Recurrence::parse("daily", Some(1), &["xx".into()], None, Some(2)).is_err());
        assert!(Recurrence::parse("daily", Some(1), &[], None, Some(10_000)).is_err());
    }

    proptest! {
        #[test]
        fn weekly_occurrences_keep_time_and_weekday(day in 0i64..60, n in 1i64..30, mask in 0u8..128) {
            let start = at("2026-12-01T09:30:00+08:00") + day * DAY_MS;
            // The first occurrence's weekday is always one of the rule's days.
            let first_day = weekday_index(zoned(start, &tz()).expect("zoned").weekday());
            let mask = mask | (1 << first_day);
            let days: Vec<String> = (0..7).filter(|i| mask & (1 << i) != 0).map(|i| WEEKDAYS[i].to_string()).collect();
            let r = Recurrence::parse("weekly", Some(1), &days, None, Some(n)).expect("valid");
            prop_assert!(r.check_start(Span::new(start, start + 1), &tz()).is_none());
            let occ = r.expand(Span::new(start, start + 3_600_000), &tz()).expect("expands");
            prop_assert_eq!(occ.len() as i64, n);
            prop_assert_eq!(occ[0].start, start);
            for pair in occ.windows(2) { prop_assert!(pair[0].start < pair[1].start); }
            for o in &occ {
                let z = zoned(o.start, &tz()).expect("zoned");
                prop_assert_eq!((z.hour(), z.minute()), (9, 30));
                let code = WEEKDAYS[weekday_index(z.weekday())];
                prop_assert!(days.iter().any(|d| d == code) || o.start == start);
            }
        }
    }
}
