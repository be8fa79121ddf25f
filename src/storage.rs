//! Documents people hand in (import licences, safety data sheets…), kept
//! under the SHA-256 of their content: in a folder on this machine by
//! default, or in an S3-compatible object store when one is configured
//! (`--document-store s3://bucket?endpoint=…`). Both go through the
//! `object_store` crate, so there is one way to write and read a file.
//!
//! A file is streamed: written in small parts to a temporary object while
//! its hash is computed, then renamed to its hash — it never sits in memory
//! whole. Its type is read from its first bytes (`infer`), never its name.
//! Nothing here serves a file: `documents` are sent as attachments with
//! `nosniff` by the routes that check who may read them.

use std::sync::Arc;

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, WriteMultipart};
use sha2::{Digest, Sha256};

/// The bytes kept to read a file's type from.
const SNIFF_BYTES: usize = 64 * 1024;

#[derive(Clone)]
pub struct Files {
    store: Arc<dyn ObjectStore>,
    /// Bytes per part written: small on disk (memory stays flat), 5 MiB for
    /// S3 (its smallest multipart part).
    part: usize,
    /// Where it is, for the log (no secrets).
    pub label: String,
}

impl std::fmt::Debug for Files {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label)
    }
}

/// A file written.
#[derive(Debug, Clone)]
pub struct Stored {
    /// Its SHA-256, hex: its name in the store.
    pub key: String,
    pub size: u64,
    /// Its first bytes, to read its type from.
    pub head: Vec<u8>,
}

/// Why a file was not kept.
#[derive(Debug)]
pub enum PutError {
    /// Larger than the limit (the temporary object is removed).
    TooLarge,
    /// The upload broke off (the client's stream failed).
    Broken(String),
    /// The store failed.
    Store(String),
}

pub fn install_crypto() {
    // reqwest is built without a TLS provider of its own: ring's (as lettre uses).
    let _ = rustls::crypto::ring::default_provider().install_default();
}

impl Files {
    /// A folder on this machine (created when missing).
    pub fn local(dir: &std::path::Path) -> Result<Files, String> {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let store = object_store::local::LocalFileSystem::new_with_prefix(dir)
            .map_err(|e| format!("cannot use {}: {e}", dir.display()))?
            .with_automatic_cleanup(true);
        Ok(Files {
            store: Arc::new(store),
            part: 256 * 1024,
            label: format!("folder {}", dir.display()),
        })
    }

    /// `s3://bucket?endpoint=http://127.0.0.1:9000&region=…&access_key_id=…&secret_access_key=…`;
    /// what the query leaves out is read from the usual `AWS_*` variables.
    pub fn s3(url: &str) -> Result<Files, String> {
        install_crypto();
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let mut b = object_store::aws::AmazonS3Builder::from_env().with_url(base);
        let mut http = false;
        for (k, v) in form_urlencoded::parse(query.as_bytes()) {
            let key: object_store::aws::AmazonS3ConfigKey =
                k.parse().map_err(|_| format!("unknown S3 option {k}"))?;
            if matches!(key, object_store::aws::AmazonS3ConfigKey::Endpoint) {
                http = v.starts_with("http://");
            }
            b = b.with_config(key, v.into_owned());
        }
        let store = b.with_allow_http(http).build().map_err(|e| format!("S3: {e}"))?;
        Ok(Files {
            store: Arc::new(store),
            part: 5 * 1024 * 1024,
            label: format!("S3 {}", base.split('/').take(3).collect::<Vec<_>>().join("/")),
        })
    }

    /// By configuration: S3 when `store_url` is given, else `dir`.
    pub fn open(store_url: &str, dir: &std::path::Path) -> Result<Files, String> {
        if store_url.is_empty() { Files::local(dir) } else { Files::s3(store_url) }
    }

    fn path_of(key: &str) -> Path {
        Path::from(format!("documents/{}/{key}", &key[..2.min(key.len())]))
    }

    /// Streams `body` into the store, at most `max` bytes: to a temporary
    /// object first, then under its hash (a file already kept is not kept
    /// twice).
    pub async fn put_stream<S, E>(&self, mut body: S, max: u64) -> Result<Stored, PutError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        let tmp = Path::from(format!("incoming/{}", uuid::Uuid::now_v7()));
        let upload =
            self.store.put_multipart(&tmp).await.map_err(|e| PutError::Store(e.to_string()))?;
        let mut w = WriteMultipart::new_with_chunk_size(upload, self.part);
        let mut hash = Sha256::new();
        let mut head = Vec::new();
        let mut size = 0u64;
        let failed = loop {
            let chunk = match body.next().await {
                None => break None,
                Some(Err(e)) => break Some(PutError::Broken(e.to_string())),
                Some(Ok(c)) => c,
            };
            size += chunk.len() as u64;
            if size > max {
                break Some(PutError::TooLarge);
            }
            if head.len() < SNIFF_BYTES {
                let take = (SNIFF_BYTES - head.len()).min(chunk.len());
                head.extend_from_slice(&chunk[..take]);
            }
            hash.update(&chunk);
            if let Err(e) = w.wait_for_capacity(2).await {
                break Some(PutError::Store(e.to_string()));
            }
            w.put(chunk);
        };
        if let Some(e) = failed {
            let _ = w.abort().await;
            let _ = self.store.delete(&tmp).await;
            return Err(e);
        }
        w.finish().await.map_err(|e| PutError::Store(e.to_string()))?;
        let key = hex::encode(hash.finalize());
        let to = Files::path_of(&key);
        let kept = self.store.head(&to).await.is_ok();
        let moved =
            if kept { self.store.delete(&tmp).await } else { self.store.rename(&tmp, &to).await };
        moved.map_err(|e| PutError::Store(e.to_string()))?;
        Ok(Stored { key, size, head })
    }

    /// Removes a kept file (one nothing refers to any more).
    pub async fn delete(&self, key: &str) -> Result<(), String> {
        if key.len() != 64 || !key.chars().all(|c| c.is_ascii_hexdigit()) {
            return Ok(());
        }
        match self.store.delete(&Files::path_of(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.to_string()),
        }
    }

    /// A kept file as a stream of bytes, with its size (`None`: not kept).
    pub async fn get(
        &self,
        key: &str,
    ) -> Result<
        Option<(u64, futures_util::stream::BoxStream<'static, object_store::Result<Bytes>>)>,
        String,
    > {
        if key.len() != 64 || !key.chars().all(|c| c.is_ascii_hexdigit()) {
            return Ok(None);
        }
        match self.store.get(&Files::path_of(key)).await {
            Ok(r) => Ok(Some((r.meta.size, r.into_stream()))),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_file_is_kept_once_under_its_hash_and_a_large_one_is_dropped() {
        let dir = std::env::temp_dir().join(format!("liaison-storage-{}", uuid::Uuid::now_v7()));
        let files = Files::local(&dir).unwrap();
        let chunks = || {
            futures_util::stream::iter(
                (0..40).map(|i| Ok::<_, std::io::Error>(Bytes::from(vec![i as u8; 10_000]))),
            )
        };
        let a = files.put_stream(chunks(), 1_000_000).await.unwrap();
        let b = files.put_stream(chunks(), 1_000_000).await.unwrap();
        assert_eq!((a.key.clone(), a.size, a.head.len()), (b.key, 400_000, SNIFF_BYTES));
        let (size, mut stream) = files.get(&a.key).await.unwrap().unwrap();
        let mut back = Sha256::new();
        while let Some(c) = stream.next().await {
            back.update(c.unwrap());
        }
        assert_eq!((size, hex::encode(back.finalize())), (400_000, a.key.clone()));
        assert!(matches!(files.put_stream(chunks(), 399_999).await, Err(PutError::TooLarge)));
        // Nothing is left half-written, nothing stays in the incoming folder.
        let incoming: Vec<_> = std::fs::read_dir(dir.join("incoming"))
            .map(|d| d.flatten().collect())
            .unwrap_or_default();
        assert!(incoming.is_empty(), "{incoming:?}");
        assert!(files.get("../../etc/passwd").await.unwrap().is_none());
        let _ = std::fs::remove_dir_all(dir);
    }
}
