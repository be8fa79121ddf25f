//! Admin pages: users and roles, zones and settings, as an admin uses them.

use axum::http::StatusCode;
use liaison::auth::Role;

use crate::auth::user_id_on_page;
use crate::helpers::{PASSWORD, TestApp, email_of};

#[tokio::test]
async fn an_admin_creates_a_user_who_can_then_sign_in() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in(Role::Admin).await;
    let r = admin
        .post_form(
            "/admin/users",
            "/admin/users",
            &[
                ("email", " Guide@Example.org "),
                ("display_name", "Guide Zhang"),
                ("role", "interpreter"),
                ("password", "a long password"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let page = admin.get("/admin/users?notice=created").await;
    assert!(page.text.contains("data-email=\"guide@example.org\""));
    assert!(page.text.contains("data-test=\"notice\""));
    let mut guide = app.client();
    assert_eq!(
        guide.login("guide@example.org", "a long password").await.status,
        StatusCode::SEE_OTHER
    );
    let me = guide.get("/dashboard?lang=en").await;
    assert!(me.text.contains("Interpreter"));
    assert!(me.text.contains("data-test=\"module-assignments\""));
}

#[tokio::test]
async fn bad_new_users_are_refused_with_reasons() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in(Role::Admin).await;
    let r = admin
        .post_form(
            "/admin/users?lang=en",
            "/admin/users",
            &[
                ("email", "not-an-email"),
                ("display_name", ""),
                ("role", "oversight"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for msg in [
        "Enter a valid e-mail address.",
        "This field is required.",
        "Not a valid role.",
        "at least 10 characters",
    ] {
        assert!(r.text.contains(msg), "{msg}");
    }
    let r = admin
        .post_form(
            "/admin/users",
            "/admin/users",
            &[
                ("email", email_of(Role::Staff)),
                ("display_name", "x"),
                ("role", "staff"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM app_user WHERE email = $1", email_of(Role::Staff))
            .await,
        1
    );
}

#[tokio::test]
async fn a_role_change_ends_the_users_sessions_and_changes_their_menu() {
    let app = TestApp::new().await;
    let mut staff = app.signed_in(Role::Staff).await;
    assert_eq!(staff.get("/admin/users").await.status, StatusCode::FORBIDDEN);
    let mut admin = app.signed_in(Role::Admin).await;
    let page = admin.get("/admin/users").await;
    let id = user_id_on_page(&page.text, email_of(Role::Staff));
    let r = admin
        .post_form_raw(
            &format!("/admin/users/{id}"),
            &[
                ("csrf_token", &page.csrf()),
                ("display_name", "Li Xiao"),
                ("role", "admin"),
                ("active", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        staff.get("/dashboard").await.status,
        StatusCode::SEE_OTHER,
        "signed out by the change"
    );
    let mut again = app.signed_in(Role::Staff).await;
    let dash = again.get("/dashboard").await;
    assert!(dash.text.contains("data-test=\"nav-users\""));
    assert_eq!(again.get("/admin/users").await.status, StatusCode::OK);
}

#[tokio::test]
async fn an_admin_cannot_lock_themselves_out() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in(Role::Admin).await;
    let page = admin.get("/admin/users").await;
    let me = user_id_on_page(&page.text, email_of(Role::Admin));
    let r = admin
        .post_form_raw(
            &format!("/admin/users/{me}"),
            &[
                ("csrf_token", &page.csrf()),
                ("display_name", "Me"),
                ("role", "staff"),
                ("active", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(admin.get("/admin/users").await.status, StatusCode::OK, "still an admin");
}

#[tokio::test]
async fn settings_and_zone_edits_show_on_the_public_home() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in(Role::Admin).await;
    let r = admin
        .post_form(
            "/admin/settings",
            "/admin/settings",
            &[
                ("name_zh", "温江对外交流中心"),
                ("name_en", "Wenjiang International Exchange Center"),
                ("address_zh", "温江区"),
                ("address_en", "Wenjiang District"),
                ("phone", "+86 28 8888 0000"),
                ("email", "iec@example.cn"),
                ("timezone", "Asia/Shanghai"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let saved = admin.get("/admin/settings?saved=1").await;
    assert!(saved.text.contains("data-test=\"saved\""));
    let zone = app.zone_id("import_export").await;
    admin
        .post_form(
            "/admin/zones",
            &format!("/admin/zones/{zone}"),
            &[
                ("name_zh", "进出口服务区"),
                ("name_en", "import-export services desk"),
                ("description_en", "One-stop."),
            ],
        )
        .await;
    let mut public = app.client();
    let zh = public.get("/?lang=zh-CN").await;
    assert!(
        zh.text.contains("温江对外交流中心")
            && zh.text.contains("进出口服务区")
            && zh.text.contains("+86 28 8888 0000")
    );
    let en = public.get("/?lang=en").await;
    assert!(
        en.text.contains("Wenjiang International Exchange Center")
            && en.text.contains("import-export services desk")
            && en.text.contains("One-stop.")
    );
}

#[tokio::test]
async fn html_in_input_is_escaped_on_every_page() {
    let app = TestApp::new().await;
    let zone = app.zone_id("city_promotion").await;
    let mut admin = app.signed_in(Role::Admin).await;
    admin
        .post_form(
            "/admin/zones",
            &format!("/admin/zones/{zone}"),
            &[("name_zh", "<script>alert(1)</script>"), ("name_en", "x\"><img src=x>")],
        )
        .await;
    let home = app.client().get("/").await;
    assert!(!home.text.contains("<script>alert(1)"));
    assert!(home.text.contains("&#60;script&#62;") || home.text.contains("&lt;script&gt;"));
    let zones = admin.get("/admin/zones").await;
    assert!(!zones.text.contains("\"><img src=x>"));
}

#[tokio::test]
async fn the_demo_loads_twice_without_change() {
    let app = TestApp::new().await;
    let users = app.count("SELECT COUNT(*) AS n FROM app_user WHERE role <> $1", "none").await;
    let zones = app.count("SELECT COUNT(*) AS n FROM zone WHERE code <> $1", "none").await;
    let lines = liaison::demo::load(&app.state).await.unwrap();
    assert!(lines[0].contains("already"));
    // Five accounts, one per role, and six more interpreters.
    assert_eq!(users, 11);
    assert_eq!(zones, 6);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM app_user WHERE role <> $1", "none").await, 11);
    let visits = app.count("SELECT COUNT(*) AS n FROM visit WHERE status <> $1", "none").await;
    assert_eq!(visits, 36);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM zone WHERE code <> $1", "none").await, 6);
}

#[tokio::test]
async fn an_empty_deployment_explains_how_to_start() {
    let app = TestApp::empty().await;
    let r = app.client().get("/?lang=en").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("data-test=\"no-center\""));
    assert!(r.text.contains("liaison demo"));
}
