//! Read-only views reachable by secret URL, without a login: iCalendar feeds
//! (RFC 5545) of a room and of a user's bookings, and the door display.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use jiff::tz::TimeZone;

use crate::clock::Instant;
use crate::domains::venues::booking::store::BookingRow;
use crate::domains::venues::calendar::day_span;
use crate::domains::venues::model::Span;
use crate::domains::venues::views::DisplayPage;
use crate::domains::venues::{booking, room};
use crate::error::{AppError, AppResult};
use crate::ical::{fold, ics, local, text, utc};
use crate::links::Purpose;
use crate::state::AppState;
use crate::time::time_range;
use crate::web::extract::Path;
use crate::web::render;

/// The calendar: a series becomes one VEVENT with its RRULE and EXDATEs for
/// cancelled occurrences, plus an overriding VEVENT (same UID, RECURRENCE-ID)
/// for each occurrence moved or changed;
/// one-off bookings are one VEVENT each. UIDs are stable: the booking's or
/// the series' id.
pub fn calendar(
    name: &str,
    tz_name: &str,
    tz: &TimeZone,
    now: Instant,
    rows: &[(BookingRow, Option<String>)],
    room_names: &dyn Fn(&str) -> String,
) -> String {
    let mut out = crate::ical::head("Venues", name, tz_name, tz, now);
    let mut seen_series: Vec<&str> = vec![];
    for (b, rrule) in rows {
        let event = |uid: &str, b: &BookingRow, extra: &[String]| -> String {
            let mut lines = vec![
                "BEGIN:VEVENT".to_string(),
                format!("UID:{uid}@liaison"),
                format!("DTSTAMP:{}", utc(b.updated_at)),
                format!("DTSTART;TZID={tz_name}:{}", local(b.span.start, tz)),
                format!("DTEND;TZID={tz_name}:{}", local(b.span.end, tz)),
                format!("SUMMARY:{}", text(&summary(b))),
                format!("LOCATION:{}", text(&room_names(&b.room_id))),
                format!("DESCRIPTION:{}", text(&format!("{} · {}", b.reference, b.organizer_name))),
                format!("STATUS:{}", b.status.ical()),
                format!("LAST-MODIFIED:{}", utc(b.updated_at)),
            ];
            lines.extend(extra.iter().cloned());
            lines.push("END:VEVENT".into());
            lines.iter().map(|l| fold(l)).collect()
        };
        match (&b.series_id, rrule) {
            (Some(series), Some(rule)) => {
                if seen_series.contains(&series.as_str()) {
                    continue;
                }
                seen_series.push(series);
                let recurrence_id = |m: &BookingRow| m.recurrence_start.unwrap_or(m.span.start);
                let mut members: Vec<&BookingRow> = rows
                    .iter()
                    .filter(|(m, _)| m.series_id.as_deref() == Some(series))
                    .map(|(m, _)| m)
                    .collect();
                members.sort_by_key(|m| recurrence_id(m));
                let first = members[0];
                let duration = first.span.end - first.span.start;
                // The series event: the rule from the first occurrence as planned,
                // with the status of the first occurrence still live.
                let mut head =
                    members.iter().find(|m| m.status.is_live()).copied().unwrap_or(first).clone();
                head.span = Span::new(recurrence_id(first), recurrence_id(first) + duration);
                head.title = first.title.clone();
                let mut extra = vec![format!("RRULE:{rule}")];
                extra.extend(
                    members
                        .iter()
                        .filter(|m| !m.status.is_live())
                        .map(|m| format!("EXDATE;TZID={tz_name}:{}", local(recurrence_id(m), tz))),
                );
                out.push_str(&event(series, &head, &extra));
                // Occurrences moved, retitled or in another state override theirs.
                for m in members.iter().filter(|m| m.status.is_live()) {
                    let planned = Span::new(recurrence_id(m), recurrence_id(m) + duration);
                    if m.span != planned || m.title != head.title || m.status != head.status {
                        let rid =
                            format!("RECURRENCE-ID;TZID={tz_name}:{}", local(recurrence_id(m), tz));
                        out.push_str(&event(series, m, &[rid]));
                    }
                }
            }
            _ => out.push_str(&event(&b.id, b, &[])),
        }
    }
    out.push_str(&fold("END:VCALENDAR"));
    out
}

fn summary(b: &BookingRow) -> String {
    match (b.title.zh.is_empty(), b.title.en.is_empty()) {
        (false, false) if b.title.zh != b.title.en => format!("{} / {}", b.title.zh, b.title.en),
        (false, _) => b.title.zh.clone(),
        _ => b.title.en.clone(),
    }
}

fn strip_ics(token: &str) -> &str {
    token.strip_suffix(".ics").unwrap_or(token)
}

/// A room's bookings from a month ago on.
pub async fn room_feed(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let room = room::service::room_by_link(&state, Purpose::RoomFeed, strip_ics(&token)).await?;
    let center = crate::domains::centers::service::get(&state, &room.center_id).await?;
    let tz = crate::clock::time_zone(&center.timezone);
    let now = state.clock.now();
    let rows =
        super::service::for_feed(&state, &room.id, "", now.millis() - 31 * 86_400_000).await?;
    let name = format!("{} / {}", room.name.zh, room.name.en);
    let names = |_: &str| name.clone();
    Ok(ics(calendar(&name, &center.timezone, &tz, now, &rows, &names)))
}

/// A user's own bookings.
pub async fn user_feed(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let (user_id, center_id) =
        super::service::feed_owner(&state, strip_ics(&token)).await?.ok_or(AppError::NotFound)?;
    let center = crate::domains::centers::service::get(&state, &center_id).await?;
    let tz = crate::clock::time_zone(&center.timezone);
    let now = state.clock.now();
    let rows =
        super::service::for_feed(&state, "", &user_id, now.millis() - 31 * 86_400_000).await?;
    let rooms = room::service::rooms(&state, &center_id).await?;
    let names = |id: &str| {
        rooms
            .iter()
            .find(|r| r.id == id)
            .map(|r| format!("{} / {}", r.name.zh, r.name.en))
            .unwrap_or_default()
    };
    Ok(ics(calendar("Liaison 联络", &center.timezone, &tz, now, &rows, &names)))
}

/// The tablet at the room's door: now, next, free until. Refreshes itself.
pub async fn display(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let room = room::service::room_by_link(&state, Purpose::Display, &token).await?;
    let center = crate::domains::centers::service::get(&state, &room.center_id).await?;
    let tz = crate::clock::time_zone(&center.timezone);
    let now = state.clock.now();
    let today =
        crate::domains::venues::calendar::date_or_today("", now, &tz).ok_or(AppError::NotFound)?;
    let day = day_span(today, &tz);
    let bookings: Vec<BookingRow> = booking::service::in_room(&state, &room.id, day, true)
        .await?
        .into_iter()
        .filter(|b| b.status == crate::domains::venues::model::BookingStatus::Confirmed)
        .collect();
    let current = bookings
        .iter()
        .find(|b| b.span.start <= now.millis() && now.millis() < b.span.end)
        .cloned();
    let next: Vec<(BookingRow, String)> = bookings
        .iter()
        .filter(|b| b.span.start > now.millis())
        .take(3)
        .map(|b| (b.clone(), time_range(b.span, &tz)))
        .collect();
    let free_until = if current.is_none() {
        Some(
            next.first().map(|(b, _)| Instant(b.span.start).local_parts(&tz).1).unwrap_or_default(),
        )
    } else {
        None
    };
    let (date, clock) = now.local_parts(&tz);
    let weekday = |lang| crate::domains::venues::recurrence::weekday_name(today.weekday(), lang);
    let page = DisplayPage {
        busy: current.is_some(),
        now: current.map(|b| {
            let t = time_range(b.span, &tz);
            (b, t)
        }),
        next,
        free_until,
        clock,
        date_zh: format!("{date} {}", weekday(crate::i18n::Lang::Zh)),
        date_en: format!("{} {date}", weekday(crate::i18n::Lang::En)),
        room,
    };
    let mut r = render(&page)?.into_response();
    r.headers_mut().insert(header::REFRESH, HeaderValue::from_static("60"));
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let line = format!("SUMMARY:{}", "国际会议厅".repeat(10));
        let folded = fold(&line);
        for part in folded.trim_end().split("\r\n") {
            assert!(part.len() <= 75, "{} octets", part.len());
        }
        assert_eq!(folded.replace("\r\n ", "").trim_end(), line);
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(text("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
    }
}
