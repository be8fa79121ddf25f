//! The public calendar page (kept for a moment, like every public page) and
//! the staff's settings page.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::ToSpan as _;
use jiff::civil::Date;
use serde::Deserialize;

use super::service::{self, HallEdit};
use crate::auth::Perm;
use crate::clock::Instant;
use crate::domains::centers::service as centers;
use crate::domains::hall::model::{Hours, Rules, hm};
use crate::domains::hall::reservation::service as reservations;
use crate::domains::hall::views::{DayCell, HallPage, ManagePage};
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n::Bilingual;
use crate::state::AppState;
use crate::time::{day_words, month_words, weekday_name_at};
use crate::web::extract::{Form, Query};
use crate::web::form::{FormErrors, Pairs, again, refusal};
use crate::web::{PageCtx, render};

#[derive(Deserialize, Default)]
pub struct IndexQuery {
    #[serde(default)]
    pub day: String,
    #[serde(default)]
    pub month: String,
}

/// The hall's name in the reader's language.
pub fn hall_name(ctx: &PageCtx, hall: &service::HallRecord) -> String {
    let name = service::display_name(hall);
    ctx.pick_either(&name.zh, &name.en).to_string()
}

/// The public calendar: a month of days with free places, and the slots of
/// the day picked. The page without a query is shared (cached) like every
/// public page; it is what a whole city opens when bookings open.
pub async fn index(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<IndexQuery>,
) -> AppResult<Response> {
    let pages = state.pages.clone();
    pages
        .public(ctx, "hall", |ctx| async move { Ok(render(&hall_page(&state, ctx, &q).await?)?.0) })
        .await
}

async fn hall_page(state: &AppState, ctx: PageCtx, q: &IndexQuery) -> AppResult<HallPage> {
    let user = ctx.0.actor.user().cloned();
    let center_id = service::center_for(state, user.as_ref()).await?;
    let hall = service::require(state, &center_id).await?;
    let tz = centers::tz(state, &center_id).await?;
    let now = state.clock.now();
    let today: Date = service::today(state, &tz)?;
    let last = service::last_bookable_day(&hall.rules, now, &tz).unwrap_or(today);
    let lang = ctx.lang();
    let picked = crate::time::parse_day("day", &q.day, false).ok().flatten();
    let month_of = |s: &str| format!("{s}-01").parse::<Date>().ok();
    let first = picked
        .map(|d| d.first_of_month())
        .or_else(|| month_of(&q.month))
        .unwrap_or(today.first_of_month());
    let month_last = first.last_of_month();
    let slots = service::slots(state, &hall, first, month_last).await?;
    let mut days = vec![];
    let mut d = first;
    while d <= month_last {
        let of_day: Vec<_> = slots.iter().filter(|s| s.day == d).collect();
        days.push(DayCell {
            date: d.to_string(),
            number: d.day(),
            open: !of_day.is_empty(),
            free: of_day.iter().filter(|s| s.bookable).map(|s| s.free).sum(),
            bookable: of_day.iter().any(|s| s.bookable && s.free > 0),
            selected: false,
            today: d == today,
        });
        d = match d.checked_add(1.day()) {
            Ok(n) => n,
            Err(_) => break,
        };
    }
    // The day shown: the one picked, else the first with places (this month).
    let day = picked
        .filter(|p| p.first_of_month() == first)
        .or_else(|| days.iter().find(|c| c.bookable).and_then(|c| c.date.parse().ok()));
    for c in &mut days {
        c.selected = day.is_some_and(|d| d.to_string() == c.date);
    }
    let day_slots =
        day.map(|d| slots.iter().filter(|s| s.day == d).cloned().collect()).unwrap_or_default();
    let prev_month = first.checked_sub(1.month()).ok();
    let next_month = first.checked_add(1.month()).ok();
    let prev = prev_month
        .filter(|p| p.last_of_month() >= today)
        .map(|p| format!("/hall?month={}", p.strftime("%Y-%m")))
        .unwrap_or_default();
    let next = next_month
        .filter(|n| *n <= last)
        .map(|n| format!("/hall?month={}", n.strftime("%Y-%m")))
        .unwrap_or_default();
    let week = hall
        .calendar
        .week
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let hours = match h {
                Some(h) => format!("{}–{}", hm(h.opens), hm(h.closes)),
                None => ctx.t("hall-closed"),
            };
            (weekday_name_at(i, lang), hours)
        })
        .collect();
    let day_note = day
        .and_then(|d| hall.notes.get(&d))
        .map(|n| ctx.pick_either(&n.zh, &n.en).to_string())
        .unwrap_or_default();
    Ok(HallPage {
        name: hall_name(&ctx, &hall),
        week,
        month_label: month_words(first, lang),
        lead: first.weekday().to_monday_zero_offset() as usize,
        days,
        prev,
        next,
        day: day.map(|d| d.to_string()).unwrap_or_default(),
        day_label: day.map(|d| day_words(d, lang, false)).unwrap_or_default(),
        day_note,
        slots: day_slots,
        open: hall.rules.open,
        staff: ctx.can(Perm::ManageHall),
        rules: hall.rules,
        ctx,
    })
}

/// The settings page: name, rules, weekly hours, exceptions, and the
/// reservations a change of calendar left without a place.
pub async fn manage(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<NoticeQuery>,
) -> AppResult<Response> {
    let page =
        manage_page(&state, ctx, None, FormErrors::default(), String::new(), &q.notice).await?;
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    #[serde(default)]
    pub notice: String,
}

/// The settings form as typed: name, rules, and each weekday's (opens, closes).
type Typed = (Bilingual, Rules, [(String, String); 7]);

async fn manage_page(
    state: &AppState,
    ctx: PageCtx,
    typed: Option<Typed>,
    errors: FormErrors,
    alert: String,
    notice: &str,
) -> AppResult<ManagePage> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageHall)?;
    let hall = service::hall(state, &center_id).await?;
    let tz = centers::tz(state, &center_id).await?;
    let lang = ctx.lang();
    let exists = hall.is_some();
    let (name, rules, week) = match (typed, &hall) {
        (Some(t), _) => t,
        (None, Some(h)) => {
            let week = std::array::from_fn(|i| {
                h.calendar.week[i].map(|h| (hm(h.opens), hm(h.closes))).unwrap_or_default()
            });
            (h.name.clone(), h.rules.clone(), week)
        }
        (None, None) => {
            // A first hall: the center's usual week, Tuesday to Sunday 9–17.
            let week = std::array::from_fn(|i| {
                if i == 0 { Default::default() } else { ("09:00".into(), "17:00".into()) }
            });
            (Bilingual::default(), Rules::default(), week)
        }
    };
    let mut exceptions = vec![];
    let mut displaced = vec![];
    if let Some(h) = &hall {
        let today: Date = service::today(state, &tz)?;
        for (d, hours) in h.calendar.exceptions.iter().filter(|(d, _)| **d >= today).take(200) {
            let note = h
                .notes
                .get(d)
                .map(|n| ctx.pick_either(&n.zh, &n.en).to_string())
                .unwrap_or_default();
            let hours = hours
                .map(|h| format!("{}–{}", hm(h.opens), hm(h.closes)))
                .unwrap_or_else(|| ctx.t("hall-closed"));
            exceptions.push((day_words(*d, lang, true), hours, note));
        }
        for r in reservations::displaced(state, h).await? {
            let (d, t) = Instant(r.starts_at).local_parts(&tz);
            displaced.push((r, format!("{d} {t}")));
        }
    }
    Ok(ManagePage {
        name_zh: name.zh,
        name_en: name.en,
        rules,
        week: week
            .into_iter()
            .enumerate()
            .map(|(i, (o, c))| (i + 1, weekday_name_at(i, lang), o, c))
            .collect(),
        exceptions,
        displaced,
        errors,
        alert,
        notice: match notice {
            "saved" => "hall-notice-saved",
            "exception" => "hall-notice-exception",
            _ => "",
        }
        .into(),
        exists,
        ctx,
    })
}

/// Reads the rules from the settings form (a number that is not one is
/// refused by its field).
fn rules_from(f: &Pairs, errors: &mut Vec<FieldError>) -> Rules {
    let d = Rules::default();
    let mut num = |k: &str, fallback: i64| -> i64 {
        let v = f.get(k);
        match v.parse::<i64>() {
            Ok(n) => n,
            Err(_) => {
                errors.push(FieldError::new(
                    k,
                    if v.is_empty() { "field-required" } else { "field-invalid" },
                ));
                fallback
            }
        }
    };
    Rules {
        open: f.get("open") == "1",
        slot_minutes: num("slot_minutes", d.slot_minutes),
        slot_capacity: num("slot_capacity", d.slot_capacity),
        group_day_cap: num("group_day_cap", d.group_day_cap),
        horizon_days: num("horizon_days", d.horizon_days),
        cancel_hours: num("cancel_hours", d.cancel_hours),
        arrive_before_min: num("arrive_before_min", d.arrive_before_min),
        arrive_after_min: num("arrive_after_min", d.arrive_after_min),
        max_party: num("max_party", d.max_party),
        max_group: num("max_group", d.max_group),
        max_day_people: num("max_day_people", d.max_day_people),
        max_day_bookings: num("max_day_bookings", d.max_day_bookings),
        strike_limit: num("strike_limit", d.strike_limit),
        strike_window_days: num("strike_window_days", d.strike_window_days),
        cooloff_days: num("cooloff_days", d.cooloff_days),
        real_name: f.get("real_name") == "1",
        retention_days: num("retention_days", d.retention_days),
        local_prefix: f.get("local_prefix"),
    }
}

pub async fn manage_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::ManageHall)?;
    let f = Pairs(pairs);
    let mut errors = vec![];
    let rules = rules_from(&f, &mut errors);
    let typed_week: [(String, String); 7] = std::array::from_fn(|i| {
        (f.get(&format!("opens_{}", i + 1)), f.get(&format!("closes_{}", i + 1)))
    });
    let mut week: [Option<Hours>; 7] = [None; 7];
    for (i, (o, c)) in typed_week.iter().enumerate() {
        if o.is_empty() && c.is_empty() {
            continue;
        }
        match Hours::parse(o, c) {
            Some(h) => week[i] = Some(h),
            None => errors.push(FieldError::new(format!("opens_{}", i + 1), "hall-hours-invalid")),
        }
    }
    let name = Bilingual::new(f.get("name_zh"), f.get("name_en"));
    let result = if errors.is_empty() {
        service::save(
            &state,
            &ctx.0.who(),
            &user,
            HallEdit { name: name.clone(), rules: rules.clone(), week },
        )
        .await
    } else {
        Err(AppError::Invalid(errors))
    };
    match result {
        Ok(()) => Ok(Redirect::to("/hall/manage?notice=saved").into_response()),
        Err(e) => {
            let (status, errors, alert) = refusal(e, ctx.lang())?;
            let page = manage_page(&state, ctx, Some((name, rules, typed_week)), errors, alert, "")
                .await?;
            again(status, &page)
        }
    }
}

/// Adds a dated exception, or removes one (`remove`).
pub async fn exception_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::ManageHall)?;
    let f = Pairs(pairs);
    let day = f.get("day");
    let result = if f.get("remove") == "1" {
        service::remove_exception(&state, &ctx.0.who(), &user, &day).await
    } else {
        let closed = f.get("closed") == "1";
        let hours = if closed {
            Ok(None)
        } else {
            super::api::exception_hours(&f.get("opens"), &f.get("closes"))
        };
        match hours {
            Ok(h) => {
                service::set_exception(
                    &state,
                    &ctx.0.who(),
                    &user,
                    &day,
                    h,
                    Bilingual::new(f.get("note_zh"), f.get("note_en")),
                )
                .await
            }
            Err(e) => Err(e),
        }
    };
    match result {
        Ok(()) => Ok(Redirect::to("/hall/manage?notice=exception").into_response()),
        Err(e) => {
            let (status, errors, alert) = refusal(e, ctx.lang())?;
            let page = manage_page(&state, ctx, None, errors, alert, "").await?;
            again(status, &page)
        }
    }
}
