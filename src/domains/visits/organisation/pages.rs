use super::service;
use crate::auth::Perm;
use crate::domains::visits::views::OrganisationPage;
use crate::domains::visits::visit::store::VisitFilter;
use crate::domains::visits::{gift, outcome, visit};
use crate::error::{AppError, AppResult};
use crate::i18n::Bilingual;
use crate::state::AppState;
use crate::web::extract::{Form, Path};
use crate::web::form::FormErrors;
use crate::web::form::Pairs;
use crate::web::{PageCtx, render};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

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

pub(in crate::domains::visits) async fn organisation_page(
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
        visits: visit::service::list(state, &filter).await?,
        outcomes: outcome::service::outcomes(state, &center_id, "", &org.id).await?,
        gifts: gift::service::movements(state, &center_id, "", &org.id).await?,
        ctx,
        org,
        errors,
    })
}
