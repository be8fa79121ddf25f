use super::service;
use crate::auth::Perm;
use crate::domains::visits::outcome::service::OutcomeInput;
use crate::domains::visits::outcome::service::OutcomeUpdate;
use crate::domains::visits::visit::pages::*;
use crate::error::AppResult;
use crate::i18n::Bilingual;
use crate::state::AppState;
use crate::web::PageCtx;
use crate::web::extract::{Form, Path};
use crate::web::form::Pairs;
use axum::extract::State;
use axum::response::Response;

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
