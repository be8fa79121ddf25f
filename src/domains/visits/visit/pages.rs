use super::api;
use super::service;
use crate::auth::{Perm, Role};
use crate::domains::accounts::service as accounts;
use crate::domains::centers::service as centers;
use crate::domains::interpreting::model::AssignmentStatus;
use crate::domains::venues;
use crate::domains::visits::model::{
    ItemStatus, MoveFacts, TaskStatus, VisitStatus, move_warnings,
};
use crate::domains::visits::records::{Item, Visit};
use crate::domains::visits::views::{
    Alert, ConfirmMove, FigureRow, FiguresPage, ItemLine, RequestDonePage, VisitFields,
    VisitFormPage, VisitPage, VisitsPage,
};
use crate::domains::visits::visit::api::VisitQuery;
use crate::domains::visits::visit::service::VisitInput;
use crate::domains::visits::visit::store::VisitFilter;
use crate::domains::visits::{gift, itinerary, member, organisation, outcome, task};
use crate::error::{AppError, AppResult};
use crate::i18n::{Bilingual, Lang};
use crate::state::AppState;
use crate::web::extract::{Form, Path, Query};
use crate::web::form::FormErrors;
use crate::web::form::Pairs;
use crate::web::{PageCtx, render};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::Value;

/// Notices a redirect may ask a page to show.
pub(in crate::domains::visits) const NOTICES: &[&str] =
    &["visit-created", "visit-moved", "visit-notice-saved"];

pub(in crate::domains::visits) fn notice_of(q: &NoticeQuery) -> String {
    NOTICES.iter().find(|n| **n == q.notice).map(|n| n.to_string()).unwrap_or_default()
}

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    #[serde(default)]
    pub notice: String,
    /// A member to edit on the visit page.
    #[serde(default)]
    pub member: String,
    #[serde(default)]
    pub language: String,
}

pub(in crate::domains::visits) fn fields_of(f: &Pairs) -> VisitFields {
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
        languages: f.joined("languages"),
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

pub(in crate::domains::visits) fn fields_of_visit(v: &Visit) -> VisitFields {
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

pub(in crate::domains::visits) fn input_of(f: &Pairs) -> VisitInput {
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
        languages: f.joined("languages"),
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
        let cursor = visits.last().map(api::visit_cursor).unwrap_or_default();
        let limit = f.limit.to_string();
        let pairs: Vec<(&str, &str)> = [
            ("q", f.text.as_str()),
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
        text: f.text,
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
        organisations: organisation::service::organisations(&state, &center_id, "").await?,
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
                organisations: organisation::service::organisations(&state, &center_id, "").await?,
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
    let page = match api::figures(&state, &center_id, &q.from, &q.as_of).await {
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
                        crate::domains::visits::model::OrgKind::parse(&r.organisation_type)
                            .map(|kind| FigureRow { kind, groups: r.groups, persons: r.persons })
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
    if page.errors.any() {
        return crate::web::form::again(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    Ok(render(&page)?.into_response())
}

pub(in crate::domains::visits) async fn item_lines(
    state: &AppState,
    center_id: &str,
    items: Vec<Item>,
    lang: Lang,
) -> AppResult<Vec<ItemLine>> {
    let tz = centers::tz(state, center_id).await?;
    let assignments = itinerary::service::assignments(state, &items).await?;
    let rooms = venues::room::service::rooms(state, center_id).await?;
    Ok(items
        .into_iter()
        .map(|item| {
            let place = match &item.room_id {
                Some(id) => {
                    rooms.iter().find(|r| &r.id == id).map(|r| r.name.clone()).unwrap_or_default()
                }
                None => item.place.clone(),
            };
            ItemLine {
                when: crate::time::day_and_times(item.span, &tz),
                room: lang.pick(&place.zh, &place.en).to_string(),
                place,
                assignments: assignments.iter().filter(|a| a.item_id == item.id).cloned().collect(),
                item,
            }
        })
        .collect())
}

pub(in crate::domains::visits) async fn visit_page(
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
    let items = item_lines(
        state,
        &center_id,
        itinerary::service::items(state, &visit.id).await?,
        ctx.lang(),
    )
    .await?;
    let staff = accounts::users_in(state, &center_id)
        .await?
        .into_iter()
        .filter(|u| u.active && matches!(u.role, Role::Admin | Role::Staff | Role::Interpreter))
        .map(|u| (u.id, u.display_name))
        .collect();
    Ok(VisitPage {
        history: service::history(state, &visit.id).await?,
        members: member::service::members(state, &visit.id).await?,
        tasks: task::service::tasks(state, &visit.id).await?,
        outcomes: outcome::service::outcomes(state, &center_id, &visit.id, "").await?,
        gifts: gift::service::gifts(state, &center_id).await?,
        given: gift::service::movements(state, &center_id, &visit.id, "").await?,
        rooms: venues::room::service::rooms(state, &center_id).await?,
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
        confirm: None,
        editing: None,
    })
}

pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> AppResult<Response> {
    let mut page =
        visit_page(&state, ctx, &id, notice_of(&q), FormErrors::default(), Alert::default())
            .await?;
    page.editing = page.members.iter().find(|m| m.member.id == q.member).cloned();
    Ok(render(&page)?.into_response())
}

/// Lines describing what a 409 lists: times, titles, reasons, alternatives.
pub(in crate::domains::visits) fn conflict_lines(lang: Lang, conflicts: &Value) -> Vec<String> {
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
pub(in crate::domains::visits) fn refusal(
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
                alternatives: vec![],
            };
            Ok((StatusCode::CONFLICT, FormErrors::default(), alert))
        }
        e => Err(e),
    }
}

/// What a refusal on the visit page may offer: a repeated gift to confirm,
/// or free rooms and times for an item whose room was taken.
#[derive(Default)]
struct Offer {
    repeat: Option<(String, String, String)>,
    alternatives: Vec<(String, Vec<(String, String)>)>,
}

/// After a form on the visit page: back to it with a notice, or the page
/// again showing the refusal.
pub(in crate::domains::visits) async fn after(
    state: &AppState,
    ctx: PageCtx,
    id: &str,
    result: AppResult<()>,
    notice: &str,
    repeat: Option<(String, String, String)>,
) -> AppResult<Response> {
    respond(state, ctx, id, result, notice, "", Offer { repeat, ..Offer::default() }).await
}

/// As [`after`], coming back at a section of the page (`#members`), so
/// whoever adds one member after another keeps their place.
pub(in crate::domains::visits) async fn after_at(
    state: &AppState,
    ctx: PageCtx,
    id: &str,
    result: AppResult<()>,
    notice: &str,
    section: &str,
) -> AppResult<Response> {
    respond(state, ctx, id, result, notice, section, Offer::default()).await
}

/// As [`after`] for an itinerary item, offering `alternatives` when its
/// room was taken.
pub(in crate::domains::visits) async fn after_offering(
    state: &AppState,
    ctx: PageCtx,
    id: &str,
    result: AppResult<()>,
    alternatives: Vec<(String, Vec<(String, String)>)>,
) -> AppResult<Response> {
    let offer = Offer { alternatives, ..Offer::default() };
    respond(state, ctx, id, result, "visit-notice-saved", "itinerary", offer).await
}

async fn respond(
    state: &AppState,
    ctx: PageCtx,
    id: &str,
    result: AppResult<()>,
    notice: &str,
    section: &str,
    offer: Offer,
) -> AppResult<Response> {
    let anchor = if section.is_empty() { String::new() } else { format!("#{section}") };
    match result {
        Ok(()) => {
            Ok(Redirect::to(&format!("/visits/{id}?notice={notice}{anchor}")).into_response())
        }
        Err(e) => {
            let (status, errors, mut alert) = refusal(ctx.lang(), e, offer.repeat)?;
            // Free rooms offered as buttons are not listed again as lines.
            if !offer.alternatives.is_empty() {
                alert.lines.retain(|l| !l.starts_with('→'));
            }
            alert.alternatives = offer.alternatives;
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
    // A move that cannot be undone, or that does not fit the facts, is shown
    // back with what it means and waits for a second "yes".
    if f.get("confirm").is_empty()
        && let Some(to) = VisitStatus::parse(&f.get("to"))
    {
        let mut page = visit_page(
            &state,
            ctx.clone(),
            &id,
            String::new(),
            FormErrors::default(),
            Alert::default(),
        )
        .await?;
        let live_items: Vec<&ItemLine> =
            page.items.iter().filter(|l| l.item.status != ItemStatus::Cancelled).collect();
        let now = state.clock.now().millis();
        let facts = MoveFacts {
            first_day: page.visit.dates().0,
            today: &page.today,
            open_tasks: page.tasks.iter().filter(|t| t.status == TaskStatus::Open).count(),
            unconfirmed_interpreters: live_items
                .iter()
                .flat_map(|l| &l.assignments)
                .filter(|a| a.status == AssignmentStatus::Offered)
                .count(),
            future_items: live_items.iter().filter(|l| l.item.span.end > now).count(),
        };
        let warnings = move_warnings(to, &facts);
        if page.visit.status.can_become(to) && !warnings.is_empty() {
            page.confirm = Some(ConfirmMove { to, reason: f.get("reason"), warnings });
            return Ok(render(&page)?.into_response());
        }
    }
    // A cancelled or declined visit lets go of the rooms and interpreters
    // it still holds for what was to come.
    let r = itinerary::service::move_visit(
        &state,
        &ctx.0.who(),
        &user,
        &id,
        &f.get("to"),
        &f.get("reason"),
    )
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
