//! Documents: the enterprise hands them in while its request is a draft or
//! owes a supplement; the center's officers may add one at any time (the
//! authority's decision). A file's type is read from its content and must
//! be one the checklist accepts; a file that is not is removed again.

use serde_json::json;

use super::store;
pub use super::store::Document;
use crate::audit::Who;
use crate::auth::CurrentUser;
use crate::db::new_id;
use crate::domains::enterprises::model::flow::{Side, Status};
use crate::domains::enterprises::model::form::{DocSpec, DocType};
use crate::domains::enterprises::request::service as requests;
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n::Bilingual;
use crate::notify::Message as Notice;
use crate::state::AppState;
use crate::storage::PutError;
use crate::web::extract::{FilePart, StreamedUpload};
use crate::write::Write;

/// The key of a document outside the checklist (any side, any accepted type).
pub const OTHER: &str = "other";
/// Documents on one request.
pub const MAX_PER_REQUEST: i64 = 200;

pub async fn list(
    state: &AppState,
    user: &CurrentUser,
    center_id: &str,
    request_id: &str,
) -> AppResult<Vec<Document>> {
    requests::readable(state, user, center_id, request_id).await?;
    Ok(store::list(&state.db, request_id).await?)
}

fn other_spec() -> DocSpec {
    DocSpec {
        key: OTHER.into(),
        label_zh: "其他材料".into(),
        label_en: "Other document".into(),
        mandatory: false,
        types: DocType::ALL.iter().map(|t| t.code().to_string()).collect(),
    }
}

/// Streams a document into the store and records it against `doc_key`.
pub async fn upload(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    center_id: &str,
    request_id: &str,
    doc_key: &str,
    file: Option<FilePart>,
) -> AppResult<Document> {
    match file {
        Some(f) => {
            attach(state, who, user, center_id, request_id, doc_key, &f.filename, f.stream).await
        }
        None => {
            requests::readable(state, user, center_id, request_id).await?;
            Err(AppError::invalid("file", "document-file-needed"))
        }
    }
}

/// Streams `body` in as a document of `doc_key` named `filename`.
#[allow(clippy::too_many_arguments)]
pub async fn attach<S, E>(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    center_id: &str,
    request_id: &str,
    doc_key: &str,
    filename: &str,
    body: S,
) -> AppResult<Document>
where
    S: futures_util::Stream<Item = Result<bytes::Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let (r, side) = requests::readable(state, user, center_id, request_id).await?;
    let open_to = match side {
        Side::Enterprise => r.status.editable(),
        Side::Center => !matches!(r.status, Status::Closed | Status::Withdrawn),
    };
    if !open_to {
        return Err(AppError::Conflict {
            key: "document-not-now",
            conflicts: json!({"current_status": r.status.code()}),
        });
    }
    let spec = requests::form_of(state, &r).await?;
    let doc = if doc_key == OTHER {
        other_spec()
    } else {
        spec.documents
            .iter()
            .find(|d| d.key == doc_key)
            .cloned()
            .ok_or_else(|| AppError::invalid("doc_key", "field-invalid-choice"))?
    };
    let stored = match tokio::time::timeout(
        UPLOAD_TIME,
        state.files.put_stream(body, StreamedUpload::MAX_FILE),
    )
    .await
    {
        Err(_) => return Err(AppError::BadRequest { field: Some("file".into()) }),
        Ok(Ok(s)) => s,
        Ok(Err(PutError::TooLarge)) => {
            return Err(AppError::Invalid(vec![
                FieldError::new("file", "document-too-large")
                    .with("mb", StreamedUpload::MAX_FILE / (1024 * 1024)),
            ]));
        }
        Ok(Err(PutError::Broken(_))) => {
            return Err(AppError::BadRequest { field: Some("file".into()) });
        }
        Ok(Err(PutError::Store(e))) => {
            return Err(AppError::internal(format!("document store: {e}")));
        }
    };
    let kind = DocType::sniff(&stored.head).filter(|t| doc.accepts(*t));
    let Some(kind) = kind else {
        if !store::referenced(&state.db, &stored.key).await? {
            let _ = state.files.delete(&stored.key).await;
        }
        let accepted: Vec<&str> = doc.types.iter().map(String::as_str).collect();
        return Err(AppError::Invalid(vec![
            FieldError::new("file", "document-type-refused")
                .with("types", accepted.join(", ").to_uppercase()),
        ]));
    };
    let mut w = Write::begin(state, who).await?;
    // The request may have moved on while the file streamed in: its status
    // is checked again, holding its row, before the document counts.
    if !requests::hold_status_in(&mut w, request_id, r.status).await? {
        return Err(AppError::Conflict {
            key: "request-saved-meanwhile",
            conflicts: json!({"version": r.version}),
        });
    }
    if store::count(&mut w, request_id).await? >= MAX_PER_REQUEST {
        return Err(AppError::Conflict {
            key: "document-too-many",
            conflicts: json!({"max": MAX_PER_REQUEST}),
        });
    }
    let id = new_id();
    let now = w.now().millis();
    let name = safe_name(filename, &doc.key, kind);
    store::insert(
        &mut w,
        &id,
        request_id,
        &doc.key,
        &stored.key,
        &name,
        kind,
        stored.size as i64,
        &user.id,
        now,
    )
    .await?;
    w.audit(
        Some(center_id),
        "service_request",
        request_id,
        "document",
        json!({"doc_key": doc.key, "sha256": stored.key, "size": stored.size, "type": kind.code()}),
    )
    .await?;
    if side == Side::Enterprise
        && let Some(officer) = &r.officer_id
    {
        let notice = Notice {
            kind: "service_request".into(),
            subject_id: r.id.clone(),
            key: "notify-request-document".into(),
            args: vec![
                ("reference".into(), Bilingual::new(r.reference.clone(), r.reference.clone())),
                ("document".into(), Bilingual::new(doc.label_zh.clone(), doc.label_en.clone())),
            ],
            reason: String::new(),
            link: format!("/services/requests/{}", r.id),
        };
        w.notify(officer, &notice).await?;
    }
    w.commit().await?;
    store::get(&state.db, &id).await?.ok_or(AppError::NotFound)
}

/// How long one upload may take.
const UPLOAD_TIME: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// The name a document is kept and downloaded under: the sender's stem,
/// without control, format (bidirectional) or path characters, and always
/// the extension of the type read from the content (`licence.pdf.bat`
/// becomes `licence.pdf.pdf`, never a program).
pub fn safe_name(sent: &str, key: &str, kind: DocType) -> String {
    let stem = sent.rsplit_once('.').map(|(s, _)| s).unwrap_or(sent);
    let stem: String = stem
        .chars()
        .filter(|c| {
            !c.is_control()
                && !matches!(c, '/' | '\\' | '"' | ':' | '*' | '?' | '<' | '>' | '|')
                && !matches!(*c as u32, 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2069 | 0xFEFF)
        })
        .take(120)
        .collect();
    let stem = stem.trim().trim_matches('.');
    let stem = if stem.is_empty() { key } else { stem };
    format!("{stem}.{}", kind.extension())
}

/// A document for download, with its bytes as a stream.
pub async fn open(
    state: &AppState,
    user: &CurrentUser,
    center_id: &str,
    id: &str,
) -> AppResult<(
    Document,
    u64,
    futures_util::stream::BoxStream<'static, object_store::Result<bytes::Bytes>>,
)> {
    let d = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    requests::readable(state, user, center_id, &d.request_id).await?;
    let (size, stream) = state
        .files
        .get(&d.file_key)
        .await
        .map_err(|e| AppError::internal(format!("document store: {e}")))?
        .ok_or(AppError::NotFound)?;
    Ok((d, size, stream))
}

/// The download: the document's own type, as an attachment, never sniffed,
/// never cached by a shared cache.
pub fn download(
    d: &Document,
    size: u64,
    stream: futures_util::stream::BoxStream<'static, object_store::Result<bytes::Bytes>>,
) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    let ascii: String = d
        .filename
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || ".-_ ".contains(c) { c } else { '_' })
        .collect();
    let encoded =
        percent_encoding::utf8_percent_encode(&d.filename, percent_encoding::NON_ALPHANUMERIC)
            .to_string();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    let body = axum::body::Body::from_stream(stream);
    (
        [
            (header::CONTENT_TYPE, d.doc_type.media_type().to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CONTENT_LENGTH, size.to_string()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
            (header::CONTENT_SECURITY_POLICY, "sandbox; default-src 'none'".to_string()),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_name_ends_in_the_type_read_from_the_content() {
        assert_eq!(safe_name("licence.pdf.bat", "licence", DocType::Pdf), "licence.pdf.pdf");
        assert_eq!(safe_name("scan\u{202E}fdp.exe", "licence", DocType::Pdf), "scanfdp.pdf");
        assert_eq!(safe_name("../../etc/passwd", "risk", DocType::Pdf), "risk.pdf");
        assert_eq!(safe_name("a/b\\c.exe", "risk", DocType::Pdf), "abc.pdf");
        assert_eq!(safe_name("", "risk", DocType::Png), "risk.png");
        assert_eq!(safe_name("营业执照.jpg", "licence", DocType::Jpeg), "营业执照.jpeg");
    }
}
