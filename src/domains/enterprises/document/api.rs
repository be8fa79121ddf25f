//! Documents over HTTP: upload (multipart: `doc_key`, then `file`), list,
//! download.

use axum::extract::State;
use axum::response::Response;
use serde::Serialize;

use super::service::{self, Document};
use crate::auth::Perm;
use crate::clock::Instant;
use crate::domains::enterprises::model::form::DocType;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::extract::{Json, Path, StreamedUpload};
use crate::web::{ReqCtx, created};

#[derive(Serialize, utoipa::ToSchema)]
pub struct RequestDocumentJson {
    pub id: String,
    pub request_id: String,
    /// The checklist key it was handed in for (`other` outside the checklist).
    pub doc_key: String,
    pub filename: String,
    /// Read from the content.
    #[schema(schema_with = DocType::openapi)]
    pub doc_type: String,
    pub size: i64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    pub uploaded_by: Option<String>,
    pub created_at: String,
    /// Where to download it.
    pub url: String,
}

pub fn document_json(d: &Document) -> RequestDocumentJson {
    RequestDocumentJson {
        id: d.id.clone(),
        request_id: d.request_id.clone(),
        doc_key: d.doc_key.clone(),
        filename: d.filename.clone(),
        doc_type: d.doc_type.code().into(),
        size: d.size,
        sha256: d.file_key.clone(),
        uploaded_by: d.by_name.clone(),
        created_at: Instant(d.created_at).rfc3339_in(&jiff::tz::TimeZone::UTC),
        url: format!("/api/v1/documents/{}/content", d.id),
    }
}

/// A request's documents, newest first.
#[utoipa::path(get, path = "/api/v1/requests/{id}/documents", tag = "enterprises", params(("id" = String, Path)),
    responses((status = 200, body = Vec<RequestDocumentJson>), (status = 404)), security(("bearer" = [])))]
pub async fn index(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<RequestDocumentJson>>> {
    let (user, center_id) = ctx.require_center(Perm::SignedIn)?;
    let docs = service::list(&state, &user, &center_id, &id).await?;
    Ok(Json(docs.iter().map(document_json).collect()))
}

/// Hands in a document: `multipart/form-data` with the text field
/// `doc_key` first, then `file` (up to 100 MB, streamed). Its type is read
/// from the content and must be one the checklist accepts.
#[utoipa::path(post, path = "/api/v1/requests/{id}/documents", tag = "enterprises", params(("id" = String, Path)),
    request_body(content_type = "multipart/form-data", content = String),
    responses((status = 201, body = RequestDocumentJson), (status = 409), (status = 422)), security(("bearer" = [])))]
pub async fn upload(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    upload: StreamedUpload,
) -> AppResult<Response> {
    let (user, center_id) = ctx.require_center(Perm::SignedIn)?;
    let (fields, file) = upload.fields_then_file().await?;
    let key = fields
        .iter()
        .find(|(k, _)| k == "doc_key")
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default();
    let d = service::upload(&state, &ctx.who(), &user, &center_id, &id, &key, file).await?;
    Ok(created(format!("/api/v1/documents/{}/content", d.id), document_json(&d)))
}

/// Downloads a document (`Content-Disposition: attachment`, `nosniff`).
#[utoipa::path(get, path = "/api/v1/documents/{id}/content", tag = "enterprises", params(("id" = String, Path)),
    responses((status = 200, content_type = "application/octet-stream", body = String), (status = 404)), security(("bearer" = [])))]
pub async fn content(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.require_center(Perm::SignedIn)?;
    let (d, size, stream) = service::open(&state, &user, &center_id, &id).await?;
    Ok(service::download(&d, size, stream))
}
