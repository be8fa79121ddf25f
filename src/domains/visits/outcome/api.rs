use super::service;
use crate::auth::Perm;
use crate::domains::visits::outcome::service::OutcomeInput;
use crate::domains::visits::records::Outcome;
use crate::error::AppResult;
use crate::i18n::Bilingual;
use crate::state::AppState;
use crate::web::extract::{Json, Path, Query};
use crate::web::list::{List, PageQuery, key_cursor};
use crate::web::{ReqCtx, created};
use axum::extract::State;
use axum::response::Response;
use serde::{Deserialize, Serialize};

#[derive(Serialize, utoipa::ToSchema)]
pub struct OutcomeJson {
    pub id: String,
    pub organisation_id: String,
    pub organisation_name_zh: String,
    pub organisation_name_en: String,
    pub visit_id: Option<String>,
    /// mou, agreement, letter_of_intent, project_lead, investment, return_visit.
    pub kind: String,
    pub title_zh: String,
    pub title_en: String,
    pub parties: String,
    pub signed_on: String,
    pub document_ref: String,
    pub owner_id: Option<String>,
    pub owner_name: String,
    pub next_action: String,
    pub next_action_on: String,
    /// proposed, signed, in_progress, realised, dormant, terminated.
    pub status: String,
}

pub(in crate::domains::visits) fn outcome_json(o: &Outcome) -> OutcomeJson {
    OutcomeJson {
        id: o.id.clone(),
        organisation_id: o.organisation_id.clone(),
        organisation_name_zh: o.organisation_name.zh.clone(),
        organisation_name_en: o.organisation_name.en.clone(),
        visit_id: o.visit_id.clone(),
        kind: o.kind.code().into(),
        title_zh: o.title.zh.clone(),
        title_en: o.title.en.clone(),
        parties: o.parties.clone(),
        signed_on: o.signed_on.clone(),
        document_ref: o.document_ref.clone(),
        owner_id: o.owner_id.clone(),
        owner_name: o.owner_name.clone(),
        next_action: o.next_action.clone(),
        next_action_on: o.next_action_on.clone(),
        status: o.status.code().into(),
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewOutcomeJson {
    /// mou, agreement, letter_of_intent, project_lead, investment, return_visit.
    #[schema(schema_with = crate::domains::visits::model::OutcomeKind::openapi)]
    pub kind: String,
    #[serde(default)]
    pub title_zh: String,
    #[serde(default)]
    pub title_en: String,
    #[serde(default)]
    pub parties: String,
    #[serde(default)]
    pub signed_on: String,
    #[serde(default)]
    pub document_ref: String,
    #[serde(default)]
    pub owner_id: String,
    #[serde(default)]
    pub next_action: String,
    /// When to follow up (`YYYY-MM-DD`); due ones show on the dashboard.
    #[serde(default)]
    pub next_action_on: String,
    #[serde(default)]
    pub status: String,
}

#[utoipa::path(post, path = "/api/v1/visits/{id}/outcomes", tag = "visits", params(("id" = String, Path)),
    request_body = NewOutcomeJson, responses((status = 201, body = OutcomeJson), (status = 422)), security(("bearer" = [])))]
pub async fn outcomes_create(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<NewOutcomeJson>,
) -> AppResult<Response> {
    let (user, _) = ctx.require_center(Perm::ManageVisits)?;
    let input = OutcomeInput {
        kind: b.kind,
        title: Bilingual::new(b.title_zh, b.title_en),
        parties: b.parties,
        signed_on: b.signed_on,
        document_ref: b.document_ref,
        owner_id: b.owner_id,
        next_action: b.next_action,
        next_action_on: b.next_action_on,
        status: b.status,
    };
    let o = service::add_outcome(&state, &ctx.who(), &user, &id, input).await?;
    Ok(created(format!("/api/v1/outcomes/{}", o.id), outcome_json(&o)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutcomeQuery {
    /// Only those whose next action is due today or earlier.
    #[serde(default)]
    pub due: bool,
}

/// Outcomes, newest first, a page at a time; or, with `due`, the follow-ups
/// due today or earlier (one list: those are few by nature).
#[utoipa::path(get, path = "/api/v1/outcomes", tag = "visits", params(OutcomeQuery, PageQuery),
    responses((status = 200, body = List<OutcomeJson>)), security(("bearer" = [])))]
pub async fn outcomes_index(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Query(q): Query<OutcomeQuery>,
    Query(page): Query<PageQuery>,
) -> AppResult<Json<List<OutcomeJson>>> {
    let (_, center_id) = ctx.require_center(Perm::ManageVisits)?;
    let (limit, (_, before)) = (page.size()?, page.after()?);
    if q.due {
        let list = service::followups_due(&state, &center_id).await?;
        return Ok(Json(List::whole(list.iter().map(outcome_json).collect())));
    }
    let rows = service::outcomes_page(&state, &center_id, &before, limit + 1).await?;
    Ok(Json(List::page(rows, limit as usize, |o| key_cursor(0, &o.id), |o| outcome_json(&o))))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct OutcomePatch {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub next_action: String,
    #[serde(default)]
    pub next_action_on: String,
    #[serde(default)]
    pub signed_on: String,
}

#[utoipa::path(patch, path = "/api/v1/outcomes/{id}", tag = "visits", params(("id" = String, Path)),
    request_body = OutcomePatch, responses((status = 200, body = OutcomeJson), (status = 409), (status = 422)),
    security(("bearer" = [])))]
pub async fn outcomes_update(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<OutcomePatch>,
) -> AppResult<Json<OutcomeJson>> {
    let (user, _) = ctx.require_center(Perm::ManageVisits)?;
    let update = service::OutcomeUpdate {
        status: b.status,
        next_action: b.next_action,
        next_action_on: b.next_action_on,
        signed_on: b.signed_on,
    };
    let o = service::update_outcome(&state, &ctx.who(), &user, &id, update).await?;
    Ok(Json(outcome_json(&o)))
}
