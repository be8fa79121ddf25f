//! Working days in mainland China: weekends, the public holidays and the
//! weekend days worked instead (调休), as published by the State Council
//! (`holidays_cn.tsv`, sources named there), and a center's own days on top
//! (closed for a move, open on a Saturday). SLA clocks count these.
//!
//! A clock started on day `a` has used the working days `d` with
//! `a < d <= b` by day `b`: filed on a Friday, one working day is used by
//! the end of Monday. No I/O: the center's days are handed in.

use std::collections::HashMap;
use std::sync::LazyLock;

use jiff::civil::{Date, Weekday};

/// One day of the national table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    pub day: Date,
    /// A day off (`true`) or a weekend day worked (`false`).
    pub off: bool,
    pub name_zh: &'static str,
    pub name_en: &'static str,
}

static NATIONAL: LazyLock<Vec<Holiday>> =
    LazyLock::new(|| parse(include_str!("holidays_cn.tsv")).expect("holidays_cn.tsv is valid"));

static BY_DAY: LazyLock<HashMap<Date, bool>> =
    LazyLock::new(|| NATIONAL.iter().map(|h| (h.day, h.off)).collect());

fn parse(text: &'static str) -> Result<Vec<Holiday>, String> {
    let mut out = vec![];
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&'static str> = line.split('\t').collect();
        let [day, kind, zh, en] = cols[..] else {
            return Err(format!("line {}: four columns expected", n + 1));
        };
        let day: Date = day.parse().map_err(|e| format!("line {}: {e}", n + 1))?;
        let off = match kind {
            "off" => true,
            "work" => false,
            _ => return Err(format!("line {}: kind is off or work", n + 1)),
        };
        out.push(Holiday { day, off, name_zh: zh, name_en: en });
    }
    Ok(out)
}

/// The national table, in date order.
pub fn national() -> &'static [Holiday] {
    &NATIONAL
}

/// The first and last year the national table covers.
pub fn years() -> (i16, i16) {
    let first = NATIONAL.first().map(|h| h.day.year()).unwrap_or(0);
    let last = NATIONAL.last().map(|h| h.day.year()).unwrap_or(0);
    (first, last)
}

/// Counting stops this far out, so a nonsense count cannot spin.
const MAX_SPAN_DAYS: i32 = 3 * 366;

/// The national table with a center's own days on top.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    /// The center's days: `true` closed, `false` open (worked).
    own: HashMap<Date, bool>,
}

impl Calendar {
    /// `own`: the center's days, `true` for closed.
    pub fn new(own: impl IntoIterator<Item = (Date, bool)>) -> Calendar {
        Calendar { own: own.into_iter().collect() }
    }

    pub fn is_working(&self, day: Date) -> bool {
        if let Some(closed) = self.own.get(&day) {
            return !closed;
        }
        if let Some(off) = BY_DAY.get(&day) {
            return !off;
        }
        !matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday)
    }

    /// Working days used from the end of `from` to the end of `to`
    /// (`from < d <= to`); 0 when `to` is not after `from`.
    pub fn elapsed(&self, from: Date, to: Date) -> i64 {
        let mut n = 0;
        let mut d = from;
        let mut steps = 0;
        while d < to && steps < MAX_SPAN_DAYS {
            let Ok(next) = d.tomorrow() else { break };
            d = next;
            steps += 1;
            if self.is_working(d) {
                n += 1;
            }
        }
        n
    }

    /// The day `n` working days after `from` (`from` itself for 0).
    pub fn add(&self, from: Date, n: i64) -> Date {
        let mut left = n;
        let mut d = from;
        let mut steps = 0;
        while left > 0 && steps < MAX_SPAN_DAYS {
            let Ok(next) = d.tomorrow() else { break };
            d = next;
            steps += 1;
            if self.is_working(d) {
                left -= 1;
            }
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_table_parses_and_is_in_order_without_repeats() {
        let t = national();
        assert!(t.len() > 80);
        for w in t.windows(2) {
            assert!(w[0].day < w[1].day, "{:?} then {:?}", w[0].day, w[1].day);
        }
        assert_eq!(years(), (2025, 2027));
        // A worked day is a weekend day; a day off of a bridging kind may be any.
        for h in t.iter().filter(|h| !h.off) {
            assert!(matches!(h.day.weekday(), Weekday::Saturday | Weekday::Sunday), "{:?}", h.day);
        }
    }

    #[test]
    fn spring_festival_2026_and_its_worked_saturdays() {
        let c = Calendar::default();
        assert!(c.is_working(date(2026, 2, 14)), "Saturday 14 February is worked");
        assert!(!c.is_working(date(2026, 2, 16)), "a Monday of the festival");
        assert!(!c.is_working(date(2026, 2, 23)));
        assert!(c.is_working(date(2026, 2, 24)));
        assert!(c.is_working(date(2026, 2, 28)), "Saturday 28 February is worked");
        assert!(!c.is_working(date(2026, 3, 1)), "an ordinary Sunday");
        // Filed on Friday 13 February: Sat 14 is worked, then nine days off.
        assert_eq!(c.elapsed(date(2026, 2, 13), date(2026, 2, 24)), 2);
        assert_eq!(c.add(date(2026, 2, 13), 2), date(2026, 2, 24));
        assert_eq!(c.add(date(2026, 2, 13), 0), date(2026, 2, 13));
    }

    #[test]
    fn national_day_2025_counts_worked_sunday_and_saturday() {
        let c = Calendar::default();
        // Fri 26 Sep → Sun 28 Sep (worked), Mon 29, Tue 30, then 1–8 Oct off,
        // Thu 9, Fri 10, Sat 11 (worked).
        assert_eq!(c.elapsed(date(2025, 9, 26), date(2025, 10, 11)), 6);
        assert_eq!(c.add(date(2025, 9, 26), 4), date(2025, 10, 9));
    }

    #[test]
    fn a_centers_own_days_come_first() {
        let c = Calendar::new([(date(2026, 12, 2), true), (date(2026, 12, 5), false)]);
        assert!(!c.is_working(date(2026, 12, 2)), "closed on a Wednesday");
        assert!(c.is_working(date(2026, 12, 5)), "open on a Saturday");
        // Tue 1 Dec → Mon 7 Dec: Thu, Fri, Sat (open), Mon.
        assert_eq!(c.elapsed(date(2026, 12, 1), date(2026, 12, 7)), 4);
    }

    #[test]
    fn counting_is_bounded_and_never_backwards() {
        let c = Calendar::default();
        assert_eq!(c.elapsed(date(2026, 5, 1), date(2026, 4, 1)), 0);
        let far = c.add(date(2026, 1, 1), i64::MAX);
        assert!(far <= date(2029, 1, 5));
    }
}
