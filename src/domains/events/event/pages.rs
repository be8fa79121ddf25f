use super::service;
use crate::auth::Perm;
use crate::clock::Instant;
use crate::domains::centers::service as centers;
use crate::domains::events::event::service::CategoryInput;
use crate::domains::events::event::service::EventInput;
use crate::domains::events::event::store::Event;
use crate::domains::events::model::{EventKind, Question};
use crate::domains::events::views::{
    AttendancePanel, EditEventPage, EventFields, EventPage, EventsPage, Listed, ManagePage,
    NewEventPage, RegFields, When,
};
use crate::domains::events::{checkin, registration};
use crate::domains::venues;
use crate::error::{AppError, AppResult};
use crate::i18n::Bilingual;
use crate::state::AppState;
use crate::time::Span;
use crate::web::extract::{Form, Path, Query};
use crate::web::form::Pairs;
use crate::web::form::{FormErrors, again, refusal};
use crate::web::{PageCtx, render};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

pub(in crate::domains::events) async fn when(state: &AppState, e: &Event) -> AppResult<When> {
    let tz = centers::tz(state, &e.center_id).await?;
    let (d, s) = Instant(e.span.start).local_parts(&tz);
    let (d2, t) = Instant(e.span.end).local_parts(&tz);
    Ok(When { date: if d == d2 { d } else { format!("{d} – {d2}") }, time: format!("{s}–{t}") })
}

pub(in crate::domains::events) fn staff_of(ctx: &PageCtx, e: &Event) -> bool {
    service::runs_events_of(ctx.0.actor.user(), &e.center_id)
}

/// The caller (who must run events) and the event, if it is their center's;
/// another center's event is "not found".
pub(in crate::domains::events) async fn staff_event(
    ctx: &PageCtx,
    state: &AppState,
    id: &str,
) -> AppResult<(std::sync::Arc<crate::auth::CurrentUser>, Event)> {
    let (user, _) = ctx.0.require_center(Perm::ManageEvents)?;
    let event = service::get(state, id).await?;
    if !staff_of(ctx, &event) {
        return Err(AppError::NotFound);
    }
    Ok((user, event))
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    pub kind: String,
}

/// Upcoming events, by kind if asked: the public ones, or all for staff.
pub async fn index(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let staff =
        ctx.can(Perm::ManageEvents) && ctx.0.actor.user().is_some_and(|u| u.center_id.is_some());
    let center_id = match (staff, ctx.0.actor.user()) {
        (true, Some(u)) => u.center_id.clone().unwrap_or_default(),
        _ => centers::public_center(&state).await?.ok_or(AppError::NotFound)?.id,
    };
    let from = state.clock.now().millis();
    let mut events = vec![];
    for e in service::list(&state, &center_id, from, !staff).await? {
        if !q.kind.is_empty() && e.kind.code() != q.kind {
            continue;
        }
        events.push(Listed { when: when(&state, &e).await?, event: e });
    }
    let kind = EventKind::parse(&q.kind).map(|k| k.code().to_string()).unwrap_or_default();
    Ok(render(&EventsPage { ctx, events, kind, staff })?.into_response())
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    #[serde(default)]
    pub invitation: String,
    #[serde(default)]
    pub people: Option<usize>,
}

/// The registration form as shown again: what was typed, what was wrong.
#[derive(Default)]
pub(in crate::domains::events) struct Shown {
    pub(in crate::domains::events) f: RegFields,
    pub(in crate::domains::events) errors: FormErrors,
    pub(in crate::domains::events) alert: String,
    pub(in crate::domains::events) rows: usize,
}

pub(in crate::domains::events) async fn event_page(
    state: &AppState,
    ctx: PageCtx,
    id: &str,
    invitation: &str,
    shown: Shown,
) -> AppResult<EventPage> {
    let Shown { f, errors, alert, rows } = shown;
    let user = ctx.0.actor.user().cloned();
    let event = service::visible(state, user.as_ref(), id, invitation).await?;
    let tz = centers::tz(state, &event.center_id).await?;
    let rooms = venues::room::service::rooms(state, &event.center_id).await?;
    let sessions = service::sessions(state, &event.id)
        .await?
        .into_iter()
        .map(|s| {
            let room = s
                .room_id
                .as_ref()
                .and_then(|r| rooms.iter().find(|x| &x.id == r))
                .map(|r| ctx.pick(&r.name.zh, &r.name.en).to_string())
                .unwrap_or_default();
            let when = crate::time::day_and_times(s.span, &tz);
            (s, when, room)
        })
        .collect();
    let staff = staff_of(&ctx, &event);
    Ok(EventPage {
        when: when(state, &event).await?,
        categories: service::categories(state, &event.id).await?,
        countries: crate::reference::countries::options(ctx.lang()),
        rows: rows.clamp(1, event.max_group as usize),
        invitation: invitation.to_string(),
        event,
        sessions,
        f,
        errors,
        alert,
        staff,
        ctx,
    })
}

pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Query(q): Query<ShowQuery>,
) -> AppResult<Response> {
    let rows = q.people.unwrap_or(1);
    let pages = state.pages.clone();
    pages
        .public(ctx, &format!("event|{id}"), |ctx| async move {
            let shown = Shown { rows, ..Shown::default() };
            Ok(render(&event_page(&state, ctx, &id, &q.invitation, shown).await?)?.0)
        })
        .await
}

/// One event as iCalendar (public events, or with the invitation).
pub async fn event_ics(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Query(q): Query<ShowQuery>,
) -> AppResult<Response> {
    let user = ctx.0.actor.user().cloned();
    let e = service::visible(&state, user.as_ref(), &id, &q.invitation).await?;
    calendar(&state, &e.center_id, std::slice::from_ref(&e)).await
}

/// The public calendar feed: every public event of the center.
pub async fn feed(State(state): State<AppState>) -> AppResult<Response> {
    let center = centers::public_center(&state).await?.ok_or(AppError::NotFound)?;
    let from = state.clock.now().millis() - 90 * 86_400_000;
    let events = service::list(&state, &center.id, from, true).await?;
    calendar(&state, &center.id, &events).await
}

pub(in crate::domains::events) async fn calendar(
    state: &AppState,
    center_id: &str,
    events: &[Event],
) -> AppResult<Response> {
    use crate::ical::{fold, head, ics, local, text, utc};
    let center = centers::get(state, center_id).await?;
    let tz = crate::clock::time_zone(&center.timezone);
    let now = state.clock.now();
    let name = format!("{} / {}", center.name.zh, center.name.en);
    let mut out = head("Events", &name, &center.timezone, &tz, now);
    for e in events {
        let status = match e.status {
            crate::domains::events::model::EventStatus::Cancelled => "CANCELLED",
            crate::domains::events::model::EventStatus::Planned => "TENTATIVE",
            _ => "CONFIRMED",
        };
        for line in [
            "BEGIN:VEVENT".to_string(),
            format!("UID:{}@liaison", e.id),
            format!("DTSTAMP:{}", utc(now.millis())),
            format!("DTSTART;TZID={}:{}", center.timezone, local(e.span.start, &tz)),
            format!("DTEND;TZID={}:{}", center.timezone, local(e.span.end, &tz)),
            format!("SUMMARY:{}", text(&format!("{} / {}", e.title.zh, e.title.en))),
            format!("DESCRIPTION:{}", text(format!("{}\n{}", e.summary.zh, e.summary.en).trim())),
            format!("STATUS:{status}"),
            format!("URL:/events/{}", e.id),
            "END:VEVENT".to_string(),
        ] {
            out.push_str(&fold(&line));
        }
    }
    out.push_str(&fold("END:VCALENDAR"));
    Ok(ics(out))
}

pub async fn new(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageEvents)?;
    let tz = centers::tz(&state, &center_id).await?;
    let f = EventFields {
        date: state.clock.now().plus_secs(14 * 86_400).local_parts(&tz).0,
        start: "14:00".into(),
        end: "17:00".into(),
        capacity: "50".into(),
        waitlist: true,
        max_group: "10".into(),
        ..EventFields::default()
    };
    let page = NewEventPage {
        rooms: venues::room::service::rooms(&state, &center_id).await?,
        ctx,
        f,
        errors: FormErrors::default(),
        alert: String::new(),
    };
    Ok(render(&page)?.into_response())
}

/// Categories typed one per line: `code | 中文 | English | quota`.
pub(in crate::domains::events) fn parse_categories(text: &str) -> Vec<CategoryInput> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let p: Vec<&str> = l.split('|').map(str::trim).collect();
            CategoryInput {
                code: p.first().copied().unwrap_or("").to_lowercase(),
                name: Bilingual::new(
                    p.get(1).copied().unwrap_or(""),
                    p.get(2).copied().unwrap_or(""),
                ),
                quota: p.get(3).and_then(|q| q.parse().ok()),
            }
        })
        .collect()
}

/// Questions typed one per line: `id | kind | 中文 | English | required | a=甲/A; b=乙/B`.
pub(in crate::domains::events) fn parse_questions(text: &str) -> Vec<Question> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let p: Vec<&str> = l.split('|').map(str::trim).collect();
            let get = |i: usize| p.get(i).copied().unwrap_or("").to_string();
            Question {
                id: get(0),
                kind: get(1),
                label_zh: get(2),
                label_en: get(3),
                required: matches!(get(4).as_str(), "required" | "yes" | "必填"),
                choices: get(5)
                    .split(';')
                    .filter_map(|c| {
                        let (code, labels) = c.trim().split_once('=')?;
                        let (zh, en) = labels.split_once('/').unwrap_or((labels, labels));
                        Some(crate::domains::events::model::Choice {
                            code: code.trim().into(),
                            label_zh: zh.trim().into(),
                            label_en: en.trim().into(),
                        })
                    })
                    .collect(),
            }
        })
        .collect()
}

pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::ManageEvents)?;
    let f = Pairs(pairs);
    let fields = EventFields {
        kind: f.get("kind"),
        title_zh: f.get("title_zh"),
        title_en: f.get("title_en"),
        summary_zh: f.get("summary_zh"),
        summary_en: f.get("summary_en"),
        description_zh: f.get("description_zh"),
        description_en: f.get("description_en"),
        organizers: f.get("organizers"),
        visibility: f.get("visibility"),
        languages: f.joined("languages"),
        date: f.get("date"),
        start: f.get("start"),
        end: f.get("end"),
        capacity: f.get("capacity"),
        room_id: f.get("room_id"),
        waitlist: !f.get("waitlist").is_empty(),
        policy: f.get("waitlist_policy"),
        requires_approval: !f.get("requires_approval").is_empty(),
        max_group: f.get("max_group"),
        categories: f.get("categories"),
        questions: f.get("questions"),
    };
    let tz = centers::tz(&state, &center_id).await?;
    let start = Instant::parse_local(&fields.date, &fields.start, &tz);
    let end = Instant::parse_local(&fields.date, &fields.end, &tz);
    let input = EventInput {
        kind: fields.kind.clone(),
        title: Bilingual::new(fields.title_zh.clone(), fields.title_en.clone()),
        summary: Bilingual::new(fields.summary_zh.clone(), fields.summary_en.clone()),
        description: Bilingual::new(fields.description_zh.clone(), fields.description_en.clone()),
        organizers: fields.organizers.clone(),
        visibility: fields.visibility.clone(),
        languages: fields.languages.clone(),
        span: start.zip(end).map(|(s, e)| Span { start: s.millis(), end: e.millis() }),
        capacity: fields.capacity.parse().unwrap_or(0),
        waitlist: fields.waitlist,
        policy: fields.policy.clone(),
        waitlist_hours: 0,
        requires_approval: fields.requires_approval,
        max_group: fields.max_group.parse().unwrap_or(0),
        room_id: fields.room_id.clone(),
        sessions: vec![],
        categories: parse_categories(&fields.categories),
        form: parse_questions(&fields.questions),
        retention_until: String::new(),
    };
    match service::create(&state, &ctx.0.who(), &user, input).await {
        Ok(e) => Ok(Redirect::to(&format!("/events/{}/manage", e.id)).into_response()),
        Err(e) => {
            let (status, errors, alert) = refusal(e, ctx.lang())?;
            let rooms = venues::room::service::rooms(&state, &center_id).await?;
            let page = NewEventPage { rooms, ctx, f: fields, errors, alert };
            again(status, &page)
        }
    }
}

pub(in crate::domains::events) async fn manage_page(
    state: &AppState,
    ctx: PageCtx,
    id: &str,
    notice: String,
    alert: String,
    cursor: &str,
) -> AppResult<ManagePage> {
    let (user, event) = staff_event(&ctx, state, id).await?;
    // The registrations a page at a time, in the order they came.
    let page =
        crate::web::list::PageQuery { cursor: cursor.into(), limit: Some(REGISTRATIONS_PER_PAGE) };
    let mut registrations = registration::service::registrations_page(
        state,
        &user,
        &event.id,
        &page.after()?,
        REGISTRATIONS_PER_PAGE + 1,
    )
    .await?;
    let next_page = if registrations.len() > REGISTRATIONS_PER_PAGE as usize {
        registrations.truncate(REGISTRATIONS_PER_PAGE as usize);
        registrations
            .last()
            .map(|r| {
                let c = crate::web::list::key_cursor(r.registration.created_at, &r.registration.id);
                format!("/events/{}/manage?cursor={c}#registrations", event.id)
            })
            .unwrap_or_default()
    } else {
        String::new()
    };
    let categories = service::categories(state, &event.id).await?;
    let attendance = checkin::service::attendance(state, &user, &event.id).await?;
    let panel = render(&AttendancePanel::new(ctx.clone(), &event.id, attendance, &categories))?.0;
    Ok(ManagePage {
        when: when(state, &event).await?,
        categories,
        registrations,
        next_page,
        paged: !cursor.is_empty(),
        panel,
        invitation_made: match service::invitation_made(state, &event.id).await? {
            Some(at) => at.local_parts(&centers::tz(state, &event.center_id).await?).0,
            None => String::new(),
        },
        event,
        ctx,
        notice,
        alert,
    })
}

/// The attendance panel alone, for the staff page's live refresh.
pub async fn attendance(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (user, event) = staff_event(&ctx, &state, &id).await?;
    let categories = service::categories(&state, &event.id).await?;
    let a = checkin::service::attendance(&state, &user, &event.id).await?;
    Ok(render(&AttendancePanel::new(ctx, &event.id, a, &categories))?.into_response())
}

pub async fn manage(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> AppResult<Response> {
    let notice = if q.notice == "saved" { "event-notice-saved".to_string() } else { String::new() };
    let page = manage_page(&state, ctx, &id, notice, String::new(), &q.cursor).await?;
    Ok(render(&page)?.into_response())
}

pub(in crate::domains::events) async fn after_manage(
    state: &AppState,
    ctx: PageCtx,
    id: &str,
    result: AppResult<()>,
) -> AppResult<Response> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/events/{id}/manage?notice=saved")).into_response()),
        Err(AppError::Invalid(errs)) => {
            let alert = errs.iter().map(|e| ctx.lang().message(e)).collect::<Vec<_>>().join(" ");
            let page = manage_page(state, ctx, id, String::new(), alert, "").await?;
            crate::web::form::again(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(AppError::Conflict { key, .. }) => {
            let alert = ctx.lang().t(key);
            let page = manage_page(state, ctx, id, String::new(), alert, "").await?;
            crate::web::form::again(StatusCode::CONFLICT, &page)
        }
        Err(e) => Err(e),
    }
}

pub async fn edit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (_, event) = staff_event(&ctx, &state, &id).await?;
    let f = EventFields::of(&event);
    let page = EditEventPage { ctx, event, f, errors: FormErrors::default(), alert: String::new() };
    Ok(render(&page)?.into_response())
}

pub async fn edit_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, event) = staff_event(&ctx, &state, &id).await?;
    let p = Pairs(pairs);
    let f = EventFields {
        title_zh: p.get("title_zh"),
        title_en: p.get("title_en"),
        summary_zh: p.get("summary_zh"),
        summary_en: p.get("summary_en"),
        description_zh: p.get("description_zh"),
        description_en: p.get("description_en"),
        organizers: p.get("organizers"),
        visibility: p.get("visibility"),
        languages: p.joined("languages"),
        waitlist: p.get("waitlist") == "1",
        policy: p.get("waitlist_policy"),
        requires_approval: p.get("requires_approval") == "1",
        max_group: p.get("max_group"),
        ..EventFields::of(&event)
    };
    let max_group = f.max_group.trim().parse::<i64>().unwrap_or(0);
    let edit = service::EventEdit {
        title_zh: Some(f.title_zh.clone()),
        title_en: Some(f.title_en.clone()),
        summary_zh: Some(f.summary_zh.clone()),
        summary_en: Some(f.summary_en.clone()),
        description_zh: Some(f.description_zh.clone()),
        description_en: Some(f.description_en.clone()),
        organizers: Some(f.organizers.clone()),
        visibility: Some(f.visibility.clone()),
        languages: Some(f.languages.clone()),
        waitlist: Some(f.waitlist),
        waitlist_policy: Some(f.policy.clone()),
        waitlist_hours: None,
        requires_approval: Some(f.requires_approval),
        max_group: Some(max_group),
    };
    let (status, errors, alert) = match service::update(&state, &ctx.0.who(), &user, &id, edit)
        .await
    {
        Ok(_) => {
            return Ok(Redirect::to(&format!("/events/{id}/manage?notice=saved")).into_response());
        }
        Err(e) => refusal(e, ctx.lang())?,
    };
    let page = EditEventPage { ctx, event, f, errors, alert };
    again(status, &page)
}

pub async fn transition(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::ManageEvents)?;
    let f = Pairs(pairs);
    let r = service::transition(&state, &ctx.0.who(), &user, &id, &f.get("to"), &f.get("reason"))
        .await
        .map(|_| ());
    after_manage(&state, ctx, &id, r).await
}

pub async fn capacity(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::ManageEvents)?;
    let capacity = Pairs(pairs).get("capacity").parse().unwrap_or(0);
    let r = service::set_capacity(&state, &ctx.0.who(), &user, &id, capacity).await.map(|_| ());
    after_manage(&state, ctx, &id, r).await
}

/// A new invitation link, shown once.
pub async fn invitation(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::ManageEvents)?;
    let code = service::renew_invitation(&state, &ctx.0.who(), &user, &id).await?;
    let e = service::get(&state, &id).await?;
    crate::web::link::NewLinkPage {
        title: format!(
            "{} · {}",
            ctx.pick(&e.title.zh, &e.title.en),
            ctx.t("event-invitation-link")
        ),
        path: format!("/events/{id}?invitation={code}"),
        back: format!("/events/{id}/manage"),
        ctx,
    }
    .answer()
}

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    #[serde(default)]
    pub notice: String,
    /// Where the staff page's list of registrations continues.
    #[serde(default)]
    pub cursor: String,
}

/// Registrations shown per page on the staff event page.
const REGISTRATIONS_PER_PAGE: i64 = 100;
