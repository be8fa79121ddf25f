//! Bad input gets a clear 4xx in the caller's language, never a 500.

use axum::http::{Method, StatusCode};
use liaison::auth::Role;
use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn an_invalid_form_is_shown_again_naming_the_field() {
    let app = TestApp::new().await;
    let zone = app.zone_id("city_promotion").await;
    let mut admin = app.signed_in(Role::Admin).await;
    let r = admin
        .post_form(
            "/admin/zones?lang=en",
            &format!("/admin/zones/{zone}"),
            &[("name_zh", "城市推介"), ("name_en", "  ")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("aria-invalid=\"true\""));
    assert!(r.text.contains("This field is required."), "{}", r.visible_text());
    // A form missing a field altogether names it too.
    let r =
        admin.post_form("/admin/zones", &format!("/admin/zones/{zone}"), &[("name_zh", "x")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("<code>name_en</code>"), "{}", r.text);
    // Nothing was written.
    let zones =
        app.count("SELECT COUNT(*) AS n FROM zone WHERE name_en = $1", "City promotion").await;
    assert_eq!(zones, 1);
}

#[tokio::test]
async fn settings_errors_are_localized() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in(Role::Admin).await;
    let fields = [
        ("name_zh", "中心"),
        ("name_en", "Center"),
        ("phone", "call us"),
        ("email", "nope"),
        ("timezone", "Mars/Base"),
    ];
    let r = admin.post_form("/admin/settings?lang=zh-CN", "/admin/settings", &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("请输入有效的电子邮箱地址。"));
    assert!(r.text.contains("value=\"call us\""), "the form keeps what was typed");
    let r = admin.post_form("/admin/settings?lang=en", "/admin/settings", &fields).await;
    assert!(r.text.contains("Unknown time zone name"));
}

#[tokio::test]
async fn malformed_json_is_a_400_problem() {
    let app = TestApp::new().await;
    let zone = app.zone_id("city_promotion").await;
    let token = app.token(Role::Admin).await;
    let mut c = app.client();
    let path = format!("/api/v1/zones/{zone}");
    let r = c.send_json(Method::PATCH, &path, Some(&token), "{not json").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.header("content-type"), "application/problem+json");
    assert_eq!(r.json()["type"], "/problems/bad-request");

    let r =
        c.send_json(Method::PATCH, &path, Some(&token), r#"{"name_zh": 5, "name_en": "x"}"#).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"][0]["field"], "name_zh");

    let r = c.send_json(Method::PATCH, &path, Some(&token), r#"{"name_zh": "x"}"#).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"][0]["field"], "name_en");

    let r =
        c.send_json(Method::PATCH, &path, Some(&token), r#"{"name_zh": "", "name_en": ""}"#).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = r.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, vec!["name_zh", "name_en"]);

    // Not JSON at all.
    let mut c2 = app.client().with_header("authorization", &format!("Bearer {token}"));
    let r = c2.send(Method::PATCH, &path, Some("text/plain"), b"name=x".to_vec()).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["errors"][0]["field"], "content-type");
}

#[tokio::test]
async fn problem_titles_follow_the_request_language() {
    let app = TestApp::new().await;
    let token = app.token(Role::Admin).await;
    let mut c = app.client();
    let en = c
        .send_json(
            Method::PATCH,
            "/api/v1/zones/nope?lang=en",
            Some(&token),
            r#"{"name_zh":"a","name_en":"b"}"#,
        )
        .await;
    assert_eq!(en.status, StatusCode::NOT_FOUND);
    assert_eq!(en.json()["title"], "Not found");
    let mut c = app.client().with_header("accept-language", "zh-CN,zh;q=0.9");
    let zh = c
        .send_json(
            Method::PATCH,
            "/api/v1/zones/nope",
            Some(&token),
            r#"{"name_zh":"a","name_en":"b"}"#,
        )
        .await;
    assert_eq!(zh.json()["title"], "页面不存在");
    assert_eq!(zh.json()["status"], 404);
}

#[tokio::test]
async fn bad_query_strings_name_the_field() {
    let app = TestApp::new().await;
    let token = app.token(Role::Admin).await;
    let mut c = app.client();
    let r = c.get_json("/api/v1/audit?from=yesterday", &token).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"][0]["field"], "from");
    let mut admin = app.signed_in(Role::Admin).await;
    let r = admin.get("/admin/audit?to=2026-02-31").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("<code>to</code>"));
    let r = admin.get("/admin/users?notice=%ZZ&x=%").await;
    assert!(r.status.is_success() || r.status.is_client_error(), "{}", r.status);
}

#[tokio::test]
async fn not_found_pages_are_localized_in_both_languages() {
    let app = TestApp::new().await;
    let mut c = app.client();
    let zh = c.get("/nothing-here?lang=zh-CN").await;
    assert_eq!(zh.status, StatusCode::NOT_FOUND);
    assert!(zh.text.contains("<html lang=\"zh-CN\">"));
    assert!(zh.text.contains("页面不存在"));
    let en = c.get("/nothing-here?lang=en").await;
    assert!(en.text.contains("<html lang=\"en\">"));
    assert!(en.text.contains("Not found"));
    let api = c.get("/api/v1/nothing").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.header("content-type"), "application/problem+json");
}

#[tokio::test]
async fn a_zone_of_another_center_is_not_found() {
    let app = TestApp::new().await;
    // A second center with its own zones.
    let (other, _) = liaison::domains::centers::service::ensure_center(
        &app.state,
        &liaison::audit::Who::cli(),
        liaison::domains::centers::service::NewCenter {
            slug: "other".into(),
            name: liaison::domains::centers::model::Bilingual::new("别的中心", "Another center"),
            short_name: Default::default(),
            intro: Default::default(),
            address: Default::default(),
            opening_hours: Default::default(),
            phone: String::new(),
            email: String::new(),
            zones: vec![],
        },
    )
    .await
    .unwrap();
    let other_zone =
        liaison::domains::centers::service::zones(&app.state, &other).await.unwrap().remove(0);
    let mut admin = app.signed_in(Role::Admin).await;
    let r = admin
        .post_form(
            "/admin/zones",
            &format!("/admin/zones/{}", other_zone.id),
            &[("name_zh", "偷"), ("name_en", "stolen")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let again = liaison::domains::centers::service::zones(&app.state, &other).await.unwrap();
    assert_eq!(again[0].name, other_zone.name);
}

#[tokio::test]
async fn a_server_error_is_a_localized_page_that_hides_the_cause() {
    use liaison::auth::Actor;
    use liaison::error::AppError;
    use liaison::i18n::Lang;
    use liaison::web::ReqCtx;
    for (lang, title, is_api) in [
        (Lang::Zh, "服务器出错", false),
        (Lang::En, "Server error", false),
        (Lang::En, "Server error", true),
    ] {
        let ctx = ReqCtx {
            lang,
            actor: Actor::Anonymous,
            csrf_token: "0".repeat(64),
            client_ip: "192.0.2.1".into(),
            path: if is_api { "/api/v1/x".into() } else { "/x".into() },
            query: String::new(),
            is_api,
            secure: false,
            bad_credentials: false,
            pending_approvals: 0,
            back: None,
        };
        let r = liaison::web::errors::render(
            &ctx,
            AppError::Internal("secret cause: db password".into()),
        );
        assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = http_body_util::BodyExt::collect(r.into_body()).await.unwrap().to_bytes();
        let body = String::from_utf8_lossy(&body);
        assert!(body.contains(title), "{body}");
        assert!(!body.contains("secret cause"));
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::new().await;
    let mut c = app.client();
    for path in ["/", "/login", "/nope", "/api/v1/me", "/healthz", "/static/app.css"] {
        let r = c.get(path).await;
        let csp = r.header("content-security-policy");
        assert!(
            csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{path}");
        assert_eq!(r.header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(r.header("referrer-policy"), "strict-origin-when-cross-origin", "{path}");
        assert!(!r.header("x-request-id").is_empty(), "{path}");
    }
    // No inline script or style on any page (the policy would block them).
    let home = c.get("/").await.text;
    assert!(
        !home.contains("<script>") && !home.contains(" style=\"") && !home.contains("onclick=")
    );
}

/// Dates far in the future or past, impossible or malformed, in every date
/// parameter of the pages and the API: always a clear 4xx, never a 500 (a
/// calendar for 9999-12-31 used to index past its end).
#[tokio::test]
async fn extreme_dates_are_refused_never_a_500() {
    let app = TestApp::new().await;
    let admin = app.token(Role::Admin).await;
    let rooms = app.client().get_json("/api/v1/rooms", &admin).await.json();
    let room = rooms["items"][0]["id"].as_str().unwrap().to_string();
    let mut staff = app.signed_in(Role::Staff).await;
    let mut boss = app.signed_in(Role::Admin).await;
    let days = [
        "9999-12-31",
        "0001-01-01",
        "-0001-01-01",
        "99999-01-01",
        "2026-02-30",
        "1899-12-31",
        "2200-01-01",
    ];
    for d in days {
        let pages = [
            format!("/venues/rooms/{room}?date={d}"),
            format!("/venues/rooms/{room}?view=day&date={d}"),
            format!("/venues/zones/conference_exhibition?view=week&date={d}"),
            format!("/venues/zones/conference_exhibition?date={d}"),
            format!("/venues?date={d}&from=09:00&to=10:00"),
            format!("/visits/figures?as_of={d}"),
            format!("/visits/figures?from={d}"),
        ];
        for p in &pages {
            let r = staff.get(p).await;
            assert!(r.status.is_client_error(), "{p}: {}", r.status);
        }
        let r = boss.get(&format!("/admin/audit?from={d}")).await;
        assert!(r.status.is_client_error(), "audit {d}: {}", r.status);
        let api = [
            format!("/api/v1/rooms/{room}/availability?from={d}"),
            format!("/api/v1/bookings?from={d}"),
            format!("/api/v1/visit-figures?as_of={d}"),
            format!("/api/v1/audit?from={d}"),
        ];
        for p in &api {
            let r = app.client().get_json(p, &admin).await;
            assert!(r.status.is_client_error(), "{p}: {} {}", r.status, r.text);
        }
        let at = format!("{d}T09:00:00+08:00");
        let end = format!("{d}T10:00:00+08:00");
        let booking = json!({"room_id": room, "starts_at": at, "ends_at": end, "title_zh": "会见", "title_en": "Meeting", "attendees": 2});
        let event = json!({"kind": "salon", "title_zh": "沙龙", "title_en": "Salon", "starts_at": at, "ends_at": end, "capacity": 5});
        for (path, body) in [("/api/v1/bookings", booking), ("/api/v1/events", event)] {
            let r =
                app.client().send_json(Method::POST, path, Some(&admin), &body.to_string()).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{path} {d}: {}", r.text);
        }
    }
    // The range is said where it bites, in the reader's language.
    let r = app
        .client()
        .send_json(
            Method::POST,
            "/api/v1/visits",
            Some(&admin),
            &json!({"organisation_name_en": "Far Future Society", "organisation_type": "ngo", "country": "FR",
                    "starts_on": "9999-12-31", "ends_on": "9999-12-31", "party_size": 3, "languages": ["fr"]})
            .to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("1900"), "{}", r.text);
}

/// Every number a form asks for says its bounds (min and max), so the
/// browser refuses what the rules would, before the round trip.
#[tokio::test]
async fn every_number_input_has_bounds() {
    let app = TestApp::new().await;
    let token = app.token(Role::Admin).await;
    let rooms = app.client().get_json("/api/v1/rooms", &token).await.json();
    let room = rooms["items"][0]["id"].as_str().unwrap().to_string();
    let body = serde_json::json!({"room_id": room, "starts_at": "2026-12-01T10:00:00+08:00",
        "ends_at": "2026-12-01T11:00:00+08:00", "title_en": "Bounds", "attendees": 2});
    let booking = app
        .client()
        .send_json(axum::http::Method::POST, "/api/v1/bookings", Some(&token), &body.to_string())
        .await
        .json();
    let visit = serde_json::json!({"organisation_name_en": "Bounds GmbH", "organisation_type": "foreign_enterprise",
        "country": "DE", "party_size": 2, "preferred_from": "2026-12-10", "preferred_to": "2026-12-10"});
    let visit = app
        .client()
        .send_json(axum::http::Method::POST, "/api/v1/visits", Some(&token), &visit.to_string())
        .await
        .json();
    let events = app.client().get("/api/v1/events").await.json();
    let mut pages = vec![
        "/venues".to_string(),
        "/bookings/new".to_string(),
        format!("/venues/rooms/{room}/edit"),
        "/venues/rooms/new".to_string(),
        format!("/bookings/{}", booking["id"].as_str().unwrap()),
        "/visits/new".to_string(),
        format!("/visits/{}", visit["id"].as_str().unwrap()),
        "/gifts".to_string(),
        "/events/new".to_string(),
        "/visit-request".to_string(),
    ];
    for e in events["items"].as_array().unwrap().iter().take(3) {
        pages.push(format!("/events/{}", e["id"].as_str().unwrap()));
        pages.push(format!("/events/{}/edit", e["id"].as_str().unwrap()));
    }
    let mut admin = app.signed_in(Role::Admin).await;
    let mut seen = 0;
    let mut unbounded = vec![];
    for page in &pages {
        let r = admin.get(page).await;
        if r.status != axum::http::StatusCode::OK {
            continue;
        }
        for input in r.text.split("<input").skip(1) {
            let tag = &input[..input.find('>').unwrap_or(input.len())];
            if tag.contains("type=\"number\"") {
                seen += 1;
                if !tag.contains(" min=\"") || !tag.contains(" max=\"") {
                    unbounded.push(format!("{page}: <input{tag}>"));
                }
            }
        }
    }
    assert!(seen >= 10, "only {seen} number inputs seen");
    assert!(unbounded.is_empty(), "{unbounded:#?}");
}
