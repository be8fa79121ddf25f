//! Delegation visits over the JSON API: public requests, the lifecycle,
//! members and their sealed passports, the itinerary in rooms, interpreters
//! (never double-booked, even in parallel), protocol, outcomes and figures.

use axum::http::{Method, StatusCode};
use liaison::auth::Role;
use serde_json::{Value, json};

use crate::helpers::TestApp;

async fn app_with_key() -> TestApp {
    let key = liaison::sealed::DataKey::generate_base64();
    let app =
        TestApp::with_config(|c| c.data_key = liaison::sealed::DataKey::from_base64(&key)).await;
    liaison::demo::load(&app.state).await.unwrap();
    app
}

fn request_body() -> Value {
    json!({
        "organisation_name": "Consulate General of Italy in Chongqing",
        "organisation_type": "embassy_consulate", "country": "IT",
        "purpose": "Learn about biomedical cooperation", "preferred_from": "2026-12-14",
        "preferred_to": "2026-12-16", "party_size": 5, "languages": ["it", "en"],
        "contact_name": "Giulia Rossi", "contact_email": "g.rossi@example.it", "consent": true
    })
}

async fn new_visit(app: &TestApp, token: &str) -> String {
    let r = app
        .client()
        .send_json(
            Method::POST,
            "/api/v1/visits",
            Some(token),
            &json!({"organisation_name_en": "Consulate General of France in Chengdu",
                    "organisation_name_zh": "法国驻成都总领事馆", "organisation_type": "embassy_consulate",
                    "country": "FR", "party_size": 6, "languages": ["fr"],
                    "preferred_from": "2026-12-01", "preferred_to": "2026-12-02"})
            .to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json()["id"].as_str().unwrap().to_string()
}

async fn move_to(
    app: &TestApp,
    token: &str,
    id: &str,
    to: &str,
    reason: &str,
) -> crate::helpers::Resp {
    app.client()
        .send_json(
            Method::POST,
            &format!("/api/v1/visits/{id}/transition"),
            Some(token),
            &json!({"to": to, "reason": reason}).to_string(),
        )
        .await
}

async fn room(app: &TestApp, token: &str, name_en: &str) -> String {
    let rooms = app.client().get_json("/api/v1/rooms", token).await.json();
    rooms["items"].as_array().unwrap().iter().find(|r| r["name_en"] == name_en).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn add_item(
    app: &TestApp,
    token: &str,
    visit: &str,
    room_id: Option<&str>,
    start: &str,
    end: &str,
) -> crate::helpers::Resp {
    app.client()
        .send_json(
            Method::POST,
            &format!("/api/v1/visits/{visit}/itinerary-items"),
            Some(token),
            &json!({"kind": "talks", "title_zh": "会谈", "title_en": "Talks", "starts_at": start,
                    "ends_at": end, "room_id": room_id, "status": "confirmed"})
            .to_string(),
        )
        .await
}

#[tokio::test]
async fn the_public_asks_for_a_visit_without_logging_in() {
    let app = TestApp::new().await;
    let mut c = app.client();
    let r = c
        .send_json(Method::POST, "/api/v1/visit-requests", None, &request_body().to_string())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let body = r.json();
    assert_eq!(body["status"], "request_received");
    assert!(r.header("location").ends_with(body["id"].as_str().unwrap()));
    let token = app.token(Role::Staff).await;
    let v = c
        .get_json(&format!("/api/v1/visits/{}", body["id"].as_str().unwrap()), &token)
        .await
        .json();
    assert_eq!(v["country_name_en"], "Italy");
    assert_eq!(v["source"], "public");
    assert_eq!(v["languages"], json!(["it", "en"]));
    assert_eq!(v["retention_until"], "2027-12-16");
    assert_eq!(v["history"][0]["to"], "request_received");
    // The admin and the staff member are told, in the app (and by e-mail).
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM notification WHERE kind = $1", "visit_request").await,
        2
    );

    // Without consent, with a made-up country and type: 422 naming each field.
    let mut bad = request_body();
    bad["consent"] = json!(false);
    bad["country"] = json!("XX");
    bad["organisation_type"] = json!("consulate");
    bad["languages"] = json!(["english please"]);
    let r = c
        .with_header("accept-language", "zh-CN")
        .send_json(Method::POST, "/api/v1/visit-requests", None, &bad.to_string())
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let fields: Vec<String> = r.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    for f in ["consent", "country", "organisation_type", "languages"] {
        assert!(fields.contains(&f.to_string()), "{f} in {fields:?}");
    }
    assert!(r.text.contains("隐私告知"), "message in the caller's language: {}", r.text);
}

#[tokio::test]
async fn visit_requests_are_rate_limited_per_address() {
    let app = TestApp::new().await;
    let mut c = app.client();
    for _ in 0..10 {
        let r = c
            .send_json(Method::POST, "/api/v1/visit-requests", None, &request_body().to_string())
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
    }
    let r = c
        .send_json(Method::POST, "/api/v1/visit-requests", None, &request_body().to_string())
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.header("retry-after").parse::<i64>().unwrap() > 0);
    // The same organisation was found again, not duplicated.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM organisation WHERE name_key = $1",
            "consulate general of italy in chongqing"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn the_lifecycle_refuses_illegal_moves_and_keeps_reasons() {
    let app = TestApp::new().await;
    let token = app.token(Role::Staff).await;
    let id = new_visit(&app, &token).await;
    let r = move_to(&app, &token, &id, "completed", "").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.header("content-type").starts_with("application/problem+json"));
    assert_eq!(r.json()["from"], "request_received");
    assert!(r.json()["allowed"].as_array().unwrap().contains(&json!("approved")));

    assert_eq!(move_to(&app, &token, &id, "under_review", "").await.status, StatusCode::OK);
    let r = move_to(&app, &token, &id, "declined", " ").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"][0]["field"], "reason");
    let r = move_to(&app, &token, &id, "postponed", "Hosts unavailable that week").await;
    assert_eq!(r.json()["status"], "postponed");
    assert_eq!(r.json()["status_reason"], "Hosts unavailable that week");
    assert_eq!(move_to(&app, &token, &id, "planning", "").await.json()["status"], "planning");
    assert_eq!(
        move_to(&app, &token, &id, "cancelled", "Delegation cancelled its trip").await.status,
        StatusCode::OK
    );
    // Final: nothing follows cancelled.
    assert_eq!(move_to(&app, &token, &id, "planning", "").await.status, StatusCode::CONFLICT);
    let v = app.client().get_json(&format!("/api/v1/visits/{id}"), &token).await.json();
    let history: Vec<&str> =
        v["history"].as_array().unwrap().iter().map(|h| h["to"].as_str().unwrap()).collect();
    assert_eq!(history, ["request_received", "under_review", "postponed", "planning", "cancelled"]);
    assert_eq!(v["history"][4]["reason"], "Delegation cancelled its trip");
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM audit_log WHERE entity_id = $1 AND action = 'transition'",
            &id
        )
        .await,
        4
    );
    // Enterprise users and the public may not touch visits.
    let ent = app.token(Role::Enterprise).await;
    assert_eq!(move_to(&app, &ent, &id, "planning", "").await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.client().get("/api/v1/visits").await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn passports_are_sealed_masked_and_purged() {
    let app = app_with_key().await;
    let token = app.token(Role::Staff).await;
    let id = new_visit(&app, &token).await;
    let r = app
        .client()
        .send_json(
            Method::POST,
            &format!("/api/v1/visits/{id}/members"),
            Some(&token),
            &json!({"surname": "Dupont", "given_name": "Marie-Claire", "name_zh": "杜玛丽", "gender": "f",
                    "title_en": "Consul General", "languages": ["fr", "en"], "dietary": "vegetarian",
                    "is_head": true, "passport_number": "19AB 12345"})
            .to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json()["passport_masked"], "•••••2345");
    let members = app.client().get_json(&format!("/api/v1/visits/{id}/members"), &token).await;
    assert!(!members.text.contains("19AB12345"), "never the whole number: {}", members.text);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM visit_member WHERE passport_enc LIKE '%' || $1 || '%'",
            "12345"
        )
        .await,
        0
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM audit_log WHERE summary LIKE '%' || $1 || '%'",
            "12345"
        )
        .await,
        0
    );

    let r = app
        .client()
        .send_json(
            Method::POST,
            &format!("/api/v1/visits/{id}/members"),
            Some(&token),
            &json!({"surname": "王", "passport_number": "1"}).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.json();
    let fields: Vec<&str> =
        body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["surname", "passport"]);

    // The retention date (a year after the visit) passes: the purge removes
    // passport, contacts and dietary notes, keeps names.
    app.clock.advance_secs(372 * 86_400);
    let purged = liaison::domains::visits::visit::service::purge_expired(
        &app.state,
        &liaison::audit::Who::cli(),
    )
    .await
    .unwrap();
    assert!(purged >= 1);
    let m = &app.client().get_json(&format!("/api/v1/visits/{id}/members"), &token).await.json()["items"]
        [0];
    assert_eq!(m["passport_masked"], "");
    assert_eq!(m["dietary"], "");
    assert_eq!(m["surname"], "Dupont");
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM audit_log WHERE entity_id = $1 AND action = 'purge'",
            &id
        )
        .await,
        1
    );
}

#[tokio::test]
async fn passports_are_refused_without_a_data_key() {
    let app = TestApp::new().await;
    let token = app.token(Role::Staff).await;
    let id = new_visit(&app, &token).await;
    let r = app
        .client()
        .send_json(
            Method::POST,
            &format!("/api/v1/visits/{id}/members"),
            Some(&token),
            &json!({"surname": "Dupont", "passport_number": "19AB12345"}).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("LIAISON_DATA_KEY"), "{}", r.text);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM visit_member WHERE visit_id = $1", &id).await,
        0
    );
}

#[tokio::test]
async fn itinerary_items_book_rooms_and_surface_conflicts() {
    let app = TestApp::new().await;
    let token = app.token(Role::Staff).await;
    let id = new_visit(&app, &token).await;
    let room_a = room(&app, &token, "Negotiation Room A").await;
    let r = add_item(
        &app,
        &token,
        &id,
        Some(&room_a),
        "2026-12-01T10:00:00+08:00",
        "2026-12-01T11:00:00+08:00",
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let booking = r.json()["booking_id"].as_str().unwrap().to_string();
    let b = app.client().get_json(&format!("/api/v1/bookings/{booking}"), &token).await.json();
    assert_eq!(b["room_id"], room_a.as_str());
    assert_eq!(b["purpose"], "visit");

    // Another visit wants the same room at an overlapping time: the venues 409.
    let other = new_visit(&app, &token).await;
    let r = add_item(
        &app,
        &token,
        &other,
        Some(&room_a),
        "2026-12-01T10:30:00+08:00",
        "2026-12-01T11:30:00+08:00",
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(r.json()["conflicts"][0]["booking_id"], booking.as_str());
    assert!(!r.json()["alternatives"].as_array().unwrap().is_empty());
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM itinerary_item WHERE visit_id = $1", &other).await,
        0
    );

    // Cancelling the item frees the room.
    let item =
        app.client().get_json(&format!("/api/v1/visits/{id}/itinerary-items"), &token).await.json()
            ["items"][0]["id"]
            .as_str()
            .unwrap()
            .to_string();
    let r = app
        .client()
        .send_json(
            Method::POST,
            &format!("/api/v1/itinerary-items/{item}/transition"),
            Some(&token),
            r#"{"to":"cancelled"}"#,
        )
        .await;
    assert_eq!(r.json()["status"], "cancelled");
    let r = add_item(
        &app,
        &token,
        &other,
        Some(&room_a),
        "2026-12-01T10:30:00+08:00",
        "2026-12-01T11:30:00+08:00",
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);

    // A room too small for the delegation: the venues rule, on `attendees`.
    let small = room(&app, &token, "Government Services Meeting Room").await;
    let r = add_item(
        &app,
        &token,
        &id,
        Some(&small),
        "2026-12-01T14:00:00+08:00",
        "2026-12-01T15:00:00+08:00",
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(r.json()["errors"][0]["field"], "attendees");
    // Nonsense: unknown kind, end before start.
    let r = app
        .client()
        .send_json(Method::POST, &format!("/api/v1/visits/{id}/itinerary-items"), Some(&token),
            &json!({"kind": "party", "starts_at": "2026-12-01T12:00:00+08:00", "ends_at": "2026-12-01T11:00:00+08:00"}).to_string())
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn assign(
    app: &TestApp,
    token: &str,
    item: &str,
    interpreter: &str,
    language: &str,
) -> crate::helpers::Resp {
    app.client()
        .send_json(
            Method::POST,
            &format!("/api/v1/itinerary-items/{item}/interpreters"),
            Some(token),
            &json!({"interpreter_id": interpreter, "language": language}).to_string(),
        )
        .await
}

async fn interpreter_id(app: &TestApp, token: &str, email: &str) -> String {
    let list = app.client().get_json("/api/v1/interpreters", token).await.json();
    list["items"].as_array().unwrap().iter().find(|i| i["email"] == email).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn interpreters_are_suggested_by_level_and_never_double_booked() {
    let app = TestApp::new().await;
    let token = app.token(Role::Staff).await;
    let list = app.client().get_json("/api/v1/interpreters?languages=fr", &token).await.json();
    assert_eq!(list["items"].as_array().unwrap().len(), 2, "{list}");
    let id = new_visit(&app, &token).await;
    let item =
        add_item(&app, &token, &id, None, "2026-12-01T09:00:00+08:00", "2026-12-01T10:00:00+08:00")
            .await
            .json()["id"]
            .as_str()
            .unwrap()
            .to_string();
    let s = app
        .client()
        .get_json(
            &format!("/api/v1/itinerary-items/{item}/interpreter-suggestions?language=fr"),
            &token,
        )
        .await
        .json();
    let names: Vec<&str> =
        s["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["方舒 Fang Shu", "陈译 Chen Yi (interpreter)"], "senior first");

    let fang = interpreter_id(&app, &token, "fang.shu@demo.liaison.local").await;
    let r = assign(&app, &token, &item, &fang, "fr").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json()["status"], "offered");
    // Now Fang Shu is busy then: the suggestion moves on.
    let s = app
        .client()
        .get_json(
            &format!("/api/v1/itinerary-items/{item}/interpreter-suggestions?language=fr"),
            &token,
        )
        .await
        .json();
    assert_eq!(s["items"].as_array().unwrap().len(), 1);
    // An overlapping item of another visit cannot have her.
    let other = new_visit(&app, &token).await;
    let item2 = add_item(
        &app,
        &token,
        &other,
        None,
        "2026-12-01T09:30:00+08:00",
        "2026-12-01T10:30:00+08:00",
    )
    .await
    .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = assign(&app, &token, &item2, &fang, "fr").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(r.json()["conflicts"][0]["kind"], "assignment");
    // Not qualified for Russian; not a tag at all.
    assert_eq!(
        assign(&app, &token, &item2, &fang, "ru").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        assign(&app, &token, &item2, &fang, "French!").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // Chen Yi is away that morning.
    let chen = interpreter_id(&app, &token, "interpreter@demo.liaison.local").await;
    let r = app.client().send_json(Method::POST, &format!("/api/v1/interpreters/{chen}/unavailability"), Some(&token),
        r#"{"starts_at":"2026-12-01T08:00:00+08:00","ends_at":"2026-12-01T12:00:00+08:00","reason":"training"}"#).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let r = assign(&app, &token, &item2, &chen, "fr").await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json()["conflicts"][0]["kind"], "unavailable");
    let s = app
        .client()
        .get_json(
            &format!("/api/v1/itinerary-items/{item2}/interpreter-suggestions?language=fr"),
            &token,
        )
        .await
        .json();
    assert!(s["items"].as_array().unwrap().is_empty(), "{s}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_assignments_of_one_interpreter_never_overlap() {
    let app = TestApp::new().await;
    let token = app.token(Role::Staff).await;
    let de = interpreter_id(&app, &token, "gao.de@demo.liaison.local").await;
    // 24 items of different visits, all overlapping 14:00–15:00.
    let mut items = vec![];
    for i in 0..24 {
        let v = new_visit(&app, &token).await;
        let start = format!("2026-12-03T14:{:02}:00+08:00", i % 30);
        let end = format!("2026-12-03T15:{:02}:00+08:00", i % 30);
        items.push(
            add_item(&app, &token, &v, None, &start, &end).await.json()["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    let mut tasks = vec![];
    for item in items {
        let router = app.router.clone();
        let token = token.clone();
        let body = json!({"interpreter_id": de, "language": "de"}).to_string();
        tasks.push(tokio::spawn(async move {
            use tower::ServiceExt;
            let req = axum::http::Request::builder()
                .method(Method::POST)
                .uri(format!("/api/v1/itinerary-items/{item}/interpreters"))
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from(body))
                .unwrap();
            router.oneshot(req).await.unwrap().status()
        }));
    }
    let mut created = 0;
    for t in tasks {
        match t.await.unwrap() {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(created, 1);
    let overlapping = app
        .count(
            "SELECT COUNT(*) AS n FROM interpreter_assignment a JOIN interpreter_assignment b
             ON a.interpreter_id = b.interpreter_id AND a.id < b.id AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
             AND a.status IN ('offered','accepted') AND b.status IN ('offered','accepted') WHERE a.interpreter_id = $1",
            &de,
        )
        .await;
    assert_eq!(overlapping, 0);
}

#[tokio::test]
async fn interpreters_accept_or_decline_their_own_assignments() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let me = app.token(Role::Interpreter).await;
    let id = new_visit(&app, &staff).await;
    let item =
        add_item(&app, &staff, &id, None, "2026-12-02T09:00:00+08:00", "2026-12-02T10:00:00+08:00")
            .await
            .json()["id"]
            .as_str()
            .unwrap()
            .to_string();
    let chen = interpreter_id(&app, &staff, "interpreter@demo.liaison.local").await;
    let a = assign(&app, &staff, &item, &chen, "en").await.json();
    let aid = a["id"].as_str().unwrap();
    let mine = app.client().get_json("/api/v1/assignments/mine", &me).await.json();
    assert_eq!(mine["items"][0]["id"], aid);
    // Staff cannot accept for the interpreter; declining needs a reason.
    let r = app
        .client()
        .send_json(Method::POST, &format!("/api/v1/assignments/{aid}/accept"), Some(&staff), "{}")
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .client()
        .send_json(Method::POST, &format!("/api/v1/assignments/{aid}/decline"), Some(&me), "{}")
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .client()
        .send_json(
            Method::POST,
            &format!("/api/v1/assignments/{aid}/decline"),
            Some(&me),
            r#"{"reason":"Medical appointment"}"#,
        )
        .await;
    assert_eq!(r.json()["status"], "declined");
    // The one who offered it is told, with the reason.
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM notification WHERE kind = $1", "assignment_declined")
            .await,
        1
    );
    let r = app
        .client()
        .send_json(Method::POST, &format!("/api/v1/assignments/{aid}/accept"), Some(&me), "{}")
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn lists_filter_and_figures_are_quoted_as_of_a_date() {
    let app = TestApp::new().await;
    let token = app.token(Role::Staff).await;
    let mut c = app.client();
    let f =
        c.get_json("/api/v1/visit-figures?from=2018-01-01&as_of=2026-11-27", &token).await.json();
    assert_eq!(f["total_groups"], 34, "{f}");
    assert_eq!(f["quoted_groups"], 30);
    assert_eq!(f["quoted_is_lower_bound"], true);
    let sum: i64 =
        f["by_type"].as_array().unwrap().iter().map(|t| t["groups"].as_i64().unwrap()).sum();
    assert_eq!(sum, 34);
    assert_eq!(f["by_type"].as_array().unwrap().len(), 8, "every type listed");
    // Earlier "as of" date, fewer visits.
    let f2 = c.get_json("/api/v1/visit-figures?as_of=2020-12-31", &token).await.json();
    assert!(f2["total_groups"].as_i64().unwrap() < 34);
    assert_eq!(
        c.get_json("/api/v1/visit-figures?as_of=yesterday", &token).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    let l = c.get_json("/api/v1/visits?type=embassy_consulate&year=2018", &token).await.json();
    let items = l["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|v| v["organisation_type"] == "embassy_consulate"
        && v["starts_on"].as_str().unwrap().starts_with("2018")));
    // Status and country together; an unknown year is simply "any".
    let l = c.get_json("/api/v1/visits?status=planning&country=hk", &token).await.json();
    let items = l["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{l}");
    assert_eq!(items[0]["country_name_zh"], "中国香港");
    let l = c.get_json("/api/v1/visits?year=someday&limit=1", &token).await.json();
    assert_eq!(l["items"].as_array().unwrap().len(), 1);
    // Paging: a cursor walks the whole list without repeats.
    let mut seen = std::collections::HashSet::new();
    let mut cursor = String::new();
    loop {
        let page =
            c.get_json(&format!("/api/v1/visits?limit=7&cursor={cursor}"), &token).await.json();
        for v in page["items"].as_array().unwrap() {
            assert!(seen.insert(v["id"].as_str().unwrap().to_string()));
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = next.to_string(),
            None => break,
        }
    }
    assert_eq!(seen.len(), 36);
}

#[tokio::test]
async fn gifts_warn_on_a_repeat_and_outcomes_follow_their_lifecycle() {
    let app = TestApp::new().await;
    let token = app.token(Role::Staff).await;
    let mut c = app.client();
    let visit = new_visit(&app, &token).await;
    let g = c
        .send_json(
            Method::POST,
            "/api/v1/gifts",
            Some(&token),
            r#"{"name_zh":"蜀绣","name_en":"Shu embroidery","unit_value":80000}"#,
        )
        .await;
    assert_eq!(g.status, StatusCode::CREATED, "{}", g.text);
    let gift = g.json()["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/gifts/{gift}/movements");
    assert_eq!(
        c.send_json(Method::POST, &path, Some(&token), r#"{"quantity":-1}"#).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        c.send_json(Method::POST, &path, Some(&token), r#"{"quantity":3}"#).await.status,
        StatusCode::CREATED
    );
    let give =
        json!({"quantity": -1, "visit_id": visit, "recipient": "Consul General"}).to_string();
    assert_eq!(
        c.send_json(Method::POST, &path, Some(&token), &give).await.status,
        StatusCode::CREATED
    );
    // The same organisation (another visit of it) again: warned.
    let again = new_visit(&app, &token).await;
    let give2 = json!({"quantity": -1, "visit_id": again}).to_string();
    let r = c.send_json(Method::POST, &path, Some(&token), &give2).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(r.json()["conflicts"][0]["visit_id"], visit.as_str());
    let confirmed = json!({"quantity": -1, "visit_id": again, "confirm_repeat": true}).to_string();
    assert_eq!(
        c.send_json(Method::POST, &path, Some(&token), &confirmed).await.status,
        StatusCode::CREATED
    );
    // Stock never below zero.
    let r = c
        .send_json(
            Method::POST,
            &path,
            Some(&token),
            &json!({"quantity": -5, "visit_id": again, "confirm_repeat": true}).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let gifts = c.get_json("/api/v1/gifts", &token).await.json();
    let ours =
        gifts["items"].as_array().unwrap().iter().find(|g| g["id"] == gift.as_str()).unwrap();
    assert_eq!(ours["stock"], 1);

    let o = c
        .send_json(Method::POST, &format!("/api/v1/visits/{visit}/outcomes"), Some(&token),
            r#"{"kind":"mou","title_zh":"医疗器械合作备忘录","title_en":"MOU on medical devices","next_action":"Send draft","next_action_on":"2026-11-20"}"#)
        .await;
    assert_eq!(o.status, StatusCode::CREATED, "{}", o.text);
    let oid = o.json()["id"].as_str().unwrap().to_string();
    let due = c.get_json("/api/v1/outcomes?due=true", &token).await.json();
    assert_eq!(due["items"][0]["id"], oid.as_str());
    let patch = |to: &str| json!({"status": to}).to_string();
    let path = format!("/api/v1/outcomes/{oid}");
    assert_eq!(
        c.send_json(Method::PATCH, &path, Some(&token), &patch("realised")).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        c.send_json(Method::PATCH, &path, Some(&token), &patch("signed")).await.json()["status"],
        "signed"
    );
    assert_eq!(
        c.send_json(Method::PATCH, &path, Some(&token), &patch("realised")).await.json()["status"],
        "realised"
    );
    // The organisation's timeline holds its visits, outcomes and gifts.
    let org =
        c.get_json(&format!("/api/v1/visits/{visit}"), &token).await.json()["organisation_id"]
            .as_str()
            .unwrap()
            .to_string();
    let t = c.get_json(&format!("/api/v1/organisations/{org}"), &token).await.json();
    assert!(t["visits"].as_array().unwrap().len() >= 3, "demo visit + two new");
    assert_eq!(t["outcomes"].as_array().unwrap().len(), 1);
    assert_eq!(t["gifts_received"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn organisations_are_corrected_and_their_visits_follow() {
    let app = TestApp::new().await;
    let token = app.token(Role::Staff).await;
    let mut c = app.client();
    let id = new_visit(&app, &token).await;
    let org = c.get_json(&format!("/api/v1/visits/{id}"), &token).await.json()["organisation_id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/api/v1/organisations/{org}");
    let bad = json!({"name_en": "", "name_zh": "", "organisation_type": "nope", "country": "ZZ"});
    let r = c.send_json(Method::PUT, &path, Some(&token), &bad.to_string()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"].as_array().unwrap().len(), 3);
    // Another organisation's name is taken.
    let taken = json!({"name_en": "British Chamber of Commerce in China", "organisation_type": "embassy_consulate", "country": "FR"});
    let r = c.send_json(Method::PUT, &path, Some(&token), &taken.to_string()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let good = json!({"name_zh": "法国驻成都总领事馆", "name_en": "Consulate General of France in Chengdu",
                      "organisation_type": "international_org", "country": "FR", "contact_email": "protocol@example.fr"});
    let r = c.send_json(Method::PUT, &path, Some(&token), &good.to_string()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let v = c.get_json(&format!("/api/v1/visits/{id}"), &token).await.json();
    assert_eq!(v["organisation_type"], "international_org");
}

#[tokio::test]
async fn owners_are_reminded_once_of_outcomes_due() {
    let app = TestApp::new().await;
    let token = app.token(Role::Staff).await;
    let visit = new_visit(&app, &token).await;
    let r = app
        .client()
        .send_json(Method::POST, &format!("/api/v1/visits/{visit}/outcomes"), Some(&token),
            r#"{"kind":"letter_of_intent","title_en":"LOI","next_action":"Call back","next_action_on":"2026-11-27"}"#)
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let remind = || liaison::domains::visits::outcome::service::remind_followups(&app.state);
    assert_eq!(remind().await.unwrap(), 1);
    assert_eq!(remind().await.unwrap(), 0, "once per follow-up date");
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM notification WHERE kind = $1", "outcome_followup")
            .await,
        1
    );
}
