//! The command line: `serve`, `migrate`, `demo`, `user …`, `token …`.
//! Flags may also come from `LIAISON_*` environment variables.

use std::io::Read;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::audit::Who;
use crate::clock::SystemClock;
use crate::config::Config;
use crate::domains::accounts::{model::NewUser, service as accounts};
use crate::domains::centers::service as centers;
use crate::error::AppError;
use crate::router::router;
use crate::state::AppState;

#[derive(Parser)]
#[command(
    name = "liaison",
    version,
    about = "Liaison (联络): runs an International Exchange Center"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct DbArgs {
    /// `sqlite://FILE` (created if missing) or `postgres://USER:PASS@HOST/DB`.
    #[arg(
        long,
        env = "LIAISON_DATABASE_URL",
        default_value = "sqlite://liaison.db",
        global = true
    )]
    database_url: String,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (migrations run first).
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate(DbArgs),
    /// Load the bilingual demo center and one account per role (idempotent).
    Demo(DbArgs),
    /// Remove personal data whose retention date has passed (the server also
    /// does this daily).
    Purge(DbArgs),
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "LIAISON_BIND", default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
    #[command(flatten)]
    db: DbArgs,
    /// Load the demo center before serving.
    #[arg(long)]
    demo: bool,
    /// Database connections in the pool.
    #[arg(long, env = "LIAISON_MAX_CONNECTIONS", default_value_t = 8)]
    max_connections: u32,
    /// How long a login lasts, in hours.
    #[arg(long, env = "LIAISON_SESSION_HOURS", default_value_t = 12)]
    session_hours: i64,
    /// Failed logins for an account from one address (or from one address
    /// to any account) before that address pauses.
    #[arg(long, env = "LIAISON_LOGIN_MAX_FAILURES", default_value_t = 5)]
    login_max_failures: i64,
    /// The window those failures are counted in, in minutes.
    #[arg(long, env = "LIAISON_LOGIN_WINDOW_MINUTES", default_value_t = 15)]
    login_window_minutes: i64,
    /// Trust X-Forwarded-For / X-Forwarded-Proto (only behind your own proxy).
    #[arg(long, env = "LIAISON_TRUST_FORWARDED_FOR")]
    trust_forwarded_for: bool,
    /// With --trust-forwarded-for: how many proxies of yours append to
    /// X-Forwarded-For; the client is the entry the outermost one added.
    #[arg(long, env = "LIAISON_TRUSTED_PROXIES", default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=16))]
    trusted_proxies: u8,
    /// Mark cookies Secure (serve over TLS).
    #[arg(long, env = "LIAISON_SECURE_COOKIES")]
    secure_cookies: bool,
    /// Slug of the center whose public site `/` shows (default: the first).
    #[arg(long, env = "LIAISON_DEFAULT_CENTER", default_value = "")]
    default_center: String,
    /// SMTP server for notification e-mail, e.g. `smtps://user:pass@mail.example.cn`
    /// (unset: e-mail is written to the log).
    #[arg(long, env = "LIAISON_SMTP_URL", default_value = "")]
    smtp_url: String,
    /// The address the public reaches the site at, for absolute links in
    /// feeds, the sitemap and Open Graph tags (default: http://<bind>).
    #[arg(long, env = "LIAISON_PUBLIC_URL", default_value = "")]
    public_url: String,
    /// The Chromium that prints PDFs (sign sheets).
    #[arg(long, env = "LIAISON_CHROMIUM", default_value = "/usr/bin/chromium")]
    chromium: String,
    /// The folder for uploaded pictures (covers, sign photos).
    #[arg(long, env = "LIAISON_FILES_DIR", default_value = "liaison-files")]
    files_dir: std::path::PathBuf,
    /// Where enterprises' documents are kept: unset for `<files-dir>/documents`,
    /// or an S3-compatible store, `s3://bucket?endpoint=https://…&region=…`
    /// (credentials from `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`).
    #[arg(long, env = "LIAISON_DOCUMENT_STORE", default_value = "", hide_env_values = true)]
    document_store: String,
    /// Let enterprises' webhooks call private addresses (a closed network, tests).
    #[arg(long, env = "LIAISON_WEBHOOKS_PRIVATE", default_value_t = false)]
    webhooks_private: bool,
    /// Sender of notification e-mail.
    #[arg(long, env = "LIAISON_SMTP_FROM", default_value = "Liaison <liaison@localhost>")]
    smtp_from: String,
    /// 32 random bytes in base64 that seal passport numbers (e.g. from
    /// `head -c32 /dev/urandom | base64`). Unset: passport numbers are refused
    /// (with `--demo`, a key for this run only is made up).
    #[arg(long, env = "LIAISON_DATA_KEY", default_value = "", hide_env_values = true)]
    data_key: String,
    /// Run as if it were this many hours later (rehearsals, browser tests;
    /// never in production: every time the server reads is moved).
    #[arg(long, env = "LIAISON_CLOCK_SHIFT_HOURS", default_value_t = 0, hide = true,
        value_parser = clap::value_parser!(i64).range(-87_600..=87_600))]
    clock_shift_hours: i64,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user; the password is read from standard input.
    Create {
        #[arg(long)]
        email: String,
        /// admin, staff, interpreter, enterprise or oversight.
        #[arg(long)]
        role: String,
        /// Display name (defaults to the e-mail).
        #[arg(long)]
        name: Option<String>,
        /// Center id or slug; repeat for an oversight user's centers.
        #[arg(long)]
        center: Vec<String>,
        /// Read the password from standard input (required).
        #[arg(long, required = true)]
        password_stdin: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Set a user's password from standard input; ends their sessions.
    SetPassword {
        #[arg(long)]
        email: String,
        #[arg(long, required = true)]
        password_stdin: bool,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create an API token for a user and print it once.
    Create {
        #[arg(long)]
        email: String,
        /// What the token is for.
        #[arg(long, default_value = "cli")]
        name: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("LIAISON_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    let _ =
        tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

/// Connects and migrates: every command starts here.
async fn open(config: Config) -> Result<AppState, String> {
    AppState::open(config, Arc::new(SystemClock)).await
}

fn describe(e: AppError, lang_key_hint: &str) -> String {
    match e {
        AppError::Invalid(errors) => errors
            .iter()
            .map(|f| format!("{}: {}", f.field, crate::i18n::Lang::En.message(f)))
            .collect::<Vec<_>>()
            .join("; "),
        AppError::NotFound => format!("{lang_key_hint} not found"),
        other => format!("{other:?}"),
    }
}

fn read_password() -> Result<String, String> {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).map_err(|e| format!("reading the password: {e}"))?;
    Ok(s.trim_end_matches(['\n', '\r']).to_string())
}

async fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Serve(args) => serve(args).await,
        Command::Migrate(db) => {
            open(Config::for_database(db.database_url)).await?;
            println!("Migrations applied.");
            Ok(())
        }
        Command::Demo(db) => {
            let state = open(Config::for_database(db.database_url)).await?;
            for line in crate::demo::load(&state).await.map_err(|e| describe(e, "center"))? {
                println!("{line}");
            }
            Ok(())
        }
        Command::Purge(db) => {
            let state = open(Config::for_database(db.database_url)).await?;
            for (what, result) in purge_all(&state).await {
                let n = result.map_err(|e| describe(e, what))?;
                println!("Personal data purged: {n} {what}(s).");
            }
            Ok(())
        }
        Command::User { command: UserCommand::Create { email, role, name, center, db, .. } } => {
            let state = open(Config::for_database(db.database_url)).await?;
            let password = read_password()?;
            let mut centers_found = vec![];
            for c in &center {
                let id = centers::resolve(&state, c).await.map_err(|e| describe(e, "center"))?;
                centers_found.push(id.ok_or_else(|| format!("no center {c}"))?);
            }
            if centers_found.is_empty() && role != "oversight" {
                let default =
                    centers::public_center(&state).await.map_err(|e| describe(e, "center"))?;
                centers_found.extend(default.map(|c| c.id));
            }
            let display = name.unwrap_or_else(|| email.clone());
            let mut new =
                NewUser::parse(&email, &display, &role, &password, centers_found.first().cloned())
                    .map_err(|e| describe(AppError::Invalid(e), "user"))?;
            if role == "oversight" {
                new.oversees = centers_found;
            }
            let user = accounts::create_user(&state, &Who::cli(), new)
                .await
                .map_err(|e| describe(e, "user"))?;
            println!("Created {} ({}), id {}.", user.email, user.role.code(), user.id);
            Ok(())
        }
        Command::User { command: UserCommand::SetPassword { email, db, .. } } => {
            let state = open(Config::for_database(db.database_url)).await?;
            let password = read_password()?;
            accounts::set_password(&state, &Who::cli(), &email, &password)
                .await
                .map_err(|e| describe(e, "user"))?;
            println!("Password set for {email}; their sessions were ended.");
            Ok(())
        }
        Command::Token { command: TokenCommand::Create { email, name, db } } => {
            let state = open(Config::for_database(db.database_url)).await?;
            let token = accounts::create_token(&state, &Who::cli(), &email, &name)
                .await
                .map_err(|e| describe(e, "user"))?;
            eprintln!("API token for {email} (shown once; only its hash is stored):");
            println!("{token}");
            Ok(())
        }
    }
}

async fn serve(args: ServeArgs) -> Result<(), String> {
    let data_key = match args.data_key.trim() {
        "" if args.demo => {
            tracing::warn!(
                "no LIAISON_DATA_KEY: passport numbers sealed under a key for this run only"
            );
            crate::sealed::DataKey::from_base64(&crate::sealed::DataKey::generate_base64())
        }
        "" => None,
        k => Some(
            crate::sealed::DataKey::from_base64(k)
                .ok_or("LIAISON_DATA_KEY must be 32 bytes in base64")?,
        ),
    };
    let config = Config {
        database_url: args.db.database_url,
        max_connections: args.max_connections,
        session_hours: args.session_hours,
        login_max_failures: args.login_max_failures,
        login_window_secs: args.login_window_minutes * 60,
        trust_forwarded_for: args.trust_forwarded_for,
        trusted_proxies: usize::from(args.trusted_proxies),
        secure_cookies: args.secure_cookies,
        default_center: args.default_center,
        smtp_url: args.smtp_url,
        smtp_from: args.smtp_from,
        public_url: match args.public_url.trim().trim_end_matches('/') {
            "" => format!("http://{}", args.bind),
            url if url.starts_with("http://") || url.starts_with("https://") => url.to_string(),
            _ => return Err("LIAISON_PUBLIC_URL must start with http:// or https://".into()),
        },
        chromium: args.chromium,
        files_dir: args.files_dir,
        document_store: args.document_store,
        webhooks_private: args.webhooks_private,
        data_key,
    };
    tracing::info!(config = ?config, "starting");
    let state = if args.clock_shift_hours == 0 {
        open(config).await?
    } else {
        tracing::warn!(hours = args.clock_shift_hours, "the clock is shifted");
        AppState::open(
            config,
            Arc::new(crate::clock::ShiftedClock(args.clock_shift_hours * 3_600_000)),
        )
        .await?
    };
    if args.demo {
        for line in crate::demo::load(&state).await.map_err(|e| describe(e, "center"))? {
            println!("{line}");
        }
    }
    spawn_housekeeping(state.clone());
    crate::webhooks::spawn(state.clone());
    let listener = tokio::net::TcpListener::bind(args.bind)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.bind))?;
    println!("Liaison is listening on http://{} ({})", args.bind, state.db.backend.name());
    axum::serve(listener, router(state).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| format!("server error: {e}"))
}

/// Every purge of personal data past its retention date, each with what it
/// purged records of and how many: `liaison purge` and the daily run share it.
async fn purge_all(state: &AppState) -> Vec<(&'static str, crate::error::AppResult<u64>)> {
    use crate::domains::{events, hall, matchmaking, news, visits};
    let who = Who::cli();
    let wide = |r: crate::error::AppResult<usize>| r.map(|n| n as u64);
    vec![
        ("visit", wide(visits::visit::service::purge_expired(state, &who).await)),
        ("event", wide(events::registration::service::purge_expired(state, &who).await)),
        ("matchmaking profile", matchmaking::profile::service::purge_expired(state, &who).await),
        ("hall reservation", wide(hall::reservation::service::purge_expired(state, &who).await)),
        ("news comment", news::comment::service::purge_expired(state, &who).await),
    ]
}

/// Hourly: drop expired sessions; daily (and at start): purge personal data
/// past its retention date and remind owners of outcomes due for follow-up.
fn spawn_housekeeping(state: AppState) {
    // Every five minutes: the hall's no-shows (its arrival windows close
    // all day) and the day-before reminders.
    let hall = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(300));
        loop {
            tick.tick().await;
            match crate::domains::hall::reservation::service::housekeeping(&hall, &Who::cli()).await
            {
                Ok((marked, sent)) if marked + sent as u64 > 0 => {
                    tracing::info!(no_shows = marked, reminders = sent, "hall housekeeping")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = ?e, "hall housekeeping failed"),
            }
        }
    });
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        let mut hours = 0u64;
        loop {
            tick.tick().await;
            if hours.is_multiple_of(24) {
                for (what, result) in purge_all(&state).await {
                    match result {
                        Ok(n) if n > 0 => tracing::info!(n, what, "personal data purged"),
                        Ok(_) => {}
                        Err(e) => tracing::warn!(error = ?e, what, "purge failed"),
                    }
                }
                match crate::domains::enterprises::request::service::overdue_digests(&state).await {
                    Ok(n) if n > 0 => tracing::info!(officers = n, "overdue digests sent"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = ?e, "overdue digests failed"),
                }
                match crate::domains::enterprises::whitelist::service::warn_expiring(&state).await {
                    Ok(n) if n > 0 => tracing::info!(entries = n, "white-list expiries announced"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = ?e, "white-list expiry notices failed"),
                }
                match crate::domains::visits::outcome::service::remind_followups(&state).await {
                    Ok(n) if n > 0 => tracing::info!(outcomes = n, "follow-up reminders sent"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = ?e, "follow-up reminders failed"),
                }
            }
            hours += 1;
            if let Err(e) = crate::throttle::sweep(&state.db, state.clock.now()).await {
                tracing::warn!(error = %e, "rate limit sweep failed");
            }
            match crate::auth::store::delete_expired_sessions(&state.db, state.clock.now()).await {
                Ok(n) if n > 0 => tracing::info!(removed = n, "expired sessions removed"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "session cleanup failed"),
            }
        }
    });
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}
