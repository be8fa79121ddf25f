//! A state-changing request without the right CSRF token changes nothing.

use axum::http::StatusCode;
use liaison::auth::Role;

use crate::helpers::{PASSWORD, TestApp, email_of};

async fn zone_name(app: &TestApp) -> String {
    let center =
        liaison::domains::centers::service::public_center(&app.state).await.unwrap().unwrap();
    let zones = liaison::domains::centers::service::zones(&app.state, &center.id).await.unwrap();
    zones.into_iter().find(|z| z.code == "city_promotion").unwrap().name.en
}

#[tokio::test]
async fn posts_without_a_valid_token_are_refused_and_change_nothing() {
    let app = TestApp::new().await;
    let zone = app.zone_id("city_promotion").await;
    let path = format!("/admin/zones/{zone}");
    let mut admin = app.signed_in(Role::Admin).await;
    let fields = [("name_zh", "城市推介"), ("name_en", "CHANGED")];

    let r = admin.post_form_raw(&path, &fields).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text.contains("data-status=\"403\""));

    let mut with_wrong = vec![("csrf_token", "0".repeat(64))];
    with_wrong.extend(fields.iter().map(|(k, v)| (*k, v.to_string())));
    let wrong: Vec<(&str, &str)> = with_wrong.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(admin.post_form_raw(&path, &wrong).await.status, StatusCode::FORBIDDEN);

    // The anonymous token of another browser is not this session's token.
    let anon_token = app.client().get("/login").await.csrf();
    let mut stolen = vec![("csrf_token", anon_token.as_str())];
    stolen.extend_from_slice(&fields);
    assert_eq!(admin.post_form_raw(&path, &stolen).await.status, StatusCode::FORBIDDEN);
    assert_eq!(zone_name(&app).await, "City promotion");

    let r = admin.post_form("/admin/zones", &path, &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(zone_name(&app).await, "CHANGED");
}

#[tokio::test]
async fn a_cross_site_origin_is_refused_even_with_the_token() {
    let app = TestApp::new().await;
    let zone = app.zone_id("city_promotion").await;
    let mut admin = app.signed_in(Role::Admin).await;
    let token = admin.get("/admin/zones").await.csrf();
    let mut evil = admin.with_header("origin", "https://evil.example");
    let r = evil
        .post_form_raw(
            &format!("/admin/zones/{zone}"),
            &[("csrf_token", &token), ("name_zh", "x"), ("name_en", "y")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(zone_name(&app).await, "City promotion");
}

#[tokio::test]
async fn the_login_form_needs_its_token_too() {
    let app = TestApp::new().await;
    let mut c = app.client();
    let r = c
        .post_form_raw("/login", &[("email", email_of(Role::Admin)), ("password", PASSWORD)])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(!c.cookies.contains_key("liaison_session"));
}

#[tokio::test]
async fn htmx_requests_send_the_token_in_a_header() {
    let app = TestApp::new().await;
    let zone = app.zone_id("city_promotion").await;
    let admin = app.signed_in(Role::Admin).await;
    let page = {
        let mut a = admin;
        let p = a.get("/admin/zones").await;
        (a, p)
    };
    let (admin, p) = page;
    let mut admin = admin.with_header("x-csrf-token", &p.csrf());
    let r = admin
        .post_form_raw(
            &format!("/admin/zones/{zone}"),
            &[("name_zh", "城市推介"), ("name_en", "via header")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(zone_name(&app).await, "via header");
}

#[tokio::test]
async fn bearer_token_requests_need_no_csrf_token() {
    let app = TestApp::new().await;
    let zone = app.zone_id("city_promotion").await;
    let token = app.token(Role::Admin).await;
    let r = app
        .client()
        .send_json(
            axum::http::Method::PATCH,
            &format!("/api/v1/zones/{zone}"),
            Some(&token),
            r#"{"name_zh":"城市推介","name_en":"by api"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(zone_name(&app).await, "by api");
}
