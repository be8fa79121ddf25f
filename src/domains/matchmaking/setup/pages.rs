//! The staff's matchmaking page of an event: switch it on, set the meeting
//! length, breaks, windows and tables, see where meetings stand, and run
//! the batch scheduler.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::service::{self, SetupEdit, TableEdit};
use crate::auth::CurrentUser;
use crate::clock::Instant;
use crate::domains::centers::service as centers;
use crate::domains::events::event::service as events;
use crate::domains::matchmaking::meeting::service as meetings;
use crate::domains::matchmaking::views::{SetupPage, TableRowView};
use crate::domains::venues::room::service as rooms;
use crate::error::{AppError, AppResult, FieldError};
use crate::state::AppState;
use crate::time::{Span, day_and_times};
use crate::web::PageCtx;
use crate::web::extract::{Form, Path, Query};
use crate::web::form::{FormErrors, Pairs, again, refusal};
use crate::web::page::render;

fn staff(ctx: &PageCtx) -> AppResult<std::sync::Arc<CurrentUser>> {
    ctx.0.actor.user().map(|u| std::sync::Arc::new(u.clone())).ok_or(AppError::Unauthorized)
}

/// The form's values as sent (kept when refused).
#[derive(Default, Clone)]
pub struct SetupFields {
    pub meeting_minutes: String,
    pub break_minutes: String,
    pub needs_acceptance: bool,
    pub request_limit: String,
    pub windows: Vec<(String, String, String)>,
    pub tables: Vec<TableRowView>,
}

#[allow(clippy::too_many_arguments)]
async fn setup_page(
    state: &AppState,
    ctx: PageCtx,
    user: &CurrentUser,
    event_id: &str,
    sent: Option<SetupFields>,
    notice: String,
    errors: FormErrors,
    alert: String,
) -> AppResult<SetupPage> {
    let event = service::staff_event(state, user, event_id).await?;
    let tz = centers::tz(state, &event.center_id).await?;
    let setup = service::setup(state, event_id).await?;
    let sessions = events::sessions(state, event_id).await?;
    let all_rooms = rooms::rooms(state, &event.center_id).await?;
    let lang = ctx.lang();
    let room_list: Vec<(String, String)> = sessions
        .iter()
        .filter_map(|s| s.room_id.as_ref())
        .filter_map(|id| all_rooms.iter().find(|r| &r.id == id))
        .map(|r| (r.id.clone(), lang.pick(&r.name.zh, &r.name.en).to_string()))
        .fold(vec![], |mut v, r| {
            if !v.contains(&r) {
                v.push(r);
            }
            v
        });
    let local = |ms: i64| Instant(ms).local_parts(&tz);
    let row = |w: &Span| {
        let (d, a) = local(w.start);
        let (_, b) = local(w.end);
        (d, a, b)
    };
    let mut f = match (&sent, &setup) {
        (Some(f), _) => f.clone(),
        (None, Some(s)) => {
            let placed = service::placed_per_table(state, event_id).await?;
            SetupFields {
                meeting_minutes: s.meeting_minutes.to_string(),
                break_minutes: s.break_minutes.to_string(),
                needs_acceptance: s.needs_acceptance,
                request_limit: s.request_limit.to_string(),
                windows: s.windows.iter().map(row).collect(),
                tables: service::tables(state, event_id)
                    .await?
                    .iter()
                    .map(|t| TableRowView {
                        number: t.number,
                        room_id: t.room_id.clone().unwrap_or_default(),
                        seats: t.seats,
                        busy: placed.iter().any(|(id, n)| id == &t.id && *n > 0),
                    })
                    .collect(),
            }
        }
        (None, None) => {
            // First time: windows as the sessions (or the event), 20-minute meetings.
            let spans: Vec<Span> = if sessions.is_empty() {
                vec![event.span]
            } else {
                sessions.iter().map(|s| s.span).collect()
            };
            SetupFields {
                meeting_minutes: "20".into(),
                break_minutes: "5".into(),
                needs_acceptance: true,
                request_limit: "20".into(),
                windows: spans.iter().map(row).collect(),
                tables: vec![],
            }
        }
    };
    let day = local(event.span.start).0;
    while f.windows.len() < 2 || f.windows.last().is_some_and(|w| !w.1.is_empty()) {
        f.windows.push((day.clone(), String::new(), String::new()));
    }
    let slots = setup
        .as_ref()
        .map(|s| service::slots(s).iter().map(|w| day_and_times(*w, &tz)).collect())
        .unwrap_or_default();
    Ok(SetupPage {
        event_id: event.id.clone(),
        event_title: ctx.pick(&event.title.zh, &event.title.en).to_string(),
        enabled: setup.is_some(),
        meeting_minutes: f.meeting_minutes,
        break_minutes: f.break_minutes,
        needs_acceptance: f.needs_acceptance,
        request_limit: f.request_limit,
        windows: f.windows,
        tables: f.tables,
        rooms: room_list,
        slots,
        counts: meetings::counts(state, event_id).await?,
        notice,
        errors,
        alert,
        ctx,
    })
}

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    #[serde(default)]
    pub notice: String,
}

/// The staff's matchmaking page of an event.
pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> AppResult<Response> {
    let user = staff(&ctx)?;
    let notice = match q.notice.as_str() {
        "saved" => "mm-notice-setup-saved".to_string(),
        n if n.starts_with("scheduled-") => n.to_string(),
        _ => String::new(),
    };
    let notice = if let Some(rest) = notice.strip_prefix("scheduled-") {
        let mut parts = rest.split('-').map(|p| p.parse::<i64>().unwrap_or(0));
        let (placed, waiting) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
        ctx.lang().t_args(
            "mm-notice-scheduled",
            &[("placed", placed.to_string()), ("waiting", waiting.to_string())],
        )
    } else if notice.is_empty() {
        notice
    } else {
        ctx.t(&notice)
    };
    let page =
        setup_page(&state, ctx, &user, &id, None, notice, FormErrors::default(), String::new())
            .await?;
    Ok(render(&page)?.into_response())
}

fn read(
    f: &Pairs,
    tz: &jiff::tz::TimeZone,
) -> (SetupFields, Result<Vec<Span>, Vec<FieldError>>, Vec<TableEdit>) {
    let dates = f.raw("window_date");
    let starts = f.raw("window_start");
    let ends = f.raw("window_end");
    let mut rows = vec![];
    let mut spans = vec![];
    let mut errors = vec![];
    for i in 0..dates.len().min(40) {
        let g = |v: &Vec<String>| v.get(i).cloned().unwrap_or_default();
        let (d, a, b) = (g(&dates), g(&starts), g(&ends));
        if a.is_empty() && b.is_empty() {
            continue;
        }
        match (Instant::parse_local(&d, &a, tz), Instant::parse_local(&d, &b, tz)) {
            (Some(x), Some(y)) => spans.push(Span::new(x.millis(), y.millis())),
            _ => errors
                .push(FieldError::new(format!("windows[{}]", rows.len()), "field-invalid-instant")),
        }
        rows.push((d, a, b));
    }
    let numbers = f.raw("table_number");
    let seats = f.raw("table_seats");
    let room = f.raw("table_room");
    let removed = f.all("table_remove");
    let mut tables: Vec<TableEdit> = vec![];
    let mut views = vec![];
    for (i, number) in numbers.iter().enumerate().take(300) {
        let n: i64 = number.parse::<i64>().unwrap_or(0).clamp(0, 10_000);
        let s: i64 = seats.get(i).and_then(|s| s.parse().ok()).unwrap_or(0);
        let r = room.get(i).cloned().unwrap_or_default();
        if number.is_empty() || removed.contains(number) {
            continue;
        }
        views.push(TableRowView { number: n, room_id: r.clone(), seats: s, busy: false });
        tables.push(TableEdit { number: n, room_id: Some(r).filter(|r| !r.is_empty()), seats: s });
    }
    // "Add N tables": numbered after the highest.
    let add: i64 = f.get("add_count").parse().unwrap_or(0).clamp(0, 200);
    let add_seats: i64 = f.get("add_seats").parse::<i64>().unwrap_or(2).clamp(0, 100);
    let add_room = f.get("add_room");
    let highest = tables.iter().map(|t| t.number).max().unwrap_or(0);
    for next in highest + 1..=highest + add {
        views.push(TableRowView {
            number: next,
            room_id: add_room.clone(),
            seats: add_seats,
            busy: false,
        });
        tables.push(TableEdit {
            number: next,
            room_id: Some(add_room.clone()).filter(|r| !r.is_empty()),
            seats: add_seats,
        });
    }
    let fields = SetupFields {
        meeting_minutes: f.get("meeting_minutes"),
        break_minutes: f.get("break_minutes"),
        needs_acceptance: f.get("needs_acceptance") == "1",
        request_limit: f.get("request_limit"),
        windows: rows,
        tables: views,
    };
    (fields, if errors.is_empty() { Ok(spans) } else { Err(errors) }, tables)
}

/// Saves the setup (switching matchmaking on the first time).
pub async fn save(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let user = staff(&ctx)?;
    let event = service::staff_event(&state, &user, &id).await?;
    let tz = centers::tz(&state, &event.center_id).await?;
    let (fields, windows, tables) = read(&Pairs(pairs), &tz);
    let number = |s: &str, field: &str| -> Result<i64, AppError> {
        s.trim().parse().map_err(|_| AppError::invalid(field, "field-invalid"))
    };
    let result = async {
        let edit = SetupEdit {
            meeting_minutes: number(&fields.meeting_minutes, "meeting_minutes")?,
            break_minutes: number(&fields.break_minutes, "break_minutes")?,
            needs_acceptance: fields.needs_acceptance,
            request_limit: number(&fields.request_limit, "request_limit")?,
            windows: windows.map_err(AppError::Invalid)?,
            tables,
        };
        service::save(&state, &ctx.0.who(), &user, &id, edit).await
    }
    .await;
    match result {
        Ok(_) => {
            Ok(Redirect::to(&format!("/events/{id}/matchmaking?notice=saved")).into_response())
        }
        Err(e) => {
            let (status, errors, alert) = refusal(e, ctx.lang())?;
            let page =
                setup_page(&state, ctx, &user, &id, Some(fields), String::new(), errors, alert)
                    .await?;
            again(status, &page)
        }
    }
}

/// Runs the batch scheduler; then the page with what it placed.
pub async fn schedule(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let user = staff(&ctx)?;
    let b = meetings::schedule_all(&state, &ctx.0.who(), &user, &id).await?;
    let left = b.waiting - b.placed;
    Ok(Redirect::to(&format!("/events/{id}/matchmaking?notice=scheduled-{}-{left}", b.placed))
        .into_response())
}
