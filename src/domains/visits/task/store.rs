use crate::clock::Instant;
use crate::db::code;
use crate::db::{Db, Row, Tx};
use crate::domains::visits::model::{PlanArea, TaskStatus};
use crate::domains::visits::records::Task;
use sqlx::Row as _;

macro_rules! task_sql {
    ($tail:literal) => {
        concat!(
            "SELECT t.*, v.reference AS visit_reference, COALESCE(u.display_name, '') AS owner_name FROM visit_task t
             JOIN visit v ON v.id = t.visit_id LEFT JOIN app_user u ON u.id = t.owner_id ",
            $tail
        )
    };
}

pub(in crate::domains::visits) fn task_from(r: &Row) -> Result<Task, sqlx::Error> {
    Ok(Task {
        id: r.try_get("id")?,
        visit_id: r.try_get("visit_id")?,
        visit_reference: r.try_get("visit_reference")?,
        area: code(r, "area", PlanArea::parse)?,
        title: r.try_get("title")?,
        owner_id: r.try_get("owner_id")?,
        owner_name: r.try_get("owner_name")?,
        due_on: r.try_get("due_on")?,
        status: code(r, "status", TaskStatus::parse)?,
    })
}

pub async fn insert_task(
    tx: &mut Tx,
    center_id: &str,
    t: &Task,
    now: Instant,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO visit_task (id, visit_id, center_id, area, title, owner_id, due_on, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(&t.id)
    .bind(&t.visit_id)
    .bind(center_id)
    .bind(t.area.code())
    .bind(&t.title)
    .bind(&t.owner_id)
    .bind(&t.due_on)
    .bind(t.status.code())
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn tasks(db: &Db, visit_id: &str) -> Result<Vec<Task>, sqlx::Error> {
    sqlx::query(task_sql!("WHERE t.visit_id = $1 ORDER BY t.area, t.due_on, t.id"))
        .bind(visit_id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(task_from)
        .collect()
}

pub async fn task(db: &Db, id: &str) -> Result<Option<Task>, sqlx::Error> {
    sqlx::query(task_sql!("WHERE t.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .as_ref()
        .map(task_from)
        .transpose()
}

/// Open tasks of a center due before `today`, oldest first.
pub async fn overdue_tasks(
    db: &Db,
    center_id: &str,
    today: &str,
) -> Result<Vec<Task>, sqlx::Error> {
    sqlx::query(task_sql!(
        "WHERE t.center_id = $1 AND t.status = 'open' AND t.due_on <> '' AND t.due_on < $2
         ORDER BY t.due_on, t.id LIMIT 50"
    ))
    .bind(center_id)
    .bind(today)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(task_from)
    .collect()
}

pub async fn set_task_status(
    tx: &mut Tx,
    id: &str,
    status: TaskStatus,
    now: Instant,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE visit_task SET status = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(status.code())
        .bind(now.millis())
        .execute(&mut **tx)
        .await?;
    Ok(())
}
