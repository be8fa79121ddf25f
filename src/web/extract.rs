//! Our own extractors. Each wraps axum's so that a rejection becomes an
//! [`AppError`] naming the field (a localized page, or problem+json under
//! `/api/`) instead of axum's plain-text message. `clippy.toml` bans the raw
//! ones elsewhere.
#![allow(clippy::disallowed_types)]

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{AppError, AppResult, FieldError};

/// Maps a deserialization failure at `path` to 422 (known field) or 400.
fn field_error(path: String, message: &str) -> AppError {
    let missing = message.strip_prefix("missing field `").and_then(|m| m.split('`').next());
    match missing {
        Some(field) => {
            let field = if path.is_empty() || path == "." {
                field.to_string()
            } else {
                format!("{path}.{field}")
            };
            AppError::Invalid(vec![FieldError::new(field, "field-required")])
        }
        None if path.is_empty() || path == "." => AppError::BadRequest { field: None },
        None => AppError::Invalid(vec![FieldError::new(path, "field-invalid")]),
    }
}

fn from_urlencoded<T: DeserializeOwned>(input: &[u8]) -> Result<T, AppError> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(input));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        field_error(path, &e.inner().to_string())
    })
}

/// A URL-encoded form body.
pub struct Form<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| AppError::BadRequest { field: None })?;
        from_urlencoded(&bytes).map(Form)
    }
}

/// The query string.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let q = parts.uri.query().unwrap_or("");
        from_urlencoded(q.as_bytes()).map(Query)
    }
}

/// Path parameters.
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(_) => Err(AppError::BadRequest { field: Some("path".into()) }),
        }
    }
}

/// A JSON body in, or a JSON response out.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json =
            req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(
                |v| {
                    let mime = v.split(';').next().unwrap_or("").trim();
                    mime == "application/json" || mime.ends_with("+json")
                },
            );
        if !is_json {
            return Err(AppError::BadRequest { field: Some("content-type".into()) });
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| AppError::BadRequest { field: None })?;
        // Every body the API takes is an object: serde would read a struct
        // from an array too (its fields in order, `[]` all defaults).
        if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(AppError::BadRequest { field: None });
        }
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            match e.inner().classify() {
                serde_json::error::Category::Data => field_error(path, &e.inner().to_string()),
                _ => AppError::BadRequest { field: None },
            }
        })?;
        de.end().map_err(|_| AppError::BadRequest { field: None })?;
        Ok(Json(value))
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        match serde_json::to_vec(&self.0) {
            Ok(body) => {
                let mut r = (StatusCode::OK, body).into_response();
                r.headers_mut()
                    .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
                r
            }
            Err(e) => AppError::internal(format!("json: {e}")).into_response(),
        }
    }
}

/// A `multipart/form-data` body with at most one file (`file`), read whole
/// up to [`Upload::MAX_FILE`] bytes (pictures; larger documents will be
/// streamed), and its text fields.
pub struct Upload {
    pub fields: Vec<(String, String)>,
    /// The file's bytes (none: no file chosen).
    pub file: Option<Vec<u8>>,
}

impl Upload {
    /// The largest file taken, in bytes.
    pub const MAX_FILE: usize = 10 * 1024 * 1024;
    /// Text fields taken, and the longest, in bytes.
    const MAX_FIELDS: usize = 50;
    const MAX_TEXT: usize = 64 * 1024;

    pub fn field(&self, k: &str) -> String {
        self.fields.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()).unwrap_or_default()
    }
}

impl<S: Send + Sync> FromRequest<S> for Upload {
    type Rejection = AppError;

    /// Read with `multer` straight from the body, under our own limits (the
    /// file's, the fields'), not axum's default body limit.
    async fn from_request(req: Request, _: &S) -> Result<Self, Self::Rejection> {
        // Only a signed-in caller's body is read (the route checks the rest).
        let signed_in = req
            .extensions()
            .get::<crate::web::ReqCtx>()
            .is_some_and(|ctx| ctx.actor.user().is_some());
        if !signed_in {
            return Err(AppError::Unauthorized);
        }
        let bad = |_| AppError::BadRequest { field: None };
        let boundary = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| multer::parse_boundary(v).ok())
            .ok_or_else(|| AppError::BadRequest { field: Some("content-type".into()) })?;
        // The whole body is bounded too: part headers are buffered by the
        // parser until they end.
        let limits = multer::Constraints::new().size_limit(
            multer::SizeLimit::new()
                .whole_stream((Upload::MAX_FILE + Upload::MAX_FIELDS * Upload::MAX_TEXT) as u64)
                .per_field(Upload::MAX_FILE as u64),
        );
        let mut form = multer::Multipart::with_constraints(
            req.into_body().into_data_stream(),
            boundary,
            limits,
        );
        let mut upload = Upload { fields: vec![], file: None };
        while let Some(mut field) = form.next_field().await.map_err(bad)? {
            let name = field.name().unwrap_or("").to_string();
            let is_file = name == "file" && field.file_name().is_some();
            let (max, too_long) = if is_file {
                (Upload::MAX_FILE, "image-too-large")
            } else {
                (Upload::MAX_TEXT, "field-too-long")
            };
            if !is_file && upload.fields.len() >= Upload::MAX_FIELDS {
                return Err(AppError::BadRequest { field: None });
            }
            let mut bytes: Vec<u8> = vec![];
            while let Some(chunk) = field.chunk().await.map_err(bad)? {
                if bytes.len() + chunk.len() > max {
                    let e = FieldError::new(name.clone(), too_long)
                        .with("mb", Upload::MAX_FILE / (1024 * 1024));
                    return Err(AppError::Invalid(vec![e]));
                }
                bytes.extend_from_slice(&chunk);
            }
            if is_file {
                upload.file = (!bytes.is_empty()).then_some(bytes);
            } else {
                let value = String::from_utf8(bytes).map_err(|_| {
                    AppError::Invalid(vec![FieldError::new(name.clone(), "field-invalid")])
                })?;
                upload.fields.push((name, value));
            }
        }
        Ok(upload)
    }
}

/// A `multipart/form-data` body read as it arrives: the text fields that
/// come first, then one file, handed over as a stream (documents up to
/// [`StreamedUpload::MAX_FILE`]; never held in memory whole). Forms put
/// `csrf_token` first and the file last.
pub struct StreamedUpload {
    form: multer::Multipart<'static>,
}

/// The file part of a [`StreamedUpload`].
pub struct FilePart {
    /// The name the sender gave it (shown, never trusted for its type).
    pub filename: String,
    pub stream: multer::Field<'static>,
}

impl StreamedUpload {
    /// The largest document taken, in bytes.
    pub const MAX_FILE: u64 = 100 * 1024 * 1024;
    const MAX_FIELDS: usize = 20;
    const MAX_TEXT: usize = 8 * 1024;

    /// The text fields before the file, and the file (none: no file was chosen).
    pub async fn fields_then_file(
        mut self,
    ) -> AppResult<(Vec<(String, String)>, Option<FilePart>)> {
        let bad = |_| AppError::BadRequest { field: None };
        let mut fields = vec![];
        while let Some(field) = self.form.next_field().await.map_err(bad)? {
            let name = field.name().unwrap_or("").to_string();
            if let Some(filename) = field.file_name().map(str::to_string) {
                if filename.is_empty() {
                    continue;
                }
                return Ok((fields, Some(FilePart { filename, stream: field })));
            }
            if fields.len() >= Self::MAX_FIELDS {
                return Err(AppError::BadRequest { field: None });
            }
            let mut field = field;
            let mut bytes = vec![];
            while let Some(chunk) = field.chunk().await.map_err(bad)? {
                if bytes.len() + chunk.len() > Self::MAX_TEXT {
                    return Err(AppError::invalid(&name, "field-too-long"));
                }
                bytes.extend_from_slice(&chunk);
            }
            let value =
                String::from_utf8(bytes).map_err(|_| AppError::invalid(&name, "field-invalid"))?;
            fields.push((name, value));
        }
        Ok((fields, None))
    }
}

impl<S: Send + Sync> FromRequest<S> for StreamedUpload {
    type Rejection = AppError;

    async fn from_request(req: Request, _: &S) -> Result<Self, Self::Rejection> {
        let signed_in = req
            .extensions()
            .get::<crate::web::ReqCtx>()
            .is_some_and(|ctx| ctx.actor.user().is_some());
        if !signed_in {
            return Err(AppError::Unauthorized);
        }
        let boundary = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| multer::parse_boundary(v).ok())
            .ok_or_else(|| AppError::BadRequest { field: Some("content-type".into()) })?;
        let limits = multer::Constraints::new().size_limit(
            multer::SizeLimit::new()
                .whole_stream(
                    Self::MAX_FILE + (Self::MAX_FIELDS * Self::MAX_TEXT) as u64 + 64 * 1024,
                )
                .per_field(Self::MAX_FILE + 1),
        );
        let form = multer::Multipart::with_constraints(
            req.into_body().into_data_stream(),
            boundary,
            limits,
        );
        Ok(StreamedUpload { form })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Login {
        email: String,
        count: i64,
    }

    #[test]
    fn missing_and_invalid_fields_are_named() {
        match from_urlencoded::<Login>(b"count=3") {
            Err(AppError::Invalid(e)) => {
                assert_eq!(e, vec![FieldError::new("email", "field-required")])
            }
            other => panic!("{other:?}"),
        }
        match from_urlencoded::<Login>(b"email=a&count=x") {
            Err(AppError::Invalid(e)) => {
                assert_eq!(e, vec![FieldError::new("count", "field-invalid")])
            }
            other => panic!("{other:?}"),
        }
        assert!(from_urlencoded::<Login>(b"email=a&count=3").is_ok());
    }
}
