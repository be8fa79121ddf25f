//! The participant's own matchmaking page (agenda, requests received and
//! sent, agreed meetings waiting for a time), their answers, and their
//! agenda as a calendar file with stable UIDs.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::service::{self, Acting, Meeting};
use crate::domains::centers::service as centers;
use crate::domains::matchmaking::model::{MeetingStatus, Outcome, shared_language};
use crate::domains::matchmaking::profile::pages::base;
use crate::domains::matchmaking::profile::service::{self as profiles, Holder, Profile};
use crate::domains::matchmaking::setup::service as setup;
use crate::domains::matchmaking::views::{MeetingView, MyPage, shown};
use crate::domains::venues::room::service as rooms;
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::reference::{countries, languages};
use crate::state::AppState;
use crate::time::day_and_times;
use crate::web::PageCtx;
use crate::web::extract::{Form, Path, Query};
use crate::web::form::{Pairs, again, refusal};
use crate::web::page::render;

/// Each meeting's people, tables and rooms, read once.
pub struct Around {
    pub people: HashMap<String, Profile>,
    /// Table id → (number, room name zh, room name en).
    pub tables: HashMap<String, (i64, String, String)>,
    pub tz: jiff::tz::TimeZone,
}

pub async fn around(
    state: &AppState,
    event_id: &str,
    center_id: &str,
    ms: &[Meeting],
) -> AppResult<Around> {
    let mut ids: Vec<String> =
        ms.iter().flat_map(|m| [m.requester_id.clone(), m.invitee_id.clone()]).collect();
    ids.sort();
    ids.dedup();
    let people =
        profiles::by_ids(state, &ids).await?.into_iter().map(|p| (p.id.clone(), p)).collect();
    let all_rooms = rooms::rooms(state, center_id).await?;
    let tables = setup::all_tables(state, event_id)
        .await?
        .into_iter()
        .map(|t| {
            let room = t.room_id.as_ref().and_then(|r| all_rooms.iter().find(|x| &x.id == r));
            let (zh, en) = room.map(|r| (r.name.zh.clone(), r.name.en.clone())).unwrap_or_default();
            (t.id, (t.number, zh, en))
        })
        .collect();
    Ok(Around { people, tables, tz: centers::tz(state, center_id).await? })
}

/// A meeting as `me` sees it.
pub fn view(lang: Lang, a: &Around, me: &Profile, m: &Meeting, now: i64) -> MeetingView {
    let other = a.people.get(m.other(&me.id));
    let table = m.table_id.as_ref().and_then(|t| a.tables.get(t));
    let langs = |p: &Profile| -> std::collections::BTreeSet<String> {
        p.languages.iter().map(|l| languages::primary_language(l).to_string()).collect()
    };
    let placed = m.status == MeetingStatus::Accepted && m.span.is_some();
    MeetingView {
        id: m.id.clone(),
        status: m.status.code().into(),
        status_label: lang.t(&m.status.label_key()),
        asked: m.requester_id == me.id,
        other: other.map(|o| o.name.clone()).unwrap_or_default(),
        other_org: other.map(|o| shown(lang, &o.organisation)).unwrap_or_default(),
        other_country: other
            .filter(|o| !o.country.is_empty())
            .map(|o| countries::label(lang, &o.country))
            .unwrap_or_default(),
        other_languages: other
            .map(|o| {
                o.languages.iter().map(|l| languages::label(lang, l)).collect::<Vec<_>>().join(", ")
            })
            .unwrap_or_default(),
        when: m.span.map(|s| day_and_times(s, &a.tz)).unwrap_or_default(),
        table: table.map(|t| t.0.to_string()).unwrap_or_default(),
        room: table.map(|t| lang.pick(&t.1, &t.2).to_string()).unwrap_or_default(),
        message: m.message.clone(),
        reason: m.reason.clone(),
        by_staff: m.by_staff,
        can_answer: m.status == MeetingStatus::Requested && m.invitee_id == me.id,
        can_cancel: m.status.is_live() && m.span.is_none_or(|s| s.end > now),
        can_outcome: placed && m.span.is_some_and(|s| s.start <= now),
        outcomes: vec![],
        outcome_note: String::new(),
        attendance: m.attendance,
        late: m.late,
        interpreter_hint: other.is_some_and(|o| !shared_language(&langs(me), &langs(o))),
    }
}

#[derive(Deserialize, Default)]
pub struct MyQuery {
    #[serde(default)]
    pub notice: String,
    #[serde(default)]
    pub cursor: String,
}

async fn my_page(
    state: &AppState,
    ctx: PageCtx,
    token: &str,
    h: &Holder,
    notice: &str,
    alert: String,
    cursor: &str,
) -> AppResult<MyPage> {
    let lang = ctx.lang();
    let mut page = MyPage {
        base: base(token, &h.participant.id),
        event_title: ctx.pick(&h.event.title.zh, &h.event.title.en).to_string(),
        event_id: h.event.id.clone(),
        name: h
            .profile
            .as_ref()
            .map(|p| p.name.clone())
            .unwrap_or_else(|| h.participant.name.clone()),
        has_profile: h.profile.is_some(),
        notice: match notice {
            "profile" | "asked" | "accepted" | "declined" | "cancelled" | "outcome" => {
                format!("mm-notice-{notice}")
            }
            _ => String::new(),
        },
        alert,
        agenda: vec![],
        received: vec![],
        sent: vec![],
        waiting: vec![],
        past: vec![],
        more: None,
        sent_label: ctx.lang().t_args(
            "mm-sent-count",
            &[
                ("n", h.profile.as_ref().map(|p| p.sent).unwrap_or(0).to_string()),
                ("limit", h.setup.request_limit.to_string()),
            ],
        ),
        needs_acceptance: h.setup.needs_acceptance,
        ctx,
    };
    let Some(me) = &h.profile else { return Ok(page) };
    let q = crate::web::list::PageQuery { cursor: cursor.into(), limit: Some(200) };
    let after = q.after().unwrap_or((i64::MIN, String::new()));
    let rows = service::of_profile(state, me, &after, 200).await?;
    let (rows, more) = crate::web::list::split_page(rows, 200, |m| {
        crate::web::list::key_cursor(m.created_at, &m.id)
    });
    page.more = more;
    let a = around(state, &h.event.id, &h.event.center_id, &rows).await?;
    let now = state.clock.now().millis();
    let mut agenda: Vec<(i64, MeetingView)> = vec![];
    for m in &rows {
        let mut v = view(lang, &a, me, m, now);
        if v.can_outcome
            && let Some((_, o, note)) =
                service::outcomes(state, &m.id).await?.into_iter().find(|(p, _, _)| p == &me.id)
        {
            v.outcomes = o;
            v.outcome_note = note;
        }
        match (m.status, m.span) {
            (MeetingStatus::Accepted, Some(s)) => agenda.push((s.start, v)),
            (MeetingStatus::Accepted, None) => page.waiting.push(v),
            (MeetingStatus::Requested, _) if v.asked => page.sent.push(v),
            (MeetingStatus::Requested, _) => page.received.push(v),
            _ => page.past.push(v),
        }
    }
    agenda.sort_by_key(|(s, _)| *s);
    page.agenda = agenda.into_iter().map(|(_, v)| v).collect();
    Ok(page)
}

/// The participant's matchmaking page.
pub async fn me(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((token, pid)): Path<(String, String)>,
    Query(q): Query<MyQuery>,
) -> AppResult<Response> {
    let h = profiles::holder(&state, &token, &pid).await?;
    let page = my_page(&state, ctx, &token, &h, &q.notice, String::new(), &q.cursor).await?;
    Ok(render(&page)?.into_response())
}

/// Accept, decline, cancel or record an outcome; then the page again.
pub async fn act(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((token, pid, mid, action)): Path<(String, String, String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let h = profiles::holder(&state, &token, &pid).await?;
    let f = Pairs(pairs);
    let who = ctx.0.who();
    let result = match action.as_str() {
        "accept" => service::decide(&state, &who, &h, &mid, true, "").await.map(|_| "accepted"),
        "decline" => service::decide(&state, &who, &h, &mid, false, &f.get("reason"))
            .await
            .map(|_| "declined"),
        "cancel" => {
            let me = h.profile()?;
            service::cancel(&state, &who, Acting::Person(me), &h.event.id, &mid, &f.get("reason"))
                .await
                .map(|_| "cancelled")
        }
        "outcome" => {
            let list: Vec<Outcome> =
                f.all("outcome").iter().filter_map(|o| Outcome::parse(o)).collect();
            service::record_outcome(&state, &who, h.profile()?, &mid, &list, &f.get("note"))
                .await
                .map(|_| "outcome")
        }
        _ => return Err(crate::error::AppError::NotFound),
    };
    match result {
        Ok(notice) => {
            Ok(Redirect::to(&format!("{}?notice={notice}", base(&token, &pid))).into_response())
        }
        Err(e) => {
            let (status, errors, mut alert) = refusal(e, ctx.lang())?;
            if alert.is_empty() {
                alert =
                    errors.0.iter().map(|e| ctx.lang().message(e)).collect::<Vec<_>>().join(" ");
            }
            let h = profiles::holder(&state, &token, &pid).await?;
            let page = my_page(&state, ctx, &token, &h, "", alert, "").await?;
            again(status, &page)
        }
    }
}

/// The participant's agenda as iCalendar: one event per placed meeting
/// (UID stable, SEQUENCE moving on with every change; a cancelled meeting
/// stays, marked CANCELLED, so calendars drop it).
pub async fn agenda_ics(
    State(state): State<AppState>,
    Path((token, pid)): Path<(String, String)>,
) -> AppResult<Response> {
    use crate::ical::{fold, head, local, text, utc};
    let h = profiles::holder(&state, &token, &pid).await?;
    let me = h.profile()?;
    let q = crate::web::list::PageQuery::default();
    let rows: Vec<Meeting> = service::of_profile(&state, me, &q.after()?, 500)
        .await?
        .into_iter()
        .filter(|m| {
            m.span.is_some()
                && matches!(m.status, MeetingStatus::Accepted | MeetingStatus::Cancelled)
        })
        .collect();
    let a = around(&state, &h.event.id, &h.event.center_id, &rows).await?;
    let center = centers::get(&state, &h.event.center_id).await?;
    let now = state.clock.now();
    let title = format!("{} / {}", h.event.title.zh, h.event.title.en);
    let mut out = head("Matchmaking", &title, &center.timezone, &a.tz, now);
    for m in &rows {
        let Some(span) = m.span else { continue };
        let other = a.people.get(m.other(&me.id));
        let who = other
            .map(|o| {
                let org = Lang::En.pick_either(&o.organisation.zh, &o.organisation.en);
                if org.is_empty() { o.name.clone() } else { format!("{} · {org}", o.name) }
            })
            .unwrap_or_default();
        let table = m.table_id.as_ref().and_then(|t| a.tables.get(t));
        let location = table
            .map(|t| {
                let room = [t.1.as_str(), t.2.as_str()]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" / ");
                format!(
                    "桌 Table {}{}",
                    t.0,
                    if room.is_empty() { String::new() } else { format!(" · {room}") }
                )
            })
            .unwrap_or_default();
        let status = if m.status == MeetingStatus::Cancelled { "CANCELLED" } else { "CONFIRMED" };
        for line in [
            "BEGIN:VEVENT".to_string(),
            format!("UID:mm-{}@liaison", m.id),
            format!("SEQUENCE:{}", m.sequence),
            format!("DTSTAMP:{}", utc(now.millis())),
            format!("DTSTART;TZID={}:{}", center.timezone, local(span.start, &a.tz)),
            format!("DTEND;TZID={}:{}", center.timezone, local(span.end, &a.tz)),
            format!("SUMMARY:{}", text(&format!("会谈 Meeting · {who}"))),
            format!("LOCATION:{}", text(&location)),
            format!("DESCRIPTION:{}", text(&title)),
            format!("STATUS:{status}"),
            "END:VEVENT".to_string(),
        ] {
            out.push_str(&fold(&line));
        }
    }
    out.push_str(&fold("END:VCALENDAR"));
    let mut resp = crate::ical::ics(out);
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(resp)
}
