use super::service;
use crate::auth::Perm;
use crate::clock::Instant;
use crate::domains::centers::service as centers;
use crate::domains::interpreting::model::AssignmentStatus;
use crate::domains::interpreting::service as interpreting;
use crate::domains::venues;
use crate::domains::visits::itinerary::service::ItemInput;
use crate::domains::visits::model::{SeatRole, Side};
use crate::domains::visits::records::Seat;
use crate::domains::visits::views::{Alert, Card, CardsPage, ItemPage, ItineraryPrintPage};
use crate::domains::visits::visit::pages::*;
use crate::domains::visits::{member, visit};
use crate::error::{AppError, AppResult};
use crate::i18n::Bilingual;
use crate::state::AppState;
use crate::time::Span;
use crate::web::extract::{Form, Path, Query};
use crate::web::form::FormErrors;
use crate::web::form::Pairs;
use crate::web::{PageCtx, render};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

pub async fn item_add(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::ManageVisits)?;
    let f = Pairs(pairs);
    let tz = centers::tz(&state, &center_id).await?;
    let start = Instant::parse_local(&f.get("date"), &f.get("start"), &tz);
    let end = Instant::parse_local(&f.get("date"), &f.get("end"), &tz);
    let input = ItemInput {
        kind: f.get("kind"),
        title: Bilingual::new(f.get("title_zh"), f.get("title_en")),
        span: start.zip(end).map(|(s, e)| Span { start: s.millis(), end: e.millis() }),
        room_id: f.get("room_id"),
        place: Bilingual::new(f.get("place_zh"), f.get("place_en")),
        participants: f.get("participants"),
        notes: f.get("notes"),
        status: f.get("status"),
        attendees: 0,
    };
    let r = service::add_item(&state, &ctx.0.who(), &user, &id, input).await.map(|_| ());
    // A room that is taken: offer the free rooms and times as the booking
    // form does, each sending this item again with that room and time.
    let alternatives = match &r {
        Err(AppError::Conflict { conflicts, .. }) => conflicts
            .get("alternatives")
            .and_then(serde_json::Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|a| {
                let text = |k: &str| a.get(k).and_then(serde_json::Value::as_str).unwrap_or("");
                let (date, start) = Instant::parse_rfc3339(text("starts_at"))?.local_parts(&tz);
                let end = Instant::parse_rfc3339(text("ends_at"))?.local_parts(&tz).1;
                let room = ctx.pick(text("room_name_zh"), text("room_name_en")).to_string();
                let mut fields: Vec<(String, String)> = f
                    .0
                    .iter()
                    .filter(|(k, _)| {
                        !matches!(k.as_str(), "csrf_token" | "room_id" | "date" | "start" | "end")
                    })
                    .cloned()
                    .collect();
                fields.extend([
                    ("room_id".to_string(), text("room_id").to_string()),
                    ("date".to_string(), date.clone()),
                    ("start".to_string(), start.clone()),
                    ("end".to_string(), end.clone()),
                ]);
                Some((format!("{room} · {date} {start}–{end}"), fields))
            })
            .collect(),
        _ => vec![],
    };
    after_offering(&state, ctx, &id, r, alternatives).await
}

pub(in crate::domains::visits) async fn item_page(
    state: &AppState,
    ctx: PageCtx,
    item_id: &str,
    language: String,
    notice: String,
    alert: Alert,
    errors: FormErrors,
) -> AppResult<ItemPage> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageVisits)?;
    let item = service::item_in(state, &center_id, item_id).await?;
    let visit = visit::service::visit_in(state, &center_id, &item.visit_id).await?;
    let span = item.span;
    let line = item_lines(state, &center_id, vec![item], ctx.lang()).await?.remove(0);
    let suggestions = if language.is_empty() {
        None
    } else {
        match interpreting::suggestions(state, &center_id, span, &language).await {
            Ok(s) => Some(s),
            Err(AppError::Invalid(_)) => Some(vec![]),
            Err(e) => return Err(e),
        }
    };
    Ok(ItemPage {
        seats: service::seats(state, &line.item.id).await?,
        interpreters: interpreting::list(state, &center_id).await?,
        ctx,
        visit,
        line,
        language,
        suggestions,
        notice,
        alert,
        errors,
    })
}

pub async fn item_show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> AppResult<Response> {
    let language = crate::reference::languages::language_tag(&q.language).unwrap_or_default();
    let notice = notice_of(&q);
    let page =
        item_page(&state, ctx, &id, language, notice, Alert::default(), FormErrors::default())
            .await?;
    Ok(render(&page)?.into_response())
}

pub(in crate::domains::visits) async fn after_item(
    state: &AppState,
    ctx: PageCtx,
    item_id: &str,
    language: String,
    result: AppResult<()>,
) -> AppResult<Response> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/visits/items/{item_id}?notice=visit-notice-saved"))
            .into_response()),
        Err(e) => {
            let (status, errors, alert) = refusal(ctx.lang(), e, None)?;
            let page =
                item_page(state, ctx, item_id, language, String::new(), alert, errors).await?;
            Ok((status, render(&page)?).into_response())
        }
    }
}

pub async fn item_assign(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::ManageVisits)?;
    let f = Pairs(pairs);
    let language = f.get("language");
    let r = service::assign_interpreter(
        &state,
        &ctx.0.who(),
        &user,
        &id,
        &f.get("interpreter_id"),
        &language,
    )
    .await
    .map(|_| ());
    after_item(&state, ctx, &id, language, r).await
}

pub async fn item_status(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::ManageVisits)?;
    let r = service::set_item_status(&state, &ctx.0.who(), &user, &id, &Pairs(pairs).get("to"))
        .await
        .map(|_| ());
    after_item(&state, ctx, &id, String::new(), r).await
}

pub async fn assignment_cancel(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::ManageVisits)?;
    let a = interpreting::decide(&state, &ctx.0.who(), &user, &id, AssignmentStatus::Cancelled, "")
        .await?;
    Ok(Redirect::to(&format!("/visits/items/{}?notice=visit-notice-saved", a.item_id))
        .into_response())
}

/// The seating plan from the form's rows (blank rows dropped), or — with
/// `fill=members` — from the visit's members (guest side, head first), its
/// hosts (host side) and the item's interpreters.
pub async fn item_seating(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::ManageVisits)?;
    let f = Pairs(pairs);
    let seats = if f.get("fill") == "members" {
        service::default_seating(&state, &center_id, &id).await?
    } else {
        let col = |k: &str| f.raw(k);
        let (sides, positions, roles) = (col("side"), col("position"), col("role"));
        let (nz, no, tz, to) =
            (col("name_zh"), col("name_other"), col("title_zh"), col("title_other"));
        let mut seats = vec![];
        for i in 0..sides.len() {
            let get = |v: &Vec<String>| v.get(i).cloned().unwrap_or_default();
            if get(&nz).is_empty() && get(&no).is_empty() {
                continue;
            }
            seats.push(Seat {
                side: Side::parse(&get(&sides))
                    .ok_or_else(|| AppError::invalid("side", "field-invalid-choice"))?,
                position: get(&positions).parse().unwrap_or(i as i64 + 1),
                role: SeatRole::parse(&get(&roles)).unwrap_or(SeatRole::Principal),
                name_zh: get(&nz),
                name_other: get(&no),
                title_zh: get(&tz),
                title_other: get(&to),
            });
        }
        seats
    };
    let r = service::save_seats(&state, &ctx.0.who(), &user, &id, seats).await.map(|_| ());
    after_item(&state, ctx, &id, String::new(), r).await
}

/// Print-ready name cards (席卡): one folded card per principal seat, guests first.
pub async fn name_cards(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageVisits)?;
    let item = service::item_in(&state, &center_id, &id).await?;
    let visit = visit::service::visit_in(&state, &center_id, &item.visit_id).await?;
    let mut seats = service::seats(&state, &item.id).await?;
    seats.retain(|s| s.role == SeatRole::Principal);
    seats.sort_by_key(|s| (s.side != Side::Guest, s.position));
    let cards = seats
        .into_iter()
        .map(|s| Card {
            name_zh: s.name_zh,
            name_other: s.name_other,
            title_zh: s.title_zh,
            title_other: s.title_other,
            side: s.side,
        })
        .collect();
    Ok(render(&CardsPage { ctx, visit, item, cards })?.into_response())
}

pub async fn itinerary_print(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageVisits)?;
    let visit = visit::service::visit_in(&state, &center_id, &id).await?;
    let center = centers::get(&state, &center_id).await?;
    let items =
        item_lines(&state, &center_id, service::items(&state, &visit.id).await?, ctx.lang())
            .await?;
    let members = member::service::members(&state, &visit.id).await?;
    let page = ItineraryPrintPage {
        ctx,
        visit,
        center,
        items,
        members: members.into_iter().map(|m| m.member).collect(),
    };
    Ok(render(&page)?.into_response())
}

/// The itinerary as iCalendar: one VEVENT per item (UID the item's id), with
/// its status as in RFC 5545 (TENTATIVE / CONFIRMED / CANCELLED).
pub async fn itinerary_ics(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> AppResult<Response> {
    use crate::ical::{fold, head, ics, local, text, utc};
    let (_, center_id) = ctx.0.require_center(Perm::ManageVisits)?;
    let id = id.strip_suffix(".ics").unwrap_or(&id).to_string();
    let visit = visit::service::visit_in(&state, &center_id, &id).await?;
    let center = centers::get(&state, &center_id).await?;
    let tz = crate::clock::time_zone(&center.timezone);
    let now = state.clock.now();
    let rooms = venues::room::service::rooms(&state, &center_id).await?;
    let name = format!("{} {} / {}", visit.reference, visit.title.zh, visit.title.en);
    let mut out = head("Visits", &name, &center.timezone, &tz, now);
    for item in service::items(&state, &visit.id).await? {
        let location = match &item.room_id {
            Some(r) => rooms
                .iter()
                .find(|x| &x.id == r)
                .map(|x| format!("{} / {}", x.name.zh, x.name.en))
                .unwrap_or_default(),
            None => format!("{} {}", item.place.zh, item.place.en).trim().to_string(),
        };
        for line in [
            "BEGIN:VEVENT".to_string(),
            format!("UID:{}@liaison", item.id),
            format!("DTSTAMP:{}", utc(now.millis())),
            format!("DTSTART;TZID={}:{}", center.timezone, local(item.span.start, &tz)),
            format!("DTEND;TZID={}:{}", center.timezone, local(item.span.end, &tz)),
            format!("SUMMARY:{}", text(&format!("{} / {}", item.title.zh, item.title.en))),
            format!("LOCATION:{}", text(&location)),
            format!(
                "DESCRIPTION:{}",
                text(&format!("{} · {}", visit.reference, item.participants))
            ),
            format!("STATUS:{}", item.status.ical()),
            format!("CATEGORIES:{}", item.kind.code().to_uppercase()),
            "END:VEVENT".to_string(),
        ] {
            out.push_str(&fold(&line));
        }
    }
    out.push_str(&fold("END:VCALENDAR"));
    Ok(ics(out))
}
