//! Pictures people upload (an article's cover, a sign's photo): the type is
//! read from the content, never the name; decoding has limits (no
//! decompression bombs); every picture is scaled to fit [`MAX_SIDE`] and
//! written again as JPEG (which also drops its metadata, a phone's position
//! among them); kept by the SHA-256 of what was written, in the files
//! folder, and served at `/media/<hash>.jpg` as an immutable file.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use axum::http::header;
use axum::response::{IntoResponse, Response};
use image::{ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};

use crate::error::{AppError, FieldError};

/// The longest side of a kept picture, in pixels.
pub const MAX_SIDE: u32 = 1600;
/// The largest picture decoded, in pixels per side and in all.
const MAX_DECODE_SIDE: u32 = 12_000;
const MAX_PIXELS: u64 = 40_000_000;
/// Memory one decode may take.
const MAX_DECODE_BYTES: u64 = 128 * 1024 * 1024;
/// Pictures decoded at once (each may take a core and ~300 MB).
static DECODING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// A picture kept: its key (SHA-256 hex) and size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    pub key: String,
    pub width: u32,
    pub height: u32,
}

impl Picture {
    pub fn href(&self) -> String {
        href(&self.key)
    }
}

/// Where a kept picture is served.
pub fn href(key: &str) -> String {
    format!("/media/{key}.jpg")
}

fn refused(field: &str, key: &str) -> AppError {
    AppError::Invalid(vec![FieldError::new(field, key)])
}

/// Decodes (JPEG, PNG or WebP, read from the bytes), scales to fit and
/// encodes as JPEG: the bytes and the size. CPU work: call it off the
/// async threads.
pub fn normalize(field: &str, bytes: &[u8]) -> Result<(Vec<u8>, u32, u32), AppError> {
    use image::{DynamicImage, ImageDecoder};
    let reader = || -> Result<ImageReader<Cursor<&[u8]>>, AppError> {
        let mut reader = ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|_| refused(field, "image-not-a-picture"))?;
        match reader.format() {
            Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP) => {}
            _ => return Err(refused(field, "image-not-a-picture")),
        }
        let mut limits = Limits::default();
        limits.max_image_width = Some(MAX_DECODE_SIDE);
        limits.max_image_height = Some(MAX_DECODE_SIDE);
        limits.max_alloc = Some(MAX_DECODE_BYTES);
        reader.limits(limits);
        Ok(reader)
    };
    let unreadable = |e: image::ImageError| match e {
        image::ImageError::Limits(_) => refused(field, "image-too-large"),
        _ => refused(field, "image-not-a-picture"),
    };
    // The size first, from the header alone: a small file may claim a huge picture.
    let (w, h) = reader()?.into_dimensions().map_err(unreadable)?;
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(refused(field, "image-too-large"));
    }
    let mut decoder = reader()?.into_decoder().map_err(unreadable)?;
    // A phone's photo stands as it was held.
    let orientation = decoder.orientation().map_err(unreadable)?;
    let mut picture = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    picture.apply_orientation(orientation);
    let picture = if picture.width() > MAX_SIDE || picture.height() > MAX_SIDE {
        picture.resize(MAX_SIDE, MAX_SIDE, image::imageops::FilterType::Triangle)
    } else {
        picture
    };
    let rgb = picture.to_rgb8();
    let (width, height) = (rgb.width(), rgb.height());
    let mut out = Cursor::new(Vec::new());
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .encode_image(&rgb)
        .map_err(|_| refused(field, "image-not-a-picture"))?;
    Ok((out.into_inner(), width, height))
}

fn path_of(dir: &Path, key: &str) -> PathBuf {
    dir.join(&key[..2]).join(format!("{key}.jpg"))
}

/// Normalizes and keeps a picture; the same picture twice is kept once.
pub async fn keep(dir: &Path, field: &str, bytes: Vec<u8>) -> Result<Picture, AppError> {
    let field = field.to_string();
    let dir = dir.to_path_buf();
    let _turn = DECODING.acquire().await.map_err(AppError::internal)?;
    tokio::task::spawn_blocking(move || {
        let (jpeg, width, height) = normalize(&field, &bytes)?;
        let key = hex::encode(Sha256::digest(&jpeg));
        let path = path_of(&dir, &key);
        if !path.exists() {
            let parent = path.parent().ok_or_else(|| AppError::internal("no folder"))?;
            std::fs::create_dir_all(parent).map_err(AppError::internal)?;
            // Written aside, flushed, then renamed: never a half picture
            // under its key, even after a power cut.
            let part = parent.join(format!("{key}.part-{}", uuid::Uuid::now_v7()));
            let written = (|| {
                use std::io::Write as _;
                let mut f = std::fs::File::create(&part)?;
                f.write_all(&jpeg)?;
                f.sync_all()?;
                std::fs::rename(&part, &path)
            })();
            if let Err(e) = written {
                let _ = std::fs::remove_file(&part);
                return Err(AppError::internal(e));
            }
        }
        Ok(Picture { key, width, height })
    })
    .await
    .map_err(AppError::internal)?
}

/// `/media/<hash>.jpg`: a kept picture, cached for good (its name is its content).
pub async fn media(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    crate::web::extract::Path(name): crate::web::extract::Path<String>,
) -> Result<Response, AppError> {
    serve(&state.config.files_dir, &name).await
}

async fn serve(dir: &Path, name: &str) -> Result<Response, AppError> {
    let key = name.strip_suffix(".jpg").ok_or(AppError::NotFound)?;
    if key.len() != 64 || !key.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()) {
        return Err(AppError::NotFound);
    }
    let bytes = tokio::fs::read(path_of(dir, key)).await.map_err(|_| AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/jpeg"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_pixel(w, h, image::Rgb([200, 30, 30]));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn a_picture_is_read_from_its_content_and_scaled_to_fit() {
        let (jpeg, w, h) = normalize("file", &png(3200, 800)).unwrap();
        assert_eq!((w, h), (1600, 400));
        assert_eq!(image::guess_format(&jpeg).unwrap(), ImageFormat::Jpeg);
        let (_, w, h) = normalize("file", &png(300, 200)).unwrap();
        assert_eq!((w, h), (300, 200), "small pictures are not enlarged");
        // A script named like a picture is not one.
        assert!(normalize("file", b"<script>alert(1)</script>").is_err());
        // A GIF is a picture, but not one we take.
        assert!(normalize("file", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;").is_err());
    }
}
