use super::service;
use crate::auth::Perm;
use crate::clock::Instant;
use crate::domains::centers::service as centers;
use crate::domains::interpreting::api::assignment_json;
use crate::domains::visits::records::Visit;
use crate::domains::visits::visit::service::VisitInput;
use crate::domains::visits::visit::store::VisitFilter;
use crate::domains::visits::{itinerary, member, outcome, task};
use crate::domains::visits::{itinerary::api::*, member::api::*, outcome::api::*, task::api::*};
use crate::error::{AppError, AppResult};
use crate::i18n::Bilingual;
use crate::reference::countries::country;
use crate::state::AppState;
use crate::web::extract::{Json, Path, Query};
use crate::web::list::List;
use crate::web::{ReqCtx, created};
use axum::extract::State;
use axum::response::Response;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

#[derive(Serialize, utoipa::ToSchema)]
pub struct VisitJson {
    pub id: String,
    /// Short reference people quote, e.g. `V-2026-031`.
    pub reference: String,
    /// inquiry, request_received, under_review, approved, declined, planning,
    /// confirmed, in_progress, completed, follow_up, closed, postponed, cancelled.
    pub status: String,
    /// Why it was declined, cancelled or postponed.
    pub status_reason: String,
    /// The statuses it may move to next.
    pub allowed_transitions: Vec<String>,
    pub organisation_id: String,
    pub organisation_name_zh: String,
    pub organisation_name_en: String,
    pub organisation_type: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub country_name_zh: String,
    pub country_name_en: String,
    pub title_zh: String,
    pub title_en: String,
    pub purpose: String,
    pub preferred_from: String,
    pub preferred_to: String,
    pub starts_on: String,
    pub ends_on: String,
    pub party_size: i64,
    /// BCP 47 tags.
    pub languages: Vec<String>,
    pub protocol_level: String,
    pub hosts: String,
    pub approval_ref: String,
    pub budget: String,
    pub summary: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    /// `public` (the request form) or `staff`.
    pub source: String,
    /// The date after which its personal data is purged.
    pub retention_until: String,
    pub created_at: String,
}

pub fn visit_json(v: &Visit, tz: &TimeZone) -> VisitJson {
    let c = country(&v.country);
    VisitJson {
        id: v.id.clone(),
        reference: v.reference.clone(),
        status: v.status.code().into(),
        status_reason: v.status_reason.clone(),
        allowed_transitions: v.status.next().iter().map(|s| s.code().to_string()).collect(),
        organisation_id: v.organisation_id.clone(),
        organisation_name_zh: v.org_name.zh.clone(),
        organisation_name_en: v.org_name.en.clone(),
        organisation_type: v.kind.code().into(),
        country: v.country.clone(),
        country_name_zh: c.map(|c| c.zh.to_string()).unwrap_or_default(),
        country_name_en: c.map(|c| c.en.to_string()).unwrap_or_default(),
        title_zh: v.title.zh.clone(),
        title_en: v.title.en.clone(),
        purpose: v.purpose.clone(),
        preferred_from: v.preferred_from.clone(),
        preferred_to: v.preferred_to.clone(),
        starts_on: v.starts_on.clone(),
        ends_on: v.ends_on.clone(),
        party_size: v.party_size,
        languages: v.languages.clone(),
        protocol_level: v.protocol_level.clone(),
        hosts: v.hosts.clone(),
        approval_ref: v.approval_ref.clone(),
        budget: v.budget.clone(),
        summary: v.summary.clone(),
        contact_name: v.contact_name.clone(),
        contact_email: v.contact_email.clone(),
        contact_phone: v.contact_phone.clone(),
        source: v.source.clone(),
        retention_until: v.retention_until.clone(),
        created_at: Instant(v.created_at).rfc3339_in(tz),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TransitionJson {
    pub from: String,
    pub to: String,
    pub reason: String,
    pub by: String,
    pub at: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct VisitDetailJson {
    #[serde(flatten)]
    pub visit: VisitJson,
    pub history: Vec<TransitionJson>,
    pub members: Vec<MemberJson>,
    pub itinerary: Vec<ItemJson>,
    pub tasks: Vec<TaskJson>,
    pub outcomes: Vec<OutcomeJson>,
}

/// A visit request from the public (no login).
#[derive(Deserialize, utoipa::ToSchema)]
pub struct VisitRequestJson {
    #[schema(min_length = 1, max_length = 200)]
    pub organisation_name: String,
    /// The name in Chinese, if the sender has one.
    #[serde(default)]
    pub organisation_name_zh: String,
    /// embassy_consulate, foreign_local_government, business_association,
    /// foreign_enterprise, hk_macao_org, international_org, domestic, other.
    #[schema(schema_with = crate::domains::visits::model::OrgKind::openapi)]
    pub organisation_type: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub purpose: String,
    /// `YYYY-MM-DD`.
    pub preferred_from: String,
    pub preferred_to: String,
    #[schema(minimum = 1, maximum = 500)]
    pub party_size: i64,
    /// BCP 47 tags of the languages the party needs.
    #[serde(default)]
    pub languages: Vec<String>,
    #[schema(min_length = 1, max_length = 200)]
    pub contact_name: String,
    pub contact_email: String,
    #[serde(default)]
    pub contact_phone: String,
    /// Consent to the privacy notice; must be `true`.
    pub consent: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct VisitRequestCreated {
    pub id: String,
    pub reference: String,
    /// `request_received`.
    pub status: String,
}

/// Asks the center for a visit. No login; limited per client address.
#[utoipa::path(post, path = "/api/v1/visit-requests", tag = "visits", request_body = VisitRequestJson,
    responses((status = 201, body = VisitRequestCreated), (status = 422, description = "invalid field"),
              (status = 429, description = "too many requests from this address")))]
pub async fn requests_create(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Json(b): Json<VisitRequestJson>,
) -> AppResult<Response> {
    let center = centers::public_center(&state).await?.ok_or(AppError::NotFound)?;
    let input = VisitInput {
        organisation_name: Bilingual::new(b.organisation_name_zh, b.organisation_name),
        organisation_type: b.organisation_type,
        country: b.country,
        purpose: b.purpose,
        preferred_from: b.preferred_from,
        preferred_to: b.preferred_to,
        party_size: b.party_size,
        languages: b.languages.join(","),
        contact_name: b.contact_name,
        contact_email: b.contact_email,
        contact_phone: b.contact_phone,
        consent: b.consent,
        ..VisitInput::default()
    };
    let v = service::request(&state, &ctx.who(), &center.id, input).await?;
    Ok(created(
        format!("/api/v1/visits/{}", v.id),
        VisitRequestCreated { id: v.id, reference: v.reference, status: v.status.code().into() },
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VisitQuery {
    #[serde(default)]
    pub status: String,
    /// Counterpart type.
    #[serde(default, rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub country: String,
    /// A year such as 2024 (empty: any).
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub organisation_id: String,
    /// Words in the reference, the organisation's names or a member's name.
    #[serde(default)]
    #[param(max_length = 100)]
    pub q: String,
    /// The `next_cursor` of the page before.
    #[serde(default)]
    #[param(max_length = 100)]
    pub cursor: String,
    /// Rows per page, 1–200 (default 50).
    #[serde(default)]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

impl VisitQuery {
    pub fn filter(&self, center_id: &str) -> VisitFilter {
        VisitFilter {
            center_id: center_id.into(),
            status: self.status.trim().into(),
            kind: self.kind.trim().into(),
            country: self.country.trim().to_ascii_uppercase(),
            year: self.year.trim().parse().unwrap_or(0),
            organisation_id: self.organisation_id.trim().into(),
            text: self.q.trim().chars().take(100).collect(),
            after: self
                .cursor
                .trim()
                .split_once('~')
                .map(|(day, id)| (day.to_string(), id.to_string())),
            limit: self.limit.unwrap_or(50).clamp(1, 200),
        }
    }

    /// A cursor this list did not give (it is `date~id`).
    pub fn bad_cursor(&self) -> bool {
        let c = self.cursor.trim();
        !c.is_empty() && (c.len() > 100 || !c.contains('~'))
    }
}

/// Where the next page of visits starts: after this one (date, then id).
pub fn visit_cursor(v: &Visit) -> String {
    format!("{}~{}", v.dates().0, v.id)
}

/// Visits of the caller's center by date, latest first, filtered and searched.
#[utoipa::path(get, path = "/api/v1/visits", tag = "visits", params(VisitQuery),
    responses((status = 200, body = List<VisitJson>), (status = 401), (status = 403)), security(("bearer" = [])))]
pub async fn visits_index(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Query(q): Query<VisitQuery>,
) -> AppResult<Json<List<VisitJson>>> {
    let (_, center_id) = ctx.require_center(Perm::ManageVisits)?;
    if q.limit.is_some_and(|n| !(1..=crate::web::list::MAX_LIMIT).contains(&n)) {
        return Err(AppError::invalid("limit", "list-limit-range"));
    }
    if q.bad_cursor() {
        return Err(AppError::invalid("cursor", "list-cursor-invalid"));
    }
    if q.q.chars().count() > 100 {
        return Err(AppError::invalid("q", "field-too-long"));
    }
    let tz = centers::tz(&state, &center_id).await?;
    let f = q.filter(&center_id);
    let rows = service::list(&state, &VisitFilter { limit: f.limit + 1, ..f.clone() }).await?;
    let limit = usize::try_from(f.limit).unwrap_or(0);
    Ok(Json(List::page(rows, limit, visit_cursor, |v| visit_json(&v, &tz))))
}

/// A visit made by staff.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewVisitJson {
    /// An existing organisation; otherwise give its names, type and country.
    #[serde(default)]
    pub organisation_id: String,
    #[serde(default)]
    pub organisation_name_zh: String,
    #[serde(default)]
    pub organisation_name_en: String,
    #[serde(default)]
    #[schema(schema_with = crate::domains::visits::model::OrgKind::openapi_or_empty)]
    pub organisation_type: String,
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub title_zh: String,
    #[serde(default)]
    pub title_en: String,
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub preferred_from: String,
    #[serde(default)]
    pub preferred_to: String,
    #[serde(default)]
    pub starts_on: String,
    #[serde(default)]
    pub ends_on: String,
    #[schema(minimum = 1, maximum = 500)]
    pub party_size: i64,
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub protocol_level: String,
    #[serde(default)]
    pub hosts: String,
    #[serde(default)]
    pub approval_ref: String,
    #[serde(default)]
    pub budget: String,
    #[serde(default)]
    pub contact_name: String,
    #[serde(default)]
    pub contact_email: String,
    #[serde(default)]
    pub contact_phone: String,
    /// `inquiry` or `request_received` (default).
    #[serde(default)]
    pub status: String,
    /// `YYYY-MM-DD`; default a year after the visit.
    #[serde(default)]
    pub retention_until: String,
    /// Only for updates.
    #[serde(default)]
    pub summary: String,
}

impl NewVisitJson {
    fn input(self) -> (VisitInput, String) {
        (
            VisitInput {
                organisation_id: self.organisation_id,
                organisation_name: Bilingual::new(
                    self.organisation_name_zh,
                    self.organisation_name_en,
                ),
                organisation_type: self.organisation_type,
                country: self.country,
                title: Bilingual::new(self.title_zh, self.title_en),
                purpose: self.purpose,
                preferred_from: self.preferred_from,
                preferred_to: self.preferred_to,
                starts_on: self.starts_on,
                ends_on: self.ends_on,
                party_size: self.party_size,
                languages: self.languages.join(","),
                protocol_level: self.protocol_level,
                hosts: self.hosts,
                approval_ref: self.approval_ref,
                budget: self.budget,
                contact_name: self.contact_name,
                contact_email: self.contact_email,
                contact_phone: self.contact_phone,
                consent: false,
                status: self.status,
                retention_until: self.retention_until,
            },
            self.summary,
        )
    }
}

#[utoipa::path(post, path = "/api/v1/visits", tag = "visits", request_body = NewVisitJson,
    responses((status = 201, body = VisitJson), (status = 422)), security(("bearer" = [])))]
pub async fn visits_create(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Json(b): Json<NewVisitJson>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.require_center(Perm::ManageVisits)?;
    let (input, _) = b.input();
    let v = service::create(&state, &ctx.who(), &user, input).await?;
    let tz = centers::tz(&state, &center_id).await?;
    Ok(created(format!("/api/v1/visits/{}", v.id), visit_json(&v, &tz)))
}

/// Replaces the editable details of a visit (not its status or organisation).
#[utoipa::path(put, path = "/api/v1/visits/{id}", tag = "visits", params(("id" = String, Path)),
    request_body = NewVisitJson, responses((status = 200, body = VisitJson), (status = 422)), security(("bearer" = [])))]
pub async fn visits_update(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<NewVisitJson>,
) -> AppResult<Json<VisitJson>> {
    let (user, center_id) = ctx.require_center(Perm::ManageVisits)?;
    let (input, summary) = b.input();
    let v = service::update(&state, &ctx.who(), &user, &id, input, &summary).await?;
    let tz = centers::tz(&state, &center_id).await?;
    Ok(Json(visit_json(&v, &tz)))
}

/// A visit with its history, members, itinerary (and interpreters), tasks and outcomes.
#[utoipa::path(get, path = "/api/v1/visits/{id}", tag = "visits", params(("id" = String, Path)),
    responses((status = 200, body = VisitDetailJson), (status = 404)), security(("bearer" = [])))]
pub async fn visits_show(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<Json<VisitDetailJson>> {
    let (_, center_id) = ctx.require_center(Perm::ManageVisits)?;
    let v = service::visit_in(&state, &center_id, &id).await?;
    let tz = centers::tz(&state, &center_id).await?;
    let items = itinerary::service::items(&state, &v.id).await?;
    let assignments = itinerary::service::assignments(&state, &items).await?;
    Ok(Json(VisitDetailJson {
        history: service::history(&state, &v.id)
            .await?
            .into_iter()
            .map(|t| TransitionJson {
                from: t.from,
                to: t.to,
                reason: t.reason,
                by: t.actor_label,
                at: Instant(t.at).rfc3339_in(&tz),
            })
            .collect(),
        members: member::service::members(&state, &v.id).await?.iter().map(member_json).collect(),
        itinerary: items
            .iter()
            .map(|i| {
                let mine = assignments
                    .iter()
                    .filter(|a| a.item_id == i.id)
                    .map(|a| assignment_json(a, &tz))
                    .collect();
                item_json(i, mine, &tz)
            })
            .collect(),
        tasks: task::service::tasks(&state, &v.id).await?.iter().map(task_json).collect(),
        outcomes: outcome::service::outcomes(&state, &center_id, &v.id, "")
            .await?
            .iter()
            .map(outcome_json)
            .collect(),
        visit: visit_json(&v, &tz),
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct TransitionRequest {
    /// The status to move to.
    #[schema(schema_with = crate::domains::visits::model::VisitStatus::openapi)]
    pub to: String,
    /// Required for declined, cancelled and postponed.
    #[serde(default)]
    pub reason: String,
}

/// Moves a visit along its lifecycle; 409 when not allowed from its status.
/// Cancelling or declining cancels the itinerary items still to come, which
/// frees their rooms and interpreters.
#[utoipa::path(post, path = "/api/v1/visits/{id}/transition", tag = "visits", params(("id" = String, Path)),
    request_body = TransitionRequest,
    responses((status = 200, body = VisitJson), (status = 409, description = "not allowed from the current status"),
              (status = 422)), security(("bearer" = [])))]
pub async fn visits_transition(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<TransitionRequest>,
) -> AppResult<Json<VisitJson>> {
    let (user, center_id) = ctx.require_center(Perm::ManageVisits)?;
    let v =
        itinerary::service::move_visit(&state, &ctx.who(), &user, &id, &b.to, &b.reason).await?;
    let tz = centers::tz(&state, &center_id).await?;
    Ok(Json(visit_json(&v, &tz)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FiguresQuery {
    /// First day counted (`YYYY-MM-DD`, default 2018-01-01).
    #[serde(default)]
    #[param(pattern = r"^$|^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]
    pub from: String,
    /// Last day counted: the "as of" date (default today).
    #[serde(default)]
    #[param(pattern = r"^$|^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]
    pub as_of: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct FigureJson {
    pub organisation_type: String,
    /// Visiting parties (批).
    pub groups: i64,
    /// Person-visits (人次).
    pub persons: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct FiguresJson {
    pub from: String,
    pub as_of: String,
    pub total_groups: i64,
    pub total_persons: i64,
    /// The figure as quoted: "more than" this many groups.
    pub quoted_groups: i64,
    pub quoted_is_lower_bound: bool,
    pub by_type: Vec<FigureJson>,
}

pub async fn figures(
    state: &AppState,
    center_id: &str,
    from: &str,
    as_of: &str,
) -> AppResult<FiguresJson> {
    let tz = centers::tz(state, center_id).await?;
    let from =
        if from.trim().is_empty() { "2018-01-01".to_string() } else { from.trim().to_string() };
    let as_of = if as_of.trim().is_empty() {
        state.clock.now().local_parts(&tz).0
    } else {
        as_of.trim().to_string()
    };
    let mut errors = vec![];
    errors.extend(crate::domains::visits::model::check_date("from", &from, true));
    errors.extend(crate::domains::visits::model::check_date("as_of", &as_of, true));
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let rows = service::received(state, center_id, &from, &as_of).await?;
    let total_groups = rows.iter().map(|r| r.1).sum();
    let total_persons = rows.iter().map(|r| r.2).sum();
    let (quoted_groups, quoted_is_lower_bound) =
        crate::domains::visits::model::quoted(total_groups);
    Ok(FiguresJson {
        from,
        as_of,
        total_groups,
        total_persons,
        quoted_groups,
        quoted_is_lower_bound,
        by_type: rows
            .into_iter()
            .map(|(k, groups, persons)| FigureJson {
                organisation_type: k.code().into(),
                groups,
                persons,
            })
            .collect(),
    })
}

/// Visits received (completed, in follow-up or closed) between two dates, by
/// counterpart type: groups and person-visits, "as of" a date.
#[utoipa::path(get, path = "/api/v1/visit-figures", tag = "visits", params(FiguresQuery),
    responses((status = 200, body = FiguresJson), (status = 422)), security(("bearer" = [])))]
pub async fn figures_show(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Query(q): Query<FiguresQuery>,
) -> AppResult<Json<FiguresJson>> {
    let (_, center_id) = ctx.require_center(Perm::ManageVisits)?;
    Ok(Json(figures(&state, &center_id, &q.from, &q.as_of).await?))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CountryJson {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
}

/// The reviewed ISO 3166-1 table (China's official forms for Hong Kong, Macao and Taiwan).
#[utoipa::path(get, path = "/api/v1/countries", tag = "visits", responses((status = 200, body = List<CountryJson>)))]
pub async fn countries_index() -> Json<List<CountryJson>> {
    Json(List {
        items: crate::reference::countries::countries()
            .iter()
            .map(|c| CountryJson {
                code: c.code.into(),
                name_zh: c.zh.into(),
                name_en: c.en.into(),
            })
            .collect(),
        next_cursor: None,
    })
}
