use super::service;
use crate::auth::Perm;
use crate::domains::visits::itinerary::api::*;
use crate::domains::visits::records::Task;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::extract::{Json, Path};
use crate::web::{ReqCtx, created};
use axum::extract::State;
use axum::response::Response;
use serde::{Deserialize, Serialize};

#[derive(Serialize, utoipa::ToSchema)]
pub struct TaskJson {
    pub id: String,
    pub visit_id: String,
    /// interpretation, media, gifts, transport_lodging, materials, venue_setup, security.
    pub area: String,
    pub title: String,
    pub owner_id: Option<String>,
    pub owner_name: String,
    pub due_on: String,
    /// open, done or dropped.
    pub status: String,
}

pub(in crate::domains::visits) fn task_json(t: &Task) -> TaskJson {
    TaskJson {
        id: t.id.clone(),
        visit_id: t.visit_id.clone(),
        area: t.area.code().into(),
        title: t.title.clone(),
        owner_id: t.owner_id.clone(),
        owner_name: t.owner_name.clone(),
        due_on: t.due_on.clone(),
        status: t.status.code().into(),
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewTaskJson {
    /// interpretation, media, gifts, transport_lodging, materials, venue_setup, security.
    #[schema(schema_with = crate::domains::visits::model::PlanArea::openapi)]
    pub area: String,
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    #[serde(default)]
    pub owner_id: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub due_on: String,
}

#[utoipa::path(post, path = "/api/v1/visits/{id}/tasks", tag = "visits", params(("id" = String, Path)),
    request_body = NewTaskJson, responses((status = 201, body = TaskJson), (status = 422)), security(("bearer" = [])))]
pub async fn tasks_create(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<NewTaskJson>,
) -> AppResult<Response> {
    let (user, _) = ctx.require_center(Perm::ManageVisits)?;
    let input =
        service::TaskInput { area: b.area, title: b.title, owner_id: b.owner_id, due_on: b.due_on };
    let t = service::add_task(&state, &ctx.who(), &user, &id, input).await?;
    Ok(created(format!("/api/v1/visits/{id}"), task_json(&t)))
}

#[utoipa::path(post, path = "/api/v1/visit-tasks/{id}/transition", tag = "visits", params(("id" = String, Path)),
    request_body = ItemTransitionJson, responses((status = 200, body = TaskJson), (status = 422)), security(("bearer" = [])))]
pub async fn tasks_transition(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<ItemTransitionJson>,
) -> AppResult<Json<TaskJson>> {
    let (user, _) = ctx.require_center(Perm::ManageVisits)?;
    Ok(Json(task_json(&service::set_task_status(&state, &ctx.who(), &user, &id, &b.to).await?)))
}
