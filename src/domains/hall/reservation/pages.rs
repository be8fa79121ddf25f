//! The booking form, the holder's page (ticket, calendar file, fewer
//! people, cancellation) and the staff's page of one reservation.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::service::{self, Record};
use crate::auth::Perm;
use crate::clock::Instant;
use crate::domains::centers::service as centers;
use crate::domains::hall::calendar::pages::hall_name;
use crate::domains::hall::calendar::service::{self as calendar, SlotView};
use crate::domains::hall::model::{MAX_MEMBERS, Request};
use crate::domains::hall::views::{
    BookFields, BookPage, HolderPage, StaffReservationPage, WatchFields, WatchPage,
};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::time::day_words;
use crate::web::extract::{Form, Path, Query};
use crate::web::form::{FormErrors, Pairs, again, refusal};
use crate::web::{PageCtx, render};

#[derive(Deserialize, Default)]
pub struct BookQuery {
    #[serde(default)]
    pub slot: String,
    #[serde(default)]
    pub kind: String,
}

async fn book_page(
    state: &AppState,
    ctx: PageCtx,
    slot_key: &str,
    f: BookFields,
    errors: FormErrors,
    alert: String,
) -> AppResult<BookPage> {
    let user = ctx.0.actor.user().cloned();
    let center_id = calendar::center_for(state, user.as_ref()).await?;
    let hall = calendar::require(state, &center_id).await?;
    let slot = calendar::slot(state, &hall, slot_key).await.map_err(|_| AppError::NotFound)?;
    let retention_until = slot
        .day
        .checked_add(jiff::Span::new().days(hall.rules.retention_days))
        .map(|d| day_words(d, ctx.lang(), true))
        .unwrap_or_default();
    Ok(BookPage {
        name: hall_name(&ctx, &hall),
        day_label: day_words(slot.day, ctx.lang(), true),
        slot,
        rules: hall.rules,
        f,
        errors,
        alert,
        retention_until,
        ctx,
    })
}

/// The booking form for a slot.
pub async fn book(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<BookQuery>,
) -> AppResult<Response> {
    let f = BookFields {
        kind: if q.kind == "group" { "group".into() } else { "individual".into() },
        people: if q.kind == "group" { String::new() } else { "1".into() },
        ..BookFields::default()
    };
    let page = book_page(&state, ctx, &q.slot, f, FormErrors::default(), String::new()).await?;
    Ok(render(&page)?.into_response())
}

fn fields(f: &Pairs) -> BookFields {
    BookFields {
        kind: f.get("kind"),
        people: f.get("people"),
        organisation: f.get("organisation"),
        contact_name: f.get("contact_name"),
        phone: f.get("phone"),
        email: f.get("email"),
        members: f.get("members"),
        tour: f.get("tour") == "1",
        tour_lang: f.get("tour_lang"),
        origin: f.get("origin"),
        id_type: f.get("id_type"),
        id_number: f.get("id_number"),
        consent: f.get("consent") == "1",
    }
}

pub async fn book_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let f = Pairs(pairs);
    let slot = f.get("slot");
    let b = fields(&f);
    let user = ctx.0.actor.user().cloned();
    let center_id = calendar::center_for(&state, user.as_ref()).await?;
    let people = b.people.parse::<i64>().ok();
    let req = Request {
        slot: slot.clone(),
        kind: b.kind.clone(),
        people: people.unwrap_or(0),
        organisation: b.organisation.clone(),
        contact_name: b.contact_name.clone(),
        phone: b.phone.clone(),
        email: b.email.clone(),
        members: b.members.lines().take(MAX_MEMBERS + 1).map(str::to_string).collect(),
        tour: b.tour,
        tour_lang: b.tour_lang.clone(),
        origin: b.origin.clone(),
        id_type: b.id_type.clone(),
        id_number: b.id_number.clone(),
        consent: b.consent,
    };
    match service::reserve(&state, &ctx.0.who(), user.as_ref(), &center_id, req, ctx.lang()).await {
        Ok(made) => {
            Ok(Redirect::to(&format!("/hall/r/{}?notice=booked", made.secret)).into_response())
        }
        Err(e) => {
            let (status, errors, alert) = refusal(e, ctx.lang())?;
            let page = book_page(&state, ctx, &slot, b, errors, alert).await?;
            again(status, &page)
        }
    }
}

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    #[serde(default)]
    pub notice: String,
}

async fn holder_page(
    state: &AppState,
    ctx: PageCtx,
    secret: &str,
    notice: &str,
    errors: FormErrors,
    alert: String,
) -> AppResult<HolderPage> {
    let r = service::by_secret(state, secret).await?;
    let hall = calendar::require(state, &r.center_id).await?;
    let center = centers::get(state, &r.center_id).await?;
    let tz = center.tz();
    let now = state.clock.now();
    let (_, t) = Instant(r.starts_at).local_parts(&tz);
    let day: jiff::civil::Date = r.day.parse().map_err(AppError::internal)?;
    let end = Instant(r.starts_at + hall.rules.slot_minutes * 60_000).local_parts(&tz).1;
    let (cd, ct) = Instant(service::cutoff(&hall, &r)).local_parts(&tz);
    Ok(HolderPage {
        name: hall_name(&ctx, &hall),
        when: format!("{} {t}–{end}", day_words(day, ctx.lang(), true)),
        svg: crate::qr::svg(&r.ticket_code, 220),
        code: crate::tickets::display(&r.ticket_code),
        may_change: service::holder_may_change(&hall, &r, now),
        change_until: format!("{cd} {ct}"),
        notice: match notice {
            "booked" => "hall-notice-booked",
            "changed" => "hall-notice-changed",
            "cancelled" => "hall-notice-cancelled",
            _ => "",
        }
        .into(),
        center_name: ctx.pick(&center.name.zh, &center.name.en).to_string(),
        address: ctx.pick(&center.address.zh, &center.address.en).to_string(),
        secret: secret.trim().to_string(),
        r,
        errors,
        alert,
        ctx,
    })
}

/// The holder's page: the ticket with its QR code, and what they may still change.
pub async fn holder(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(secret): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> AppResult<Response> {
    let page =
        holder_page(&state, ctx, &secret, &q.notice, FormErrors::default(), String::new()).await?;
    let mut r = render(&page)?.into_response();
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    r.headers_mut().insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    Ok(r)
}

async fn holder_result(
    state: &AppState,
    ctx: PageCtx,
    secret: &str,
    result: AppResult<Record>,
    notice: &str,
) -> AppResult<Response> {
    match result {
        Ok(_) => {
            Ok(Redirect::to(&format!("/hall/r/{}?notice={notice}", secret.trim())).into_response())
        }
        Err(e) => {
            let (status, errors, alert) = refusal(e, ctx.lang())?;
            let page = holder_page(state, ctx, secret, "", errors, alert).await?;
            again(status, &page)
        }
    }
}

pub async fn holder_people(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(secret): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let r = service::by_secret(&state, &secret).await?;
    let people = Pairs(pairs).get("people").parse::<i64>().unwrap_or(0);
    let result = service::change_people(&state, &ctx.0.who(), &r, people, false).await;
    holder_result(&state, ctx, &secret, result, "changed").await
}

pub async fn holder_cancel(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(secret): Path<String>,
) -> AppResult<Response> {
    let r = service::by_secret(&state, &secret).await?;
    let result = service::cancel(&state, &ctx.0.who(), &r, false, "").await;
    holder_result(&state, ctx, &secret, result, "cancelled").await
}

/// The holder's files: `ticket.ics` (add to a calendar), `qr.svg`, `qr.png`.
pub async fn holder_file(
    State(state): State<AppState>,
    Path((secret, file)): Path<(String, String)>,
) -> AppResult<Response> {
    let r = service::by_secret(&state, &secret).await?;
    let (body, content_type): (Vec<u8>, &'static str) = match file.as_str() {
        "ticket.ics" => return ics(&state, &r).await,
        "qr.svg" => (crate::qr::svg(&r.ticket_code, 600).into_bytes(), "image/svg+xml"),
        "qr.png" => (crate::qr::png(&r.ticket_code, 12).ok_or(AppError::NotFound)?, "image/png"),
        _ => return Err(AppError::NotFound),
    };
    let mut resp = (StatusCode::OK, body).into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(resp)
}

/// One reservation as an iCalendar event (cancelled ones say so).
async fn ics(state: &AppState, r: &Record) -> AppResult<Response> {
    use crate::ical::{fold, head, local, text, utc};
    let hall = calendar::require(state, &r.center_id).await?;
    let center = centers::get(state, &r.center_id).await?;
    let tz = center.tz();
    let now = state.clock.now();
    let both = calendar::display_name(&hall);
    let name = format!("{} / {}", both.zh, both.en);
    let mut out = head("Hall", &name, &center.timezone, &tz, now);
    let status = if r.status == crate::domains::hall::model::Status::Cancelled {
        "CANCELLED"
    } else {
        "CONFIRMED"
    };
    let location = format!("{} / {}", center.address.zh, center.address.en);
    for line in [
        "BEGIN:VEVENT".to_string(),
        format!("UID:{}@liaison", r.id),
        format!("DTSTAMP:{}", utc(now.millis())),
        format!("DTSTART;TZID={}:{}", center.timezone, local(r.starts_at, &tz)),
        format!(
            "DTEND;TZID={}:{}",
            center.timezone,
            local(r.starts_at + hall.rules.slot_minutes * 60_000, &tz)
        ),
        format!("SUMMARY:{}", text(&format!("{name} · {}", r.reference))),
        format!("LOCATION:{}", text(location.trim_matches([' ', '/']))),
        format!(
            "DESCRIPTION:{}",
            text(&format!("{} · {}", r.reference, crate::tickets::display(&r.ticket_code)))
        ),
        format!("STATUS:{status}"),
        "END:VEVENT".to_string(),
    ] {
        out.push_str(&fold(&line));
    }
    out.push_str(&fold("END:VCALENDAR"));
    let mut resp = crate::ical::ics(out);
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(resp)
}

async fn staff_page(
    state: &AppState,
    ctx: PageCtx,
    id: &str,
    errors: FormErrors,
    alert: String,
    notice: &str,
) -> AppResult<StaffReservationPage> {
    let (user, _) = ctx.0.require_center(Perm::ManageHall)?;
    let r = service::for_staff(state, &user, id).await?;
    let hall = calendar::require(state, &r.center_id).await?;
    let tz = centers::tz(state, &r.center_id).await?;
    let now = state.clock.now();
    let today: jiff::civil::Date = crate::domains::hall::calendar::service::today(state, &tz)?;
    let last = calendar::last_bookable_day(&hall.rules, now, &tz).unwrap_or(today);
    // Where it may go: slots still to come with room for the party.
    let slots: Vec<SlotView> = calendar::slots(state, &hall, today, last)
        .await?
        .into_iter()
        .filter(|s| s.start > now.millis() && s.free >= r.people && s.start != r.starts_at)
        .take(300)
        .collect();
    let day: jiff::civil::Date = r.day.parse().map_err(AppError::internal)?;
    Ok(StaffReservationPage {
        when: format!(
            "{} {}",
            day_words(day, ctx.lang(), true),
            Instant(r.starts_at).local_parts(&tz).1
        ),
        slots,
        r,
        errors,
        alert,
        notice: match notice {
            "moved" => "hall-notice-moved",
            "cancelled" => "hall-notice-cancelled",
            "changed" => "hall-notice-changed",
            "forgiven" => "hall-notice-forgiven",
            _ => "",
        }
        .into(),
        id_plain: String::new(),
        ctx,
    })
}

#[derive(Deserialize, Default)]
pub struct StaffQuery {
    #[serde(default)]
    pub notice: String,
}

/// Staff's page of one reservation: details, move, cancel.
pub async fn staff_view(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Query(q): Query<StaffQuery>,
) -> AppResult<Response> {
    let page =
        staff_page(&state, ctx, &id, FormErrors::default(), String::new(), &q.notice).await?;
    let mut r = render(&page)?.into_response();
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(r)
}

/// `move` (to `slot`), `cancel` (with `reason`), `people` (fewer), or
/// `show-id` (the document number in full, audited), by staff.
pub async fn staff_action(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((id, action)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::ManageHall)?;
    let f = Pairs(pairs);
    let reason = f.get("reason");
    let result = match action.as_str() {
        "move" => service::move_to(&state, &ctx.0.who(), &user, &id, &f.get("slot"), &reason)
            .await
            .map(|_| "moved"),
        "cancel" => {
            let r = service::for_staff(&state, &user, &id).await?;
            service::cancel(&state, &ctx.0.who(), &r, true, &reason).await.map(|_| "cancelled")
        }
        "people" => {
            let r = service::for_staff(&state, &user, &id).await?;
            let people = f.get("people").parse::<i64>().unwrap_or(0);
            service::change_people(&state, &ctx.0.who(), &r, people, true).await.map(|_| "changed")
        }
        "forgive" => {
            service::forgive(&state, &ctx.0.who(), &user, &id, &reason).await.map(|_| "forgiven")
        }
        "show-id" => {
            // The number in full, only on this answer, and audited.
            let mut page =
                staff_page(&state, ctx, &id, FormErrors::default(), String::new(), "").await?;
            let plain = match (&state.config.data_key, page.r.id_sealed.is_empty()) {
                (Some(k), false) => k.open(&page.r.id_sealed).unwrap_or_default(),
                _ => String::new(),
            };
            if !plain.is_empty() {
                service::audit_id_seen(&state, &page.ctx.0.who(), &page.r).await?;
            }
            page.id_plain = plain;
            let mut r = render(&page)?.into_response();
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
            return Ok(r);
        }
        _ => return Err(AppError::NotFound),
    };
    match result {
        Ok(notice) => {
            Ok(Redirect::to(&format!("/hall/reservations/{id}?notice={notice}")).into_response())
        }
        Err(e) => {
            let (status, errors, alert) = refusal(e, ctx.lang())?;
            let page = staff_page(&state, ctx, &id, errors, alert, "").await?;
            again(status, &page)
        }
    }
}

async fn watch_page(
    state: &AppState,
    ctx: PageCtx,
    slot_key: &str,
    f: WatchFields,
    errors: FormErrors,
    alert: String,
) -> AppResult<WatchPage> {
    let user = ctx.0.actor.user().cloned();
    let center_id = calendar::center_for(state, user.as_ref()).await?;
    let hall = calendar::require(state, &center_id).await?;
    let slot = calendar::slot(state, &hall, slot_key).await.map_err(|_| AppError::NotFound)?;
    Ok(WatchPage {
        name: hall_name(&ctx, &hall),
        day_label: day_words(slot.day, ctx.lang(), true),
        slot,
        f,
        errors,
        alert,
        done: false,
        ctx,
    })
}

/// "Tell me if places free up" for a full slot.
pub async fn watch(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<BookQuery>,
) -> AppResult<Response> {
    let f = WatchFields { people: "1".into(), ..WatchFields::default() };
    let page = watch_page(&state, ctx, &q.slot, f, FormErrors::default(), String::new()).await?;
    Ok(render(&page)?.into_response())
}

pub async fn watch_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let f = Pairs(pairs);
    let slot = f.get("slot");
    let typed = WatchFields {
        email: f.get("email"),
        people: f.get("people"),
        consent: f.get("consent") == "1",
    };
    let user = ctx.0.actor.user().cloned();
    let center_id = calendar::center_for(&state, user.as_ref()).await?;
    let result = if typed.consent {
        let people = typed.people.parse::<i64>().unwrap_or(0);
        super::watch::watch(
            &state,
            &ctx.0.who(),
            user.as_ref(),
            &center_id,
            super::watch::Ask { slot: &slot, email: &typed.email, people, lang: ctx.lang() },
        )
        .await
    } else {
        Err(AppError::invalid("consent", "hall-consent-required"))
    };
    match result {
        Ok(()) => {
            let mut page =
                watch_page(&state, ctx, &slot, typed, FormErrors::default(), String::new()).await?;
            page.done = true;
            Ok(render(&page)?.into_response())
        }
        Err(e) => {
            let (status, errors, alert) = refusal(e, ctx.lang())?;
            let page = watch_page(&state, ctx, &slot, typed, errors, alert).await?;
            again(status, &page)
        }
    }
}
