//! Calendar layout, with no I/O: which column and which quarter-hour rows a
//! booking takes on a day grid from 07:00 to 22:00 local time. Positions are
//! CSS classes (`gs-N`, `ge-N` in `static/calendar.css`), since the
//! Content-Security-Policy allows no inline styles.

use jiff::ToSpan;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::clock::Instant;
use crate::time::Span;

/// First hour shown and number of quarter-hour rows (07:00–22:00).
pub const FIRST_HOUR: i64 = 7;
pub const ROWS: i64 = 60;

/// The local midnight of `date` in ms.
pub fn midnight(date: Date, tz: &TimeZone) -> i64 {
    date.to_datetime(jiff::civil::Time::midnight())
        .to_zoned_datetime(tz.clone())
        .map(|z| z.timestamp().as_millisecond())
        .unwrap_or(0)
}

/// The span of one local day.
pub fn day_span(date: Date, tz: &TimeZone) -> Span {
    let next = date.checked_add(1.day()).unwrap_or(date);
    Span::new(midnight(date, tz), midnight(next, tz))
}

/// The Monday of the week holding `date`.
pub fn monday_of(date: Date) -> Date {
    date.checked_sub(i64::from(date.weekday().to_monday_zero_offset()).days()).unwrap_or(date)
}

/// Grid rows (1-based, end exclusive) of `span` on `date`, clipped to the
/// grid; `None` when it does not show on that day's grid at all.
pub fn rows(span: Span, date: Date, tz: &TimeZone) -> Option<(i64, i64)> {
    let grid_start = midnight(date, tz) + FIRST_HOUR * 3_600_000;
    let quarter = 15 * 60_000;
    let start = (span.start - grid_start).div_euclid(quarter).max(0);
    let end = ((span.end - grid_start) + quarter - 1).div_euclid(quarter).min(ROWS);
    (end > start && start < ROWS && end > 0).then_some((start + 1, end + 1))
}

/// Parses `YYYY-MM-DD`, or gives today in `tz`.
pub fn date_or_today(s: &str, now: Instant, tz: &TimeZone) -> Option<Date> {
    if s.trim().is_empty() {
        let t = jiff::Timestamp::from_millisecond(now.millis()).ok()?;
        return Some(t.to_zoned_datetime(tz.clone()).date());
    }
    s.trim().parse().ok().filter(|d| crate::time::in_range(*d))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::time_range;

    fn tz() -> TimeZone {
        crate::clock::time_zone("Asia/Shanghai")
    }

    fn at(s: &str) -> i64 {
        Instant::parse_rfc3339(s).expect("time").millis()
    }

    #[test]
    fn a_booking_takes_its_quarter_hours() {
        let d: Date = "2026-12-01".parse().expect("date");
        let s = Span::new(at("2026-12-01T09:00:00+08:00"), at("2026-12-01T10:30:00+08:00"));
        assert_eq!(rows(s, d, &tz()), Some((9, 15)));
        let early = Span::new(at("2026-12-01T06:00:00+08:00"), at("2026-12-01T07:20:00+08:00"));
        assert_eq!(
            rows(early, d, &tz()),
            Some((1, 3)),
            "clipped at 07:00, rounded out to the quarter"
        );
        let night = Span::new(at("2026-12-01T22:00:00+08:00"), at("2026-12-01T23:00:00+08:00"));
        assert_eq!(rows(night, d, &tz()), None);
        let other_day = Span::new(at("2026-12-02T09:00:00+08:00"), at("2026-12-02T10:00:00+08:00"));
        assert_eq!(rows(other_day, d, &tz()), None);
    }

    #[test]
    fn weeks_start_on_monday() {
        let d: Date = "2026-12-03".parse().expect("date");
        assert_eq!(monday_of(d).to_string(), "2026-11-30");
        assert_eq!(
            time_range(
                Span::new(at("2026-12-01T09:00:00+08:00"), at("2026-12-01T10:30:00+08:00")),
                &tz()
            ),
            "09:00–10:30"
        );
        assert_eq!(day_span(d, &tz()).minutes(), 24 * 60);
    }
}
