//! `TestApp` (a fresh database, a fixed clock, the demo center) and `Client`
//! (a browser-like cookie jar over `Router::oneshot`).
#![allow(dead_code)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use liaison::auth::Role;
use liaison::clock::{FixedClock, Instant};
use liaison::config::Config;
use liaison::db::Db;
use liaison::router::router;
use liaison::state::AppState;
use tower::ServiceExt;

pub const PASSWORD: &str = liaison::demo::PASSWORD;

/// The e-mail of the demo account with this role.
pub fn email_of(role: Role) -> &'static str {
    liaison::demo::ACCOUNTS.iter().find(|(r, _, _)| *r == role).map(|(_, e, _)| *e).unwrap()
}

/// Where the test database lives; removed (SQLite) when the app is dropped.
enum Store {
    Sqlite(std::path::PathBuf),
    Postgres,
}

pub struct TestApp {
    pub state: AppState,
    pub router: Router,
    pub clock: Arc<FixedClock>,
    store: Store,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Store::Sqlite(path) = &self.store {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
    }
}

/// A database URL for a fresh, empty database on the configured backend.
pub async fn fresh_database_url() -> (String, bool) {
    match std::env::var("LIAISON_TEST_DATABASE_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let name = format!("t_{}", uuid::Uuid::now_v7().simple());
            let admin = Db::connect(&admin_url, 1).await.expect("connect to PostgreSQL");
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&admin.pool)
                .await
                .expect("create test database");
            admin.pool.close().await;
            let (base, query) = match admin_url.split_once('?') {
                Some((b, q)) => (b.to_string(), format!("?{q}")),
                None => (admin_url.clone(), String::new()),
            };
            let base = base.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap();
            (format!("{base}/{name}{query}"), true)
        }
        _ => {
            let path =
                std::env::temp_dir().join(format!("liaison-test-{}.db", uuid::Uuid::now_v7()));
            (format!("sqlite://{}", path.display()), false)
        }
    }
}

pub fn backend_name() -> &'static str {
    match std::env::var("LIAISON_TEST_DATABASE_URL") {
        Ok(u) if !u.is_empty() => "postgres",
        _ => "sqlite",
    }
}

/// 2026-11-27 10:00 in Chengdu.
pub fn start_time() -> Instant {
    Instant::parse_rfc3339("2026-11-27T10:00:00+08:00").unwrap()
}

impl TestApp {
    /// A fresh database with the demo center and its accounts.
    pub async fn new() -> TestApp {
        let app = TestApp::empty().await;
        liaison::demo::load(&app.state).await.expect("demo loads");
        app
    }

    /// A fresh, migrated database with nothing in it.
    pub async fn empty() -> TestApp {
        TestApp::with_config(|_| {}).await
    }

    pub async fn with_config(tweak: impl FnOnce(&mut Config)) -> TestApp {
        let (url, is_pg) = fresh_database_url().await;
        let mut config = Config::for_database(url.clone());
        config.max_connections = 8;
        tweak(&mut config);
        let clock = FixedClock::new(start_time());
        let state = AppState::open(config, clock.clone()).await.expect("open the database");
        let store = if is_pg {
            Store::Postgres
        } else {
            Store::Sqlite(url.trim_start_matches("sqlite://").into())
        };
        TestApp { router: router(state.clone()), state, clock, store }
    }

    pub fn client(&self) -> Client<'_> {
        Client { app: self, cookies: HashMap::new(), ip: "192.0.2.10".into(), headers: vec![] }
    }

    /// Sends every request at once, each from its own task, and returns
    /// their statuses and JSON bodies in order: for the tests that prove an
    /// invariant under concurrency. A request is (method, path, bearer
    /// token, JSON body).
    pub async fn parallel(
        &self,
        requests: Vec<(Method, String, Option<String>, String)>,
    ) -> Vec<(StatusCode, serde_json::Value)> {
        use http_body_util::BodyExt;
        use tower::ServiceExt;
        let tasks: Vec<_> = requests
            .into_iter()
            .map(|(method, path, token, body)| {
                let router = self.router.clone();
                tokio::spawn(async move {
                    let mut req = axum::http::Request::builder()
                        .method(method)
                        .uri(path)
                        .header("content-type", "application/json");
                    if let Some(t) = token {
                        req = req.header("authorization", format!("Bearer {t}"));
                    }
                    let res = router
                        .oneshot(req.body(axum::body::Body::from(body)).unwrap())
                        .await
                        .unwrap();
                    let status = res.status();
                    let bytes = res.into_body().collect().await.unwrap().to_bytes();
                    (status, serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null))
                })
            })
            .collect();
        let mut out = vec![];
        for t in tasks {
            out.push(t.await.expect("the request task"));
        }
        out
    }

    /// A client signed in as the demo account with this role.
    pub async fn signed_in(&self, role: Role) -> Client<'_> {
        let mut c = self.client();
        let r = c.login(email_of(role), PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "login as {role:?}: {}", r.text);
        c
    }

    /// A bearer token for the demo account with this role.
    pub async fn token(&self, role: Role) -> String {
        liaison::domains::accounts::service::create_token(
            &self.state,
            &liaison::audit::Who::cli(),
            email_of(role),
            "test",
        )
        .await
        .unwrap()
    }

    pub async fn zone_id(&self, code: &str) -> String {
        let center =
            liaison::domains::centers::service::public_center(&self.state).await.unwrap().unwrap();
        let zones =
            liaison::domains::centers::service::zones(&self.state, &center.id).await.unwrap();
        zones.into_iter().find(|z| z.code == code).unwrap().id
    }

    /// Count rows with a query returning one BIGINT column named `n`.
    pub async fn count(&self, sql: &'static str, bind: &str) -> i64 {
        use sqlx::Row;
        let row = sqlx::query(sql).bind(bind).fetch_one(&self.state.db.pool).await.unwrap();
        row.try_get::<i64, _>("n").unwrap()
    }
}

impl TestApp {
    /// Follows `next_cursor` through a list (anonymous without a token);
    /// returns the pages' sizes and the items in order. More than
    /// `max_pages` pages is a cursor loop.
    pub async fn all_pages(
        &self,
        path: &str,
        token: Option<&str>,
        max_pages: usize,
    ) -> (Vec<usize>, Vec<serde_json::Value>) {
        let (mut sizes, mut items, mut cursor) = (vec![], vec![], String::new());
        let sep = if path.contains('?') { '&' } else { '?' };
        loop {
            let url = format!("{path}{sep}cursor={cursor}");
            let r = match token {
                Some(t) => self.client().get_json(&url, t).await,
                None => self.client().get(&url).await,
            };
            assert_eq!(r.status, axum::http::StatusCode::OK, "{url}: {}", r.text);
            let page = r.json();
            let got = page["items"].as_array().unwrap().clone();
            sizes.push(got.len());
            items.extend(got);
            match page["next_cursor"].as_str() {
                Some(c) => cursor = c.to_string(),
                None => return (sizes, items),
            }
            assert!(sizes.len() < max_pages, "{path}: a cursor loop");
        }
    }

    /// Every (table, column) of text whose value contains `needle`, over
    /// every table of the database (read from the catalogue, SQLite or
    /// PostgreSQL), for tests that prove something is gone everywhere.
    pub async fn text_holding(&self, needle: &str) -> Vec<String> {
        use sqlx::Row;
        let pool = &self.state.db.pool;
        let columns: Vec<(String, String)> = if backend_name() == "postgres" {
            sqlx::query(
                "SELECT table_name::TEXT AS t, column_name::TEXT AS c FROM information_schema.columns
                 WHERE table_schema = 'public' AND data_type IN ('text', 'character varying')",
            )
            .fetch_all(pool)
            .await
            .unwrap()
            .iter()
            .map(|r| (r.try_get("t").unwrap(), r.try_get("c").unwrap()))
            .collect()
        } else {
            let tables: Vec<String> = sqlx::query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            )
            .fetch_all(pool)
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get("name").unwrap())
            .collect();
            let mut out = vec![];
            for t in tables {
                let sql = format!("SELECT name, type FROM pragma_table_info('{t}')");
                for r in sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await.unwrap() {
                    let ty: String = r.try_get("type").unwrap();
                    if ty.eq_ignore_ascii_case("TEXT") {
                        out.push((t.clone(), r.try_get("name").unwrap()));
                    }
                }
            }
            out
        };
        let mut hits = vec![];
        for (t, c) in columns {
            let sql = format!("SELECT COUNT(*) AS n FROM {t} WHERE {c} LIKE $1");
            let n: i64 = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(format!("%{needle}%"))
                .fetch_one(pool)
                .await
                .unwrap()
                .try_get("n")
                .unwrap();
            if n > 0 {
                hits.push(format!("{t}.{c}"));
            }
        }
        hits
    }
}

/// A response, read whole.
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
}

impl Resp {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    pub fn header(&self, name: &str) -> String {
        self.headers.get(name).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
    }

    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect()
    }

    /// The CSRF token embedded in the page's forms.
    pub fn csrf(&self) -> String {
        let marker = "name=\"csrf_token\" value=\"";
        let start =
            self.text.find(marker).unwrap_or_else(|| panic!("no csrf field in {}", self.text))
                + marker.len();
        self.text[start..start + 64].to_string()
    }

    /// The page's visible text: tags removed.
    pub fn visible_text(&self) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for ch in self.text.chars() {
            match ch {
                '<' => in_tag = true,
                '>' => {
                    in_tag = false;
                    out.push(' ');
                }
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out
    }
}

/// A browser: keeps cookies, sends them back, remembers its address.
pub struct Client<'a> {
    pub app: &'a TestApp,
    pub cookies: HashMap<String, String>,
    pub ip: String,
    pub headers: Vec<(String, String)>,
}

impl Client<'_> {
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub async fn send(
        &mut self,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Resp {
        let mut req = Request::builder().method(method).uri(path).header(header::HOST, "localhost");
        if !self.cookies.is_empty() {
            let cookie =
                self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
            req = req.header(header::COOKIE, cookie);
        }
        if let Some(ct) = content_type {
            req = req.header(header::CONTENT_TYPE, ct);
        }
        for (k, v) in &self.headers {
            req = req.header(k.as_str(), v.as_str());
        }
        let mut req = req.body(Body::from(body)).unwrap();
        let addr: SocketAddr = format!("{}:40000", self.ip).parse().unwrap();
        req.extensions_mut().insert(ConnectInfo(addr));
        let res = self.app.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        for c in headers.get_all(header::SET_COOKIE) {
            let c = c.to_str().unwrap();
            let (pair, attrs) = c.split_once(';').unwrap_or((c, ""));
            let (name, value) = pair.split_once('=').unwrap();
            if attrs.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.into(), value.into());
            }
        }
        Resp { status, headers, text: String::from_utf8_lossy(&bytes).into_owned() }
    }

    pub async fn get(&mut self, path: &str) -> Resp {
        self.send(Method::GET, path, None, vec![]).await
    }

    /// Posts a form as typed: the fields given, nothing added.
    pub async fn post_form_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let body = serde_urlencoded::to_string(fields).unwrap();
        self.send(Method::POST, path, Some("application/x-www-form-urlencoded"), body.into_bytes())
            .await
    }

    /// Posts a form the way a browser does after loading `page`: with its CSRF token.
    pub async fn post_form(&mut self, page: &str, path: &str, fields: &[(&str, &str)]) -> Resp {
        let token = self.get(page).await.csrf();
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_form_raw(path, &all).await
    }

    pub async fn login(&mut self, email: &str, password: &str) -> Resp {
        self.post_form("/login", "/login", &[("email", email), ("password", password)]).await
    }

    pub async fn get_json(&mut self, path: &str, token: &str) -> Resp {
        let auth = format!("Bearer {token}");
        self.headers.retain(|(k, _)| k != "authorization");
        self.headers.push(("authorization".into(), auth));
        let r = self.get(path).await;
        self.headers.retain(|(k, _)| k != "authorization");
        r
    }

    pub async fn send_json(
        &mut self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: &str,
    ) -> Resp {
        self.headers.retain(|(k, _)| k != "authorization");
        if let Some(t) = token {
            self.headers.push(("authorization".into(), format!("Bearer {t}")));
        }
        let r = self.send(method, path, Some("application/json"), body.as_bytes().to_vec()).await;
        self.headers.retain(|(k, _)| k != "authorization");
        r
    }
}

/// An SMTP server on loopback that records each session it is sent.
pub async fn smtp_sink() -> (u16, tokio::sync::mpsc::UnboundedReceiver<String>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let (socket, _) = listener.accept().await.unwrap();
            let (read, mut write) = socket.into_split();
            let mut lines = BufReader::new(read).lines();
            write.write_all(b"220 sink ESMTP\r\n").await.unwrap();
            let mut transcript = String::new();
            let mut in_data = false;
            while let Ok(Some(line)) = lines.next_line().await {
                transcript.push_str(&line);
                transcript.push('\n');
                if in_data {
                    if line == "." {
                        in_data = false;
                        write.write_all(b"250 OK queued\r\n").await.unwrap();
                    }
                    continue;
                }
                let upper = line.to_ascii_uppercase();
                let reply: &[u8] = if upper.starts_with("EHLO") {
                    b"250-sink\r\n250 8BITMIME\r\n"
                } else if upper.starts_with("DATA") {
                    in_data = true;
                    b"354 go ahead\r\n"
                } else if upper.starts_with("QUIT") {
                    write.write_all(b"221 bye\r\n").await.unwrap();
                    break;
                } else {
                    b"250 OK\r\n"
                };
                write.write_all(reply).await.unwrap();
            }
            let _ = tx.send(transcript);
        }
    });
    (port, rx)
}

/// The text of an e-mail as the SMTP sink recorded it (its body in base64
/// or quoted-printable, as the mailer chose).
pub fn mail_body(transcript: &str) -> String {
    use base64::Engine as _;
    let data = transcript.split("\n\n").nth(1).unwrap_or_default();
    let lines: Vec<&str> = data.lines().take_while(|l| *l != ".").collect();
    if transcript.contains("Content-Transfer-Encoding: base64") {
        let b64: String = lines.concat();
        let bytes =
            base64::engine::general_purpose::STANDARD.decode(b64.trim()).unwrap_or_default();
        return String::from_utf8(bytes).unwrap_or_default();
    }
    let joined = lines.join("\n").replace("=\n", "");
    let mut bytes = vec![];
    let raw = joined.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'='
            && i + 2 < raw.len()
            && let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
        {
            bytes.push(b);
            i += 3;
            continue;
        }
        bytes.push(raw[i]);
        i += 1;
    }
    String::from_utf8(bytes).unwrap_or_default()
}
