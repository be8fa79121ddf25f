//! SQL for request documents.

use sqlx::Row as _;

use crate::db::{Db, Row, Tx, code};
use crate::domains::enterprises::model::form::DocType;

#[derive(Debug, Clone)]
pub struct Document {
    pub id: String,
    pub request_id: String,
    pub doc_key: String,
    pub file_key: String,
    pub filename: String,
    pub doc_type: DocType,
    pub size: i64,
    pub uploaded_by: Option<String>,
    pub by_name: Option<String>,
    pub created_at: i64,
}

fn document(r: &Row) -> Result<Document, sqlx::Error> {
    Ok(Document {
        id: r.try_get("id")?,
        request_id: r.try_get("request_id")?,
        doc_key: r.try_get("doc_key")?,
        file_key: r.try_get("file_key")?,
        filename: r.try_get("filename")?,
        doc_type: code(r, "doc_type", DocType::parse)?,
        size: r.try_get("size")?,
        uploaded_by: r.try_get("uploaded_by")?,
        by_name: r.try_get("by_name")?,
        created_at: r.try_get("created_at")?,
    })
}

const SELECT: &str = "SELECT d.*, u.display_name AS by_name FROM request_document d LEFT JOIN app_user u ON u.id = d.uploaded_by";

pub async fn list(db: &Db, request_id: &str) -> Result<Vec<Document>, sqlx::Error> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE d.request_id = $1 ORDER BY d.created_at DESC, d.id LIMIT 500"
    )))
    .bind(request_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(document).collect()
}

pub async fn get(db: &Db, id: &str) -> Result<Option<Document>, sqlx::Error> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE d.id = $1")))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(document).transpose()
}

pub async fn count(tx: &mut Tx, request_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) AS n FROM request_document WHERE request_id = $1")
        .bind(request_id)
        .fetch_one(&mut **tx)
        .await?
        .try_get("n")
}

#[allow(clippy::too_many_arguments)]
pub async fn insert(
    tx: &mut Tx,
    id: &str,
    request_id: &str,
    doc_key: &str,
    file_key: &str,
    filename: &str,
    doc_type: DocType,
    size: i64,
    by: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO request_document (id, request_id, doc_key, file_key, filename, doc_type, size, uploaded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(request_id)
    .bind(doc_key)
    .bind(file_key)
    .bind(filename)
    .bind(doc_type.code())
    .bind(size)
    .bind(by)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Whether any document is kept under `file_key`.
pub async fn referenced(db: &Db, file_key: &str) -> Result<bool, sqlx::Error> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM request_document WHERE file_key = $1")
        .bind(file_key)
        .fetch_one(&db.pool)
        .await?;
    Ok(row.try_get::<i64, _>("n")? > 0)
}
