use super::service;
use crate::auth::Perm;
use crate::domains::centers::service as centers;
use crate::domains::visits::records::Organisation;
use crate::domains::visits::visit::store::VisitFilter;
use crate::domains::visits::{gift, outcome, visit};
use crate::domains::visits::{gift::api::*, outcome::api::*, visit::api::*};
use crate::error::AppResult;
use crate::i18n::Bilingual;
use crate::state::AppState;
use crate::web::ReqCtx;
use crate::web::extract::{Json, Path, Query};
use crate::web::list::{List, PageQuery, key_cursor};
use axum::extract::State;
use serde::{Deserialize, Serialize};

#[derive(Serialize, utoipa::ToSchema)]
pub struct OrganisationJson {
    pub id: String,
    pub organisation_type: String,
    pub country: String,
    pub name_zh: String,
    pub name_en: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
}

pub(in crate::domains::visits) fn org_json(o: &Organisation) -> OrganisationJson {
    OrganisationJson {
        id: o.id.clone(),
        organisation_type: o.kind.code().into(),
        country: o.country.clone(),
        name_zh: o.name.zh.clone(),
        name_en: o.name.en.clone(),
        contact_name: o.contact_name.clone(),
        contact_email: o.contact_email.clone(),
        contact_phone: o.contact_phone.clone(),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrgQuery {
    #[serde(default, rename = "type")]
    pub kind: String,
}

/// Counterpart organisations in the order they were added, a page at a time.
#[utoipa::path(get, path = "/api/v1/organisations", tag = "visits", params(OrgQuery, PageQuery),
    responses((status = 200, body = List<OrganisationJson>)), security(("bearer" = [])))]
pub async fn organisations_index(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Query(q): Query<OrgQuery>,
    Query(page): Query<PageQuery>,
) -> AppResult<Json<List<OrganisationJson>>> {
    let (_, center_id) = ctx.require_center(Perm::ManageVisits)?;
    let (limit, (_, after)) = (page.size()?, page.after()?);
    let rows =
        service::organisations_page(&state, &center_id, q.kind.trim(), &after, limit + 1).await?;
    Ok(Json(List::page(rows, limit as usize, |o| key_cursor(0, &o.id), |o| org_json(&o))))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OrganisationTimeline {
    #[serde(flatten)]
    pub organisation: OrganisationJson,
    pub visits: Vec<VisitJson>,
    pub outcomes: Vec<OutcomeJson>,
    pub gifts_received: Vec<GiftMovementJson>,
}

/// An organisation with its timeline: visits, outcomes and gifts received.
#[utoipa::path(get, path = "/api/v1/organisations/{id}", tag = "visits", params(("id" = String, Path)),
    responses((status = 200, body = OrganisationTimeline), (status = 404)), security(("bearer" = [])))]
pub async fn organisations_show(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<Json<OrganisationTimeline>> {
    let (_, center_id) = ctx.require_center(Perm::ManageVisits)?;
    let o = service::organisation_in(&state, &center_id, &id).await?;
    let tz = centers::tz(&state, &center_id).await?;
    let visits = visit::service::list(
        &state,
        &VisitFilter {
            center_id: center_id.clone(),
            organisation_id: o.id.clone(),
            limit: 500,
            ..VisitFilter::default()
        },
    )
    .await?;
    Ok(Json(OrganisationTimeline {
        visits: visits.iter().map(|v| visit_json(v, &tz)).collect(),
        outcomes: outcome::service::outcomes(&state, &center_id, "", &o.id)
            .await?
            .iter()
            .map(outcome_json)
            .collect(),
        gifts_received: gift::service::movements(&state, &center_id, "", &o.id)
            .await?
            .iter()
            .map(|m| movement_json(m, &tz))
            .collect(),
        organisation: org_json(&o),
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct OrganisationPatch {
    #[serde(default)]
    pub name_zh: String,
    #[serde(default)]
    pub name_en: String,
    #[schema(schema_with = crate::domains::visits::model::OrgKind::openapi)]
    pub organisation_type: String,
    pub country: String,
    #[serde(default)]
    pub contact_name: String,
    #[serde(default)]
    pub contact_email: String,
    #[serde(default)]
    pub contact_phone: String,
    #[serde(default)]
    pub notes: String,
}

/// Corrects an organisation; its visits follow its type and country.
#[utoipa::path(put, path = "/api/v1/organisations/{id}", tag = "visits", params(("id" = String, Path)),
    request_body = OrganisationPatch, responses((status = 200, body = OrganisationJson), (status = 422)),
    security(("bearer" = [])))]
pub async fn organisations_update(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<OrganisationPatch>,
) -> AppResult<Json<OrganisationJson>> {
    let (_, center_id) = ctx.require_center(Perm::ManageVisits)?;
    let input = service::OrgInput {
        name: Bilingual::new(b.name_zh, b.name_en),
        kind: b.organisation_type,
        country: b.country,
        contact_name: b.contact_name,
        contact_email: b.contact_email,
        contact_phone: b.contact_phone,
        notes: b.notes,
    };
    let o = service::update_organisation(&state, &ctx.who(), &center_id, &id, input).await?;
    Ok(Json(org_json(&o)))
}
