use super::store;
use crate::audit::Who;
use crate::auth::CurrentUser;
use crate::db::new_id;
use crate::domains::visits::model::{PlanArea, TaskStatus, check_date};
use crate::domains::visits::records::Task;
use crate::domains::visits::visit::service::*;
use crate::error::{AppError, AppResult, FieldError};
use crate::state::AppState;
use crate::write::Write;
use serde_json::json;

/// A plan task as typed.
#[derive(Debug, Clone, Default)]
pub struct TaskInput {
    pub area: String,
    pub title: String,
    pub owner_id: String,
    pub due_on: String,
}

pub async fn add_task(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    visit_id: &str,
    t: TaskInput,
) -> AppResult<Task> {
    let center_id = user.center_id.clone().ok_or(AppError::Forbidden)?;
    let visit = visit_in(state, &center_id, visit_id).await?;
    let mut errors = vec![];
    let TaskInput { area, title, owner_id, due_on } = &t;
    let area = PlanArea::parse(area).unwrap_or_else(|| {
        errors.push(FieldError::new("area", "field-invalid-choice"));
        PlanArea::Materials
    });
    if title.trim().is_empty() || title.chars().count() > 300 {
        errors.push(FieldError::new("title", "field-required"));
    }
    errors.extend(check_date("due_on", due_on, false));
    let owner = match owner_id.trim() {
        "" => None,
        id => match crate::domains::accounts::service::user_in(state, &center_id, id).await {
            Ok(u) => Some(u.id),
            Err(_) => {
                errors.push(FieldError::new("owner_id", "field-invalid-choice"));
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let task = Task {
        id: new_id(),
        visit_id: visit.id.clone(),
        visit_reference: visit.reference.clone(),
        area,
        title: title.trim().into(),
        owner_id: owner,
        owner_name: String::new(),
        due_on: due_on.trim().into(),
        status: TaskStatus::Open,
    };
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    store::insert_task(&mut tx, &center_id, &task, now).await?;
    tx.audit(Some(&center_id), "visit_task", &task.id, "create", json!({"visit": visit.reference, "area": area.code(), "title": task.title, "due_on": task.due_on}))
            .await?;
    tx.commit().await?;
    Ok(task)
}

pub async fn set_task_status(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    task_id: &str,
    to: &str,
) -> AppResult<Task> {
    let center_id = user.center_id.clone().ok_or(AppError::Forbidden)?;
    let task = store::task(&state.db, task_id).await?.ok_or(AppError::NotFound)?;
    visit_in(state, &center_id, &task.visit_id).await?;
    let to =
        TaskStatus::parse(to).ok_or_else(|| AppError::invalid("status", "field-invalid-choice"))?;
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    store::set_task_status(&mut tx, &task.id, to, now).await?;
    tx.audit(
        Some(&center_id),
        "visit_task",
        &task.id,
        "status",
        json!({"from": task.status.code(), "to": to.code()}),
    )
    .await?;
    tx.commit().await?;
    store::task(&state.db, task_id).await?.ok_or(AppError::NotFound)
}

pub async fn tasks(state: &AppState, visit_id: &str) -> AppResult<Vec<Task>> {
    Ok(store::tasks(&state.db, visit_id).await?)
}

/// Open tasks past their due date (the staff dashboard).
pub async fn overdue_tasks(state: &AppState, center_id: &str) -> AppResult<Vec<Task>> {
    let tz = crate::domains::centers::service::tz(state, center_id).await?;
    Ok(store::overdue_tasks(&state.db, center_id, &today(state, &tz)).await?)
}
