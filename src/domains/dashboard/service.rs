//! What the dashboard shows, gathered from the other domains' services:
//! today's and this week's work for those who run the center, one's own
//! bookings and assignments for enterprise and interpreter users, and the
//! figures an oversight user may read for each center it oversees.

use crate::auth::{CurrentUser, Perm, allows};
use crate::clock::Instant;
use crate::domains::centers::service as centers;
use crate::domains::{events, interpreting, venues, visits};
use crate::error::AppResult;
use crate::i18n::{Bilingual, Lang};
use crate::state::AppState;
use crate::time::Span;

/// How many lines each list shows; the link under it leads to the rest.
pub const LINES: i64 = 8;

/// One line of a dashboard list.
pub struct Line {
    pub href: String,
    pub when: String,
    pub title: String,
    /// A status or a short note, already in the reader's language.
    pub note: String,
    pub today: bool,
}

/// The week ahead of one center: from today's start, seven days, in the
/// center's time zone.
pub struct Week {
    pub today: String,
    pub last_day: String,
    pub span: Span,
    pub today_end: i64,
    pub tz: jiff::tz::TimeZone,
}

pub async fn week(state: &AppState, center_id: &str) -> AppResult<Week> {
    let tz = centers::tz(state, center_id).await?;
    let today = state.clock.now().local_parts(&tz).0;
    let day: jiff::civil::Date = today.parse().unwrap_or(jiff::civil::Date::MIN);
    let at = |d: jiff::civil::Date| {
        Instant::parse_local(&d.to_string(), "00:00", &tz).map(|i| i.millis()).unwrap_or(0)
    };
    let plus = |n: i64| day.checked_add(jiff::Span::new().days(n)).unwrap_or(day);
    Ok(Week {
        last_day: plus(6).to_string(),
        span: Span::new(at(day), at(plus(7))),
        today_end: at(plus(1)),
        today,
        tz,
    })
}

/// The work of the week for those who run the center.
pub struct Work {
    pub week: Week,
    pub visits: Vec<Line>,
    pub events: Vec<Line>,
    pub bookings: Vec<Line>,
    pub unanswered: Vec<Line>,
    pub pending: i64,
}

fn pick(lang: Lang, b: &Bilingual) -> String {
    lang.pick_either(&b.zh, &b.en).to_string()
}

/// Live bookings of the center meeting `window` (one organizer's, or
/// everyone's when `organizer_id` is empty), as dashboard lines.
async fn booking_lines(
    state: &AppState,
    center_id: &str,
    organizer_id: &str,
    window: Span,
    week: &Week,
    lang: Lang,
) -> AppResult<Vec<Line>> {
    let rows = venues::booking::service::list_page(
        state,
        center_id,
        "",
        organizer_id,
        window,
        &(i64::MIN, String::new()),
        LINES,
    )
    .await?;
    Ok(rows
        .into_iter()
        .filter(|b| b.status.is_live())
        .map(|b| Line {
            href: format!("/bookings/{}", b.id),
            when: crate::time::day_and_times(b.span, &week.tz),
            title: pick(lang, &b.title),
            note: lang.t(&b.status.label_key()),
            today: b.span.start < week.today_end,
        })
        .collect())
}

pub async fn work(state: &AppState, center_id: &str, lang: Lang) -> AppResult<Work> {
    let week = week(state, center_id).await?;
    let tz = &week.tz;
    let visits =
        visits::visit::service::in_days(state, center_id, &week.today, &week.last_day, LINES)
            .await?
            .into_iter()
            .map(|v| {
                let (from, to) = v.dates();
                let title = if pick(lang, &v.title).is_empty() {
                    pick(lang, &v.org_name)
                } else {
                    pick(lang, &v.title)
                };
                Line {
                    href: format!("/visits/{}", v.id),
                    when: if from == to || to.is_empty() {
                        from.to_string()
                    } else {
                        format!("{from} – {to}")
                    },
                    title: format!("{} · {title}", v.reference),
                    note: lang.t(&v.status.label_key()),
                    today: from <= week.today.as_str()
                        && (to.is_empty() || week.today.as_str() <= to),
                }
            })
            .collect();
    let events = events::event::service::list_page(
        state,
        center_id,
        week.span.start,
        false,
        &(i64::MIN, String::new()),
        LINES,
    )
    .await?
    .into_iter()
    .filter(|e| e.span.start < week.span.end)
    .map(|e| Line {
        href: format!("/events/{}/manage", e.id),
        when: crate::time::day_and_times(e.span, tz),
        title: pick(lang, &e.title),
        note: lang.t(&e.status.label_key()),
        today: e.span.start < week.today_end,
    })
    .collect();
    let bookings = booking_lines(state, center_id, "", week.span, &week, lang).await?;
    let unanswered = interpreting::service::unanswered(state, center_id, state.clock.now(), LINES)
        .await?
        .into_iter()
        .map(|a| Line {
            href: format!("/visits/items/{}", a.item_id),
            when: crate::time::day_and_times(a.span, tz),
            title: a.interpreter_name.clone(),
            note: crate::reference::languages::label(lang, &a.language),
            today: a.span.start < week.today_end,
        })
        .collect();
    let pending = crate::approvals::count_pending(&state.db, center_id).await?;
    Ok(Work { week, visits, events, bookings, unanswered, pending })
}

/// One's own bookings still to come (an enterprise user's requests).
pub async fn my_bookings(
    state: &AppState,
    user: &CurrentUser,
    center_id: &str,
    lang: Lang,
) -> AppResult<Vec<Line>> {
    let week = week(state, center_id).await?;
    let far = Span::new(week.span.start, week.span.start + 400 * crate::time::DAY_MS);
    booking_lines(state, center_id, &user.id, far, &week, lang).await
}

/// The figures of one center as the accrediting office reads them.
pub struct CenterFigures {
    pub name: String,
    pub from: String,
    pub as_of: String,
    pub visit_groups: i64,
    pub visit_persons: i64,
    pub quoted_groups: i64,
    pub quoted_is_lower_bound: bool,
    pub events: i64,
    pub attended: i64,
}

/// Since 2018, as the center reports them ("more than 30 visits, 40 events").
pub const FIGURES_FROM: &str = "2018-01-01";

pub async fn figures(
    state: &AppState,
    user: &CurrentUser,
    lang: Lang,
) -> AppResult<Vec<CenterFigures>> {
    let mut out = vec![];
    if !allows(Some(user.role), Perm::ViewFigures) {
        return Ok(out);
    }
    for center_id in &user.scope {
        let center = centers::get(state, center_id).await?;
        let tz = center.tz();
        let as_of = state.clock.now().local_parts(&tz).0;
        let rows = visits::visit::service::received(state, center_id, FIGURES_FROM, &as_of).await?;
        let visit_groups: i64 = rows.iter().map(|r| r.1).sum();
        let visit_persons: i64 = rows.iter().map(|r| r.2).sum();
        let (quoted_groups, quoted_is_lower_bound) = visits::model::quoted(visit_groups);
        let start =
            Instant::parse_local(FIGURES_FROM, "00:00", &tz).map(|i| i.millis()).unwrap_or(0);
        let (events, attended) = events::event::service::held_figures(
            state,
            center_id,
            Span::new(start, state.clock.now().millis()),
        )
        .await?;
        out.push(CenterFigures {
            name: pick(lang, &center.name),
            from: FIGURES_FROM.into(),
            as_of,
            visit_groups,
            visit_persons,
            quoted_groups,
            quoted_is_lower_bound,
            events,
            attended,
        });
    }
    Ok(out)
}
