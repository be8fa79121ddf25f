use super::service::{self, RoomLink};
use super::store;
use crate::auth::Perm;
use crate::clock::Instant;
use crate::domains::centers::service as centers;
use crate::domains::venues::booking;
use crate::domains::venues::booking::store::BookingRow;
use crate::domains::venues::calendar::{
    FIRST_HOUR, ROWS, date_or_today, day_span, monday_of, rows,
};
use crate::domains::venues::model::{
    EQUIPMENT, FreeRoomQuery, OpeningHours, Room, RoomInput, RoomRules, Span, WEEKDAYS, parse_range,
};
use crate::domains::venues::views::{
    CalItem, Column, FinderResult, IndexPage, RoomCalendarPage, RoomFormPage, ZoneCalendarPage,
    ZoneRooms,
};
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n::{Bilingual, Lang};
use crate::state::AppState;
use crate::time::time_range;
use crate::web::extract::{Form, Path, Query};
use crate::web::form::FormErrors;
use crate::web::form::Pairs;
use crate::web::link::NewLinkPage;
use crate::web::{PageCtx, render};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::ToSpan;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Deserialize;
use std::collections::HashMap;

pub(in crate::domains::venues) fn hour_labels() -> Vec<(i64, String)> {
    (0..(ROWS / 4)).map(|h| (h * 4 + 1, format!("{:02}:00", FIRST_HOUR + h))).collect()
}

pub(in crate::domains::venues) fn item_of(
    b: &BookingRow,
    date: Date,
    tz: &TimeZone,
    lang: Lang,
    show_title: bool,
) -> Option<CalItem> {
    let (gs, ge) = rows(b.span, date, tz)?;
    let title = if show_title {
        lang.pick(&b.title.zh, &b.title.en).to_string()
    } else {
        lang.t("calendar-busy")
    };
    Some(CalItem {
        href: if show_title { format!("/bookings/{}", b.id) } else { String::new() },
        title,
        time: time_range(b.span, tz),
        status: b.status.code(),
        gs,
        ge,
        blackout: false,
    })
}

pub(in crate::domains::venues) fn blackout_items(
    blackouts: &[(Span, Bilingual)],
    date: Date,
    tz: &TimeZone,
    lang: Lang,
) -> Vec<CalItem> {
    blackouts
        .iter()
        .filter_map(|(s, reason)| {
            let (gs, ge) = rows(*s, date, tz)?;
            Some(CalItem {
                href: String::new(),
                title: format!(
                    "{} {}",
                    lang.t("calendar-closed"),
                    lang.pick(&reason.zh, &reason.en)
                ),
                time: time_range(*s, tz),
                status: "blackout",
                gs,
                ge,
                blackout: true,
            })
        })
        .collect()
}

/// The hours a room is not open on `date`, shaded on its calendar: before
/// opening and after closing, or the whole day when it is closed.
pub(in crate::domains::venues) fn closed_items(
    room: &Room,
    date: Date,
    tz: &TimeZone,
    lang: Lang,
) -> Vec<CalItem> {
    let day = day_span(date, tz);
    let minute = 60_000;
    let closed = match room.rules.hours.0[crate::time::weekday_index(date.weekday())] {
        Some((open, close)) if room.rules.bookable => vec![
            Span::new(day.start, day.start + i64::from(open) * minute),
            Span::new(day.start + i64::from(close) * minute, day.end),
        ],
        _ => vec![day],
    };
    closed
        .into_iter()
        .filter(|s| s.end > s.start)
        .filter_map(|s| {
            let (gs, ge) = rows(s, date, tz)?;
            (ge > gs).then(|| CalItem {
                href: String::new(),
                title: lang.t("room-closed"),
                time: String::new(),
                status: "closed",
                gs,
                ge,
                blackout: true,
            })
        })
        .collect()
}

/// The room is open for bookings on some hours of `date`.
fn open_on(room: &Room, date: Date) -> bool {
    room.rules.bookable && room.rules.hours.0[crate::time::weekday_index(date.weekday())].is_some()
}

/// The days a calendar shows: the week (Monday first) holding `date`, or that day.
pub(in crate::domains::venues) fn days_shown(date: Date, week: bool) -> Vec<Date> {
    if week {
        let monday = monday_of(date);
        (0..7).filter_map(|i| monday.checked_add(i.days()).ok()).collect()
    } else {
        vec![date]
    }
}

pub(in crate::domains::venues) fn day_label(date: Date, lang: Lang) -> String {
    let weekday = crate::domains::venues::recurrence::weekday_name(date.weekday(), lang);
    format!("{weekday} {}", date.strftime("%m-%d"))
}

#[derive(Deserialize, Default)]
pub struct CalQuery {
    #[serde(default)]
    date: String,
    #[serde(default)]
    view: String,
}

/// All rooms by zone, and the free-room finder.
pub async fn index(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::ViewVenues)?;
    let q = Pairs(q);
    let lang = ctx.lang();
    let zones = centers::zones(&state, &center_id).await?;
    let rooms = service::rooms(&state, &center_id).await?;
    let tz = centers::tz(&state, &center_id).await?;
    let groups = zones
        .iter()
        .map(|z| ZoneRooms {
            code: z.code.clone(),
            name: lang.pick(&z.name.zh, &z.name.en).to_string(),
            rooms: rooms.iter().filter(|r| r.zone_id == z.id).cloned().collect(),
        })
        .collect();
    let (date, from, to, attendees) =
        (q.get("date"), q.get("from"), q.get("to"), q.get("attendees"));
    let needs = q.all("equipment");
    let mut errors = vec![];
    let results = if date.is_empty() {
        None
    } else {
        match FreeRoomQuery::parse(&date, &from, &to, &attendees, needs.clone(), &tz) {
            Ok(query) => {
                let book_href = |room: &Room| {
                    let q = [
                        ("room_id", room.id.as_str()),
                        ("date", date.as_str()),
                        ("start", from.as_str()),
                        ("end", to.as_str()),
                        ("attendees", attendees.as_str()),
                    ];
                    format!("/bookings/new?{}", serde_urlencoded::to_string(q).unwrap_or_default())
                };
                let found = service::free_rooms(&state, &center_id, &query).await?;
                Some(
                    found
                        .into_iter()
                        .map(|f| FinderResult {
                            book_href: book_href(&f.room),
                            free_times: f.free_times.iter().map(|s| time_range(*s, &tz)).collect(),
                            free_now: f.free_now,
                            room: f.room,
                        })
                        .collect(),
                )
            }
            Err(e) => {
                errors = e;
                None
            }
        }
    };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = IndexPage {
        ctx,
        zones: groups,
        date,
        from,
        to,
        attendees,
        needs,
        equipment: EQUIPMENT.to_vec(),
        results,
        errors: FormErrors(errors),
    };
    Ok((status, render(&page)?).into_response())
}

/// A room's day or week calendar.
pub async fn room_calendar(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Query(q): Query<CalQuery>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::ViewVenues)?;
    let room = service::room_in(&state, &center_id, &id).await?;
    room_calendar_page(&state, ctx, &user, room, &q, FormErrors::default()).await
}

pub(in crate::domains::venues) async fn room_calendar_page(
    state: &AppState,
    ctx: PageCtx,
    user: &crate::auth::CurrentUser,
    room: Room,
    q: &CalQuery,
    errors: FormErrors,
) -> AppResult<Response> {
    let lang = ctx.lang();
    let tz = centers::tz(state, &room.center_id).await?;
    let now = state.clock.now();
    let date = date_or_today(&q.date, now, &tz)
        .ok_or_else(|| AppError::invalid("date", "field-invalid-date"))?;
    let today = date_or_today("", now, &tz).unwrap_or(date);
    let week = q.view != "day";
    let days = days_shown(date, week);
    let window =
        Span::new(day_span(days[0], &tz).start, day_span(*days.last().unwrap_or(&date), &tz).end);
    let bookings = booking::store::in_room(&state.db, &room.id, window, true).await?;
    let blackouts = store::blackouts(&state.db.pool, &room.id, &room.zone_id, window).await?;
    let see_all = ctx.can(Perm::SeeAllBookings);
    let can_book = ctx.can(Perm::BookRooms);
    let columns = days
        .iter()
        .map(|d| {
            let mut items: Vec<CalItem> = bookings
                .iter()
                .filter_map(|b| item_of(b, *d, &tz, lang, see_all || b.organizer_id == user.id))
                .collect();
            items.extend(blackout_items(&blackouts, *d, &tz, lang));
            items.extend(closed_items(&room, *d, &tz, lang));
            Column {
                label: day_label(*d, lang),
                sublabel: String::new(),
                href: format!("/venues/rooms/{}?view=day&date={d}", room.id),
                today: *d == today,
                items,
                // No "+ Book" where the room is closed.
                book_href: if can_book && *d >= today && open_on(&room, *d) {
                    format!("/bookings/new?room_id={}&date={d}", room.id)
                } else {
                    String::new()
                },
            }
        })
        .collect();
    let step = if week { 7 } else { 1 };
    let view = if week { "week" } else { "day" };
    let shift = |n: i64| {
        date.checked_add(n.days())
            .map(|d| format!("/venues/rooms/{}?view={view}&date={d}", room.id))
            .unwrap_or_default()
    };
    let zones = centers::zones(state, &room.center_id).await?;
    let zone_name = zones
        .iter()
        .find(|z| z.id == room.zone_id)
        .map(|z| lang.pick(&z.name.zh, &z.name.en).to_string())
        .unwrap_or_default();
    let title = if week { format!("{} – {}", days[0], days[6]) } else { day_label(date, lang) };
    let hours_text = (0..WEEKDAYS.len())
        .map(|i| {
            (
                crate::domains::venues::recurrence::weekday_name_at(i, lang),
                room.rules.hours.day_text(i),
            )
        })
        .collect();
    let closures = if ctx.can(Perm::ManageRooms) {
        store::blackouts_listed(&state.db, &room.id, &room.zone_id, now.millis())
            .await?
            .into_iter()
            .map(|(id, span, reason, zone)| {
                let (d1, t1) = Instant(span.start).local_parts(&tz);
                let (d2, t2) = Instant(span.end).local_parts(&tz);
                let reason = lang.pick(&reason.zh, &reason.en).to_string();
                (id, format!("{d1} {t1} – {d2} {t2}"), reason, zone)
            })
            .collect()
    } else {
        vec![]
    };
    let links = if ctx.can(Perm::ManageRooms) {
        let made = |at: Option<Instant>| at.map(|t| t.local_parts(&tz).0).unwrap_or_default();
        Some([
            (
                "display",
                "display-link",
                made(service::room_link_made(state, &room.id, RoomLink::Display).await?),
            ),
            (
                "feed",
                "calendar-feed",
                made(service::room_link_made(state, &room.id, RoomLink::Feed).await?),
            ),
        ])
    } else {
        None
    };
    let page = RoomCalendarPage {
        closures,
        links,
        zone_name,
        week,
        title,
        prev: shift(-step),
        next: shift(step),
        today: format!("/venues/rooms/{}?view={view}", room.id),
        date: date.to_string(),
        columns,
        hours: hour_labels(),
        hours_text,
        room,
        errors,
        ctx,
    };
    let status = if page.errors.any() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, render(&page)?).into_response())
}

/// A zone's rooms side by side for a day, or a week table of them.
/// The zone code that stands for every room of the center.
pub const ALL_ROOMS: &str = "all";

pub async fn zone_calendar(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
    Query(q): Query<CalQuery>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::ViewVenues)?;
    let lang = ctx.lang();
    let zones = centers::zones(&state, &center_id).await?;
    // `all`: every room of the center, zone by zone.
    let (zone_name, zone_id) = if code == ALL_ROOMS {
        (lang.t("calendar-all-rooms-title"), None)
    } else {
        let zone = zones.iter().find(|z| z.code == code).ok_or(AppError::NotFound)?;
        (lang.pick(&zone.name.zh, &zone.name.en).to_string(), Some(zone.id.clone()))
    };
    let mut rooms: Vec<Room> = service::rooms(&state, &center_id)
        .await?
        .into_iter()
        .filter(|r| zone_id.as_ref().is_none_or(|z| &r.zone_id == z))
        .collect();
    rooms.sort_by_key(|r| zones.iter().position(|z| z.id == r.zone_id));
    let tz = centers::tz(&state, &center_id).await?;
    let now = state.clock.now();
    let date = date_or_today(&q.date, now, &tz)
        .ok_or_else(|| AppError::invalid("date", "field-invalid-date"))?;
    let today = date_or_today("", now, &tz).unwrap_or(date);
    let week = q.view == "week";
    let see_all = ctx.can(Perm::SeeAllBookings);
    let can_book = ctx.can(Perm::BookRooms);
    let mut columns = vec![];
    let mut week_rows = vec![];
    let days = days_shown(date, week);
    let window =
        Span::new(day_span(days[0], &tz).start, day_span(*days.last().unwrap_or(&date), &tz).end);
    for room in &rooms {
        let bookings = booking::store::in_room(&state.db, &room.id, window, true).await?;
        let blackouts = store::blackouts(&state.db.pool, &room.id, &room.zone_id, window).await?;
        let name = lang.pick(&room.name.zh, &room.name.en).to_string();
        if week {
            let cells = days
                .iter()
                .map(|d| {
                    let mut items: Vec<CalItem> = bookings
                        .iter()
                        .filter_map(|b| {
                            item_of(b, *d, &tz, lang, see_all || b.organizer_id == user.id)
                        })
                        .collect();
                    items.extend(blackout_items(&blackouts, *d, &tz, lang));
                    items
                })
                .collect();
            week_rows.push((
                name,
                format!("/venues/rooms/{}?view=week&date={date}", room.id),
                cells,
            ));
        } else {
            let mut items: Vec<CalItem> = bookings
                .iter()
                .filter_map(|b| item_of(b, date, &tz, lang, see_all || b.organizer_id == user.id))
                .collect();
            items.extend(blackout_items(&blackouts, date, &tz, lang));
            items.extend(closed_items(room, date, &tz, lang));
            columns.push(Column {
                label: name,
                sublabel: lang
                    .t_args("calendar-capacity", &[("count", room.rules.capacity.to_string())]),
                href: format!("/venues/rooms/{}?view=day&date={date}", room.id),
                today: false,
                items,
                book_href: if can_book && date >= today && open_on(room, date) {
                    format!("/bookings/new?room_id={}&date={date}", room.id)
                } else {
                    String::new()
                },
            });
        }
    }
    let step = if week { 7 } else { 1 };
    let view = if week { "week" } else { "day" };
    let shift = |n: i64| {
        date.checked_add(n.days())
            .map(|d| format!("/venues/zones/{code}?view={view}&date={d}"))
            .unwrap_or_default()
    };
    let page = ZoneCalendarPage {
        zone_name,
        week,
        title: if week { format!("{} – {}", days[0], days[6]) } else { day_label(date, lang) },
        prev: shift(-step),
        next: shift(step),
        date: date.to_string(),
        columns,
        hours: hour_labels(),
        week_days: days.iter().map(|d| day_label(*d, lang)).collect(),
        week_rows,
        zone_code: code,
        ctx,
    };
    Ok(render(&page)?.into_response())
}

/// The room form: empty for a new room, or holding `values` as sent or stored.
pub(in crate::domains::venues) fn room_form_page(
    ctx: PageCtx,
    zones: Vec<(String, String)>,
    action: String,
    values: HashMap<String, String>,
    chosen: Vec<String>,
    errors: Vec<FieldError>,
) -> RoomFormPage {
    RoomFormPage {
        ctx,
        zones,
        action,
        equipment: EQUIPMENT.to_vec(),
        values,
        chosen,
        errors: FormErrors(errors),
    }
}

pub(in crate::domains::venues) async fn zone_choices(
    state: &AppState,
    center_id: &str,
    lang: Lang,
) -> AppResult<Vec<(String, String)>> {
    Ok(centers::zones(state, center_id)
        .await?
        .into_iter()
        .map(|z| (z.code, lang.pick(&z.name.zh, &z.name.en).to_string()))
        .collect())
}

/// A room's values as the form shows them.
pub(in crate::domains::venues) fn room_values(room: Option<&Room>) -> HashMap<String, String> {
    let mut v = HashMap::new();
    let rules = room.map(|r| r.rules.clone()).unwrap_or(RoomRules {
        capacity: 10,
        bookable: true,
        hours: OpeningHours::office(),
        min_minutes: 30,
        max_minutes: 480,
        max_advance_days: 180,
        setup_minutes: 0,
        teardown_minutes: 0,
    });
    for (k, n) in [
        ("capacity", rules.capacity),
        ("min_minutes", rules.min_minutes),
        ("max_minutes", rules.max_minutes),
        ("max_advance_days", rules.max_advance_days),
        ("setup_minutes", rules.setup_minutes),
        ("teardown_minutes", rules.teardown_minutes),
    ] {
        v.insert(k.to_string(), n.to_string());
    }
    for (i, d) in WEEKDAYS.iter().enumerate() {
        v.insert(format!("hours_{d}"), rules.hours.day_text(i));
    }
    if rules.bookable {
        v.insert("bookable".into(), "1".into());
    }
    if let Some(r) = room {
        for (k, val) in [
            ("zone_code", &r.zone_code),
            ("name_zh", &r.name.zh),
            ("name_en", &r.name.en),
            ("description_zh", &r.description.zh),
            ("description_en", &r.description.en),
            ("location_zh", &r.location.zh),
            ("location_en", &r.location.en),
        ] {
            v.insert(k.to_string(), val.clone());
        }
        if r.requires_approval {
            v.insert("requires_approval".into(), "1".into());
        }
    }
    v
}

/// Reads the room form.
pub(in crate::domains::venues) fn parse_room_form(f: &Pairs) -> Result<RoomInput, Vec<FieldError>> {
    let mut errors = vec![];
    let mut int = |k: &str| -> i64 {
        f.get(k).parse().unwrap_or_else(|_| {
            errors.push(FieldError::new(k, "field-invalid"));
            0
        })
    };
    let (capacity, min_minutes, max_minutes) =
        (int("capacity"), int("min_minutes"), int("max_minutes"));
    let (max_advance_days, setup_minutes, teardown_minutes) =
        (int("max_advance_days"), int("setup_minutes"), int("teardown_minutes"));
    let mut days = [None; 7];
    for (i, d) in WEEKDAYS.iter().enumerate() {
        match parse_range(&f.get(&format!("hours_{d}"))) {
            Some(r) => days[i] = r,
            None => errors.push(FieldError::new(format!("hours_{d}"), "room-hours-invalid")),
        }
    }
    let parsed = RoomInput::parse(
        &f.get("zone_code"),
        Bilingual::new(f.get("name_zh"), f.get("name_en")),
        Bilingual::new(f.get("description_zh"), f.get("description_en")),
        Bilingual::new(f.get("location_zh"), f.get("location_en")),
        &f.all("equipment"),
        !f.get("requires_approval").is_empty(),
        RoomRules {
            capacity,
            bookable: !f.get("bookable").is_empty(),
            hours: OpeningHours(days),
            min_minutes,
            max_minutes,
            max_advance_days,
            setup_minutes,
            teardown_minutes,
        },
    );
    match parsed {
        Ok(input) if errors.is_empty() => Ok(input),
        Ok(_) => Err(errors),
        Err(mut e) => {
            e.extend(errors);
            Err(e)
        }
    }
}

/// The admin's form for a new room.
pub async fn room_new(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageRooms)?;
    let zones = zone_choices(&state, &center_id, ctx.lang()).await?;
    Ok(render(&room_form_page(
        ctx,
        zones,
        "/venues/rooms".into(),
        room_values(None),
        vec![],
        vec![],
    ))?
    .into_response())
}

/// The admin's form for an existing room.
pub async fn room_edit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageRooms)?;
    let room = service::room_in(&state, &center_id, &id).await?;
    let zones = zone_choices(&state, &center_id, ctx.lang()).await?;
    let action = format!("/venues/rooms/{}/edit", room.id);
    let page = room_form_page(
        ctx,
        zones,
        action,
        room_values(Some(&room)),
        room.equipment.clone(),
        vec![],
    );
    Ok(render(&page)?.into_response())
}

/// Creates a room, or with `id` changes one, from the form.
pub(in crate::domains::venues) async fn save_room(
    state: AppState,
    ctx: PageCtx,
    id: Option<String>,
    pairs: Vec<(String, String)>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageRooms)?;
    let f = Pairs(pairs);
    let result = match (parse_room_form(&f), &id) {
        (Ok(input), None) => service::create_room(&state, &ctx.0.who(), &center_id, input).await,
        (Ok(input), Some(id)) => {
            service::update_room(&state, &ctx.0.who(), &center_id, id, input).await
        }
        (Err(errors), _) => Err(AppError::Invalid(errors)),
    };
    match result {
        Ok(room) => Ok(Redirect::to(&format!("/venues/rooms/{}", room.id)).into_response()),
        Err(AppError::Invalid(errors)) => {
            let zones = zone_choices(&state, &center_id, ctx.lang()).await?;
            let action =
                id.map_or("/venues/rooms".to_string(), |id| format!("/venues/rooms/{id}/edit"));
            let page = room_form_page(
                ctx,
                zones,
                action,
                f.0.iter().cloned().collect(),
                f.all("equipment"),
                errors,
            );
            crate::web::form::again(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e),
    }
}

pub async fn room_create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    save_room(state, ctx, None, pairs).await
}

pub async fn room_update(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    save_room(state, ctx, Some(id), pairs).await
}

/// Removes a closure.
pub async fn blackout_delete(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((room_id, blackout_id)): Path<(String, String)>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageRooms)?;
    let room = service::room_in(&state, &center_id, &room_id).await?;
    service::remove_blackout(&state, &ctx.0.who(), &center_id, &blackout_id).await?;
    Ok(Redirect::to(&format!("/venues/rooms/{}", room.id)).into_response())
}

/// A new door-display or calendar-feed link for a room, shown once; the
/// earlier one stops working.
pub async fn renew_link(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((room_id, which)): Path<(String, String)>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageRooms)?;
    let which = RoomLink::parse(&which).ok_or(AppError::NotFound)?;
    let room = service::room_in(&state, &center_id, &room_id).await?;
    let path = service::renew_link(&state, &ctx.0.who(), &center_id, &room.id, which).await?;
    let lang = ctx.lang();
    let kind = ctx.t(match which {
        RoomLink::Display => "display-link",
        RoomLink::Feed => "calendar-feed",
    });
    NewLinkPage {
        title: format!("{} · {kind}", lang.pick(&room.name.zh, &room.name.en)),
        path,
        back: format!("/venues/rooms/{}", room.id),
        ctx,
    }
    .answer()
}

/// Closes a room (or its whole zone) for a period.
pub async fn blackout_create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::ManageRooms)?;
    let room = service::room_in(&state, &center_id, &id).await?;
    let f = Pairs(pairs);
    let tz = centers::tz(&state, &center_id).await?;
    let (from_time, to_time) = (f.get("from_time"), f.get("to_time"));
    let start = Instant::parse_local(
        &f.get("from_date"),
        if from_time.is_empty() { "00:00" } else { &from_time },
        &tz,
    );
    let end = Instant::parse_local(
        &f.get("to_date"),
        if to_time.is_empty() { "23:59" } else { &to_time },
        &tz,
    );
    let reason = Bilingual::new(f.get("reason_zh"), f.get("reason_en"));
    let whole_zone = !f.get("whole_zone").is_empty();
    let result = match (start, end) {
        (Some(s), Some(e)) if e > s => {
            service::add_blackout(
                &state,
                &ctx.0.who(),
                &room,
                whole_zone,
                Span::new(s.millis(), e.millis()),
                reason,
            )
            .await
        }
        (Some(_), Some(_)) => Err(AppError::invalid("to_date", "booking-end-before-start")),
        (None, _) => Err(AppError::invalid("from_date", "field-invalid-date")),
        (_, None) => Err(AppError::invalid("to_date", "field-invalid-date")),
    };
    match result {
        Ok(()) => {
            Ok(Redirect::to(&format!("/venues/rooms/{}?date={}", room.id, f.get("from_date")))
                .into_response())
        }
        Err(AppError::Invalid(errors)) => {
            room_calendar_page(&state, ctx, &user, room, &CalQuery::default(), FormErrors(errors))
                .await
        }
        Err(e) => Err(e),
    }
}
