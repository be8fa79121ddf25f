use super::api;
use super::service;
use crate::auth::Perm;
use crate::clock::Instant;
use crate::domains::venues::booking::api::RecurrenceJson;
use crate::domains::venues::booking::api::parse_request;
use crate::domains::venues::booking::api::visible_booking;
use crate::domains::venues::booking::service::BookingError;
use crate::domains::venues::booking::service::BookingRequest;
use crate::domains::venues::booking::service::Scope;
use crate::domains::venues::model::{BookingStatus, Span};
use crate::domains::venues::views::{
    BookingFormPage, BookingPage, InboxItem, InboxPage, ListedBooking, MinePage, NoteView,
    NotificationsPage,
};
use crate::domains::venues::{recurrence, room};
use crate::error::{AppError, AppResult};
use crate::i18n::Bilingual;
use crate::state::AppState;
use crate::time::zoned;
use crate::web::extract::{Form, Path, Query};
use crate::web::form::FormErrors;
use crate::web::form::Pairs;
use crate::web::{PageCtx, render};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

pub(in crate::domains::venues) fn form_page(
    ctx: PageCtx,
    rooms: Vec<crate::domains::venues::model::Room>,
    f: &Pairs,
) -> BookingFormPage {
    BookingFormPage {
        ctx,
        rooms,
        room_id: f.get("room_id"),
        title_zh: f.get("title_zh"),
        title_en: f.get("title_en"),
        date: f.get("date"),
        start: if f.get("start").is_empty() { "09:00".into() } else { f.get("start") },
        end: if f.get("end").is_empty() { "10:00".into() } else { f.get("end") },
        attendees: if f.get("attendees").is_empty() { "1".into() } else { f.get("attendees") },
        repeat: f.get("repeat"),
        interval: if f.get("interval").is_empty() { "1".into() } else { f.get("interval") },
        weekdays: f.all("by_weekday"),
        until: f.get("until"),
        count: f.get("count"),
        skip_conflicts: !f.get("skip_conflicts").is_empty(),
        errors: FormErrors::default(),
        conflicts: vec![],
        alternatives: vec![],
        preview_words: String::new(),
        preview: vec![],
    }
}

/// The booking form, prefilled from the query (a calendar slot, a finder hit).
pub async fn new(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::BookRooms)?;
    let rooms = room::service::rooms(&state, &center_id).await?;
    let mut page = form_page(ctx, rooms, &Pairs(q));
    if page.date.is_empty() {
        let tz = crate::domains::centers::service::tz(&state, &center_id).await?;
        page.date = state.clock.now().plus_secs(86_400).local_parts(&tz).0;
    }
    Ok(render(&page)?.into_response())
}

/// Books from the form; a conflict shows the form again with what is in the
/// way and what would work instead.
pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::BookRooms)?;
    let f = Pairs(pairs);
    let tz = crate::domains::centers::service::tz(&state, &center_id).await?;
    let starts = Instant::parse_local(&f.get("date"), &f.get("start"), &tz)
        .map(|i| i.rfc3339_in(&tz))
        .unwrap_or_default();
    let ends = Instant::parse_local(&f.get("date"), &f.get("end"), &tz)
        .map(|i| i.rfc3339_in(&tz))
        .unwrap_or_default();
    let attendees: Option<i64> = f.get("attendees").parse().ok();
    let recurrence = match f.get("repeat").as_str() {
        "" | "none" => None,
        freq => Some(RecurrenceJson {
            freq: freq.into(),
            interval: f.get("interval").parse().ok(),
            by_weekday: f.all("by_weekday"),
            until: Some(f.get("until")).filter(|u| !u.is_empty()),
            count: f.get("count").parse().ok().filter(|_| f.get("until").is_empty()),
        }),
    };
    let parsed = parse_request(
        &f.get("room_id"),
        &starts,
        &ends,
        Bilingual::new(f.get("title_zh"), f.get("title_en")),
        recurrence.as_ref(),
    );
    if !f.get("preview").is_empty()
        && let Ok((span, rule, _)) = &parsed
    {
        let mut page = form_page(ctx, room::service::rooms(&state, &center_id).await?, &f);
        let spans = match rule {
            Some(rule) => rule.expand(*span, &tz).unwrap_or_default(),
            None => vec![*span],
        };
        let lang = page.ctx.lang();
        if let Some(rule) = rule {
            page.preview_words = recurrence::describe_spans(&rule.rrule(&tz), &spans, &tz, lang);
        }
        page.preview = spans
            .iter()
            .filter_map(|s| {
                let d = zoned(s.start, &tz)?.date();
                let weekday = recurrence::weekday_name(d.weekday(), lang);
                Some(format!("{d} {weekday} {}", crate::time::time_range(*s, &tz)))
            })
            .collect();
        return Ok(render(&page)?.into_response());
    }
    let result = match (parsed, attendees) {
        (Ok((span, recurrence, title)), Some(attendees)) => {
            let req = BookingRequest {
                room_id: f.get("room_id"),
                span,
                title,
                attendees,
                recurrence,
                skip_conflicts: !f.get("skip_conflicts").is_empty(),
                needs: vec![],
                purpose: String::new(),
                purpose_id: String::new(),
            };
            service::book(&state, &user, &ctx.0.who(), req).await
        }
        (Err(e), _) => Err(BookingError::App(e)),
        (Ok(_), None) => Err(BookingError::App(AppError::invalid("attendees", "field-invalid"))),
    };
    let rooms = room::service::rooms(&state, &center_id).await?;
    match result {
        Ok(made) => {
            let first = &made.bookings[0];
            let notice = if made.skipped.is_empty() { "created" } else { "created-skipped" };
            Ok(Redirect::to(&format!("/bookings/{}?notice={notice}", first.id)).into_response())
        }
        Err(BookingError::Conflicts { conflicts, alternatives }) => {
            let mut page = form_page(ctx, rooms, &f);
            page.conflicts = conflicts;
            page.alternatives = alternatives
                .into_iter()
                .map(|a| {
                    let (date, start) = Instant::parse_rfc3339(&a.starts_at)
                        .map(|i| i.local_parts(&tz))
                        .unwrap_or_default();
                    let end = Instant::parse_rfc3339(&a.ends_at)
                        .map(|i| i.local_parts(&tz).1)
                        .unwrap_or_default();
                    let href = format!(
                        "/bookings/new?{}",
                        serde_urlencoded::to_string([
                            ("room_id", a.room_id.as_str()),
                            ("date", date.as_str()),
                            ("start", start.as_str()),
                            ("end", end.as_str()),
                            ("title_zh", f.get("title_zh").as_str()),
                            ("title_en", f.get("title_en").as_str()),
                            ("attendees", f.get("attendees").as_str()),
                        ])
                        .unwrap_or_default()
                    );
                    (a, href)
                })
                .collect();
            crate::web::form::again(StatusCode::CONFLICT, &page)
        }
        Err(BookingError::App(AppError::Invalid(errors))) => {
            let mut page = form_page(ctx, rooms, &f);
            page.errors = FormErrors(errors);
            crate::web::form::again(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(BookingError::App(e)) => Err(e),
    }
}

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    #[serde(default)]
    notice: String,
}

/// One booking, with what the caller may do to it.
pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> AppResult<Response> {
    let user = ctx.0.require(Perm::ViewVenues)?;
    let booking = visible_booking(&state, &user, &id).await?;
    let room = room::service::room_in(&state, &booking.center_id, &booking.room_id).await?;
    let tz = crate::domains::centers::service::tz(&state, &booking.center_id).await?;
    // A series is said in words: "Every Tue, 6 times, 1 Dec – 5 Jan".
    let repeats = match &booking.series_id {
        Some(s) => {
            let rrule = service::series_rrule(&state, s).await?.unwrap_or_default();
            let spans: Vec<Span> =
                service::by_subject(&state, s).await?.iter().map(|b| b.span).collect();
            recurrence::describe_spans(&rrule, &spans, &tz, ctx.lang())
        }
        None => String::new(),
    };
    let can_cancel =
        booking.status.is_live() && service::may_move(&user, &booking, BookingStatus::Cancelled);
    let can_decide = booking.status == BookingStatus::Requested
        && service::may_move(&user, &booking, BookingStatus::Confirmed);
    let when = format!(
        "{} {}",
        Instant(booking.span.start).local_parts(&tz).0,
        crate::time::time_range(booking.span, &tz)
    );
    let notice = match q.notice.as_str() {
        "created" | "created-skipped" | "cancelled" | "approved" | "rejected" | "updated"
        | "edit-conflict" => format!("booking-notice-{}", q.notice),
        _ => String::new(),
    };
    let (date, start) = Instant(booking.span.start).local_parts(&tz);
    let end = Instant(booking.span.end).local_parts(&tz).1;
    let page = BookingPage {
        ctx,
        booking,
        room,
        when,
        repeats,
        can_cancel,
        can_decide,
        notice,
        date,
        start,
        end,
    };
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    scope: String,
    #[serde(default)]
    reason: String,
    /// Where to go afterwards (`inbox` or the booking).
    #[serde(default)]
    back: String,
}

pub(in crate::domains::venues) async fn decide(
    state: AppState,
    ctx: PageCtx,
    id: String,
    f: DecisionForm,
    to: BookingStatus,
    notice: &str,
) -> AppResult<Response> {
    let user = ctx.0.require(Perm::ViewVenues)?;
    let scope = if f.scope == "series" { Scope::Series } else { Scope::Occurrence };
    service::transition(&state, &user, &ctx.0.who(), &id, to, scope, &f.reason).await?;
    let target = if f.back == "inbox" {
        format!("/inbox?notice={notice}")
    } else {
        format!("/bookings/{id}?notice={notice}")
    };
    Ok(Redirect::to(&target).into_response())
}

/// Edits from the booking page: time, title, attendees; for a series, the
/// scope says whether the rest of the series changes too.
pub async fn edit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let user = ctx.0.require(Perm::BookRooms)?;
    let f = Pairs(pairs);
    let current = visible_booking(&state, &user, &id).await?;
    let tz = crate::domains::centers::service::tz(&state, &current.center_id).await?;
    let scope = if f.get("scope") == "series" { Scope::Series } else { Scope::Occurrence };
    let (cur_date, cur_start) = Instant(current.span.start).local_parts(&tz);
    let cur_end = Instant(current.span.end).local_parts(&tz).1;
    let (date, start, end) = (f.get("date"), f.get("start"), f.get("end"));
    // A new time moves this occurrence, or (scope "series") every one from
    // here on the same way.
    let moved = date != cur_date || start != cur_start || end != cur_end;
    let patch = api::BookingPatchJson {
        scope: f.get("scope"),
        title_zh: Some(f.get("title_zh")),
        title_en: Some(f.get("title_en")),
        attendees: f.get("attendees").parse().ok(),
        starts_at: moved.then(|| {
            Instant::parse_local(&date, &start, &tz)
                .map(|i| i.rfc3339_in(&tz))
                .unwrap_or_else(|| "invalid".into())
        }),
        ends_at: moved.then(|| {
            Instant::parse_local(&date, &end, &tz)
                .map(|i| i.rfc3339_in(&tz))
                .unwrap_or_else(|| "invalid".into())
        }),
    };
    let result = match api::parse_edit(&patch, &current) {
        Ok(change) => service::edit(&state, &user, &ctx.0.who(), &id, scope, change).await,
        Err(e) => Err(BookingError::App(e)),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/bookings/{id}?notice=updated")).into_response()),
        Err(BookingError::Conflicts { .. }) => {
            Ok(Redirect::to(&format!("/bookings/{id}?notice=edit-conflict")).into_response())
        }
        Err(BookingError::App(AppError::Invalid(errors))) => Err(AppError::Invalid(errors)),
        Err(BookingError::App(e)) => Err(e),
    }
}

pub async fn cancel(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(f): Form<DecisionForm>,
) -> AppResult<Response> {
    decide(state, ctx, id, f, BookingStatus::Cancelled, "cancelled").await
}

pub async fn approve(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(f): Form<DecisionForm>,
) -> AppResult<Response> {
    decide(state, ctx, id, f, BookingStatus::Confirmed, "approved").await
}

pub async fn reject(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(f): Form<DecisionForm>,
) -> AppResult<Response> {
    decide(state, ctx, id, f, BookingStatus::Rejected, "rejected").await
}

/// The caller's coming bookings and their calendar-feed address.
pub async fn mine(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::BookRooms)?;
    let tz = crate::domains::centers::service::tz(&state, &center_id).await?;
    let now = state.clock.now().millis();
    let rooms = room::service::rooms(&state, &center_id).await?;
    let lang = ctx.lang();
    let upcoming =
        service::list(&state, &center_id, "", &user.id, Span::new(now, now + 400 * 86_400_000))
            .await?
            .into_iter()
            .map(|b| ListedBooking {
                room_name: rooms
                    .iter()
                    .find(|r| r.id == b.room_id)
                    .map(|r| lang.pick(&r.name.zh, &r.name.en).to_string())
                    .unwrap_or_default(),
                when: format!(
                    "{} {}",
                    Instant(b.span.start).local_parts(&tz).0,
                    crate::time::time_range(b.span, &tz)
                ),
                booking: b,
            })
            .collect();
    let feed_made = crate::domains::venues::feed::service::feed_made(&state, &user.id)
        .await?
        .map(|at| at.local_parts(&tz).0)
        .unwrap_or_default();
    Ok(render(&MinePage { ctx, upcoming, feed_made })?.into_response())
}

/// Makes (or renews) the caller's calendar-feed address, shown once.
pub async fn mine_feed(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let user = ctx.0.require(Perm::BookRooms)?;
    let path =
        crate::domains::venues::feed::service::renew_feed(&state, &ctx.0.who(), &user.id).await?;
    crate::web::link::NewLinkPage {
        title: ctx.t("calendar-feed"),
        path,
        back: "/bookings/mine".into(),
        ctx,
    }
    .answer()
}

/// Everything waiting for an admin's decision.
pub async fn inbox(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<NoticeQuery>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::SeeApprovals)?;
    let tz = crate::domains::centers::service::tz(&state, &center_id).await?;
    let lang = ctx.lang();
    let mut items = vec![];
    for p in crate::approvals::pending(&state.db, &center_id).await? {
        // Bookings are the only kind so far; a series is decided through its first request.
        if p.kind != "booking" {
            continue;
        }
        let members: Vec<_> = service::by_subject(&state, &p.subject_id)
            .await?
            .into_iter()
            .filter(|b| b.status == BookingStatus::Requested)
            .collect();
        let Some(first) = members.first() else { continue };
        items.push(InboxItem {
            title: lang.pick(&p.title.zh, &p.title.en).to_string(),
            requested_by: p.requested_by,
            requested_at: p.requested_at.display_in(&tz),
            booking_href: format!("/bookings/{}", first.id),
            booking_id: first.id.clone(),
            when: format!(
                "{} {}",
                Instant(first.span.start).local_parts(&tz).0,
                crate::time::time_range(first.span, &tz)
            ),
            occurrences: members.len(),
        });
    }
    let notice = match q.notice.as_str() {
        "approved" | "rejected" => format!("booking-notice-{}", q.notice),
        _ => String::new(),
    };
    Ok(render(&InboxPage { ctx, items, notice })?.into_response())
}

pub async fn notifications(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let user = ctx.0.require(Perm::SignedIn)?;
    let tz = crate::clock::time_zone("Asia/Shanghai");
    let lang = ctx.lang();
    let notes = crate::notify::list(&state.db, &user.id, 100)
        .await?
        .into_iter()
        .map(|n| NoteView {
            title: lang.pick(&n.title.zh, &n.title.en).to_string(),
            body: lang.pick(&n.body.zh, &n.body.en).to_string(),
            link: n.link,
            at: n.created_at.display_in(&tz),
            read: n.read,
        })
        .collect();
    Ok(render(&NotificationsPage { ctx, notes })?.into_response())
}

pub async fn notifications_read(
    State(state): State<AppState>,
    ctx: PageCtx,
) -> AppResult<Response> {
    let user = ctx.0.require(Perm::SignedIn)?;
    crate::notify::mark_all_read(&state.db, &user.id, state.clock.now()).await?;
    Ok(Redirect::to("/notifications").into_response())
}
