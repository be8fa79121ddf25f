//! HTML for visits: the public request form, the list and figures, a visit
//! and its forms (every change refused with a clear message on the page), an
//! itinerary item with interpreters and seating, printouts, iCalendar, an
//! organisation's timeline and the gift register.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::Value;

use super::api::VisitQuery;
use super::model::{SeatRole, Side};
use super::records::{Item, Seat, Visit};
use super::service::{
    self, GiftMove, ItemInput, MemberInput, OutcomeInput, OutcomeUpdate, TaskInput, VisitInput,
};
use super::store::VisitFilter;
use super::views::{
    Alert, Card, CardsPage, FigureRow, FiguresPage, GiftsPage, ItemLine, ItemPage,
    ItineraryPrintPage, OrganisationPage, RequestDonePage, VisitFields, VisitFormPage, VisitPage,
    VisitsPage,
};
use crate::auth::{Perm, Role};
use crate::clock::Instant;
use crate::domains::accounts::service as accounts;
use crate::domains::centers::service as centers;
use crate::domains::interpreting::model::AssignmentStatus;
use crate::domains::interpreting::service as interpreting;
use crate::domains::venues::service as venues;
use crate::error::{AppError, AppResult};
use crate::i18n::{Bilingual, Lang};
use crate::state::AppState;
use crate::time::Span;
use crate::web::extract::{Form, Path, Query};
use crate::web::form::FormErrors;
use crate::web::form::Pairs;
use crate::web::{PageCtx, render};

/// Notices a redirect may ask a page to show.
const NOTICES: &[&str] = &["visit-created", "visit-moved", "visit-notice-saved"];

fn notice_of(q: &NoticeQuery) -> String {
    NOTICES.iter().find(|n| **n == q.notice).map(|n| n.to_string()).unwrap_or_default()
}

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    #[serde(default)]
    pub notice: String,
    #[serde(default)]
    pub language: String,
}

fn fields_of(f: &Pairs) -> VisitFields {
    VisitFields {
        organisation_id: f.get("organisation_id"),
        organisation_name: f.get("organisation_name"),
        organisation_name_zh: f.get("organisation_name_zh"),
        organisation_type: f.get("organisation_type"),
        country: f.get("country"),
        title_zh: f.get("title_zh"),
        title_en: f.get("title_en"),
        purpose: f.get("purpose"),
        preferred_from: f.get("preferred_from"),
        preferred_to: f.get("preferred_to"),
        starts_on: f.get("starts_on"),
        ends_on: f.get("ends_on"),
        party_size: f.get("party_size"),
        languages: f.get("languages"),
        protocol_level: f.get("protocol_level"),
        hosts: f.get("hosts"),
        approval_ref: f.get("approval_ref"),
        budget: f.get("budget"),
        contact_name: f.get("contact_name"),
        contact_email: f.get("contact_email"),
        contact_phone: f.get("contact_phone"),
        status: f.get("status"),
        consent: !f.get("consent").is_empty(),
    }
}

fn fields_of_visit(v: &Visit) -> VisitFields {
    VisitFields {
        organisation_id: v.organisation_id.clone(),
        title_zh: v.title.zh.clone(),
        title_en: v.title.en.clone(),
        purpose: v.purpose.clone(),
        preferred_from: v.preferred_from.clone(),
        preferred_to: v.preferred_to.clone(),
        starts_on: v.starts_on.clone(),
        ends_on: v.ends_on.clone(),
        party_size: v.party_size.to_string(),
        languages: v.languages.join(", "),
        protocol_level: v.protocol_level.clone(),
        hosts: v.hosts.clone(),
        approval_ref: v.approval_ref.clone(),
        budget: v.budget.clone(),
        contact_name: v.contact_name.clone(),
        contact_email: v.contact_email.clone(),
        contact_phone: v.contact_phone.clone(),
        ..VisitFields::default()
    }
}

fn input_of(f: &Pairs) -> VisitInput {
    VisitInput {
        organisation_id: f.get("organisation_id"),
        // The English (or Latin-script) name is the main one on the form.
        organisation_name: Bilingual::new(
            f.get("organisation_name_zh"),
            f.get("organisation_name"),
        ),
        organisation_type: f.get("organisation_type"),
        country: f.get("country"),
        title: Bilingual::new(f.get("title_zh"), f.get("title_en")),
        purpose: f.get("purpose"),
        preferred_from: f.get("preferred_from"),
        preferred_to: f.get("preferred_to"),
        starts_on: f.get("starts_on"),
        ends_on: f.get("ends_on"),
        party_size: f.get("party_size").parse().unwrap_or(0),
        languages: f.get("languages"),
        protocol_level: f.get("protocol_level"),
        hosts: f.get("hosts"),
        approval_ref: f.get("approval_ref"),
        budget: f.get("budget"),
        contact_name: f.get("contact_name"),
        contact_email: f.get("contact_email"),
        contact_phone: f.get("contact_phone"),
        consent: !f.get("consent").is_empty(),
        status: f.get("status"),
        retention_until: f.get("retention_until"),
    }
}

// ---------------------------------------------------------------- public request

pub async fn request_form(ctx: PageCtx) -> AppResult<Response> {
    let page = VisitFormPage {
        ctx,
        staff: false,
        f: VisitFields { party_size: "4".into(), ..VisitFields::default() },
        errors: FormErrors::default(),
        organisations: vec![],
    };
    Ok(render(&page)?.into_response())
}

pub async fn request_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let center = centers::public_center(&state).await?.ok_or(AppError::NotFound)?;
    let f = Pairs(pairs);
    match service::request(&state, &ctx.0.who(), &center.id, input_of(&f)).await {
        Ok(v) => {
            Ok(Redirect::to(&format!("/visit-request/done?reference={}", v.reference))
                .into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let page = VisitFormPage {
                ctx,
                staff: false,
                f: fields_of(&f),
                errors: FormErrors(errors),
                organisations: vec![],
            };
            crate::web::form::again(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct DoneQuery {
    #[serde(default)]
    pub reference: String,
}

pub async fn request_done(ctx: PageCtx, Query(q): Query<DoneQuery>) -> AppResult<Response> {
    // Only a reference's shape is echoed back, never arbitrary text.
    let ok = q.reference.len() <= 20
        && q.reference.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let reference = if ok { q.reference } else { String::new() };
    Ok(render(&RequestDonePage { ctx, reference })?.into_response())
}

// ---------------------------------------------------------------- list, new, figures

pub async fn index(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<VisitQuery>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageVisits)?;
    let f = q.filter(&center_id);
    let mut visits =
        service::list(&state, &VisitFilter { limit: f.limit + 1, ..f.clone() }).await?;
    let next_href = if visits.len() as i64 > f.limit {
        visits.truncate(f.limit as usize);
        let cursor = visits.last().map(|v| v.id.clone()).unwrap_or_default();
        let limit = f.limit.to_string();
        let pairs: Vec<(&str, &str)> = [
            ("status", f.status.as_str()),
            ("type", f.kind.as_str()),
            ("country", f.country.as_str()),
            ("year", q.year.trim()),
            ("limit", limit.as_str()),
            ("cursor", cursor.as_str()),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect();
        format!("/visits?{}", serde_urlencoded::to_string(pairs).unwrap_or_default())
    } else {
        String::new()
    };
    let page = VisitsPage {
        ctx,
        visits,
        status: f.status,
        kind: f.kind,
        country: f.country,
        year: q.year.trim().to_string(),
        years: service::years(&state, &center_id).await?,
        next_href,
    };
    Ok(render(&page)?.into_response())
}

pub async fn new(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageVisits)?;
    let page = VisitFormPage {
        ctx,
        staff: true,
        f: VisitFields { party_size: "4".into(), ..VisitFields::default() },
        errors: FormErrors::default(),
        organisations: service::organisations(&state, &center_id, "").await?,
    };
    Ok(render(&page)?.into_response())
}

pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::ManageVisits)?;
    let f = Pairs(pairs);
    match service::create(&state, &ctx.0.who(), &user, input_of(&f)).await {
        Ok(v) => {
            Ok(Redirect::to(&format!("/visits/{}?notice=visit-created", v.id)).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let page = VisitFormPage {
                ctx,
                staff: true,
                f: fields_of(&f),
                errors: FormErrors(errors),
                organisations: service::organisations(&state, &center_id, "").await?,
            };
            crate::web::form::again(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct FiguresQuery {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub as_of: String,
}

pub async fn figures(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<FiguresQuery>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageVisits)?;
    let page = match super::api::figures(&state, &center_id, &q.from, &q.as_of).await {
        Ok(f) => {
            let key = if f.quoted_is_lower_bound { "figures-quote-more" } else { "figures-quote" };
            let quote = ctx.lang().t_args(
                key,
                &[
                    ("date", f.as_of.clone()),
                    ("from", f.from.clone()),
                    ("groups", f.quoted_groups.to_string()),
                    ("persons", f.total_persons.to_string()),
                ],
            );
            FiguresPage {
                ctx,
                rows: f
                    .by_type
                    .iter()
                    .filter_map(|r| {
                        super::model::OrgKind::parse(&r.organisation_type).map(|kind| FigureRow {
                            kind,
                            groups: r.groups,
                            persons: r.persons,
                        })
                    })
                    .collect(),
                from: f.from,
                as_of: f.as_of,
                total_groups: f.total_groups,
                total_persons: f.total_persons,
                quote,
                errors: FormErrors::default(),
            }
        }
        Err(AppError::Invalid(errors)) => FiguresPage {
            ctx,
            from: q.from,
            as_of: q.as_of,
            rows: vec![],
            total_groups: 0,
            total_persons: 0,
            quote: String::new(),
            errors: FormErrors(errors),
        },
        Err(e) => return Err(e),
    };
    Ok(render(&page)?.into_response())
}

// ---------------------------------------------------------------- a visit

async fn item_lines(
    state: &AppState,
    center_id: &str,
    items: Vec<Item>,
    lang: Lang,
) -> AppResult<Vec<ItemLine>> {
    let tz = centers::tz(state, center_id).await?;
    let assignments = service::assignments(state, &items).await?;
    let rooms = venues::rooms(state, center_id).await?;
    Ok(items
        .into_iter()
        .map(|item| {
            let room = match &item.room_id {
                Some(id) => rooms
                    .iter()
                    .find(|r| &r.id == id)
                    .map(|r| lang.pick(&r.name.zh, &r.name.en).to_string())
                    .unwrap_or_default(),
                None => lang.pick(&item.place.zh, &item.place.en).to_string(),
            };
            ItemLine {
                when: crate::time::day_and_times(item.span, &tz),
                room,
                assignments: assignments.iter().filter(|a| a.item_id == item.id).cloned().collect(),
                item,
            }
        })
        .collect())
}

async fn visit_page(
    state: &AppState,
    ctx: PageCtx,
    id: &str,
    notice: String,
    errors: FormErrors,
    alert: Alert,
) -> AppResult<VisitPage> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageVisits)?;
    let visit = service::visit_in(state, &center_id, id).await?;
    let tz = centers::tz(state, &center_id).await?;
    let items =
        item_lines(state, &center_id, service::items(state, &visit.id).await?, ctx.lang()).await?;
    let staff = accounts::users_in(state, &center_id)
        .await?
        .into_iter()
        .filter(|u| u.active && matches!(u.role, Role::Admin | Role::Staff | Role::Interpreter))
        .map(|u| (u.id, u.display_name))
        .collect();
    Ok(VisitPage {
        history: service::history(state, &visit.id).await?,
        members: service::members(state, &visit.id).await?,
        tasks: service::tasks(state, &visit.id).await?,
        outcomes: service::outcomes(state, &center_id, &visit.id, "").await?,
        gifts: service::gifts(state, &center_id).await?,
        given: service::movements(state, &center_id, &visit.id, "").await?,
        rooms: venues::rooms(state, &center_id).await?,
        staff,
        today: state.clock.now().local_parts(&tz).0,
        f: fields_of_visit(&visit),
        items,
        visit,
        ctx,
        notice,
        errors,
        alert,
        tz,
    })
}

pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> AppResult<Response> {
    let page = visit_page(&state, ctx, &id, notice_of(&q), FormErrors::default(), Alert::default())
        .await?;
    Ok(render(&page)?.into_response())
}

/// Lines describing what a 409 lists: times, titles, reasons, alternatives.
fn conflict_lines(lang: Lang, conflicts: &Value) -> Vec<String> {
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let time = |v: &Value| {
        let a = s(v, "starts_at");
        let b = s(v, "ends_at");
        format!("{}–{}", a.get(..16).unwrap_or("").replace('T', " "), b.get(11..16).unwrap_or(""))
    };
    let mut out = vec![];
    for c in conflicts.get("conflicts").and_then(Value::as_array).into_iter().flatten() {
        let title = lang.pick(&s(c, "title_zh"), &s(c, "title_en")).to_string();
        let extra = if title.is_empty() { s(c, "reason") } else { title };
        if c.get("starts_at").is_some() {
            out.push(format!("{} {}", time(c), extra).trim().to_string());
        }
    }
    for a in conflicts.get("alternatives").and_then(Value::as_array).into_iter().flatten() {
        out.push(format!(
            "→ {} · {}",
            lang.pick(&s(a, "room_name_zh"), &s(a, "room_name_en")),
            time(a)
        ));
    }
    out
}

/// How a refused change shows on the page it came from: the fields (422)
/// or what is in the way (409). Other errors pass through.
fn refusal(
    lang: Lang,
    error: AppError,
    repeat: Option<(String, String, String)>,
) -> Result<(StatusCode, FormErrors, Alert), AppError> {
    match error {
        AppError::Invalid(errors) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, FormErrors(errors), Alert::default()))
        }
        AppError::Conflict { key, conflicts } => {
            let alert = Alert {
                message: lang.t(key),
                lines: conflict_lines(lang, &conflicts),
                repeat_gift: if key == "gift-repeat" { repeat } else { None },
            };
            Ok((StatusCode::CONFLICT, FormErrors::default(), alert))
        }
        e => Err(e),
    }
}

/// After a form on the visit page: back to it with a notice, or the page
/// again showing the refusal.
async fn after(
    state: &AppState,
    ctx: PageCtx,
    id: &str,
    result: AppResult<()>,
    notice: &str,
    repeat: Option<(String, String, String)>,
) -> AppResult<Response> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/visits/{id}?notice={notice}")).into_response()),
        Err(e) => {
            let (status, errors, alert) = refusal(ctx.lang(), e, repeat)?;
            let page = visit_page(state, ctx, id, String::new(), errors, alert).await?;
            Ok((status, render(&page)?).into_response())
        }
    }
}

pub async fn transition(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::ManageVisits)?;
    let f = Pairs(pairs);
    let r = service::transition(&state, &ctx.0.who(), &user, &id, &f.get("to"), &f.get("reason"))
        .await
        .map(|_| ());
    after(&state, ctx, &id, r, "visit-moved", None).await
}

pub async fn edit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::ManageVisits)?;
    let f = Pairs(pairs);
    let r = service::update(&state, &ctx.0.who(), &user, &id, input_of(&f), &f.get("summary"))
        .await
        .map(|_| ());
    after(&state, ctx, &id, r, "visit-notice-saved", None).await
}

pub async fn member_add(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::ManageVisits)?;
    let f = Pairs(pairs);
    let input = MemberInput {
        surname: f.get("surname"),
        given_name: f.get("given_name"),
        name_zh: f.get("name_zh"),
        gender: f.get("gender"),
        title: Bilingual::new(f.get("title_zh"), f.get("title_en")),
        organisation: f.get("organisation"),
        languages: f.get("languages"),
        dietary: f.get("dietary"),
        email: f.get("email"),
        phone: f.get("phone"),
        is_head: !f.get("is_head").is_empty(),
        passport: f.get("passport"),
    };
    let r = service::add_member(&state, &ctx.0.who(), &user, &id, input).await.map(|_| ());
    after(&state, ctx, &id, r, "visit-notice-saved", None).await
}

pub async fn member_delete(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((id, member)): Path<(String, String)>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::ManageVisits)?;
    let r = service::remove_member(&state, &ctx.0.who(), &user, &id, &member).await;
    after(&state, ctx, &id, r, "visit-notice-saved", None).await
}

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
    after(&state, ctx, &id, r, "visit-notice-saved", None).await
}

pub async fn task_add(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::ManageVisits)?;
    let f = Pairs(pairs);
    let input = TaskInput {
        area: f.get("area"),
        title: f.get("title"),
        owner_id: f.get("owner_id"),
        due_on: f.get("due_on"),
    };
    let r = service::add_task(&state, &ctx.0.who(), &user, &id, input).await.map(|_| ());
    after(&state, ctx, &id, r, "visit-notice-saved", None).await
}

pub async fn task_status(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(task): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::ManageVisits)?;
    let t = service::set_task_status(&state, &ctx.0.who(), &user, &task, &Pairs(pairs).get("to"))
        .await?;
    Ok(Redirect::to(&format!("/visits/{}?notice=visit-notice-saved#plan", t.visit_id))
        .into_response())
}

pub async fn outcome_add(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::ManageVisits)?;
    let f = Pairs(pairs);
    let input = OutcomeInput {
        kind: f.get("kind"),
        title: Bilingual::new(f.get("title_zh"), f.get("title_en")),
        parties: f.get("parties"),
        signed_on: f.get("signed_on"),
        document_ref: f.get("document_ref"),
        owner_id: f.get("owner_id"),
        next_action: f.get("next_action"),
        next_action_on: f.get("next_action_on"),
        status: f.get("status"),
    };
    let r = service::add_outcome(&state, &ctx.0.who(), &user, &id, input).await.map(|_| ());
    after(&state, ctx, &id, r, "visit-notice-saved", None).await
}

pub async fn outcome_update(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(outcome): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::ManageVisits)?;
    let before = service::outcome_in(&state, &center_id, &outcome).await?;
    let visit = before.visit_id.clone().unwrap_or_default();
    let f = Pairs(pairs);
    let update = OutcomeUpdate {
        status: f.get("status"),
        next_action: f.get("next_action"),
        next_action_on: f.get("next_action_on"),
        signed_on: f.get("signed_on"),
    };
    let r =
        service::update_outcome(&state, &ctx.0.who(), &user, &outcome, update).await.map(|_| ());
    after(&state, ctx, &visit, r, "visit-notice-saved", None).await
}

pub async fn give_gift(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::ManageVisits)?;
    let f = Pairs(pairs);
    // The form gives; a positive number typed in still means pieces given.
    let quantity = -f.get("quantity").parse::<i64>().unwrap_or(0).abs();
    let m = GiftMove {
        gift_id: f.get("gift_id"),
        quantity,
        visit_id: id.clone(),
        recipient: f.get("recipient"),
        note: String::new(),
        confirm_repeat: !f.get("confirm_repeat").is_empty(),
    };
    let repeat = Some((m.gift_id.clone(), quantity.to_string(), m.recipient.clone()));
    let r = service::move_gift(&state, &ctx.0.who(), &user, m).await.map(|_| ());
    after(&state, ctx, &id, r, "visit-notice-saved", repeat).await
}

// ---------------------------------------------------------------- an item

async fn item_page(
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
    let visit = service::visit_in(state, &center_id, &item.visit_id).await?;
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
        interpreters: interpreting::list(state, &center_id, &[]).await?,
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

async fn after_item(
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
    let visit = service::visit_in(&state, &center_id, &item.visit_id).await?;
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
    let visit = service::visit_in(&state, &center_id, &id).await?;
    let center = centers::get(&state, &center_id).await?;
    let items =
        item_lines(&state, &center_id, service::items(&state, &visit.id).await?, ctx.lang())
            .await?;
    let page = ItineraryPrintPage {
        center_name: ctx.pick(&center.name.zh, &center.name.en).to_string(),
        center_name_other: ctx.pick_other(&center.name.zh, &center.name.en).to_string(),
        ctx,
        visit,
        items,
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
    let visit = service::visit_in(&state, &center_id, &id).await?;
    let center = centers::get(&state, &center_id).await?;
    let tz = crate::clock::time_zone(&center.timezone);
    let now = state.clock.now();
    let rooms = venues::rooms(&state, &center_id).await?;
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

// ---------------------------------------------------------------- organisations and gifts

pub async fn organisation(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> AppResult<Response> {
    Ok(render(&organisation_page(&state, ctx, &id, FormErrors::default()).await?)?.into_response())
}

pub async fn organisation_update(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageVisits)?;
    let f = Pairs(pairs);
    let input = service::OrgInput {
        name: Bilingual::new(f.get("name_zh"), f.get("name_en")),
        kind: f.get("organisation_type"),
        country: f.get("country"),
        contact_name: f.get("contact_name"),
        contact_email: f.get("contact_email"),
        contact_phone: f.get("contact_phone"),
        notes: f.get("notes"),
    };
    match service::update_organisation(&state, &ctx.0.who(), &center_id, &id, input).await {
        Ok(_) => Ok(Redirect::to(&format!("/organisations/{id}")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let page = organisation_page(&state, ctx, &id, FormErrors(errors)).await?;
            crate::web::form::again(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e),
    }
}

async fn organisation_page(
    state: &AppState,
    ctx: PageCtx,
    id: &str,
    errors: FormErrors,
) -> AppResult<OrganisationPage> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageVisits)?;
    let org = service::organisation_in(state, &center_id, id).await?;
    let filter = VisitFilter {
        center_id: center_id.clone(),
        organisation_id: org.id.clone(),
        limit: 500,
        ..VisitFilter::default()
    };
    Ok(OrganisationPage {
        visits: service::list(state, &filter).await?,
        outcomes: service::outcomes(state, &center_id, "", &org.id).await?,
        gifts: service::movements(state, &center_id, "", &org.id).await?,
        ctx,
        org,
        errors,
    })
}

async fn gifts_page(
    state: &AppState,
    ctx: PageCtx,
    errors: FormErrors,
    notice: String,
) -> AppResult<GiftsPage> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageVisits)?;
    Ok(GiftsPage {
        gifts: service::gifts(state, &center_id).await?,
        movements: service::movements(state, &center_id, "", "").await?,
        ctx,
        errors,
        notice,
    })
}

pub async fn gifts(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<NoticeQuery>,
) -> AppResult<Response> {
    let page = gifts_page(&state, ctx, FormErrors::default(), notice_of(&q)).await?;
    Ok(render(&page)?.into_response())
}

fn fen(yuan: &str) -> i64 {
    yuan.trim().parse::<f64>().map(|y| (y * 100.0).round() as i64).unwrap_or(-1)
}

pub async fn gift_create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageVisits)?;
    let f = Pairs(pairs);
    let value = if f.get("value").is_empty() { 0 } else { fen(&f.get("value")) };
    match service::create_gift(
        &state,
        &ctx.0.who(),
        &center_id,
        Bilingual::new(f.get("name_zh"), f.get("name_en")),
        value,
    )
    .await
    {
        Ok(_) => Ok(Redirect::to("/gifts?notice=visit-notice-saved").into_response()),
        Err(AppError::Invalid(errors)) => {
            let page = gifts_page(&state, ctx, FormErrors(errors), String::new()).await?;
            crate::web::form::again(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e),
    }
}

pub async fn gift_stock(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::ManageVisits)?;
    let quantity = Pairs(pairs).get("quantity").parse::<i64>().unwrap_or(0).abs();
    let m = GiftMove { gift_id: id, quantity, ..GiftMove::default() };
    match service::move_gift(&state, &ctx.0.who(), &user, m).await {
        Ok(_) => Ok(Redirect::to("/gifts?notice=visit-notice-saved").into_response()),
        Err(AppError::Invalid(errors)) => {
            let page = gifts_page(&state, ctx, FormErrors(errors), String::new()).await?;
            crate::web::form::again(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e),
    }
}
