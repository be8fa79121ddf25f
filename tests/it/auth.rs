//! Signing in and out, sessions and the login throttle.

use axum::http::StatusCode;
use liaison::auth::Role;

use crate::helpers::{PASSWORD, TestApp, email_of};

#[tokio::test]
async fn login_sets_a_fresh_http_only_session_and_logout_ends_it() {
    let app = TestApp::new().await;
    let mut c = app.client();
    // A session cookie from before the login (e.g. planted) is never reused.
    c.cookies.insert("liaison_session".into(), "planted".into());
    let r = c.login(email_of(Role::Staff), PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), "/dashboard");
    let cookie = r
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("liaison_session="))
        .expect("session cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain HTTP: no Secure flag: {cookie}");
    let session = c.cookies["liaison_session"].clone();
    assert_ne!(session, "planted");
    assert_eq!(session.len(), 64);

    let r = c.get("/dashboard").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("data-test=\"module-venues\""));

    // Logging in again gives another session id.
    let mut again = app.client();
    again.login(email_of(Role::Staff), PASSWORD).await;
    assert_ne!(again.cookies["liaison_session"], session);

    let page = c.get("/dashboard").await;
    let r = c.post_form_raw("/logout", &[("csrf_token", &page.csrf())]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(!c.cookies.contains_key("liaison_session"));
    // The old cookie no longer opens anything.
    let mut replay = app.client();
    replay.cookies.insert("liaison_session".into(), session);
    let r = replay.get("/dashboard").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.header("location").starts_with("/login?next=%2Fdashboard"));
}

#[tokio::test]
async fn secure_cookies_when_configured() {
    let app = TestApp::with_config(|c| c.secure_cookies = true).await;
    liaison::demo::load(&app.state).await.unwrap();
    let mut c = app.client();
    let r = c.login(email_of(Role::Admin), PASSWORD).await;
    let cookie = r.set_cookies().into_iter().find(|c| c.starts_with("liaison_session=")).unwrap();
    assert!(cookie.contains("Secure"), "{cookie}");
}

#[tokio::test]
async fn wrong_password_is_refused_without_saying_which_part_was_wrong() {
    let app = TestApp::new().await;
    let mut c = app.client();
    let wrong_pw = c.login(email_of(Role::Admin), "not the password").await;
    let unknown = c.login("nobody@example.org", PASSWORD).await;
    assert_eq!(wrong_pw.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert!(wrong_pw.text.contains("data-test=\"login-error\""));
    assert!(!c.cookies.contains_key("liaison_session"));
    let r = c.get("/dashboard").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn login_redirects_back_only_to_local_paths() {
    let app = TestApp::new().await;
    let mut c = app.client();
    let r = c
        .post_form(
            "/login",
            "/login",
            &[("email", email_of(Role::Admin)), ("password", PASSWORD), ("next", "/admin/users")],
        )
        .await;
    assert_eq!(r.header("location"), "/admin/users");
    let mut c = app.client();
    let r = c
        .post_form(
            "/login",
            "/login",
            &[
                ("email", email_of(Role::Admin)),
                ("password", PASSWORD),
                ("next", "//evil.example/x"),
            ],
        )
        .await;
    assert_eq!(r.header("location"), "/dashboard");
}

#[tokio::test]
async fn five_failures_for_an_account_from_one_address_close_it_there_for_fifteen_minutes() {
    let app = TestApp::new().await;
    let email = email_of(Role::Staff);
    let mut c = app.client();
    c.ip = "198.51.100.1".into();
    for _ in 0..5 {
        assert_eq!(c.login(email, "wrong password").await.status, StatusCode::UNAUTHORIZED);
    }
    let r = c.login(email, PASSWORD).await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "from there, even the right password waits"
    );
    let retry: i64 = r.header("retry-after").parse().unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    // The account's owner, elsewhere, is not locked out by those failures.
    let mut owner = app.client();
    owner.ip = "198.51.100.99".into();
    assert_eq!(owner.login(email, PASSWORD).await.status, StatusCode::SEE_OTHER);

    app.clock.advance_secs(15 * 60 + 1);
    assert_eq!(c.login(email, PASSWORD).await.status, StatusCode::SEE_OTHER);
}

/// Failures from many addresses never lock the account's owner out (anyone
/// who knows an e-mail address could otherwise keep them out forever).
#[tokio::test]
async fn failures_from_many_addresses_do_not_lock_the_owner_out() {
    let app = TestApp::new().await;
    let email = email_of(Role::Staff);
    for i in 0..12 {
        let mut c = app.client();
        c.ip = format!("198.51.100.{i}");
        assert_eq!(c.login(email, "wrong password").await.status, StatusCode::UNAUTHORIZED);
    }
    let mut owner = app.client();
    owner.ip = "198.51.100.200".into();
    assert_eq!(owner.login(email, PASSWORD).await.status, StatusCode::SEE_OTHER);
}

/// Failures are counted before the password is checked, atomically: 50
/// parallel wrong passwords for one account from one address get at most
/// five checks; the rest wait (429).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_guesses_get_only_the_allowed_attempts() {
    let app = TestApp::new().await;
    let email = email_of(Role::Admin);
    // One browser's login page: its cookie and CSRF token for every guess.
    let mut browser = app.client();
    let csrf = browser.get("/login").await.csrf();
    let cookie: String =
        browser.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
    let mut tasks = vec![];
    for _ in 0..50 {
        let router = app.router.clone();
        let (csrf, cookie) = (csrf.clone(), cookie.clone());
        tasks.push(tokio::spawn(async move {
            use tower::ServiceExt;
            let body =
                format!("email={}&password=guess&csrf_token={csrf}", email.replace('@', "%40"));
            let mut req = axum::http::Request::builder()
                .method(axum::http::Method::POST)
                .uri("/login")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("cookie", cookie)
                .header("sec-fetch-site", "same-origin")
                .body(axum::body::Body::from(body))
                .unwrap();
            req.extensions_mut().insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                [203, 0, 113, 50],
                5000,
            ))));
            router.oneshot(req).await.unwrap().status()
        }));
    }
    let (mut checked, mut waited) = (0, 0);
    for t in tasks {
        match t.await.unwrap() {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => waited += 1,
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!((checked, waited), (5, 45));
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM login_failure WHERE email = $1", email).await,
        5
    );
}

#[tokio::test]
async fn five_failures_from_one_address_close_that_address() {
    let app = TestApp::new().await;
    let mut c = app.client();
    c.ip = "203.0.113.7".into();
    for i in 0..5 {
        let r = c.login(&format!("guess{i}@example.org"), "whatever").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = c.login(email_of(Role::Admin), PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(!r.header("retry-after").is_empty());
    // Another address may still sign in to that account.
    let mut other = app.client();
    other.ip = "203.0.113.8".into();
    assert_eq!(other.login(email_of(Role::Admin), PASSWORD).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_deactivated_user_cannot_sign_in_and_loses_their_sessions() {
    let app = TestApp::new().await;
    let mut staff = app.signed_in(Role::Staff).await;
    let mut admin = app.signed_in(Role::Admin).await;
    let page = admin.get("/admin/users").await;
    let staff_id = user_id_on_page(&page.text, email_of(Role::Staff));
    let r = admin
        .post_form_raw(
            &format!("/admin/users/{staff_id}"),
            &[("csrf_token", &page.csrf()), ("display_name", "Li Xiao"), ("role", "staff")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(staff.get("/dashboard").await.status, StatusCode::SEE_OTHER, "session ended");
    let mut c = app.client();
    assert_eq!(c.login(email_of(Role::Staff), PASSWORD).await.status, StatusCode::UNAUTHORIZED);
}

/// The id in the edit form of the user row with this e-mail.
pub fn user_id_on_page(html: &str, email: &str) -> String {
    let row = html.find(&format!("data-email=\"{email}\"")).expect("user row");
    let marker = "action=\"/admin/users/";
    let start = html[row..].find(marker).unwrap() + row + marker.len();
    html[start..start + 36].to_string()
}

#[tokio::test]
async fn users_change_their_own_password_and_revoke_their_tokens() {
    let app = TestApp::new().await;
    let mut me = app.signed_in(Role::Interpreter).await;
    let page = me.get("/account?lang=en").await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = page.csrf();
    let r = me
        .post_form_raw(
            "/account/password",
            &[
                ("csrf_token", &csrf),
                ("current_password", "wrong one!"),
                ("new_password", "a new long password"),
                ("repeat_password", "a new long password"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = me
        .post_form_raw(
            "/account/password",
            &[
                ("csrf_token", &csrf),
                ("current_password", PASSWORD),
                ("new_password", "a new long password"),
                ("repeat_password", "different long pw"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = me
        .post_form_raw(
            "/account/password",
            &[
                ("csrf_token", &csrf),
                ("current_password", PASSWORD),
                ("new_password", "a new long password"),
                ("repeat_password", "a new long password"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.header("location").starts_with("/login?notice=password-changed"));
    assert_eq!(me.get("/dashboard").await.status, StatusCode::SEE_OTHER, "signed out everywhere");
    let mut again = app.client();
    assert_eq!(
        again.login(email_of(Role::Interpreter), PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        again.login(email_of(Role::Interpreter), "a new long password").await.status,
        StatusCode::SEE_OTHER
    );

    // Tokens: made on the account page, revoked there, refused afterwards.
    let page = again.get("/account").await;
    let made = again
        .post_form_raw(
            "/account/tokens",
            &[("csrf_token", &page.csrf()), ("name", "calendar sync")],
        )
        .await;
    let start = made.text.find("data-test=\"token\">").unwrap() + "data-test=\"token\">".len();
    let token = made.text[start..start + 68].to_string();
    assert_eq!(app.client().get_json("/api/v1/me", &token).await.status, StatusCode::OK);
    let page = again.get("/account").await;
    assert!(page.text.contains("calendar sync"));
    let marker = "action=\"/account/tokens/";
    let i = page.text.find(marker).unwrap() + marker.len();
    let id = page.text[i..i + 36].to_string();
    let r = again
        .post_form_raw(&format!("/account/tokens/{id}/revoke"), &[("csrf_token", &page.csrf())])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(app.client().get_json("/api/v1/me", &token).await.status, StatusCode::UNAUTHORIZED);
    // Someone else's token cannot be revoked by id.
    let mut other = app.signed_in(Role::Staff).await;
    let p = other.get("/account").await;
    let r = other
        .post_form_raw(&format!("/account/tokens/{id}/revoke"), &[("csrf_token", &p.csrf())])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

/// After signing in, only a plain local path is followed: `/\t/host` and its
/// encoded forms, which browsers read as `//host`, go to the dashboard.
#[tokio::test]
async fn the_next_page_after_login_is_never_another_site() {
    let app = TestApp::new().await;
    let evil = [
        "/%09/evil.example",
        "//evil.example",
        "/%5Cevil.example",
        "/%2F/evil.example",
        "https://evil.example",
    ];
    for next in evil {
        let mut c = app.client();
        let login_page = format!("/login?next={}", next.replace('%', "%25"));
        let r = c
            .post_form(
                &login_page,
                "/login",
                &[
                    ("email", email_of(Role::Staff)),
                    ("password", PASSWORD),
                    ("next", &percent_decode(next)),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{next}");
        assert_eq!(r.header("location"), "/dashboard", "{next}");
        // Signed in, the login page sends them on the same way.
        let r = c.get(&format!("/login?next={next}")).await;
        assert_eq!(r.header("location"), "/dashboard", "{next}");
    }
    let mut c = app.client();
    let r = c
        .post_form(
            "/login",
            "/login",
            &[
                ("email", email_of(Role::Staff)),
                ("password", PASSWORD),
                ("next", "/events?lang=en"),
            ],
        )
        .await;
    assert_eq!(r.header("location"), "/events?lang=en");
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// Behind our proxy, the client is the address the proxy added — the last
/// `X-Forwarded-For` entry — never an entry the client wrote itself, and
/// never something that is not an address.
#[tokio::test]
async fn a_forwarded_address_is_the_one_our_proxy_added() {
    let app = TestApp::with_config(|c| c.trust_forwarded_for = true).await;
    liaison::demo::load(&app.state).await.unwrap();
    let sql =
        "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'login_failed' AND client_ip = $1";
    let mut c = app.client();
    c.ip = "10.0.0.2".into();
    c.headers.push(("x-forwarded-for".into(), "6.6.6.6, 203.0.113.9".into()));
    assert_eq!(
        c.login(email_of(Role::Staff), "wrong password").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.count(sql, "203.0.113.9").await, 1);
    assert_eq!(app.count(sql, "6.6.6.6").await, 0, "the client's own entry is not believed");
    let mut c = app.client();
    c.ip = "10.0.0.2".into();
    c.headers.push(("x-forwarded-for".into(), "not-an-address".into()));
    assert_eq!(
        c.login(email_of(Role::Staff), "wrong password").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.count(sql, "10.0.0.2").await, 1, "falls back to the peer");
}
