//! Rooms, bookings and the rules between them, with no I/O: bookable hours,
//! durations and lead times, set-up and tear-down buffers, overlap and free-time arithmetic, alternatives. Recurrence
//! rules are in `recurrence.rs`; spans and weekdays are `crate::time`.
//! Everything here is unit- and property-tested directly.

use jiff::ZonedDateTime as Zoned;
use jiff::tz::TimeZone;

use crate::clock::Instant;
use crate::error::FieldError;
pub use crate::time::{DAY_MS, MINUTE_MS, Span, WEEKDAYS, weekday_from_code, weekday_index, zoned};

pub use super::recurrence::{Freq, MAX_OCCURRENCES, Recurrence, SeriesEnd};
use crate::i18n::Bilingual;

/// Equipment a room may have (codes; names are Fluent keys `equipment-<code>`).
pub const EQUIPMENT: [&str; 9] = [
    "si_booths",
    "projector",
    "video_conference",
    "bilingual_screen",
    "sound_system",
    "microphones",
    "whiteboard",
    "stage",
    "exhibition_panels",
];

/// Bookable hours per weekday, in minutes from local midnight; `None` = closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpeningHours(pub [Option<(u16, u16)>; 7]);

impl OpeningHours {
    /// Monday to Friday 08:30–18:00, closed at weekends.
    pub fn office() -> OpeningHours {
        let day = Some((8 * 60 + 30, 18 * 60));
        OpeningHours([day, day, day, day, day, None, None])
    }

    pub fn always() -> OpeningHours {
        OpeningHours([Some((0, 24 * 60)); 7])
    }

    /// Stored form: seven `HH:MM-HH:MM` (or empty) separated by `|`, Monday first.
    pub fn encode(&self) -> String {
        self.0
            .iter()
            .map(|d| match d {
                Some((a, b)) => format!("{}-{}", hhmm(*a), hhmm(*b)),
                None => String::new(),
            })
            .collect::<Vec<_>>()
            .join("|")
    }

    pub fn decode(s: &str) -> Option<OpeningHours> {
        let parts: Vec<&str> = s.split('|').collect();
        if parts.len() != 7 {
            return None;
        }
        let mut days = [None; 7];
        for (i, p) in parts.iter().enumerate() {
            days[i] = parse_range(p)?;
        }
        Some(OpeningHours(days))
    }

    /// The week in words, runs of days with the same window together:
    /// "Mon–Fri 08:30–18:00" / "周一至周五 08:30–18:00"; closed days left out,
    /// "Closed" when it never opens.
    pub fn summary(&self, lang: crate::i18n::Lang) -> String {
        let day = |i: usize| super::recurrence::weekday_name_at(i, lang);
        let mut runs: Vec<String> = vec![];
        let mut i = 0;
        while i < 7 {
            let Some((a, b)) = self.0[i] else {
                i += 1;
                continue;
            };
            let mut j = i;
            while j + 1 < 7 && self.0[j + 1] == self.0[i] {
                j += 1;
            }
            let days = match (j - i, lang) {
                (0, _) => day(i),
                (_, crate::i18n::Lang::Zh) => format!("{}至{}", day(i), day(j)),
                (_, crate::i18n::Lang::En) => format!("{}–{}", day(i), day(j)),
            };
            runs.push(format!("{days} {}–{}", hhmm(a), hhmm(b)));
            i = j + 1;
        }
        if runs.is_empty() {
            return lang.t("room-closed");
        }
        runs.join(if lang == crate::i18n::Lang::Zh { "；" } else { "; " })
    }

    /// The window of a weekday as `HH:MM-HH:MM`, or empty when closed.
    pub fn day_text(&self, i: usize) -> String {
        self.0[i].map(|(a, b)| format!("{}-{}", hhmm(a), hhmm(b))).unwrap_or_default()
    }
}

fn hhmm(m: u16) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// Parses `HH:MM-HH:MM` (or empty for closed). `Some(None)` = closed.
pub fn parse_range(s: &str) -> Option<Option<(u16, u16)>> {
    let s = s.trim();
    if s.is_empty() {
        return Some(None);
    }
    let (a, b) = s.split_once('-')?;
    let (a, b) = (parse_hhmm(a)?, parse_hhmm(b)?);
    (a < b).then_some(Some((a, b)))
}

fn parse_hhmm(s: &str) -> Option<u16> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
}

/// What a room allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomRules {
    pub capacity: i64,
    pub bookable: bool,
    pub hours: OpeningHours,
    pub min_minutes: i64,
    pub max_minutes: i64,
    /// How far ahead one may book, in days.
    pub max_advance_days: i64,
    pub setup_minutes: i64,
    pub teardown_minutes: i64,
}

impl RoomRules {
    /// The time a booking over `span` keeps the room: the span widened by
    /// the set-up and tear-down buffers.
    pub fn block(&self, span: Span) -> Span {
        Span::new(
            span.start - self.setup_minutes * MINUTE_MS,
            span.end + self.teardown_minutes * MINUTE_MS,
        )
    }
}

#[derive(Debug, Clone)]
pub struct Room {
    pub id: String,
    pub center_id: String,
    pub zone_id: String,
    pub zone_code: String,
    pub name: Bilingual,
    pub description: Bilingual,
    pub location: Bilingual,
    pub equipment: Vec<String>,
    pub requires_approval: bool,
    pub rules: RoomRules,
}

/// A validated new or edited room.
#[derive(Debug, Clone)]
pub struct RoomInput {
    pub zone_code: String,
    pub name: Bilingual,
    pub description: Bilingual,
    pub location: Bilingual,
    pub equipment: Vec<String>,
    pub requires_approval: bool,
    pub rules: RoomRules,
}

impl RoomInput {
    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        zone_code: &str,
        name: Bilingual,
        description: Bilingual,
        location: Bilingual,
        equipment: &[String],
        requires_approval: bool,
        rules: RoomRules,
    ) -> Result<RoomInput, Vec<FieldError>> {
        let mut errors = name.require("name", 80);
        errors.extend(description.limit("description", 2000));
        errors.extend(location.limit("location", 200));
        if zone_code.trim().is_empty() {
            errors.push(FieldError::new("zone_code", "field-required"));
        }
        let mut equipment: Vec<String> =
            equipment.iter().map(|e| e.trim().to_string()).filter(|e| !e.is_empty()).collect();
        equipment.sort();
        equipment.dedup();
        if equipment.iter().any(|e| !EQUIPMENT.contains(&e.as_str())) {
            errors.push(FieldError::new("equipment", "room-unknown-equipment"));
        }
        if !(1..=5000).contains(&rules.capacity) {
            errors.push(FieldError::new("capacity", "room-capacity-range"));
        }
        if rules.min_minutes < 5
            || rules.min_minutes > rules.max_minutes
            || rules.max_minutes > 24 * 60
        {
            errors.push(FieldError::new("min_minutes", "room-duration-range"));
        }
        if !(0..=730).contains(&rules.max_advance_days) {
            errors.push(FieldError::new("max_advance_days", "room-advance-range"));
        }
        if !(0..=240).contains(&rules.setup_minutes) {
            errors.push(FieldError::new("setup_minutes", "room-buffer-range"));
        }
        if !(0..=240).contains(&rules.teardown_minutes) {
            errors.push(FieldError::new("teardown_minutes", "room-buffer-range"));
        }
        if errors.is_empty() {
            Ok(RoomInput {
                zone_code: zone_code.trim().to_string(),
                name,
                description,
                location,
                equipment,
                requires_approval,
                rules,
            })
        } else {
            Err(errors)
        }
    }
}

/// The longest span a booking can hold a room: the longest booking a room
/// may allow (24 hours) plus the largest set-up and tear-down buffers. Range
/// queries use it as a lower bound, so they read only the rows near the window.
pub const MAX_BLOCK_MS: i64 = (24 * 60 + 2 * 240) * MINUTE_MS;

/// What the free-room finder is asked: a time on a day, for how many
/// people, with what equipment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FreeRoomQuery {
    pub date: jiff::civil::Date,
    pub span: Span,
    pub people: i64,
    pub needs: Vec<String>,
}

impl FreeRoomQuery {
    /// Reads the finder's fields (times default to 09:00–10:00, people to 1).
    pub fn parse(
        date: &str,
        from: &str,
        to: &str,
        attendees: &str,
        needs: Vec<String>,
        tz: &TimeZone,
    ) -> Result<FreeRoomQuery, Vec<FieldError>> {
        let mut errors = vec![];
        let day: Option<jiff::civil::Date> = date.trim().parse().ok();
        if day.is_none() {
            errors.push(FieldError::new("date", "field-invalid-date"));
        }
        let start = Instant::parse_local(date, if from.is_empty() { "09:00" } else { from }, tz);
        let end = Instant::parse_local(date, if to.is_empty() { "10:00" } else { to }, tz);
        let people: i64 = if attendees.is_empty() { 1 } else { attendees.parse().unwrap_or(0) };
        if day.is_some() && start.is_none() {
            errors.push(FieldError::new("from", "field-invalid-instant"));
        }
        if day.is_some() && end.is_none() {
            errors.push(FieldError::new("to", "field-invalid-instant"));
        }
        if people < 1 {
            errors.push(FieldError::new("attendees", "booking-attendees-min"));
        }
        match (day, start, end) {
            (Some(date), Some(s), Some(e)) if errors.is_empty() && e > s => {
                Ok(FreeRoomQuery { date, span: Span::new(s.millis(), e.millis()), people, needs })
            }
            (Some(_), Some(_), Some(_)) if errors.is_empty() => {
                Err(vec![FieldError::new("to", "booking-end-before-start")])
            }
            _ => Err(errors),
        }
    }
}

/// Booking states. Requested and confirmed bookings hold the room.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BookingStatus {
    Requested,
    Confirmed,
    Rejected,
    Cancelled,
}

impl BookingStatus {
    pub const ALL: [BookingStatus; 4] = [
        BookingStatus::Requested,
        BookingStatus::Confirmed,
        BookingStatus::Rejected,
        BookingStatus::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            BookingStatus::Requested => "requested",
            BookingStatus::Confirmed => "confirmed",
            BookingStatus::Rejected => "rejected",
            BookingStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<BookingStatus> {
        BookingStatus::ALL.into_iter().find(|b| b.code() == s)
    }

    /// Fluent key of the status's name.
    pub fn label_key(self) -> String {
        format!("status-{}", self.code())
    }

    pub fn is_live(self) -> bool {
        matches!(self, BookingStatus::Requested | BookingStatus::Confirmed)
    }

    /// The allowed moves: a request is approved or rejected; anything live
    /// may be cancelled; rejected and cancelled are final.
    pub fn can_become(self, to: BookingStatus) -> bool {
        use BookingStatus::*;
        matches!(
            (self, to),
            (Requested, Confirmed)
                | (Requested, Rejected)
                | (Requested, Cancelled)
                | (Confirmed, Cancelled)
        )
    }

    /// iCalendar STATUS.
    pub fn ical(self) -> &'static str {
        match self {
            BookingStatus::Requested => "TENTATIVE",
            BookingStatus::Confirmed => "CONFIRMED",
            BookingStatus::Rejected | BookingStatus::Cancelled => "CANCELLED",
        }
    }
}

/// The longest a booking can last: a room's maximum is at most a day
/// (`RoomInput` refuses more), and every booking is checked against it.
pub const MAX_BOOKING_MS: i64 = 24 * 60 * MINUTE_MS;

/// Checks one occurrence against the room's rules. `now` bounds lead time.
pub fn check_occurrence(
    rules: &RoomRules,
    tz: &TimeZone,
    span: Span,
    attendees: i64,
    now: Instant,
) -> Vec<FieldError> {
    let mut errors = vec![];
    if !rules.bookable {
        errors.push(FieldError::new("room_id", "booking-room-not-bookable"));
    }
    if span.end <= span.start {
        errors.push(FieldError::new("ends_at", "booking-end-before-start"));
        return errors;
    }
    if attendees < 1 {
        errors.push(FieldError::new("attendees", "booking-attendees-min"));
    } else if attendees > rules.capacity {
        errors.push(over_capacity(rules.capacity));
    }
    let minutes = span.minutes();
    if minutes < rules.min_minutes {
        errors.push(
            FieldError::new("ends_at", "booking-too-short").with("minutes", rules.min_minutes),
        );
    } else if minutes > rules.max_minutes {
        errors.push(
            FieldError::new("ends_at", "booking-too-long").with("minutes", rules.max_minutes),
        );
    }
    if span.start < now.millis() {
        errors.push(FieldError::new("starts_at", "booking-in-past"));
    } else if span.start > now.millis() + rules.max_advance_days * DAY_MS {
        errors.push(
            FieldError::new("starts_at", "booking-too-far-ahead")
                .with("days", rules.max_advance_days),
        );
    }
    if !within_hours(&rules.hours, tz, span) {
        errors.push(FieldError::new("starts_at", "booking-outside-hours").with_words(
            "hours",
            rules.hours.summary(crate::i18n::Lang::Zh),
            rules.hours.summary(crate::i18n::Lang::En),
        ));
    }
    errors
}

/// More people than a room seats, naming its seats.
pub fn over_capacity(capacity: i64) -> FieldError {
    FieldError::new("attendees", "booking-over-capacity").with("seats", capacity)
}

/// Whether the span lies inside one day's bookable window.
pub fn within_hours(hours: &OpeningHours, tz: &TimeZone, span: Span) -> bool {
    let (Some(start), Some(end)) = (zoned(span.start, tz), zoned(span.end - 1, tz)) else {
        return false;
    };
    if start.date() != end.date() {
        return false;
    }
    let Some((open, close)) = hours.0[weekday_index(start.weekday())] else {
        return false;
    };
    let from = minutes_of_day(&start);
    let to = from + span.minutes();
    i64::from(open) <= from && to <= i64::from(close)
}

fn minutes_of_day(z: &Zoned) -> i64 {
    i64::from(z.hour()) * 60 + i64::from(z.minute())
}

/// The free parts of `window` around the `busy` spans.
pub fn free_spans(window: Span, busy: &[Span]) -> Vec<Span> {
    let mut busy: Vec<Span> = busy.iter().copied().filter(|b| b.overlaps(&window)).collect();
    busy.sort();
    let mut free = vec![];
    let mut cursor = window.start;
    for b in busy {
        if b.start > cursor {
            free.push(Span::new(cursor, b.start.min(window.end)));
        }
        cursor = cursor.max(b.end);
        if cursor >= window.end {
            break;
        }
    }
    if cursor < window.end {
        free.push(Span::new(cursor, window.end));
    }
    free
}

/// Merges overlapping or touching spans.
pub fn merge(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort();
    let mut out: Vec<Span> = vec![];
    for s in spans {
        match out.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// Up to `limit` nearest times for the same booking in the same room: shifted
/// in `step_minutes` steps (later first at equal distance), within `horizon_days`,
/// inside bookable hours, clear of `blocked` spans (which already include
/// other bookings' buffers) and not in the past.
#[allow(clippy::too_many_arguments)]
pub fn nearest_free(
    wanted: Span,
    rules: &RoomRules,
    tz: &TimeZone,
    blocked: &[Span],
    now: Instant,
    step_minutes: i64,
    horizon_days: i64,
    limit: usize,
) -> Vec<Span> {
    let step = step_minutes * MINUTE_MS;
    let max_steps = horizon_days * DAY_MS / step;
    let mut out = vec![];
    for k in 1..=max_steps {
        for shift in [k * step, -k * step] {
            let cand = Span::new(wanted.start + shift, wanted.end + shift);
            if cand.start < now.millis() || !within_hours(&rules.hours, tz, cand) {
                continue;
            }
            let b = rules.block(cand);
            if blocked.iter().all(|x| !x.overlaps(&b)) {
                out.push(cand);
                if out.len() >= limit {
                    return out;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_hours_read_as_words() {
        let office =
            OpeningHours::decode("08:30-18:00|08:30-18:00|08:30-18:00|08:30-18:00|08:30-18:00||")
                .unwrap();
        assert_eq!(office.summary(crate::i18n::Lang::En), "Mon–Fri 08:30–18:00");
        assert_eq!(office.summary(crate::i18n::Lang::Zh), "周一至周五 08:30–18:00");
        let mixed =
            OpeningHours::decode("09:00-17:00|09:00-17:00||09:00-12:00|||10:00-16:00").unwrap();
        assert_eq!(
            mixed.summary(crate::i18n::Lang::En),
            "Mon–Tue 09:00–17:00; Thu 09:00–12:00; Sun 10:00–16:00"
        );
    }
    use proptest::prelude::*;

    fn tz() -> TimeZone {
        crate::clock::time_zone("Asia/Shanghai")
    }

    fn at(s: &str) -> i64 {
        Instant::parse_rfc3339(s).expect("time").millis()
    }

    fn rules() -> RoomRules {
        RoomRules {
            capacity: 20,
            bookable: true,
            hours: OpeningHours::office(),
            min_minutes: 30,
            max_minutes: 8 * 60,
            max_advance_days: 180,
            setup_minutes: 15,
            teardown_minutes: 15,
        }
    }

    #[test]
    fn opening_hours_round_trip() {
        let h = OpeningHours::office();
        assert_eq!(h.encode(), "08:30-18:00|08:30-18:00|08:30-18:00|08:30-18:00|08:30-18:00||");
        assert_eq!(OpeningHours::decode(&h.encode()), Some(h));
        assert_eq!(OpeningHours::decode("nonsense"), None);
        assert_eq!(parse_range("18:00-09:00"), None);
        assert_eq!(parse_range("00:00-24:00"), Some(Some((0, 1440))));
        assert_eq!(parse_range("25:00-26:00"), None);
    }

    #[test]
    fn a_good_request_passes_and_each_bad_field_is_named() {
        let now = Instant(at("2026-11-27T10:00:00+08:00"));
        let ok = Span::new(at("2026-12-01T09:00:00+08:00"), at("2026-12-01T11:00:00+08:00"));
        assert!(check_occurrence(&rules(), &tz(), ok, 10, now).is_empty());
        let fields = |span, n| -> Vec<String> {
            check_occurrence(&rules(), &tz(), span, n, now).into_iter().map(|e| e.key).collect()
        };
        assert_eq!(fields(Span::new(ok.end, ok.start), 10), ["booking-end-before-start"]);
        assert_eq!(fields(ok, 21), ["booking-over-capacity"]);
        assert_eq!(fields(ok, 0), ["booking-attendees-min"]);
        let early = Span::new(at("2026-12-01T07:00:00+08:00"), at("2026-12-01T09:00:00+08:00"));
        assert_eq!(fields(early, 5), ["booking-outside-hours"]);
        let saturday = Span::new(at("2026-12-05T09:00:00+08:00"), at("2026-12-05T10:00:00+08:00"));
        assert_eq!(fields(saturday, 5), ["booking-outside-hours"]);
        let past = Span::new(at("2026-11-26T09:00:00+08:00"), at("2026-11-26T10:00:00+08:00"));
        assert_eq!(fields(past, 5), ["booking-in-past"]);
        let short = Span::new(at("2026-12-01T09:00:00+08:00"), at("2026-12-01T09:15:00+08:00"));
        assert_eq!(fields(short, 5), ["booking-too-short"]);
        let far = Span::new(at("2027-08-02T09:00:00+08:00"), at("2027-08-02T10:00:00+08:00"));
        assert_eq!(fields(far, 5), ["booking-too-far-ahead"]);
        let until_close =
            Span::new(at("2026-12-01T17:00:00+08:00"), at("2026-12-01T18:00:00+08:00"));
        assert!(fields(until_close, 5).is_empty(), "ending exactly at closing time is fine");
    }

    #[test]
    fn buffers_widen_what_a_booking_blocks() {
        let a = Span::new(at("2026-12-01T09:00:00+08:00"), at("2026-12-01T10:00:00+08:00"));
        let b = Span::new(at("2026-12-01T10:20:00+08:00"), at("2026-12-01T11:00:00+08:00"));
        assert!(!a.overlaps(&b));
        assert!(
            rules().block(a).overlaps(&rules().block(b)),
            "15 + 15 minutes of buffer > 20 minutes gap"
        );
        let c = Span::new(at("2026-12-01T10:30:00+08:00"), at("2026-12-01T11:00:00+08:00"));
        assert!(!rules().block(a).overlaps(&rules().block(c)));
    }

    #[test]
    fn status_moves() {
        use BookingStatus::*;
        assert!(Requested.can_become(Confirmed) && Requested.can_become(Rejected));
        assert!(Confirmed.can_become(Cancelled) && !Confirmed.can_become(Rejected));
        assert!(!Cancelled.can_become(Confirmed) && !Rejected.can_become(Cancelled));
        assert!(Requested.is_live() && Confirmed.is_live() && !Cancelled.is_live());
    }

    fn starts(spans: &[Span]) -> Vec<String> {
        spans.iter().map(|s| Instant(s.start).display_in(&tz())).collect()
    }

    #[test]
    fn free_time_is_the_window_minus_busy() {
        let w = Span::new(0, 100);
        assert_eq!(free_spans(w, &[]), vec![w]);
        assert_eq!(
            free_spans(w, &[Span::new(10, 20), Span::new(15, 30), Span::new(90, 120)]),
            vec![Span::new(0, 10), Span::new(30, 90)]
        );
        assert_eq!(free_spans(w, &[Span::new(-5, 200)]), vec![]);
        assert_eq!(
            merge(vec![Span::new(5, 10), Span::new(0, 5), Span::new(20, 30)]),
            vec![Span::new(0, 10), Span::new(20, 30)]
        );
    }

    #[test]
    fn nearest_free_times_skip_busy_and_closed_hours() {
        let now = Instant(at("2026-11-27T10:00:00+08:00"));
        let wanted = Span::new(at("2026-12-01T10:00:00+08:00"), at("2026-12-01T11:00:00+08:00"));
        let busy = vec![rules().block(wanted)];
        let alts = nearest_free(wanted, &rules(), &tz(), &busy, now, 30, 7, 3);
        assert_eq!(starts(&alts), ["2026-12-01 11:30", "2026-12-01 08:30", "2026-12-01 12:00"]);
        for a in &alts {
            assert!(!rules().block(*a).overlaps(&busy[0]));
        }
    }

    proptest! {
        #[test]
        fn free_and_busy_partition_the_window(spans in prop::collection::vec((0i64..1000, 1i64..200), 0..12)) {
            let window = Span::new(100, 900);
            let busy: Vec<Span> = spans.iter().map(|(s, d)| Span::new(*s, s + d)).collect();
            let free = free_spans(window, &busy);
            // Free spans are ordered, disjoint, inside the window, and clear of every busy span.
            for pair in free.windows(2) {
                prop_assert!(pair[0].end < pair[1].start || pair[0].end <= pair[1].start);
            }
            for f in &free {
                prop_assert!(f.start >= window.start && f.end <= window.end && f.start < f.end);
                prop_assert!(busy.iter().all(|b| !b.overlaps(f)));
            }
            // Every minute of the window is free or busy.
            for t in window.start..window.end {
                let p = Span::new(t, t + 1);
                let is_free = free.iter().any(|f| f.overlaps(&p));
                let is_busy = busy.iter().any(|b| b.overlaps(&p));
                prop_assert!(is_free != is_busy);
            }
        }

        #[test]
        fn overlap_is_symmetric_and_matches_a_point_test(a in 0i64..100, la in 1i64..50, b in 0i64..100, lb in 1i64..50) {
            let x = Span::new(a, a + la);
            let y = Span::new(b, b + lb);
            prop_assert_eq!(x.overlaps(&y), y.overlaps(&x));
            let shared = (a.max(b)..(a + la).min(b + lb)).next().is_some();
            prop_assert_eq!(x.overlaps(&y), shared);
        }

    }
}
