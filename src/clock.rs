//! Time as a parameter: the [`Clock`] every component asks for the current
//! instant, and [`Instant`], our stored form of a point in time (epoch
//! milliseconds in UTC). Nothing else in the crate may read the system clock
//! (enforced by `clippy.toml`), so tests can fix and move time.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use jiff::tz::TimeZone;

/// The years a date or time may name, anywhere (pages, API, forms): far
/// enough for any record a center keeps, near enough that a calendar can
/// always show the week around it. Outside: a 422 naming the field.
pub const FIRST_YEAR: i16 = 1900;
pub const LAST_YEAR: i16 = 2199;

/// Is `date` within [`FIRST_YEAR`]..=[`LAST_YEAR`]?
pub fn in_range(date: jiff::civil::Date) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&date.year())
}

/// A point in time, stored as milliseconds since the Unix epoch (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(pub i64);

impl Instant {
    pub fn millis(self) -> i64 {
        self.0
    }

    pub fn plus_secs(self, secs: i64) -> Instant {
        Instant(self.0 + secs * 1000)
    }

    pub fn minus_secs(self, secs: i64) -> Instant {
        Instant(self.0 - secs * 1000)
    }

    fn timestamp(self) -> jiff::Timestamp {
        jiff::Timestamp::from_millisecond(self.0).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
    }

    /// RFC 3339 with the offset of `tz`, e.g. `2026-12-01T09:30:00+08:00`.
    /// An offset RFC 3339 cannot write (local mean time before standard
    /// zones, Shanghai's +08:05:43 until 1901) is given in UTC instead.
    pub fn rfc3339_in(self, tz: &TimeZone) -> String {
        let zoned = self.timestamp().to_zoned_datetime(tz.clone());
        if zoned.offset().seconds() % 60 != 0 {
            return self.timestamp().strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
        }
        zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
    }

    /// Compact local form for tables: `2026-12-01 09:30`.
    pub fn display_in(self, tz: &TimeZone) -> String {
        self.timestamp().to_zoned_datetime(tz.clone()).strftime("%Y-%m-%d %H:%M").to_string()
    }

    /// Parses RFC 3339 (with offset or `Z`) into an instant, within the
    /// years every calendar can show (`time::FIRST_YEAR..=LAST_YEAR`).
    pub fn parse_rfc3339(s: &str) -> Option<Instant> {
        let t = s.trim().parse::<jiff::Timestamp>().ok()?;
        in_range(t.to_zoned_datetime(TimeZone::UTC).date()).then(|| Instant(t.as_millisecond()))
    }

    /// Parses a local date `YYYY-MM-DD` as the start of that day in `tz`.
    pub fn parse_local_date(s: &str, tz: &TimeZone) -> Option<Instant> {
        let date: jiff::civil::Date = s.trim().parse().ok().filter(|d| in_range(*d))?;
        let zoned = date.to_zoned_datetime(tz.clone()).ok()?;
        Some(Instant(zoned.timestamp().as_millisecond()))
    }
}

impl Instant {
    /// Parses a local date `YYYY-MM-DD` and time `HH:MM` in `tz`.
    pub fn parse_local(date: &str, time: &str, tz: &TimeZone) -> Option<Instant> {
        let date: jiff::civil::Date = date.trim().parse().ok().filter(|d| in_range(*d))?;
        let time: jiff::civil::Time = time.trim().parse().ok()?;
        let zoned = date.to_datetime(time).to_zoned_datetime(tz.clone()).ok()?;
        Some(Instant(zoned.timestamp().as_millisecond()))
    }

    /// The local date `YYYY-MM-DD` and time `HH:MM` of this instant in `tz`.
    pub fn local_parts(self, tz: &TimeZone) -> (String, String) {
        let z = self.timestamp().to_zoned_datetime(tz.clone());
        (z.strftime("%Y-%m-%d").to_string(), z.strftime("%H:%M").to_string())
    }
}

/// The center's time zone by IANA name, falling back to Asia/Shanghai.
pub fn time_zone(name: &str) -> TimeZone {
    TimeZone::get(name).or_else(|_| TimeZone::get("Asia/Shanghai")).unwrap_or(TimeZone::UTC)
}

/// Where the current time comes from.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> Instant;
}

/// The real clock.
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)] // the one place that reads the system clock
    fn now(&self) -> Instant {
        Instant(jiff::Timestamp::now().as_millisecond())
    }
}

/// The real clock moved by a fixed number of ms: the server runs as if it
/// were later (`serve --clock-shift-hours`: rehearsing a busy day, and the
/// browser tests that need yesterday's bookings to be over).
pub struct ShiftedClock(pub i64);

impl Clock for ShiftedClock {
    fn now(&self) -> Instant {
        Instant(SystemClock.now().0 + self.0)
    }
}

/// A clock that stands still until moved; for tests.
pub struct FixedClock(AtomicI64);

impl FixedClock {
    pub fn new(at: Instant) -> Arc<FixedClock> {
        Arc::new(FixedClock(AtomicI64::new(at.0)))
    }

    pub fn advance_secs(&self, secs: i64) {
        self.0.fetch_add(secs * 1000, Ordering::SeqCst);
    }
}

impl Clock for FixedClock {
    fn now(&self) -> Instant {
        Instant(self.0.load(Ordering::SeqCst))
    }
}

pub type SharedClock = Arc<dyn Clock>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_round_trips_with_the_center_offset() {
        let tz = time_zone("Asia/Shanghai");
        let t = Instant::parse_rfc3339("2026-12-01T01:30:00Z").expect("parses");
        assert_eq!(t.rfc3339_in(&tz), "2026-12-01T09:30:00+08:00");
        assert_eq!(Instant::parse_rfc3339(&t.rfc3339_in(&tz)), Some(t));
        assert_eq!(t.display_in(&tz), "2026-12-01 09:30");
    }

    #[test]
    fn an_offset_with_seconds_is_written_in_utc() {
        // Shanghai kept local mean time (+08:05:43) until 1901.
        let tz = time_zone("Asia/Shanghai");
        let t = Instant::parse_rfc3339("1900-12-22T08:00:00Z").expect("parses");
        assert_eq!(t.rfc3339_in(&tz), "1900-12-22T08:00:00Z");
        assert_eq!(Instant::parse_rfc3339(&t.rfc3339_in(&tz)), Some(t));
    }

    #[test]
    fn unknown_zone_falls_back_to_shanghai() {
        let t = Instant::parse_rfc3339("2026-01-01T00:00:00Z").expect("parses");
        assert_eq!(t.rfc3339_in(&time_zone("Nowhere/Else")), "2026-01-01T08:00:00+08:00");
    }

    #[test]
    fn local_date_is_midnight_in_the_zone() {
        let tz = time_zone("Asia/Shanghai");
        let t = Instant::parse_local_date("2026-12-01", &tz).expect("parses");
        assert_eq!(t.rfc3339_in(&tz), "2026-12-01T00:00:00+08:00");
        assert!(Instant::parse_local_date("2026-13-01", &tz).is_none());
    }

    #[test]
    fn local_date_and_time() {
        let tz = time_zone("Asia/Shanghai");
        let t = Instant::parse_local("2026-12-01", "09:30", &tz).expect("parses");
        assert_eq!(t.rfc3339_in(&tz), "2026-12-01T09:30:00+08:00");
        assert_eq!(t.local_parts(&tz), ("2026-12-01".to_string(), "09:30".to_string()));
        assert!(Instant::parse_local("2026-12-01", "25:00", &tz).is_none());
    }

    #[test]
    fn fixed_clock_moves_only_when_told() {
        let c = FixedClock::new(Instant(1_000));
        assert_eq!(c.now(), Instant(1_000));
        c.advance_secs(2);
        assert_eq!(c.now(), Instant(3_000));
    }
}
