//! The JSON API skeleton: health, the OpenAPI document, me, zones, users.

use axum::http::{Method, StatusCode};
use liaison::auth::Role;
use serde_json::json;

use crate::helpers::{TestApp, backend_name, email_of};

#[tokio::test]
async fn healthz_names_the_backend() {
    let app = TestApp::empty().await;
    let r = app.client().get("/healthz").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json(), serde_json::json!({"status": "ok", "database": backend_name()}));
}

#[tokio::test]
async fn the_openapi_document_names_the_main_operations() {
    let app = TestApp::empty().await;
    let doc = app.client().get("/api/v1/openapi.json").await.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/healthz", "get"),
        ("/api/v1/me", "get"),
        ("/api/v1/zones", "get"),
        ("/api/v1/zones/{id}", "patch"),
        ("/api/v1/users", "get"),
        ("/api/v1/users", "post"),
        ("/api/v1/users/{id}", "get"),
        ("/api/v1/audit", "get"),
        ("/api/v1/rooms", "get"),
        ("/api/v1/rooms", "post"),
        ("/api/v1/rooms/{id}", "put"),
        ("/api/v1/rooms/{id}/availability", "get"),
        ("/api/v1/bookings", "post"),
        ("/api/v1/bookings/{id}", "patch"),
        ("/api/v1/bookings/{id}/cancel", "post"),
        ("/api/v1/bookings/{id}/approve", "post"),
        ("/api/v1/bookings/{id}/reject", "post"),
    ] {
        assert!(paths.get(path).and_then(|p| p.get(method)).is_some(), "{method} {path} missing");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

#[tokio::test]
async fn me_and_zones_for_a_bearer_token() {
    let app = TestApp::new().await;
    let token = app.token(Role::Staff).await;
    let mut c = app.client();
    let me = c.get_json("/api/v1/me", &token).await.json();
    assert_eq!(me["email"], email_of(Role::Staff));
    assert_eq!(me["role"], "staff");
    let center = me["center_id"].as_str().unwrap().to_string();
    let zones = c.get_json("/api/v1/zones", &token).await.json();
    let items = zones["items"].as_array().unwrap();
    assert_eq!(items.len(), 6);
    assert!(items.iter().all(|z| z["center_id"] == center.as_str()));
    let codes: Vec<&str> = items.iter().map(|z| z["code"].as_str().unwrap()).collect();
    assert_eq!(
        codes,
        [
            "city_promotion",
            "conference_exhibition",
            "trade_negotiation",
            "government_services",
            "import_export",
            "science_popularization"
        ]
    );
    assert_eq!(items[4]["name_zh"], "进出口服务");
    assert_eq!(items[4]["name_en"], "Import-export services");
    assert!(zones["next_cursor"].is_null());
}

#[tokio::test]
async fn oversight_sees_the_centers_it_oversees() {
    let app = TestApp::new().await;
    let token = app.token(Role::Oversight).await;
    let mut c = app.client();
    let me = c.get_json("/api/v1/me", &token).await.json();
    assert!(me["center_id"].is_null());
    assert_eq!(me["centers"].as_array().unwrap().len(), 1);
    assert_eq!(
        c.get_json("/api/v1/zones", &token).await.json()["items"].as_array().unwrap().len(),
        6
    );
}

#[tokio::test]
async fn no_or_bad_credentials_are_401_problems() {
    let app = TestApp::new().await;
    let mut c = app.client();
    let r = c.get("/api/v1/me").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["type"], "/problems/unauthorized");
    let r = c.get_json("/api/v1/me", "lsn_not-a-token").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // A session cookie works for the API too (the browser's own calls).
    let mut s = app.signed_in(Role::Enterprise).await;
    assert_eq!(s.get("/api/v1/me").await.json()["role"], "enterprise");
}

#[tokio::test]
async fn admins_create_users_over_the_api() {
    let app = TestApp::new().await;
    let token = app.token(Role::Admin).await;
    let mut c = app.client();
    let r = c
        .send_json(Method::POST, "/api/v1/users", Some(&token), r#"{"email":"api@example.org","display_name":"API User","role":"enterprise","password":"long enough pw"}"#)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let body = r.json();
    assert_eq!(r.header("location"), format!("/api/v1/users/{}", body["id"].as_str().unwrap()));
    assert_eq!(body["role"], "enterprise");
    assert!(body["created_at"].as_str().unwrap().ends_with("+08:00"));
    let shown = c.get_json(&r.header("location"), &token).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(shown.json()["email"], "api@example.org");
    let list = c.get_json("/api/v1/users", &token).await.json();
    // The ten demo accounts of the center (oversight belongs to none) and the new one.
    assert_eq!(list["items"].as_array().unwrap().len(), 11);

    let dup = c
        .send_json(Method::POST, "/api/v1/users", Some(&token), r#"{"email":"API@example.org","display_name":"Again","role":"staff","password":"long enough pw"}"#)
        .await;
    assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(dup.json()["errors"][0]["field"], "email");

    let staff = app.token(Role::Staff).await;
    let r = c
        .send_json(Method::POST, "/api/v1/users", Some(&staff), r#"{"email":"x@example.org","display_name":"X","role":"admin","password":"long enough pw"}"#)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

/// The document is the contract: every parameter where it really is, every
/// error an operation can answer listed as a problem+json.
#[tokio::test]
async fn the_document_places_parameters_and_lists_every_error_status() {
    let app = TestApp::new().await;
    let doc = app.client().get("/api/v1/openapi.json").await.json();
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            operations += 1;
            for p in op["parameters"].as_array().into_iter().flatten() {
                let name = p["name"].as_str().unwrap();
                match p["in"].as_str().unwrap() {
                    "path" => assert!(
                        path.contains(&format!("{{{name}}}")),
                        "{method} {path}: {name} is not in the path"
                    ),
                    "query" => {}
                    other => panic!("{method} {path}: {name} in {other}"),
                }
            }
            let responses = op["responses"].as_object().unwrap();
            let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
            let mut expected = vec!["400", "401", "404", "422"];
            if secured {
                expected.push("403");
            }
            if method != "get" {
                expected.extend(["409", "429"]);
            }
            for code in expected {
                let r =
                    &responses.get(code).unwrap_or_else(|| panic!("{method} {path}: no {code}"));
                assert!(
                    r["content"]["application/problem+json"]["schema"].is_object(),
                    "{method} {path} {code}: {r}"
                );
            }
            for (code, r) in responses {
                if code.starts_with('4') {
                    assert!(
                        r["content"].get("application/json").is_none(),
                        "{method} {path} {code} says JSON, is problem+json"
                    );
                }
            }
        }
    }
    assert!(operations >= 70, "{operations}");
    // Creations link to the reads of what they made.
    let links = &doc["paths"]["/api/v1/bookings"]["post"]["responses"]["201"]["links"];
    let show = links.as_object().unwrap().values().find(|l| l["operationId"] == "bookings_show");
    assert_eq!(show.unwrap()["parameters"]["id"], "$response.body#/id", "{links}");
    let links =
        &doc["paths"]["/api/v1/events/{id}/registrations"]["post"]["responses"]["201"]["links"];
    assert!(
        links.as_object().unwrap().values().any(|l| l["operationId"] == "registration_show"),
        "{links}"
    );
    let links = &doc["paths"]["/api/v1/visits/{id}/members"]["post"]["responses"]["201"]["links"];
    let delete = links.as_object().unwrap().values().next().unwrap();
    assert_eq!(delete["parameters"]["id"], "$request.path.id");
    assert_eq!(delete["parameters"]["member_id"], "$response.body#/id");
}

/// Without credentials a protected operation is 401 whatever the body: the
/// body is not read (not 422, not 400).
#[tokio::test]
async fn anonymous_calls_of_protected_operations_are_401_before_validation() {
    let app = TestApp::new().await;
    for (method, path, body) in [
        (Method::POST, "/api/v1/bookings", "{\"nonsense\": true}"),
        (Method::POST, "/api/v1/bookings", "not json at all"),
        (Method::POST, "/api/v1/visits", "{}"),
        (Method::PUT, "/api/v1/rooms/no-such-room", "[1,2,3]"),
        (Method::POST, "/api/v1/events/x/capacity", "{\"capacity\": \"many\"}"),
        (Method::GET, "/api/v1/bookings?limit=0", ""),
    ] {
        let r = app.client().send_json(method.clone(), path, None, body).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{method} {path} {body}: {}", r.text);
        assert_eq!(r.header("content-type"), "application/problem+json");
    }
    // Public operations still read their input first.
    let r = app.client().send_json(Method::POST, "/api/v1/visit-requests", None, "{}").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// Lists that grow are paged by cursor: following the cursors two at a time
/// yields each item once, the same items as one large page.
#[tokio::test]
async fn growing_lists_follow_their_cursors() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let admin = app.token(Role::Admin).await;
    let interpreter = app.token(Role::Interpreter).await;
    let visit =
        app.client().get_json("/api/v1/visits?limit=1", &staff).await.json()["items"][0]["id"]
            .as_str()
            .unwrap()
            .to_string();
    for i in 0..3 {
        let body =
            json!({"kind": "mou", "title_en": format!("Memorandum {i}"), "title_zh": "备忘录"});
        let r = app
            .client()
            .send_json(
                Method::POST,
                &format!("/api/v1/visits/{visit}/outcomes"),
                Some(&staff),
                &body.to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    for i in 0..3 {
        let body = json!({"name_zh": format!("熊猫摆件 {i}"), "name_en": format!("Panda figure {i}"), "unit_value": 100});
        let r = app
            .client()
            .send_json(Method::POST, "/api/v1/gifts", Some(&staff), &body.to_string())
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let r = app.client().get_json("/api/v1/interpreters?languages=en,fr,de,ja", &staff).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "at most three languages");
    for (path, token) in [
        ("/api/v1/gifts", &staff),
        ("/api/v1/interpreters", &staff),
        ("/api/v1/interpreters?languages=en", &staff),
        ("/api/v1/organisations", &staff),
        ("/api/v1/outcomes", &staff),
        ("/api/v1/users", &admin),
        ("/api/v1/assignments/mine", &interpreter),
        ("/api/v1/visits", &staff),
    ] {
        let sep = if path.contains('?') { '&' } else { '?' };
        let whole = app.client().get_json(&format!("{path}{sep}limit=200"), token).await.json();
        let ids: Vec<String> = whole["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_string())
            .collect();
        let (sizes, items) = app.all_pages(&format!("{path}{sep}limit=2"), Some(token), 200).await;
        assert!(sizes.iter().all(|n| *n <= 2), "{path}: {sizes:?}");
        let seen: Vec<String> =
            items.iter().map(|i| i["id"].as_str().unwrap().to_string()).collect();
        let pages = sizes.len();
        assert_eq!(seen, ids, "{path}: the pages are the whole list, in order, once each");
        // (The demo interpreter has no assignments in range: that list is
        // checked for shape only.)
        assert!(
            (ids.len() >= 3 && pages >= 2)
                || path.contains("assignments")
                || path.contains("languages"),
            "{path}: {} items in {pages} pages",
            ids.len()
        );
        let r = app.client().get_json(&format!("{path}{sep}limit=0"), token).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
    }
}
