//! The database layer both backends share: one sqlx `AnyPool` over SQLite
//! (default) or PostgreSQL, the write-transaction helper every store uses,
//! ids, human references and constraint mapping. Stores hold the SQL; this
//! module holds none of a domain's.

mod migrate;
mod refs;

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

pub use migrate::run_migrations;
pub use refs::next_reference;

pub type Row = sqlx::any::AnyRow;

/// A write transaction on either backend. It reads as the connection
/// (`&mut **tx` is an executor); on SQLite it also holds this process's
/// write turn (see [`Db::begin_write`]) until it commits or is dropped.
pub struct Tx {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Tx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
    }
}

/// One write statement that commits on its own, for writes a single
/// guarded statement makes whole; on SQLite it holds the write turn too.
pub struct Single {
    conn: sqlx::pool::PoolConnection<sqlx::Any>,
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl std::ops::Deref for Single {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &sqlx::AnyConnection {
        &self.conn
    }
}

impl std::ops::DerefMut for Single {
    fn deref_mut(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.conn
    }
}

impl std::ops::Deref for Tx {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &sqlx::AnyConnection {
        &self.tx
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.tx
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    pub fn from_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

/// The pool and which backend is behind it.
#[derive(Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// SQLite has one writer at a time: writers of this process take turns
    /// here, in order, rather than in SQLite's busy handler, which sleeps
    /// (1, 2, 5 … 100 ms) between tries and so idles the lock under load.
    write_turn: std::sync::Arc<tokio::sync::Mutex<()>>,
}

#[derive(Debug)]
pub enum ConnectError {
    UnsupportedUrl,
    Sqlx(sqlx::Error),
}

impl std::fmt::Display for ConnectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConnectError::UnsupportedUrl => {
                write!(f, "the database URL must start with sqlite:// or postgres://")
            }
            ConnectError::Sqlx(e) => write!(f, "{e}"),
        }
    }
}

impl Db {
    /// Connects to `url`. A SQLite file is created when missing; WAL, foreign
    /// keys, a busy timeout and NORMAL sync are set on every connection.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db, ConnectError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url).ok_or(ConnectError::UnsupportedUrl)?;
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode=rwc")
            }
            _ => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url).map_err(ConnectError::Sqlx)?;
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
            // A SQLite connection is a file handle in this process: pinging
            // it before each use only costs a trip to its worker thread.
            .test_before_acquire(backend == Backend::Postgres)
            .after_connect(|conn, _meta| {
                Box::pin(async move {
                    if conn.backend_name() == "SQLite" {
                        conn.execute("PRAGMA journal_mode=WAL").await?;
                        conn.execute(BUSY_TIMEOUT).await?;
                        conn.execute("PRAGMA foreign_keys=ON").await?;
                        conn.execute("PRAGMA synchronous=NORMAL").await?;
                        // Checkpoints run beside the writers (see
                        // `checkpoint_beside_writers`), not in their commits;
                        // the WAL file is cut back after each restart.
                        conn.execute("PRAGMA wal_autocheckpoint=0").await?;
                        conn.execute("PRAGMA journal_size_limit=67108864").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(ConnectError::Sqlx)?;
        let write_turn = std::sync::Arc::new(tokio::sync::Mutex::new(()));
        if backend == Backend::Sqlite {
            checkpoint_beside_writers(pool.clone(), write_turn.clone());
        }
        Ok(Db { pool, backend, write_turn })
    }

    /// Begins a transaction that will write. On SQLite it waits for this
    /// process's write turn, then runs `BEGIN IMMEDIATE`, which takes the
    /// write lock up front: a plain `BEGIN` that reads and then writes fails
    /// with "database is locked" under load. (Another process writing the
    /// same file is still met by the busy timeout.)
    pub async fn begin_write(&self) -> Result<Tx, sqlx::Error> {
        let turn = self.take_turn().await;
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(Tx { tx, _turn: turn })
    }

    /// A connection for one self-committing write statement, in the write
    /// turn on SQLite (as [`Db::begin_write`], without BEGIN and COMMIT).
    pub async fn write_single(&self) -> Result<Single, sqlx::Error> {
        let turn = self.take_turn().await;
        Ok(Single { conn: self.pool.acquire().await?, _turn: turn })
    }

    /// Waits for this process's write turn on SQLite; PostgreSQL has none.
    async fn take_turn(&self) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        match self.backend {
            Backend::Sqlite => Some(self.write_turn.clone().lock_owned().await),
            Backend::Postgres => None,
        }
    }
}

/// How long a SQLite connection waits for another process's write lock.
const BUSY_TIMEOUT: &str = "PRAGMA busy_timeout=5000";

/// WAL frames (4 KiB pages, so 256 MiB) beyond which the checkpointer
/// restarts the WAL.
const WAL_RESTART_FRAMES: i64 = 65_536;

/// Copies the SQLite WAL into the database twice a second until the pool
/// closes. With SQLite's own automatic checkpoint, the commit that crosses
/// 1,000 WAL pages does the copy and its fsync while holding the write lock
/// (a 10–20 ms stall every hundred or so registrations); a PASSIVE
/// checkpoint on another connection waits for nobody and blocks nobody.
/// But under steady reading the WAL is never free to start over, and grows
/// (80 KiB a registration): past [`WAL_RESTART_FRAMES`] the checkpointer
/// takes the write turn and restarts it (see [`restart_wal`]), and the
/// file is cut back to 64 MiB.
fn checkpoint_beside_writers(pool: AnyPool, write_turn: std::sync::Arc<tokio::sync::Mutex<()>>) {
    use sqlx::Row as _;
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_millis(500));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if pool.is_closed() {
                return;
            }
            let frames = match sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").fetch_one(&pool).await
            {
                Ok(row) => row.try_get::<i64, _>(1).unwrap_or(0),
                Err(e) => {
                    tracing::warn!(error = %e, "WAL checkpoint failed");
                    continue;
                }
            };
            if frames > WAL_RESTART_FRAMES {
                let _turn = write_turn.lock().await;
                if let Err(e) = restart_wal(&pool).await {
                    tracing::warn!(error = %e, "WAL restart failed");
                }
            }
        }
    });
}

/// Restarts the WAL, waiting at most 50 ms for the readers of the moment
/// (the writers wait meanwhile): if readers keep it busy, the next tick
/// tries again rather than stalling every writer.
async fn restart_wal(pool: &AnyPool) -> Result<(), sqlx::Error> {
    let mut conn = pool.acquire().await?;
    conn.execute("PRAGMA busy_timeout=50").await?;
    let done = conn.execute("PRAGMA wal_checkpoint(RESTART)").await;
    conn.execute(BUSY_TIMEOUT).await?;
    done.map(|_| ())
}

/// A fresh UUIDv7 as text: sortable by time, safe to merge across centers.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A `LIKE $n ESCAPE '\'` pattern for "contains `text`", lower-cased (compare
/// with `LOWER(column)`): `%`, `_` and a backslash in the text match only
/// themselves.
pub fn contains_pattern(text: &str) -> String {
    let escaped =
        text.trim().to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// Reads an integer flag column (0/1) as a bool.
pub fn flag(v: i64) -> bool {
    v != 0
}

/// A stored code read back as its type (`status`, `role`, `kind` …). An
/// unknown code is a decoding error, never a stand-in value: a row the code
/// cannot understand must not be shown, counted or acted on as something else.
pub fn known<T>(
    column: &str,
    value: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<T, sqlx::Error> {
    parse(value).ok_or_else(|| sqlx::Error::ColumnDecode {
        index: column.to_string(),
        source: format!("unknown code {value:?}").into(),
    })
}

/// Reads a text column holding a code (see [`known`]).
pub fn code<T>(r: &Row, column: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T, sqlx::Error> {
    use sqlx::Row as _;
    let value: String = r.try_get(column)?;
    known(column, &value, parse)
}

/// Reads a bilingual pair of text columns (`name_zh`, `name_en`).
pub fn pair(r: &Row, zh: &str, en: &str) -> Result<crate::i18n::Bilingual, sqlx::Error> {
    use sqlx::Row as _;
    Ok(crate::i18n::Bilingual { zh: r.try_get(zh)?, en: r.try_get(en)? })
}

/// Which named unique constraint `err` violated, if any.
///
/// PostgreSQL names the constraint; SQLite only names the columns
/// ("UNIQUE constraint failed: app_user.email"), so each entry pairs a
/// constraint name with its SQLite column list.
pub fn unique_violation(
    err: &sqlx::Error,
    known: &[(&'static str, &'static str)],
) -> Option<&'static str> {
    let sqlx::Error::Database(db_err) = err else {
        return None;
    };
    if db_err.kind() != sqlx::error::ErrorKind::UniqueViolation {
        return None;
    }
    if let Some(name) = db_err.constraint() {
        return known.iter().find(|(n, _)| *n == name).map(|(n, _)| *n);
    }
    let message = db_err.message();
    let cols = message.split_once("constraint failed:").map(|(_, c)| c.trim())?;
    known.iter().find(|(_, c)| *c == cols).map(|(n, _)| *n)
}
