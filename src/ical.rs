//! iCalendar (RFC 5545) writing shared by every slice that publishes a
//! calendar: escaping, 75-octet line folding, UTC and local date-times, a
//! VTIMEZONE for zones without daylight saving, the calendar head, and the
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

/// A VTIMEZONE for zones without daylight saving (Asia/Shanghai): one
/// STANDARD component at the zone's current offset.
pub fn vtimezone(tz_name: &str, tz: &TimeZone, now: Instant) -> String {
    let offset = jiff::Timestamp::from_millisecond(now.millis())
        .map(|t| t.to_zoned_datetime(tz.clone()).strftime("%z").to_string())
        .unwrap_or_else(|_| "+0800".into());
    let mut s = String::new();
    for line in [
        "BEGIN:VTIMEZONE".to_string(),
        format!("TZID:{tz_name}"),
        "BEGIN:STANDARD".into(),
        "DTSTART:19700101T000000".into(),
        format!("TZOFFSETFROM:{offset}"),
        format!("TZOFFSETTO:{offset}"),
        "TZNAME:CST".into(),
        "END:STANDARD".into(),
        "END:VTIMEZONE".into(),
    ] {
        s.push_str(&fold(&line));
    }
    s
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

    #[test]
    fn line_breaks_of_every_kind_are_escaped() {
        assert_eq!(text("a\r\nb\nc\rd"), "a\\nb\\nc\\nd");
        assert!(!text("lone\rcarriage return").contains('\r'));
        assert_eq!(text("a;b,c\\d"), "a\\;b\\,c\\\\d");
    }
}
