use super::service;
use crate::auth::Perm;
use crate::domains::visits::member::service::MemberInput;
use crate::domains::visits::member::service::MemberView;
use crate::domains::visits::visit;
use crate::error::{AppError, AppResult};
use crate::i18n::Bilingual;
use crate::state::AppState;
use crate::web::extract::{Json, Path};
use crate::web::list::List;
use crate::web::{ReqCtx, created};
use axum::extract::State;
use axum::response::Response;
use serde::{Deserialize, Serialize};

#[derive(Serialize, utoipa::ToSchema)]
pub struct MemberJson {
    pub id: String,
    pub position: i64,
    /// As in the passport, Latin script.
    pub surname: String,
    pub given_name: String,
    pub name_zh: String,
    /// f, m, x or empty.
    pub gender: String,
    pub title_zh: String,
    pub title_en: String,
    pub organisation: String,
    pub languages: Vec<String>,
    pub dietary: String,
    pub email: String,
    pub phone: String,
    pub is_head: bool,
    /// Masked: only the last four characters show; empty when none is held.
    pub passport_masked: String,
}

pub(in crate::domains::visits) fn member_json(m: &MemberView) -> MemberJson {
    let x = &m.member;
    MemberJson {
        id: x.id.clone(),
        position: x.position,
        surname: x.surname.clone(),
        given_name: x.given_name.clone(),
        name_zh: x.name_zh.clone(),
        gender: x.gender.map(|g| g.code().to_string()).unwrap_or_default(),
        title_zh: x.title.zh.clone(),
        title_en: x.title.en.clone(),
        organisation: x.organisation.clone(),
        languages: x.languages.clone(),
        dietary: x.dietary.clone(),
        email: x.email.clone(),
        phone: x.phone.clone(),
        is_head: x.is_head,
        passport_masked: m.passport_masked.clone(),
    }
}

#[utoipa::path(get, path = "/api/v1/visits/{id}/members", tag = "visits", params(("id" = String, Path)),
    responses((status = 200, body = List<MemberJson>)), security(("bearer" = [])))]
pub async fn members_index(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<Json<List<MemberJson>>> {
    let (_, center_id) = ctx.require_center(Perm::ManageVisits)?;
    let v = visit::service::visit_in(&state, &center_id, &id).await?;
    let items = service::members(&state, &v.id).await?.iter().map(member_json).collect();
    Ok(Json(List { items, next_cursor: None }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewMemberJson {
    /// As in the passport, Latin script.
    pub surname: String,
    #[serde(default)]
    pub given_name: String,
    #[serde(default)]
    pub name_zh: String,
    /// f, m or x.
    #[serde(default)]
    pub gender: String,
    #[serde(default)]
    pub title_zh: String,
    #[serde(default)]
    pub title_en: String,
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub languages: Vec<String>,
    /// Free text; never a religion field.
    #[serde(default)]
    pub dietary: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub is_head: bool,
    /// Only when a real purpose needs it; stored sealed, shown masked.
    #[serde(default)]
    pub passport_number: String,
}

#[utoipa::path(post, path = "/api/v1/visits/{id}/members", tag = "visits", params(("id" = String, Path)),
    request_body = NewMemberJson, responses((status = 201, body = MemberJson), (status = 422)), security(("bearer" = [])))]
pub async fn members_create(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<NewMemberJson>,
) -> AppResult<Response> {
    let (user, _) = ctx.require_center(Perm::ManageVisits)?;
    let m = service::add_member(&state, &ctx.who(), &user, &id, input_of(b)).await?;
    let view = service::members(&state, &id)
        .await?
        .into_iter()
        .find(|x| x.member.id == m.id)
        .ok_or(AppError::NotFound)?;
    Ok(created(format!("/api/v1/visits/{id}/members/{}", m.id), member_json(&view)))
}

/// Replaces a member's details; an empty `passport_number` keeps the one on file.
#[utoipa::path(put, path = "/api/v1/visits/{id}/members/{member_id}", tag = "visits",
    params(("id" = String, Path), ("member_id" = String, Path)),
    request_body = NewMemberJson, responses((status = 200, body = MemberJson), (status = 404), (status = 422)),
    security(("bearer" = [])))]
pub async fn members_update(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path((id, member_id)): Path<(String, String)>,
    Json(b): Json<NewMemberJson>,
) -> AppResult<Json<MemberJson>> {
    let (user, _) = ctx.require_center(Perm::ManageVisits)?;
    let m = service::update_member(&state, &ctx.who(), &user, &id, &member_id, input_of(b)).await?;
    let view = service::members(&state, &id)
        .await?
        .into_iter()
        .find(|x| x.member.id == m.id)
        .ok_or(AppError::NotFound)?;
    Ok(Json(member_json(&view)))
}

fn input_of(b: NewMemberJson) -> MemberInput {
    MemberInput {
        surname: b.surname,
        given_name: b.given_name,
        name_zh: b.name_zh,
        gender: b.gender,
        title: Bilingual::new(b.title_zh, b.title_en),
        organisation: b.organisation,
        languages: b.languages.join(","),
        dietary: b.dietary,
        email: b.email,
        phone: b.phone,
        is_head: b.is_head,
        passport: b.passport_number,
    }
}

#[utoipa::path(delete, path = "/api/v1/visits/{id}/members/{member_id}", tag = "visits",
    params(("id" = String, Path), ("member_id" = String, Path)),
    responses((status = 204), (status = 404)), security(("bearer" = [])))]
pub async fn members_delete(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path((id, member_id)): Path<(String, String)>,
) -> AppResult<axum::http::StatusCode> {
    let (user, _) = ctx.require_center(Perm::ManageVisits)?;
    service::remove_member(&state, &ctx.who(), &user, &id, &member_id).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
