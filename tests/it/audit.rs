//! Every change of state leaves an audit row, and admins can find it.

use axum::http::StatusCode;
use liaison::auth::Role;

use crate::helpers::{PASSWORD, TestApp, email_of};

#[tokio::test]
async fn changes_and_logins_are_audited_and_filterable() {
    let app = TestApp::new().await;
    let mut c = app.client();
    c.login(email_of(Role::Staff), "wrong password!").await;
    let mut admin = app.signed_in(Role::Admin).await;

    let zone = app.zone_id("science_popularization").await;
    admin
        .post_form(
            "/admin/zones",
            &format!("/admin/zones/{zone}"),
            &[("name_zh", "市民科普"), ("name_en", "science popularization (hall)")],
        )
        .await;
    admin
        .post_form(
            "/admin/settings",
            "/admin/settings",
            &[
                ("name_zh", "新中心"),
                ("name_en", "New Center"),
                ("timezone", "Asia/Shanghai"),
                ("phone", "+86 28 1234 5678"),
            ],
        )
        .await;
    admin
        .post_form(
            "/admin/users",
            "/admin/users",
            &[
                ("email", "new@example.org"),
                ("display_name", "New"),
                ("role", "staff"),
                ("password", "long enough pw"),
            ],
        )
        .await;
    let page = admin.get("/admin/users").await;
    let id = crate::auth::user_id_on_page(&page.text, "new@example.org");
    let r = admin
        .post_form_raw(
            &format!("/admin/users/{id}"),
            &[
                ("csrf_token", &page.csrf()),
                ("display_name", "New"),
                ("role", "interpreter"),
                ("active", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    let token = app.token(Role::Admin).await;
    let all = c.get_json("/api/v1/audit", &token).await.json();
    let actions: Vec<(String, String)> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (i["entity"].as_str().unwrap().to_string(), i["action"].as_str().unwrap().to_string())
        })
        .collect();
    for expected in [
        ("session", "login_failed"),
        ("session", "login"),
        ("zone", "update"),
        ("center", "update_settings"),
        ("user", "create"),
        ("user", "role_change"),
        ("api_token", "create"),
    ] {
        assert!(
            actions.contains(&(expected.0.into(), expected.1.into())),
            "missing {expected:?} in {actions:?}"
        );
    }

    let role_changes = c.get_json("/api/v1/audit?action=role_change", &token).await.json();
    let items = role_changes["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["actor"], email_of(Role::Admin));
    assert_eq!(items[0]["summary"]["before"]["role"], "staff");
    assert_eq!(items[0]["summary"]["after"]["role"], "interpreter");
    assert_eq!(items[0]["client_ip"], "192.0.2.10");
    assert!(items[0]["at"].as_str().unwrap().ends_with("+08:00"));

    let settings =
        c.get_json("/api/v1/audit?entity=center&action=update_settings", &token).await.json();
    let summary = &settings["items"][0]["summary"];
    assert_eq!(summary["name"]["after"]["en"], "New Center");
    assert_eq!(summary["phone"]["after"], "+86 28 1234 5678");

    // The page shows and filters the same rows.
    let page = admin.get("/admin/audit?entity=user").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.matches("data-test=\"audit-row\"").count() >= 2);
    assert!(!page.text.contains("data-entity=\"zone\""));
    let none = admin.get("/admin/audit?from=2030-01-01").await;
    assert!(none.text.contains("data-test=\"audit-empty\""));
    let today = admin.get("/admin/audit?from=2026-11-27&to=2026-11-27&action=login").await;
    assert!(today.text.contains("data-action=\"login\""));
}

#[tokio::test]
async fn a_failed_write_leaves_no_audit_row() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in(Role::Admin).await;
    let before = app.count("SELECT COUNT(*) AS n FROM audit_log WHERE entity = $1", "user").await;
    let r = admin
        .post_form(
            "/admin/users",
            "/admin/users",
            &[
                ("email", email_of(Role::Staff)),
                ("display_name", "Dup"),
                ("role", "staff"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("此邮箱已被使用"));
    let after = app.count("SELECT COUNT(*) AS n FROM audit_log WHERE entity = $1", "user").await;
    assert_eq!(before, after);
}

#[tokio::test]
async fn the_audit_log_pages_through_older_entries() {
    let app = TestApp::new().await;
    let token = app.token(Role::Admin).await;
    let mut c = app.client();
    let mut admin = app.signed_in(Role::Admin).await;
    let path = format!("/admin/zones/{}", app.zone_id("city_promotion").await);
    let csrf = admin.get("/admin/zones").await.csrf();
    for _ in 0..60 {
        let r = admin
            .post_form_raw(
                &path,
                &[("csrf_token", &csrf), ("name_zh", "城市推介"), ("name_en", "City promotion")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    let first = c.get_json("/api/v1/audit?entity=zone", &token).await.json();
    assert_eq!(first["items"].as_array().unwrap().len(), 50);
    let cursor = first["next_cursor"].as_str().unwrap().to_string();
    let second =
        c.get_json(&format!("/api/v1/audit?entity=zone&before={cursor}"), &token).await.json();
    let second_items = second["items"].as_array().unwrap();
    // 60 edits + 6 zone creations from the demo = 66 zone rows.
    assert_eq!(second_items.len(), 16);
    assert!(second["next_cursor"].is_null());
    let first_ids: Vec<&str> =
        first["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert!(second_items.iter().all(|i| !first_ids.contains(&i["id"].as_str().unwrap())));
}
