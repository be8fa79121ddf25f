//! The staff's pages of an event's meetings: the list with bookings for VIP
//! delegations and cancellations, the table cards for the room, and the
//! day's sheet where attendance is recorded from a phone.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::pages::{Around, around};
use super::service::{self, Acting, Meeting};
use crate::auth::CurrentUser;
use crate::domains::matchmaking::model::{Attendance, MeetingStatus, shared_language};
use crate::domains::matchmaking::profile::service as profiles;
use crate::domains::matchmaking::setup::service as setup;
use crate::domains::matchmaking::views::{
    DayPage, DaySlot, MeetingsPage, StaffMeetingView, TableCard, TablesPage,
};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::reference::languages;
use crate::state::AppState;
use crate::time::{day_and_times, time_range};
use crate::web::PageCtx;
use crate::web::extract::{Form, Path, Query};
use crate::web::form::{FormErrors, Pairs, again, refusal};
use crate::web::list::{PageQuery, key_cursor, split_page};
use crate::web::page::render;

fn staff(ctx: &PageCtx) -> AppResult<CurrentUser> {
    ctx.0.actor.user().cloned().ok_or(AppError::Unauthorized)
}

fn who(a: &Around, id: &str, lang: Lang) -> String {
    a.people
        .get(id)
        .map(|p| {
            let org = lang.pick_either(&p.organisation.zh, &p.organisation.en);
            if org.is_empty() { p.name.clone() } else { format!("{} · {org}", p.name) }
        })
        .unwrap_or_default()
}

fn staff_view(lang: Lang, a: &Around, m: &Meeting, now: i64) -> StaffMeetingView {
    let langs = |id: &str| -> std::collections::BTreeSet<String> {
        a.people
            .get(id)
            .map(|p| {
                p.languages.iter().map(|l| languages::primary_language(l).to_string()).collect()
            })
            .unwrap_or_default()
    };
    let (ra, ia) = (langs(&m.requester_id), langs(&m.invitee_id));
    let foreign = [&m.requester_id, &m.invitee_id]
        .iter()
        .filter_map(|id| a.people.get(*id))
        .flat_map(|p| p.languages.iter())
        .find(|l| languages::primary_language(l) != "zh")
        .cloned()
        .unwrap_or_default();
    StaffMeetingView {
        needs_interpreter: !ra.is_empty() && !ia.is_empty() && !shared_language(&ra, &ia),
        interpreter: String::new(),
        foreign_language: foreign,
        id: m.id.clone(),
        status: m.status.code().into(),
        status_label: lang.t(&m.status.label_key()),
        requester: who(a, &m.requester_id, lang),
        invitee: who(a, &m.invitee_id, lang),
        when: m.span.map(|s| day_and_times(s, &a.tz)).unwrap_or_default(),
        table: m
            .table_id
            .as_ref()
            .and_then(|t| a.tables.get(t))
            .map(|t| t.0.to_string())
            .unwrap_or_default(),
        by_staff: m.by_staff,
        attendance: m.attendance,
        late: m.late,
        can_cancel: m.status.is_live() && m.span.is_none_or(|s| s.end > now),
        placed: m.status == MeetingStatus::Accepted && m.span.is_some(),
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub cursor: String,
    #[serde(default)]
    pub notice: String,
}

async fn meetings_page(
    state: &AppState,
    ctx: PageCtx,
    user: &CurrentUser,
    event_id: &str,
    q: &ListQuery,
    errors: FormErrors,
    alert: String,
) -> AppResult<MeetingsPage> {
    let event = setup::staff_event(state, user, event_id).await?;
    let the_setup = setup::require(state, event_id).await?;
    let lang = ctx.lang();
    let statuses = match MeetingStatus::parse(&q.status) {
        Some(s) => vec![s],
        None => vec![MeetingStatus::Requested, MeetingStatus::Accepted],
    };
    let page = PageQuery { cursor: q.cursor.clone(), limit: Some(100) };
    let rows = service::of_event(state, user, event_id, &statuses, &page.after()?, 100).await?;
    let (rows, next) = split_page(rows, 100, |m| key_cursor(m.created_at, &m.id));
    let a = around(state, event_id, &event.center_id, &rows).await?;
    let now = state.clock.now().millis();
    let ids: Vec<String> = rows.iter().map(|m| m.id.clone()).collect();
    let offered = service::interpreters_of(state, &ids).await?;
    let mut meetings: Vec<StaffMeetingView> =
        rows.iter().map(|m| staff_view(lang, &a, m, now)).collect();
    for v in &mut meetings {
        if let Some(x) = offered.iter().find(|x| x.item_id == v.id && x.status.is_live()) {
            v.interpreter = format!("{} · {}", x.interpreter_name, lang.t(&x.status.label_key()));
        }
    }
    let interpreters = crate::domains::interpreting::service::list(state, &event.center_id)
        .await?
        .into_iter()
        .filter(|i| i.active)
        .map(|i| (i.id, i.name))
        .collect();
    let people = profiles::all_of(state, event_id)
        .await?
        .iter()
        .map(|p| {
            let org = lang.pick_either(&p.organisation.zh, &p.organisation.en);
            (
                p.id.clone(),
                if org.is_empty() { p.name.clone() } else { format!("{} · {org}", p.name) },
            )
        })
        .collect();
    Ok(MeetingsPage {
        event_id: event.id.clone(),
        event_title: ctx.pick(&event.title.zh, &event.title.en).to_string(),
        status: q.status.clone(),
        slots: setup::slots(&the_setup)
            .iter()
            .filter(|s| s.start > now)
            .map(|s| (s.start, day_and_times(*s, &a.tz)))
            .collect(),
        meetings,
        interpreters,
        next,
        people,
        notice: match q.notice.as_str() {
            "booked" | "cancelled" | "interpreter" | "moved" => {
                ctx.t(format!("mm-notice-{}", q.notice))
            }
            _ => String::new(),
        },
        alert,
        errors,
        statuses: MeetingStatus::ALL
            .iter()
            .map(|s| (s.code().to_string(), lang.t(&s.label_key())))
            .collect(),
        ctx,
    })
}

/// An event's meetings, with the form that books one directly.
pub async fn index(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let user = staff(&ctx)?;
    let page =
        meetings_page(&state, ctx, &user, &id, &q, FormErrors::default(), String::new()).await?;
    Ok(render(&page)?.into_response())
}

/// Staff book a meeting between two participants.
pub async fn book(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let user = staff(&ctx)?;
    let f = Pairs(pairs);
    let r = service::book(
        &state,
        &ctx.0.who(),
        &user,
        &id,
        &f.get("requester_id"),
        &f.get("invitee_id"),
        &f.get("message"),
    )
    .await;
    match r {
        Ok(_) => Ok(Redirect::to(&format!("/events/{id}/matchmaking/meetings?notice=booked"))
            .into_response()),
        Err(e) => {
            let (status, errors, alert) = refusal(e, ctx.lang())?;
            let page = meetings_page(&state, ctx, &user, &id, &ListQuery::default(), errors, alert)
                .await?;
            again(status, &page)
        }
    }
}

/// Staff cancel a meeting, or record its attendance (from the day sheet).
pub async fn act(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((id, mid, action)): Path<(String, String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let user = staff(&ctx)?;
    let f = Pairs(pairs);
    let who = ctx.0.who();
    let (result, back) = match action.as_str() {
        "cancel" => (
            service::cancel(&state, &who, Acting::Staff(&user), &id, &mid, &f.get("reason"))
                .await
                .map(|_| ()),
            format!("/events/{id}/matchmaking/meetings?notice=cancelled"),
        ),
        "move" => (
            match f.get("starts_at").parse::<i64>() {
                Ok(at) => service::move_to(&state, &who, &user, &id, &mid, at).await.map(|_| ()),
                Err(_) => Err(AppError::invalid("starts_at", "field-invalid-choice")),
            },
            format!("/events/{id}/matchmaking/meetings?notice=moved"),
        ),
        "interpreter" => (
            service::attach_interpreter(
                &state,
                &who,
                &user,
                &id,
                &mid,
                &f.get("interpreter_id"),
                &f.get("language"),
            )
            .await
            .map(|_| ()),
            format!("/events/{id}/matchmaking/meetings?notice=interpreter"),
        ),
        "attendance" => {
            let a = Attendance::parse(&f.get("attendance"))
                .ok_or_else(|| AppError::invalid("attendance", "field-invalid-choice"));
            let r = match a {
                Ok(a) => service::attend(&state, &who, &user, &id, &mid, a, f.get("late") == "1")
                    .await
                    .map(|_| ()),
                Err(e) => Err(e),
            };
            (r, format!("/events/{id}/matchmaking/day?notice=recorded#m-{mid}"))
        }
        _ => return Err(AppError::NotFound),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&back).into_response()),
        Err(e) => {
            let (status, errors, mut alert) = refusal(e, ctx.lang())?;
            if alert.is_empty() {
                alert =
                    errors.0.iter().map(|e| ctx.lang().message(e)).collect::<Vec<_>>().join(" ");
            }
            let page = meetings_page(&state, ctx, &user, &id, &ListQuery::default(), errors, alert)
                .await?;
            again(status, &page)
        }
    }
}

/// The table cards: one per table, its meetings in time order, in both
/// languages, to print and stand on the table.
pub async fn tables(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let user = staff(&ctx)?;
    let event = setup::staff_event(&state, &user, &id).await?;
    let placed = service::placed(&state, &user, &id).await?;
    let a = around(&state, &id, &event.center_id, &placed).await?;
    let mut cards: Vec<TableCard> = setup::tables(&state, &id)
        .await?
        .iter()
        .map(|t| {
            let (_, zh, en) = a.tables.get(&t.id).cloned().unwrap_or_default();
            let room =
                [zh, en].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" / ");
            TableCard { number: t.number, room, rows: vec![] }
        })
        .collect();
    for m in &placed {
        let Some((number, _, _)) = m.table_id.as_ref().and_then(|t| a.tables.get(t)) else {
            continue;
        };
        let Some(card) = cards.iter_mut().find(|c| c.number == *number) else { continue };
        let Some(span) = m.span else { continue };
        let pair = |lang: Lang| {
            format!("{} ⇄ {}", who(&a, &m.requester_id, lang), who(&a, &m.invitee_id, lang))
        };
        card.rows.push((time_range(span, &a.tz), pair(Lang::Zh), pair(Lang::En)));
    }
    let page = TablesPage {
        event_id: id,
        title_zh: event.title.zh.clone(),
        title_en: event.title.en.clone(),
        cards,
        ctx,
    };
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize, Default)]
pub struct DayQuery {
    #[serde(default)]
    pub notice: String,
}

/// The day's sheet: placed meetings by slot, the current one first open,
/// with attendance buttons for a phone.
pub async fn day(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Query(q): Query<DayQuery>,
) -> AppResult<Response> {
    let user = staff(&ctx)?;
    let event = setup::staff_event(&state, &user, &id).await?;
    let placed = service::placed(&state, &user, &id).await?;
    let a = around(&state, &id, &event.center_id, &placed).await?;
    let now = state.clock.now().millis();
    let lang = ctx.lang();
    let mut slots: Vec<DaySlot> = vec![];
    for m in &placed {
        let Some(span) = m.span else { continue };
        let time = day_and_times(span, &a.tz);
        if slots.last().is_none_or(|s| s.time != time) {
            slots.push(DaySlot {
                time: time.clone(),
                now: span.start <= now && now < span.end,
                meetings: vec![],
            });
        }
        if let Some(s) = slots.last_mut() {
            s.meetings.push(staff_view(lang, &a, m, now));
        }
    }
    let page = DayPage {
        event_id: id,
        event_title: ctx.pick(&event.title.zh, &event.title.en).to_string(),
        slots,
        notice: if q.notice == "recorded" { ctx.t("mm-notice-recorded") } else { String::new() },
        alert: String::new(),
        ctx,
    };
    Ok(render(&page)?.into_response())
}
