//! What services and handlers share for the life of the process: the
//! database, the clock, the configuration, the mailer and the short-lived
//! caches. It sits below every domain and knows none of them (nor the
//! router): a service takes `&AppState` as its context, a handler gets it
//! from axum. [`AppState::open`] is the one way to make one, for the server,
//! the CLI and the tests alike.

use std::sync::Arc;

use crate::auth::CurrentUser;
use crate::center::Center;
use crate::clock::SharedClock;
use crate::config::{Config, redact_url};
use crate::db::{Db, run_migrations};
use crate::notify::Mailer;
use crate::web::cache::{PageCache, Recent};

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub clock: SharedClock,
    pub config: Arc<Config>,
    pub mailer: Mailer,
    /// Public pages kept for a moment (see [`crate::web::cache`]).
    pub pages: Arc<PageCache>,
    /// Who is behind a session or API token, for a moment; the account
    /// changes that matter clear it.
    pub actors: Arc<Recent<Arc<CurrentUser>>>,
    /// Centers by id, for a moment; the centers service clears it.
    pub centers: Arc<Recent<Center>>,
    /// Where documents are kept (a folder or an object store).
    pub files: crate::storage::Files,
    /// Woken when a commit queued webhook deliveries.
    pub hooks: Arc<tokio::sync::Notify>,
}

impl AppState {
    /// Connects to the configured database, applies the migrations and sets
    /// up e-mail (SMTP when configured, else the log).
    pub async fn open(config: Config, clock: SharedClock) -> Result<AppState, String> {
        let db = Db::connect(&config.database_url, config.max_connections)
            .await
            .map_err(|e| format!("cannot open {}: {e}", redact_url(&config.database_url)))?;
        run_migrations(&db).await.map_err(|e| format!("migrations failed: {e}"))?;
        let moved = crate::links::adopt_legacy(&db, clock.now())
            .await
            .map_err(|e| format!("moving secret links failed: {e}"))?;
        if moved > 0 {
            tracing::info!(moved, "secret links now kept hashed");
        }
        let mailer = if config.smtp_url.is_empty() {
            Mailer::log_only()
        } else {
            Mailer::from_url(&config.smtp_url, &config.smtp_from)?
        };
        let files = crate::storage::Files::open(&config.document_store, &config.files_dir)?;
        Ok(AppState {
            files,
            hooks: Default::default(),
            db,
            clock,
            config: Arc::new(config),
            mailer,
            pages: Default::default(),
            actors: Default::default(),
            centers: Default::default(),
        })
    }
}
