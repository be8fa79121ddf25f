//! HTTP for the public home, zone and settings administration, and the zones API.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::model::{Bilingual, SettingsEdit, ZoneEdit};
use super::service;
use super::views::{HomePage, SettingsPage, ZoneJson, ZonesPage};
use crate::auth::Perm;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::extract::{Form, Json, Path, Query};
use crate::web::form::FormErrors;
use crate::web::list::List;
use crate::web::{PageCtx, ReqCtx, render};

/// The center's public home: name, zones and contact, in the page's language
/// with the other beside it.
pub async fn home(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let center = service::public_center(&state).await?;
    let zones = match &center {
        Some(c) => service::zones(&state, &c.id).await?,
        None => vec![],
    };
    Ok(render(&HomePage { ctx, center, zones })?.into_response())
}

#[derive(Deserialize, Default)]
pub struct SavedQuery {
    #[serde(default)]
    saved: String,
}

pub async fn zones_index(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<SavedQuery>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageCenter)?;
    let zones = service::zones(&state, &center_id).await?;
    let page = ZonesPage {
        ctx,
        zones,
        saved: q.saved,
        failed: String::new(),
        errors: FormErrors::default(),
    };
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize)]
pub struct ZoneForm {
    name_zh: String,
    name_en: String,
    #[serde(default)]
    description_zh: String,
    #[serde(default)]
    description_en: String,
}

impl ZoneForm {
    fn parse(self) -> Result<ZoneEdit, Vec<crate::error::FieldError>> {
        ZoneEdit::parse(
            Bilingual::new(self.name_zh, self.name_en),
            Bilingual::new(self.description_zh, self.description_en),
        )
    }
}

pub async fn zones_update(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<ZoneForm>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageCenter)?;
    match form.parse() {
        Ok(edit) => {
            service::update_zone(&state, &ctx.0.who(), &center_id, &id, edit).await?;
            Ok(Redirect::to(&format!("/admin/zones?saved={id}#zone-{id}")).into_response())
        }
        Err(errors) => {
            let zones = service::zones(&state, &center_id).await?;
            if !zones.iter().any(|z| z.id == id) {
                return Err(AppError::NotFound);
            }
            let page = ZonesPage {
                ctx,
                zones,
                saved: String::new(),
                failed: id,
                errors: FormErrors(errors),
            };
            crate::web::form::again(axum::http::StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

#[derive(Deserialize, Default)]
pub struct SettingsQuery {
    #[serde(default)]
    saved: Option<String>,
}

pub async fn settings_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<SettingsQuery>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageCenter)?;
    let center = service::get(&state, &center_id).await?;
    let page =
        SettingsPage { ctx, center, saved: q.saved.is_some(), errors: FormErrors::default() };
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize)]
pub struct SettingsForm {
    name_zh: String,
    name_en: String,
    #[serde(default)]
    short_name_zh: String,
    #[serde(default)]
    short_name_en: String,
    #[serde(default)]
    intro_zh: String,
    #[serde(default)]
    intro_en: String,
    #[serde(default)]
    address_zh: String,
    #[serde(default)]
    address_en: String,
    #[serde(default)]
    opening_hours_zh: String,
    #[serde(default)]
    opening_hours_en: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    timezone: String,
}

pub async fn settings_update(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(f): Form<SettingsForm>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageCenter)?;
    let parsed = SettingsEdit::parse(
        Bilingual::new(f.name_zh.clone(), f.name_en.clone()),
        Bilingual::new(f.short_name_zh.clone(), f.short_name_en.clone()),
        Bilingual::new(f.intro_zh.clone(), f.intro_en.clone()),
        Bilingual::new(f.address_zh.clone(), f.address_en.clone()),
        Bilingual::new(f.opening_hours_zh.clone(), f.opening_hours_en.clone()),
        &f.phone,
        &f.email,
        &f.timezone,
    );
    match parsed {
        Ok(edit) => {
            service::update_settings(&state, &ctx.0.who(), &center_id, edit).await?;
            Ok(Redirect::to("/admin/settings?saved=1").into_response())
        }
        Err(errors) => {
            // Show the form again with what was sent, not what is stored.
            let mut center = service::get(&state, &center_id).await?;
            center.name = Bilingual { zh: f.name_zh, en: f.name_en };
            center.short_name = Bilingual { zh: f.short_name_zh, en: f.short_name_en };
            center.intro = Bilingual { zh: f.intro_zh, en: f.intro_en };
            center.address = Bilingual { zh: f.address_zh, en: f.address_en };
            center.opening_hours = Bilingual { zh: f.opening_hours_zh, en: f.opening_hours_en };
            center.phone = f.phone;
            center.email = f.email;
            center.timezone = f.timezone;
            let page = SettingsPage { ctx, center, saved: false, errors: FormErrors(errors) };
            crate::web::form::again(axum::http::StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

/// The zones of the caller's center (an oversight user: of every center overseen).
#[utoipa::path(get, path = "/api/v1/zones", tag = "centers",
    responses((status = 200, body = List<ZoneJson>), (status = 401, description = "not signed in")),
    security(("bearer" = [])))]
pub async fn api_zones(
    State(state): State<AppState>,
    ctx: ReqCtx,
) -> AppResult<Json<List<ZoneJson>>> {
    let user = ctx.require(Perm::ViewZones)?;
    let mut items = vec![];
    for center_id in &user.scope {
        items.extend(service::zones(&state, center_id).await?.into_iter().map(ZoneJson::from));
    }
    Ok(Json(List { items, next_cursor: None }))
}

/// A zone's new texts.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct ZonePatch {
    pub name_zh: String,
    pub name_en: String,
    #[serde(default)]
    pub description_zh: String,
    #[serde(default)]
    pub description_en: String,
}

/// Edits a zone of the caller's center (admin).
#[utoipa::path(patch, path = "/api/v1/zones/{id}", tag = "centers", request_body = ZonePatch,
    params(("id" = String, Path, description = "zone id")),
    responses((status = 200, body = ZoneJson), (status = 404), (status = 422)),
    security(("bearer" = [])))]
pub async fn api_zone_update(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(p): Json<ZonePatch>,
) -> AppResult<Json<ZoneJson>> {
    let (_, center_id) = ctx.require_center(Perm::ManageCenter)?;
    let edit = ZoneEdit::parse(
        Bilingual::new(p.name_zh, p.name_en),
        Bilingual::new(p.description_zh, p.description_en),
    )
    .map_err(AppError::Invalid)?;
    let zone = service::update_zone(&state, &ctx.who(), &center_id, &id, edit).await?;
    Ok(Json(zone.into()))
}
