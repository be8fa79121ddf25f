//! HTML for events: the public list and event page (registration without
//! an account), the holder's ticket page with QR codes (SVG, PNG) and
//! cancellation, iCalendar, and for staff the new-event form, the event's
//! page (lifecycle, capacity, registrations, attendance) and check-in.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::model::{EventKind, Question, RegStatus, display_code, normalize_code};
use super::service::{
    self, CategoryInput, CheckinResult, EventInput, ParticipantInput, RegistrationInput,
};
use super::store::Event;
use super::views::{
    AttendancePanel, CheckinPage, EditEventPage, EventFields, EventPage, EventsPage, Listed,
    ManagePage, NewEventPage, RegFields, TicketPage, TicketView, When,
};
use crate::auth::Perm;
use crate::clock::Instant;
use crate::domains::centers::service as centers;
use crate::domains::venues::service as venues;
use crate::error::{AppError, AppResult};
use crate::i18n::Bilingual;
use crate::state::AppState;
use crate::time::Span;
use crate::web::extract::{Form, Path, Query};
use crate::web::form::FormErrors;
use crate::web::form::Pairs;
use crate::web::{PageCtx, render};

async fn when(state: &AppState, e: &Event) -> AppResult<When> {
    let tz = centers::tz(state, &e.center_id).await?;
    let (d, s) = Instant(e.span.start).local_parts(&tz);
    let (d2, t) = Instant(e.span.end).local_parts(&tz);
    Ok(When { date: if d == d2 { d } else { format!("{d} – {d2}") }, time: format!("{s}–{t}") })
}

fn staff_of(ctx: &PageCtx, e: &Event) -> bool {
    service::runs_events_of(ctx.0.actor.user(), &e.center_id)
}

/// The caller (who must run events) and the event, if it is their center's;
/// another center's event is "not found".
async fn staff_event(
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
struct Shown {
    f: RegFields,
    errors: FormErrors,
    alert: String,
    rows: usize,
}

async fn event_page(
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
    let rooms = venues::rooms(state, &event.center_id).await?;
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

fn reg_fields(f: &Pairs, form: &[Question]) -> RegFields {
    RegFields {
        names: f.raw("name"),
        emails: f.raw("email"),
        categories: f.raw("category"),
        countries: f.raw("country"),
        answers: form.iter().map(|q| (q.id.clone(), f.all(&format!("answer_{}", q.id)))).collect(),
        consent: !f.get("consent").is_empty(),
    }
}

/// Registers from the event page; then the holder's page with the tickets.
pub async fn register(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let f = Pairs(pairs);
    let invitation = f.get("invitation");
    let user = ctx.0.actor.user().cloned();
    let event = service::visible(&state, user.as_ref(), &id, &invitation).await?;
    let fields = reg_fields(&f, &event.form);
    let participants: Vec<ParticipantInput> = (0..fields.names.len())
        .map(|i| ParticipantInput {
            name: fields.value(&fields.names, &i),
            email: fields.value(&fields.emails, &i),
            category: fields.value(&fields.categories, &i),
            country: fields.value(&fields.countries, &i),
        })
        .enumerate()
        .filter(|(i, p)| {
            *i == 0 || !p.name.is_empty() || !p.email.is_empty() || f.get("keep_unnamed") == "1"
        })
        .map(|(_, p)| p)
        .collect();
    let mut answers = serde_json::Map::new();
    for q in &event.form {
        let values = f.all(&format!("answer_{}", q.id));
        let v = if q.kind == "multiple" {
            serde_json::Value::Array(values.into_iter().map(serde_json::Value::String).collect())
        } else {
            values
                .into_iter()
                .next()
                .map(serde_json::Value::String)
                .unwrap_or(serde_json::Value::Null)
        };
        answers.insert(q.id.clone(), v);
    }
    let input = RegistrationInput {
        participants,
        answers,
        consent: fields.consent,
        invitation: invitation.clone(),
        lang: ctx.lang(),
    };
    let rows = fields.names.len().max(1);
    match service::register(&state, &ctx.0.who(), user.as_ref(), &id, input).await {
        Ok(r) => {
            Ok(Redirect::to(&format!("/tickets/{}?notice=registered", r.registration.manage_token))
                .into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let shown = Shown { f: fields, errors: FormErrors(errors), alert: String::new(), rows };
            let page = event_page(&state, ctx, &id, &invitation, shown).await?;
            crate::web::form::again(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(AppError::Conflict { key, .. }) => {
            let alert = ctx.lang().t(key);
            let shown = Shown { f: fields, errors: FormErrors::default(), alert, rows };
            let page = event_page(&state, ctx, &id, &invitation, shown).await?;
            crate::web::form::again(StatusCode::CONFLICT, &page)
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    #[serde(default)]
    pub notice: String,
}

/// The holder's page: status, tickets with QR codes, cancel.
pub async fn ticket(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> AppResult<Response> {
    let registration = service::registration_by_token(&state, &token).await?;
    let event = service::get(&state, &registration.registration.event_id).await?;
    let cats = service::categories(&state, &event.id).await?;
    let confirmed = registration.registration.status == RegStatus::Confirmed;
    let tickets = registration
        .participants
        .iter()
        .filter(|_| confirmed)
        .filter_map(|p| {
            p.ticket_code.as_ref().map(|code| TicketView {
                category: cats
                    .iter()
                    .find(|c| c.id == p.category_id)
                    .map(|c| ctx.pick(&c.name.zh, &c.name.en).to_string())
                    .unwrap_or_default(),
                code_display: display_code(code),
                svg: crate::qr::svg(code, 220),
                participant: p.clone(),
            })
        })
        .collect();
    let notice = match q.notice.as_str() {
        "registered" => "ticket-notice-registered",
        "cancelled" => "ticket-notice-cancelled",
        "named" => "ticket-notice-named",
        _ => "",
    }
    .to_string();
    let page = TicketPage {
        when: when(&state, &event).await?,
        event,
        registration,
        tickets,
        token,
        notice,
        ctx,
    };
    Ok(render(&page)?.into_response())
}

/// A ticket's QR code as SVG or PNG (`{code}.svg`, `{code}.png`), for its holder.
pub async fn ticket_qr(
    State(state): State<AppState>,
    Path((token, file)): Path<(String, String)>,
) -> AppResult<Response> {
    let registration = service::registration_by_token(&state, &token).await?;
    let (code, ext) = file.rsplit_once('.').ok_or(AppError::NotFound)?;
    let code = normalize_code(code);
    let held = registration.registration.status == RegStatus::Confirmed
        && registration
            .participants
            .iter()
            .any(|p| p.ticket_code.as_deref() == Some(code.as_str()));
    if !held {
        return Err(AppError::NotFound);
    }
    let (body, content_type) = match ext {
        "svg" => (crate::qr::svg(&code, 600).into_bytes(), "image/svg+xml"),
        "png" => (crate::qr::png(&code, 12).ok_or(AppError::NotFound)?, "image/png"),
        _ => return Err(AppError::NotFound),
    };
    let mut r = (StatusCode::OK, body).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"ticket-{code}.{ext}\"")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(r)
}

pub async fn ticket_cancel(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let r = service::registration_by_token(&state, &token).await?;
    service::decide(&state, &ctx.0.who(), &r.registration.id, RegStatus::Cancelled, "").await?;
    Ok(Redirect::to(&format!("/tickets/{token}?notice=cancelled")).into_response())
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

async fn calendar(state: &AppState, center_id: &str, events: &[Event]) -> AppResult<Response> {
    use crate::ical::{fold, head, ics, local, text, utc};
    let center = centers::get(state, center_id).await?;
    let tz = crate::clock::time_zone(&center.timezone);
    let now = state.clock.now();
    let name = format!("{} / {}", center.name.zh, center.name.en);
    let mut out = head("Events", &name, &center.timezone, &tz, now);
    for e in events {
        let status = match e.status {
            super::model::EventStatus::Cancelled => "CANCELLED",
            super::model::EventStatus::Planned => "TENTATIVE",
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

// ---------------------------------------------------------------- staff

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
        rooms: venues::rooms(&state, &center_id).await?,
        ctx,
        f,
        errors: FormErrors::default(),
        alert: String::new(),
    };
    Ok(render(&page)?.into_response())
}

/// Categories typed one per line: `code | 中文 | English | quota`.
fn parse_categories(text: &str) -> Vec<CategoryInput> {
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
fn parse_questions(text: &str) -> Vec<Question> {
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
                        Some(super::model::Choice {
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
        languages: f.get("languages"),
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
        Err(e @ (AppError::Invalid(_) | AppError::Conflict { .. })) => {
            let (status, errors, alert) = match e {
                AppError::Invalid(errs) => (StatusCode::UNPROCESSABLE_ENTITY, errs, String::new()),
                AppError::Conflict { key, .. } => (StatusCode::CONFLICT, vec![], ctx.lang().t(key)),
                _ => unreachable!("matched above"),
            };
            let page = NewEventPage {
                rooms: venues::rooms(&state, &center_id).await?,
                ctx,
                f: fields,
                errors: FormErrors(errors),
                alert,
            };
            Ok((status, render(&page)?).into_response())
        }
        Err(e) => Err(e),
    }
}

async fn manage_page(
    state: &AppState,
    ctx: PageCtx,
    id: &str,
    notice: String,
    alert: String,
) -> AppResult<ManagePage> {
    let (user, event) = staff_event(&ctx, state, id).await?;
    let categories = service::categories(state, &event.id).await?;
    let attendance = service::attendance(state, &user, &event.id).await?;
    let panel = render(&AttendancePanel::new(ctx.clone(), &event.id, attendance, &categories))?.0;
    Ok(ManagePage {
        when: when(state, &event).await?,
        categories,
        registrations: service::registrations(state, &user, &event.id).await?,
        panel,
        invitation_url: format!("/events/{}?invitation={}", event.id, event.invitation_code),
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
    let a = service::attendance(&state, &user, &event.id).await?;
    Ok(render(&AttendancePanel::new(ctx, &event.id, a, &categories))?.into_response())
}

pub async fn manage(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> AppResult<Response> {
    let notice = if q.notice == "saved" { "event-notice-saved".to_string() } else { String::new() };
    Ok(render(&manage_page(&state, ctx, &id, notice, String::new()).await?)?.into_response())
}

async fn after_manage(
    state: &AppState,
    ctx: PageCtx,
    id: &str,
    result: AppResult<()>,
) -> AppResult<Response> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/events/{id}/manage?notice=saved")).into_response()),
        Err(AppError::Invalid(errs)) => {
            let alert = errs.iter().map(|e| ctx.lang().t(&e.key)).collect::<Vec<_>>().join(" ");
            let page = manage_page(state, ctx, id, String::new(), alert).await?;
            crate::web::form::again(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(AppError::Conflict { key, .. }) => {
            let alert = ctx.lang().t(key);
            let page = manage_page(state, ctx, id, String::new(), alert).await?;
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
        languages: p.get("languages"),
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
        Err(AppError::Invalid(errs)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, FormErrors(errs), String::new())
        }
        Err(AppError::Conflict { key, .. }) => {
            (StatusCode::CONFLICT, FormErrors::default(), ctx.lang().t(key))
        }
        Err(e) => return Err(e),
    };
    let page = EditEventPage { ctx, event, f, errors, alert };
    Ok((status, render(&page)?).into_response())
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

pub async fn registration_action(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((id, action)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::ManageEvents)?;
    let r = service::registration_for(&state, Some(&user), &id, "").await?;
    let to = match action.as_str() {
        "approve" => RegStatus::Confirmed,
        "reject" => RegStatus::Rejected,
        "cancel" => RegStatus::Cancelled,
        _ => return Err(AppError::NotFound),
    };
    let event_id = r.registration.event_id.clone();
    let result = service::decide(&state, &ctx.0.who(), &id, to, &Pairs(pairs).get("reason"))
        .await
        .map(|_| ());
    after_manage(&state, ctx, &event_id, result).await
}

// ---------------------------------------------------------------- check-in

#[derive(Deserialize, Default)]
pub struct CheckinQuery {
    #[serde(default)]
    pub q: String,
}

async fn checkin_page(
    state: &AppState,
    ctx: PageCtx,
    id: &str,
    query: &str,
) -> AppResult<CheckinPage> {
    let (user, event) = staff_event(&ctx, state, id).await?;
    let mut found = vec![];
    let q = query.trim().to_lowercase();
    // One Chinese character is a surname; Latin names need two letters.
    if q.chars().count() >= if q.is_ascii() { 2 } else { 1 } {
        for r in service::registrations(state, &user, &event.id).await? {
            if r.registration.status != RegStatus::Confirmed {
                continue;
            }
            for p in r.participants {
                if p.name.to_lowercase().contains(&q) || p.email.contains(&q) {
                    let code = p.ticket_code.clone().unwrap_or_default();
                    found.push((p, code));
                }
            }
        }
        found.truncate(20);
    }
    Ok(CheckinPage {
        attendance: service::attendance(state, &user, &event.id).await?,
        event,
        ctx,
        result: String::new(),
        name: String::new(),
        category: String::new(),
        detail: String::new(),
        code: String::new(),
        query: query.to_string(),
        found,
    })
}

pub async fn checkin(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Query(q): Query<CheckinQuery>,
) -> AppResult<Response> {
    Ok(render(&checkin_page(&state, ctx, &id, &q.q).await?)?.into_response())
}

/// The check-in form without JavaScript: the result in large type.
pub async fn checkin_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::ManageEvents)?;
    let f = Pairs(pairs);
    let code = f.get("code");
    let lang = ctx.lang();
    let tz = {
        let e = service::get(&state, &id).await?;
        centers::tz(&state, &e.center_id).await?
    };
    let (result, name, category, detail, status) = if f.get("undo") == "1" {
        match service::undo_check_in(&state, &ctx.0.who(), &user, &code, "web").await {
            Ok(p) => ("undone", p.name, String::new(), String::new(), StatusCode::OK),
            Err(AppError::Conflict { key, .. }) => {
                ("invalid", String::new(), String::new(), lang.t(key), StatusCode::CONFLICT)
            }
            Err(AppError::NotFound) => {
                ("unknown", String::new(), String::new(), String::new(), StatusCode::NOT_FOUND)
            }
            Err(e) => return Err(e),
        }
    } else {
        match service::check_in(&state, &user, &code, &f.get("device"), None).await {
            Ok(CheckinResult::Ok { participant, category, .. }) if participant.event_id == id => (
                "ok",
                participant.name,
                lang.pick(&category.zh, &category.en).to_string(),
                String::new(),
                StatusCode::OK,
            ),
            Ok(CheckinResult::Already { participant, category, at, device })
                if participant.event_id == id =>
            {
                let detail = lang.t_args(
                    "checkin-already-detail",
                    &[("at", Instant(at).display_in(&tz)), ("device", device)],
                );
                (
                    "already",
                    participant.name,
                    lang.pick(&category.zh, &category.en).to_string(),
                    detail,
                    StatusCode::CONFLICT,
                )
            }
            Ok(CheckinResult::NotValid { participant, status }) if participant.event_id == id => (
                "invalid",
                participant.name,
                String::new(),
                lang.t(&status.label_key()),
                StatusCode::CONFLICT,
            ),
            Ok(_) => {
                ("other-event", String::new(), String::new(), String::new(), StatusCode::CONFLICT)
            }
            Err(AppError::NotFound) => {
                ("unknown", String::new(), String::new(), String::new(), StatusCode::NOT_FOUND)
            }
            Err(e) => return Err(e),
        }
    };
    let mut page = checkin_page(&state, ctx, &id, "").await?;
    page.result = result.into();
    page.name = name;
    page.category = category;
    page.detail = detail;
    page.code = normalize_code(&code);
    Ok((status, render(&page)?).into_response())
}

/// `participants.csv` or `participants.xlsx` (staff; each export audited).
pub async fn export(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((id, file)): Path<(String, String)>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::ManageEvents)?;
    let format = match file.as_str() {
        "participants.csv" => "csv",
        "participants.xlsx" => "xlsx",
        _ => return Err(AppError::NotFound),
    };
    let (event, table) =
        service::export(&state, &ctx.0.who(), &user, &id, format, ctx.lang()).await?;
    let (body, content_type) = match format {
        "csv" => (super::export::csv(&table).into_bytes(), "text/csv; charset=utf-8"),
        _ => (
            super::export::xlsx(&table, "Participants").map_err(AppError::internal)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    };
    let mut r = (StatusCode::OK, body).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"{}-participants.{format}\"",
        event.reference
    )) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(r)
}

#[derive(Deserialize, Default)]
pub struct BadgeQuery {
    #[serde(default)]
    pub size: String,
}

/// Printable bilingual name badges with the QR code, on common sizes.
pub async fn badges(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Query(q): Query<BadgeQuery>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::ManageEvents)?;
    let event = service::get(&state, &id).await?;
    let cats = service::categories(&state, &event.id).await?;
    let size = match q.size.as_str() {
        "a6" | "a7" | "cr80" => q.size.clone(),
        _ => "badge".to_string(),
    };
    let mut list = vec![];
    for r in service::registrations(&state, &user, &event.id).await? {
        if r.registration.status != RegStatus::Confirmed {
            continue;
        }
        for p in r.participants {
            let Some(code) = &p.ticket_code else { continue };
            let cat = cats
                .iter()
                .find(|c| c.id == p.category_id)
                .map(|c| c.name.clone())
                .unwrap_or_default();
            list.push(super::views::Badge {
                svg: crate::qr::svg(code, 160),
                category: cat,
                participant: p.clone(),
            });
        }
    }
    Ok(render(&super::views::BadgesPage { ctx, event, badges: list, size })?.into_response())
}

/// The holder names the others of the group (or corrects names).
pub async fn ticket_names(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let f = Pairs(pairs);
    let (ids, names, emails) = (f.raw("participant"), f.raw("name"), f.raw("email"));
    let list = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            (
                id.clone(),
                names.get(i).cloned().unwrap_or_default(),
                emails.get(i).cloned().unwrap_or_default(),
            )
        })
        .collect();
    service::name_participants(&state, &ctx.0.who(), &token, list).await?;
    Ok(Redirect::to(&format!("/tickets/{token}?notice=named")).into_response())
}
