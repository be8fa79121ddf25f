//! The `liaison` binary's commands, run as a user would run them.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::helpers::fresh_database_url;

fn liaison(db: &str, args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_liaison"))
        .args(args)
        .env("LIAISON_DATABASE_URL", db)
        .env("LIAISON_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run liaison");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    } else {
        drop(child.stdin.take());
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[tokio::test]
async fn migrate_demo_user_and_token_commands() {
    let (db, _) = fresh_database_url().await;
    let (ok, out, err) = liaison(&db, &["migrate"], None);
    assert!(ok, "{out}{err}");
    let (ok, out, _) = liaison(&db, &["demo"], None);
    assert!(
        ok && out.contains("admin@demo.liaison.local") && out.contains("liaison-demo"),
        "{out}"
    );
    let (ok, out, _) = liaison(&db, &["demo"], None);
    assert!(ok && out.contains("already present"), "idempotent: {out}");

    let (ok, out, err) = liaison(
        &db,
        &["user", "create", "--email", "ops@example.org", "--role", "staff", "--password-stdin"],
        Some("a long password\n"),
    );
    assert!(ok, "{out}{err}");
    assert!(out.contains("ops@example.org (staff)"));
    let (ok, _, err) = liaison(
        &db,
        &[
            "user",
            "create",
            "--email",
            "fao@example.org",
            "--role",
            "oversight",
            "--center",
            "chengdu-medical-city",
            "--password-stdin",
        ],
        Some("a long password"),
    );
    assert!(ok, "{err}");
    let (ok, _, err) = liaison(
        &db,
        &["user", "create", "--email", "bad", "--role", "boss", "--password-stdin"],
        Some("short"),
    );
    assert!(!ok);
    assert!(err.contains("email") && err.contains("role") && err.contains("password"), "{err}");

    let (ok, token, err) = liaison(&db, &["token", "create", "--email", "ops@example.org"], None);
    assert!(ok, "{err}");
    let token = token.trim();
    assert!(token.starts_with("lsn_") && token.len() == 68, "{token}");
    assert!(err.contains("shown once"));
    // Only the hash is stored.
    let pool = liaison::db::Db::connect(&db, 1).await.unwrap();
    let stored: i64 = {
        use sqlx::Row;
        sqlx::query("SELECT COUNT(*) AS n FROM api_token WHERE token_hash = $1")
            .bind(token)
            .fetch_one(&pool.pool)
            .await
            .unwrap()
            .try_get("n")
            .unwrap()
    };
    assert_eq!(stored, 0);
    let (ok, _, err) = liaison(&db, &["token", "create", "--email", "nobody@example.org"], None);
    assert!(!ok && err.contains("not found"), "{err}");
    if let Some(path) = db.strip_prefix("sqlite://") {
        let _ = std::fs::remove_file(path);
    }
}

#[tokio::test]
async fn purge_removes_personal_data_past_its_retention_date() {
    let (db, _) = fresh_database_url().await;
    let (ok, out, err) = liaison(&db, &["demo"], None);
    assert!(ok, "{out}{err}");
    assert!(out.contains("36 delegation visits"), "{out}");
    // The demo's past visits are more than a year old: their retention
    // has ended. A second run finds nothing left to do.
    let (ok, out, err) = liaison(&db, &["purge"], None);
    assert!(ok, "{out}{err}");
    let n: i64 = out.split_whitespace().find_map(|w| w.parse().ok()).unwrap();
    assert!((20..36).contains(&n), "{out}");
    let (ok, out, _) = liaison(&db, &["purge"], None);
    assert!(ok && out.contains("purged: 0 visit(s)") && out.contains("news comment(s)"), "{out}");
}

/// A password set by an admin (the CLI) ends the user's sessions and stops
/// their API tokens.
#[tokio::test]
async fn a_password_set_by_an_admin_stops_the_users_tokens() {
    let app = crate::helpers::TestApp::new().await;
    let email = crate::helpers::email_of(liaison::auth::Role::Staff);
    let token = app.token(liaison::auth::Role::Staff).await;
    let mut c = app.client();
    assert_eq!(c.get_json("/api/v1/me", &token).await.status, axum::http::StatusCode::OK);
    liaison::domains::accounts::service::set_password(
        &app.state,
        &liaison::audit::Who::cli(),
        email,
        "a brand new password",
    )
    .await
    .unwrap();
    assert_eq!(c.get_json("/api/v1/me", &token).await.status, axum::http::StatusCode::UNAUTHORIZED);
}

/// With SMTP unset the server logs that an e-mail was not sent, never to
/// whom: the log outlives every retention date.
#[tokio::test]
async fn the_log_never_prints_recipients_without_smtp() {
    use std::io::{Read, Write as _};
    use std::net::TcpStream;
    let (db, _) = fresh_database_url().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    // The log goes to a file: a pipe nobody reads would fill and stall it.
    let log_path = std::env::temp_dir().join(format!("liaison-log-{port}.txt"));
    let log_file = std::fs::File::create(&log_path).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_liaison"))
        .args(["serve", "--demo", "--bind", &format!("127.0.0.1:{port}")])
        .env("LIAISON_DATABASE_URL", &db)
        .env("LIAISON_LOG", "debug")
        .env_remove("LIAISON_SMTP_URL")
        .stdout(log_file.try_clone().unwrap())
        .stderr(log_file)
        .spawn()
        .expect("run liaison");
    let send = |request: String| -> std::io::Result<String> {
        let mut s = TcpStream::connect(("127.0.0.1", port))?;
        s.write_all(request.as_bytes())?;
        let mut out = String::new();
        s.read_to_string(&mut out)?;
        Ok(out)
    };
    let mut up = false;
    for _ in 0..600 {
        if send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".into())
            .is_ok_and(|r| r.starts_with("HTTP/1.1 200"))
        {
            up = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(up, "the server starts");
    let body = serde_json::json!({
        "organisation_name": "Log Check Ltd", "organisation_type": "foreign_enterprise", "country": "DE",
        "purpose": "A visit", "preferred_from": "2026-12-14", "preferred_to": "2026-12-16", "party_size": 2,
        "languages": ["de"], "contact_name": "Lotte Logwatch", "contact_email": "lotte.logwatch@example.org",
        "consent": true
    })
    .to_string();
    let answer = send(format!(
        "POST /api/v1/visit-requests HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    ))
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    std::thread::sleep(std::time::Duration::from_millis(500));
    // A graceful stop flushes the log.
    Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    child.wait().unwrap();
    let log = std::fs::read_to_string(&log_path).unwrap();
    std::fs::remove_file(&log_path).ok();
    assert!(log.contains("e-mail not sent (SMTP not configured)"), "staff were e-mailed: {log}");
    assert!(!log.lines().any(|l| l.contains("e-mail") && l.contains('@')), "{log}");
    assert!(
        !log.contains("lotte.logwatch@example.org") && !log.contains("Lotte Logwatch"),
        "{log}"
    );
}
