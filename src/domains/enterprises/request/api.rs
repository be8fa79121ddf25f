//! Requests over JSON: file, edit, move, talk, assign; the queue.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::Response;
use serde::{Deserialize, Serialize};

use super::service::{self, Filter, MoveInput, Request, RequestInput};
use crate::auth::Perm;
use crate::clock::Instant;
use crate::domains::enterprises::model::flow::{Move, Side, Standing, Status};
use crate::domains::enterprises::model::item::{
    ItemDraft, ItemInput, Regime, check_items, show_quantity,
};
use crate::error::{AppError, AppResult, FieldError, at_most};
use crate::i18n::Lang;
use crate::reference::workdays::Calendar;
use crate::state::AppState;
use crate::web::extract::{Json, Path, Query};
use crate::web::list::{List, PageQuery};
use crate::web::{ReqCtx, created};

#[derive(Serialize, Deserialize, utoipa::ToSchema, Clone, Default)]
pub struct RequestItemJson {
    #[serde(default)]
    #[schema(max_length = 200)]
    pub name_zh: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub name_en: String,
    /// A code of `/api/v1/item-categories`.
    #[schema(max_length = 40)]
    pub category: String,
    /// 10 digits; dots and spaces are dropped.
    #[schema(max_length = 20)]
    pub hs_code: String,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub spec: String,
    /// A decimal with at most three places, as a string ("20", "0.5").
    #[schema(max_length = 20)]
    pub quantity: String,
    #[schema(max_length = 20)]
    pub unit: String,
    #[schema(schema_with = Regime::openapi)]
    pub regime: String,
}

pub fn request_item_json(i: &ItemInput) -> RequestItemJson {
    RequestItemJson {
        name_zh: i.name_zh.clone(),
        name_en: i.name_en.clone(),
        category: i.category.clone(),
        hs_code: i.hs_code.clone(),
        spec: i.spec.clone(),
        quantity: show_quantity(i.quantity),
        unit: i.unit.clone(),
        regime: i.regime.code().into(),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SlaClockJson {
    /// Working days allowed for the current step (none: no SLA).
    pub sla_days: Option<i64>,
    pub used_days: i64,
    /// YYYY-MM-DD; none while paused.
    pub due_day: Option<String>,
    /// none, on_time, due_soon, overdue, paused.
    pub standing: String,
}

pub fn clock_json(r: &Request, cal: &Calendar, today: jiff::civil::Date) -> SlaClockJson {
    let (standing, used) = match r.clock.standing(cal, today) {
        Standing::NoSla => ("none", 0),
        Standing::Paused { used, .. } => ("paused", used),
        Standing::OnTime { used, .. } => ("on_time", used),
        Standing::DueSoon { used, .. } => ("due_soon", used),
        Standing::Overdue { used, .. } => ("overdue", used),
    };
    SlaClockJson {
        sla_days: r.clock.sla_days,
        used_days: used,
        due_day: r.due_day.clone(),
        standing: standing.into(),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RequestJson {
    pub id: String,
    /// ES-2026-001.
    pub reference: String,
    pub enterprise_id: String,
    pub enterprise_name_zh: String,
    pub enterprise_name_en: String,
    pub service_type_id: String,
    pub service_name_zh: String,
    pub service_name_en: String,
    /// The form version it was filed under.
    pub form_version: i64,
    #[schema(schema_with = Status::openapi)]
    pub status: String,
    pub title: String,
    pub answers: BTreeMap<String, String>,
    /// The filer's language.
    pub lang: String,
    pub officer_id: Option<String>,
    pub officer_name: Option<String>,
    pub clock: SlaClockJson,
    /// enterprise or center: whose turn it is (none when finished).
    pub waits_on: Option<String>,
    /// The moves the caller may take now.
    pub allowed_moves: Vec<String>,
    pub submitted_at: Option<String>,
    pub closed_at: Option<String>,
    pub version: i64,
    /// In `show` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<RequestItemJson>>,
    /// Mandatory documents not handed in yet (keys), in `show` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_documents: Option<Vec<String>>,
}

fn side_code(s: Side) -> &'static str {
    if s == Side::Center { "center" } else { "enterprise" }
}

pub fn request_json(
    r: &Request,
    side: Side,
    cal: &Calendar,
    today: jiff::civil::Date,
) -> RequestJson {
    let utc = jiff::tz::TimeZone::UTC;
    RequestJson {
        id: r.id.clone(),
        reference: r.reference.clone(),
        enterprise_id: r.enterprise_id.clone(),
        enterprise_name_zh: r.enterprise_zh.clone(),
        enterprise_name_en: r.enterprise_en.clone(),
        service_type_id: r.service_type_id.clone(),
        service_name_zh: r.service_zh.clone(),
        service_name_en: r.service_en.clone(),
        form_version: r.form_version,
        status: r.status.code().into(),
        title: r.title.clone(),
        answers: r.answers.clone(),
        lang: r.lang.clone(),
        officer_id: r.officer_id.clone(),
        officer_name: r.officer_name.clone(),
        clock: clock_json(r, cal, today),
        waits_on: r.status.waits_on().map(|s| side_code(s).to_string()),
        allowed_moves: r
            .status
            .moves(r.flow)
            .into_iter()
            .filter(|m| m.side() == side)
            .map(|m| m.code().to_string())
            .collect(),
        submitted_at: r.submitted_at.map(|t| Instant(t).rfc3339_in(&utc)),
        closed_at: r.closed_at.map(|t| Instant(t).rfc3339_in(&utc)),
        version: r.version,
        items: None,
        missing_documents: None,
    }
}

#[derive(Deserialize, utoipa::IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct RequestQuery {
    #[serde(default)]
    #[param(schema_with = Status::openapi_or_empty)]
    pub status: String,
    /// `me`, `none` (unassigned), or an officer's id.
    #[serde(default)]
    #[param(max_length = 64)]
    pub officer: String,
    #[serde(default)]
    #[param(max_length = 64)]
    pub enterprise_id: String,
    #[serde(default)]
    #[param(max_length = 64)]
    pub service_type_id: String,
    /// Open requests only (`true`).
    #[serde(default)]
    pub open: bool,
    /// `overdue` or `soon` (due by the next working day).
    #[serde(default)]
    #[param(max_length = 10)]
    pub due: String,
}

pub fn filter(q: &RequestQuery, cal: &Calendar, today: jiff::civil::Date) -> AppResult<Filter> {
    for (field, v) in [
        ("officer", &q.officer),
        ("enterprise_id", &q.enterprise_id),
        ("service_type_id", &q.service_type_id),
    ] {
        if v.len() > 64 {
            return Err(AppError::invalid(field, "field-invalid-choice"));
        }
    }
    let status = match q.status.as_str() {
        "" => None,
        s => Some(
            Status::exact(s).ok_or_else(|| AppError::invalid("status", "field-invalid-choice"))?,
        ),
    };
    let due_by = match q.due.as_str() {
        "" => String::new(),
        "overdue" => today.yesterday().map(|d| d.to_string()).unwrap_or_default(),
        "soon" => cal.add(today, 1).to_string(),
        _ => return Err(AppError::invalid("due", "field-invalid-choice")),
    };
    Ok(Filter {
        enterprise_id: q.enterprise_id.clone(),
        officer_id: q.officer.clone(),
        status,
        service_type_id: q.service_type_id.clone(),
        open: q.open || !due_by.is_empty(),
        due_by,
    })
}

/// Splits a `due~id` cursor.
pub fn after(page: &PageQuery) -> AppResult<(String, String)> {
    let c = page.cursor.trim();
    if c.is_empty() {
        return Ok((String::new(), String::new()));
    }
    match c.split_once('~') {
        Some((d, id)) if d.len() == 10 && id.len() <= 64 => Ok((d.to_string(), id.to_string())),
        _ => Err(AppError::invalid("cursor", "list-cursor-invalid")),
    }
}

/// The queue: officers see the center's requests, ordered by what is due
/// first; enterprise users see their own.
#[utoipa::path(get, path = "/api/v1/requests", tag = "enterprises", params(RequestQuery, PageQuery),
    responses((status = 200, body = List<RequestJson>), (status = 422)), security(("bearer" = [])))]
pub async fn index(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Query(q): Query<RequestQuery>,
    Query(page): Query<PageQuery>,
) -> AppResult<Json<List<RequestJson>>> {
    let (user, center_id) = ctx.require_center(Perm::SignedIn)?;
    let limit = page.size()?;
    let (ad, ai) = after(&page)?;
    let (cal, today) = service::clock_view(&state, &center_id).await?;
    let f = filter(&q, &cal, today)?;
    let side = if crate::auth::allows(Some(user.role), Perm::HandleRequests) {
        Side::Center
    } else {
        Side::Enterprise
    };
    let rows = service::page(&state, &user, &center_id, f, (&ad, &ai), limit + 1).await?;
    Ok(Json(List::page(
        rows,
        limit as usize,
        |r| format!("{}~{}", super::store::sort_key(r), r.id),
        |r| request_json(&r, side, &cal, today),
    )))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct RequestInputJson {
    #[schema(max_length = 64)]
    pub service_type_id: String,
    /// Staff filing for an enterprise name it; enterprise users leave it out.
    #[serde(default)]
    #[schema(max_length = 64)]
    pub enterprise_id: String,
    #[schema(max_length = 200)]
    pub title: String,
    /// Answers to the form's fields by key.
    #[serde(default)]
    pub answers: BTreeMap<String, String>,
    #[serde(default)]
    #[schema(max_items = 50)]
    pub items: Vec<RequestItemJson>,
    /// The version edited (updates only).
    #[serde(default)]
    pub version: i64,
}

fn input_of(b: &RequestInputJson, lang: Lang) -> AppResult<RequestInput> {
    let mut e: Vec<FieldError> = vec![];
    for (field, v, max) in
        [("service_type_id", &b.service_type_id, 64), ("enterprise_id", &b.enterprise_id, 64)]
    {
        if v.len() > max {
            e.push(FieldError::new(field, "field-invalid-choice"));
        }
    }
    if b.answers.len() > 40 {
        e.push(FieldError::new("answers", "field-too-many").with("max", 40));
    }
    let title = service::check_title(&b.title).map_err(|x| e.push(x)).unwrap_or_default();
    let drafts: Vec<ItemDraft> = b
        .items
        .iter()
        .map(|i| ItemDraft {
            name_zh: &i.name_zh,
            name_en: &i.name_en,
            category: &i.category,
            hs_code: &i.hs_code,
            spec: &i.spec,
            quantity: &i.quantity,
            unit: &i.unit,
            regime: &i.regime,
        })
        .collect();
    let items = check_items(&drafts).map_err(|mut x| e.append(&mut x)).unwrap_or_default();
    if !e.is_empty() {
        return Err(AppError::Invalid(e));
    }
    Ok(RequestInput {
        service_type_id: b.service_type_id.clone(),
        enterprise_id: b.enterprise_id.clone(),
        title,
        answers: b.answers.clone(),
        items,
        lang,
    })
}

async fn full_json(
    state: &AppState,
    center_id: &str,
    r: &Request,
    side: Side,
) -> AppResult<RequestJson> {
    let (cal, today) = service::clock_view(state, center_id).await?;
    let mut j = request_json(r, side, &cal, today);
    j.items = Some(service::items(state, &r.id).await?.iter().map(request_item_json).collect());
    let spec = service::form_of(state, r).await?;
    j.missing_documents = Some(
        service::missing_documents(state, r, &spec).await?.into_iter().map(|d| d.key).collect(),
    );
    Ok(j)
}

/// Files a draft (answers may be incomplete until it is submitted).
#[utoipa::path(post, path = "/api/v1/requests", tag = "enterprises", request_body = RequestInputJson,
    responses((status = 201, body = RequestJson), (status = 409), (status = 422)), security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Json(b): Json<RequestInputJson>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.require_center(Perm::SignedIn)?;
    let input = input_of(&b, ctx.lang)?;
    let r = service::create(&state, &ctx.who(), &user, &center_id, input).await?;
    let (_, side) = service::readable(&state, &user, &center_id, &r.id).await?;
    let j = full_json(&state, &center_id, &r, side).await?;
    Ok(created(format!("/api/v1/requests/{}", r.id), j))
}

/// One request with its items and what is missing.
#[utoipa::path(get, path = "/api/v1/requests/{id}", tag = "enterprises", params(("id" = String, Path)),
    responses((status = 200, body = RequestJson), (status = 404)), security(("bearer" = [])))]
pub async fn show(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<Json<RequestJson>> {
    let (user, center_id) = ctx.require_center(Perm::SignedIn)?;
    let (r, side) = service::readable(&state, &user, &center_id, &id).await?;
    Ok(Json(full_json(&state, &center_id, &r, side).await?))
}

/// Changes a draft, or a request owing a supplement (send the `version` read).
#[utoipa::path(put, path = "/api/v1/requests/{id}", tag = "enterprises", params(("id" = String, Path)),
    request_body = RequestInputJson,
    responses((status = 200, body = RequestJson), (status = 409), (status = 422)), security(("bearer" = [])))]
pub async fn update(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<RequestInputJson>,
) -> AppResult<Json<RequestJson>> {
    let (user, center_id) = ctx.require_center(Perm::SignedIn)?;
    let input = input_of(&b, ctx.lang)?;
    let r = service::update(&state, &ctx.who(), &user, &center_id, &id, b.version, input).await?;
    let (_, side) = service::readable(&state, &user, &center_id, &r.id).await?;
    Ok(Json(full_json(&state, &center_id, &r, side).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct RequestMoveInputJson {
    #[serde(rename = "move")]
    #[schema(schema_with = Move::openapi)]
    pub mv: String,
    /// The version the move was decided on.
    pub version: i64,
    /// Why (required to ask for a supplement or to reject).
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub note: String,
    /// The authority's reference number (an approval's, a declaration's).
    #[serde(default)]
    #[schema(max_length = 100)]
    pub authority_ref: String,
    /// YYYY-MM-DD.
    #[serde(default)]
    #[schema(max_length = 10)]
    pub valid_from: String,
    /// YYYY-MM-DD.
    #[serde(default)]
    #[schema(max_length = 10)]
    pub valid_until: String,
    /// Checklist keys asked for with a supplement.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub asked: Vec<String>,
}

pub fn move_of(b: &RequestMoveInputJson) -> AppResult<MoveInput> {
    let mv = Move::exact(&b.mv).ok_or_else(|| AppError::invalid("move", "field-invalid-choice"))?;
    at_most("note", &b.note, 4000)?;
    at_most("authority_ref", &b.authority_ref, 100)?;
    let mut e = vec![];
    let valid_from = crate::time::parse_day("valid_from", &b.valid_from, false)
        .map_err(|x| e.push(x))
        .ok()
        .flatten();
    let valid_until = crate::time::parse_day("valid_until", &b.valid_until, false)
        .map_err(|x| e.push(x))
        .ok()
        .flatten();
    if b.asked.len() > 20 || b.asked.iter().any(|k| k.len() > 40) {
        e.push(FieldError::new("asked", "field-invalid-choice"));
    }
    if !e.is_empty() {
        return Err(AppError::Invalid(e));
    }
    Ok(MoveInput {
        mv,
        version: b.version,
        note: b.note.clone(),
        authority_ref: b.authority_ref.clone(),
        valid_from,
        valid_until,
        asked: b.asked.clone(),
    })
}

/// Takes a move (409 with `allowed_moves` when it cannot be taken now).
#[utoipa::path(post, path = "/api/v1/requests/{id}/moves", tag = "enterprises", params(("id" = String, Path)),
    request_body = RequestMoveInputJson,
    responses((status = 200, body = RequestJson), (status = 403), (status = 409), (status = 422)), security(("bearer" = [])))]
pub async fn take_move(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<RequestMoveInputJson>,
) -> AppResult<Json<RequestJson>> {
    let (user, center_id) = ctx.require_center(Perm::SignedIn)?;
    let m = move_of(&b)?;
    let r = service::take_move(&state, &ctx.who(), &user, &center_id, &id, m).await?;
    let (_, side) = service::readable(&state, &user, &center_id, &r.id).await?;
    Ok(Json(full_json(&state, &center_id, &r, side).await?))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RequestStepJson {
    #[serde(rename = "move")]
    pub mv: String,
    pub from: String,
    pub to: String,
    pub at: String,
    pub by: Option<String>,
    pub note: String,
    pub authority_ref: String,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    /// Working days spent in `from`.
    pub days: i64,
    pub sla_days: Option<i64>,
    pub asked: Vec<String>,
}

/// Every move of a request, oldest first (its audit trail).
#[utoipa::path(get, path = "/api/v1/requests/{id}/steps", tag = "enterprises", params(("id" = String, Path)),
    responses((status = 200, body = Vec<RequestStepJson>), (status = 404)), security(("bearer" = [])))]
pub async fn steps(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<RequestStepJson>>> {
    let (user, center_id) = ctx.require_center(Perm::SignedIn)?;
    service::readable(&state, &user, &center_id, &id).await?;
    let utc = jiff::tz::TimeZone::UTC;
    let steps = service::steps(&state, &id).await?;
    Ok(Json(
        steps
            .into_iter()
            .map(|s| RequestStepJson {
                mv: s.mv.code().into(),
                from: s.from.code().into(),
                to: s.to.code().into(),
                at: Instant(s.at).rfc3339_in(&utc),
                by: s.by_name,
                note: s.note,
                authority_ref: s.authority_ref,
                valid_from: s.valid_from,
                valid_until: s.valid_until,
                days: s.days,
                sla_days: s.sla_days,
                asked: s.asked,
            })
            .collect(),
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RequestMessageJson {
    pub id: String,
    /// enterprise or center.
    pub side: String,
    pub author: Option<String>,
    pub body: String,
    pub created_at: String,
}

/// The latest 200 messages of a request, oldest first.
#[utoipa::path(get, path = "/api/v1/requests/{id}/messages", tag = "enterprises", params(("id" = String, Path)),
    responses((status = 200, body = Vec<RequestMessageJson>), (status = 404)), security(("bearer" = [])))]
pub async fn messages(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<RequestMessageJson>>> {
    let (user, center_id) = ctx.require_center(Perm::SignedIn)?;
    service::readable(&state, &user, &center_id, &id).await?;
    let utc = jiff::tz::TimeZone::UTC;
    let list = service::messages(&state, &id, 200).await?;
    Ok(Json(
        list.into_iter()
            .map(|m| RequestMessageJson {
                id: m.id,
                side: m.side,
                author: m.author_name,
                body: m.body,
                created_at: Instant(m.created_at).rfc3339_in(&utc),
            })
            .collect(),
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct RequestMessageInputJson {
    #[schema(max_length = 4000)]
    pub body: String,
}

/// Writes to the other side (they are told in their language).
#[utoipa::path(post, path = "/api/v1/requests/{id}/messages", tag = "enterprises", params(("id" = String, Path)),
    request_body = RequestMessageInputJson,
    responses((status = 201, body = RequestMessageJson), (status = 422)), security(("bearer" = [])))]
pub async fn post_message(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<RequestMessageInputJson>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.require_center(Perm::SignedIn)?;
    at_most("body", &b.body, 4000)?;
    let m = service::post_message(&state, &ctx.who(), &user, &center_id, &id, &b.body).await?;
    let utc = jiff::tz::TimeZone::UTC;
    let j = RequestMessageJson {
        id: m.id.clone(),
        side: m.side,
        author: m.author_name,
        body: m.body,
        created_at: Instant(m.created_at).rfc3339_in(&utc),
    };
    Ok(created(format!("/api/v1/requests/{id}/messages"), j))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct RequestOfficerInputJson {
    /// An officer of the center; null puts it back in the pool.
    #[schema(max_length = 64)]
    pub officer_id: Option<String>,
}

/// Gives a request to an officer (officers).
#[utoipa::path(put, path = "/api/v1/requests/{id}/officer", tag = "enterprises", params(("id" = String, Path)),
    request_body = RequestOfficerInputJson,
    responses((status = 200, body = RequestJson), (status = 422)), security(("bearer" = [])))]
pub async fn assign(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<RequestOfficerInputJson>,
) -> AppResult<Json<RequestJson>> {
    let (user, center_id) = ctx.require_center(Perm::HandleRequests)?;
    if let Some(o) = &b.officer_id {
        at_most("officer_id", o, 64)?;
    }
    let r = service::assign(&state, &ctx.who(), &user, &center_id, &id, b.officer_id.as_deref())
        .await?;
    Ok(Json(full_json(&state, &center_id, &r, Side::Center).await?))
}
