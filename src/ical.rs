//! iCalendar (RFC 5545) writing shared by every slice that publishes a
//! calendar: escaping, 75-octet line folding, UTC and local date-times, the
//! zone's VTIMEZONE (daylight saving included), the calendar head, and the
//! HTTP response.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use jiff::tz::TimeZone;

use crate::clock::Instant;

/// Escapes a TEXT value (RFC 5545 §3.3.11).
pub fn text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace(['\n', '\r'], "\\n")
}

/// Folds a content line at 75 octets, never inside a UTF-8 character.
pub fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for ch in line.chars() {
        let w = ch.len_utf8();
        if width + w > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += w;
    }
    out.push_str("\r\n");
    out
}

pub fn utc(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.strftime("%Y%m%dT%H%M%SZ").to_string())
        .unwrap_or_default()
}

pub fn local(ms: i64, tz: &TimeZone) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_zoned_datetime(tz.clone()).strftime("%Y%m%dT%H%M%S").to_string())
        .unwrap_or_default()
}

/// An RFC 5545 UTC offset: `+0800`, `-0430`, or with seconds when it has them.
fn offset_text(o: jiff::tz::Offset) -> String {
    let secs = o.seconds();
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.unsigned_abs();
    let (h, m, s) = (a / 3600, a / 60 % 60, a % 60);
    if s == 0 { format!("{sign}{h:02}{m:02}") } else { format!("{sign}{h:02}{m:02}{s:02}") }
}

/// The zone's VTIMEZONE over the years a feed can reach (from 1 January two
/// years back, ten years ahead): one component at the offset in force at the start, then one per
/// transition (daylight saving or a change of standard time), each dated in
/// the local time it ends, as RFC 5545 §3.6.5 reads them. A zone without
/// transitions (Asia/Shanghai) has one STANDARD component.
pub fn vtimezone(tz_name: &str, tz: &TimeZone, now: Instant) -> String {
    // From 1 January two years back to ten years ahead: the same text all
    // year, so calendar clients see an unchanged zone.
    let Ok(now_ts) = jiff::Timestamp::from_millisecond(now.millis()) else { return String::new() };
    let year = now_ts.to_zoned_datetime(tz.clone()).year();
    let new_year = |y: i16| tz.to_timestamp(jiff::civil::date(y, 1, 1).at(0, 0, 0, 0));
    let (Ok(start), Ok(end)) = (new_year(year - 2), new_year(year + 10)) else {
        return String::new();
    };
    let component = |dst: bool,
                     at: jiff::civil::DateTime,
                     from: jiff::tz::Offset,
                     to: jiff::tz::Offset,
                     name: &str| {
        let kind = if dst { "DAYLIGHT" } else { "STANDARD" };
        let mut lines = vec![
            format!("BEGIN:{kind}"),
            format!("DTSTART:{}", at.strftime("%Y%m%dT%H%M%S")),
            format!("TZOFFSETFROM:{}", offset_text(from)),
            format!("TZOFFSETTO:{}", offset_text(to)),
        ];
        // Numeric abbreviations ("+08") say nothing TZNAME would add.
        if name.chars().any(|c| c.is_ascii_alphabetic()) {
            lines.push(format!("TZNAME:{name}"));
        }
        lines.push(format!("END:{kind}"));
        lines
    };
    let first = tz.to_offset_info(start);
    let mut lines = vec!["BEGIN:VTIMEZONE".to_string(), format!("TZID:{tz_name}")];
    lines.extend(component(
        first.dst().is_dst(),
        first.offset().to_datetime(start),
        first.offset(),
        first.offset(),
        first.abbreviation(),
    ));
    let mut before = first.offset();
    for t in tz.following(start).take_while(|t| t.timestamp() < end) {
        lines.extend(component(
            t.dst().is_dst(),
            before.to_datetime(t.timestamp()),
            before,
            t.offset(),
            t.abbreviation(),
        ));
        before = t.offset();
    }
    lines.push("END:VTIMEZONE".into());
    lines.iter().map(|l| fold(l)).collect()
}

/// The lines every calendar starts with, up to and including its VTIMEZONE.
pub fn head(product: &str, name: &str, tz_name: &str, tz: &TimeZone, now: Instant) -> String {
    let mut out = String::new();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        &format!("PRODID:-//Liaison//{product}//ZH-EN"),
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        out.push_str(&fold(l));
    }
    out.push_str(&fold(&format!("X-WR-CALNAME:{}", text(name))));
    out.push_str(&fold(&format!("X-WR-TIMEZONE:{tz_name}")));
    out.push_str(&vtimezone(tz_name, tz, now));
    out
}

/// An iCalendar response.
pub fn ics(body: String) -> Response {
    let mut r = body.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/calendar; charset=utf-8"));
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=300"));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(name: &str) -> (TimeZone, Instant) {
        (TimeZone::get(name).unwrap(), Instant::parse_rfc3339("2026-11-27T10:00:00+08:00").unwrap())
    }

    #[test]
    fn a_zone_without_daylight_saving_has_one_standard_component() {
        let (tz, now) = zone("Asia/Shanghai");
        let v = vtimezone("Asia/Shanghai", &tz, now);
        assert_eq!(v.matches("BEGIN:STANDARD").count(), 1, "{v}");
        assert!(!v.contains("DAYLIGHT"));
        assert!(v.contains("TZOFFSETFROM:+0800\r\nTZOFFSETTO:+0800\r\nTZNAME:CST"), "{v}");
    }

    #[test]
    fn daylight_saving_is_described_transition_by_transition() {
        let (tz, now) = zone("Europe/Berlin");
        let v = vtimezone("Europe/Berlin", &tz, now);
        // Summer time began on 29 March 2026 at 02:00 local (+0100 → +0200)
        // and ends on 25 October 2026 at 03:00 local (+0200 → +0100).
        assert!(v.contains("BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST"), "{v}");
        assert!(v.contains("BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET"), "{v}");
        assert!(v.matches("BEGIN:DAYLIGHT").count() >= 11, "two years back, ten ahead");
        let later = Instant(now.millis() + 30 * 86_400_000);
        assert_eq!(vtimezone("Europe/Berlin", &tz, later), v, "the same text all year");
        let (tz, now) = zone("America/Sao_Paulo");
        assert!(vtimezone("America/Sao_Paulo", &tz, now).contains("TZOFFSETTO:-0300"));
    }

    #[test]
    fn line_breaks_of_every_kind_are_escaped() {
        assert_eq!(text("a\r\nb\nc\rd"), "a\\nb\\nc\\nd");
        assert!(!text("lone\rcarriage return").contains('\r'));
        assert_eq!(text("a;b,c\\d"), "a\\;b\\,c\\\\d");
    }
}
