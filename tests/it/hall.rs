//! The exhibition hall over HTTP: public reservations (never over a slot's
//! capacity, whatever the concurrency), the rules (party caps, daily
//! allowance, GB 11643 ID numbers, no-show strikes and cooling-off), the
//! door (heads that came, walk-ins, once only), calendar changes that never
//! drop a reservation silently, and the figures (批 and 人次) as of any date.

use axum::http::{Method, StatusCode};
use liaison::auth::Role;
use serde_json::{Value, json};

use crate::helpers::TestApp;

/// The demo hall (Tuesday–Sunday 9–17, hour slots of 30) on the test clock
/// (Friday 2026-11-27 10:00, Chengdu). Tuesday 1 December is open.
const DAY: &str = "2026-12-01";

fn family(slot: &str, people: i64, phone: &str) -> Value {
    json!({"slot": slot, "kind": "individual", "people": people, "contact_name": "王芳",
           "phone": phone, "consent": true})
}

async fn reserve(app: &TestApp, ip: &str, body: &Value) -> crate::helpers::Resp {
    let mut c = app.client();
    c.ip = ip.into();
    c.send_json(Method::POST, "/api/v1/hall/reservations", None, &body.to_string()).await
}

async fn free(app: &TestApp, slot: &str) -> i64 {
    let day = &slot[..10];
    let r = app.client().get(&format!("/api/v1/hall/slots?from={day}&to={day}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json()["items"].as_array().unwrap().iter().find(|s| s["key"] == slot).expect("the slot")["free"]
        .as_i64()
        .unwrap()
}

/// Sets some rules on the demo hall (the rest as they are).
async fn set_rules(app: &TestApp, staff: &str, change: Value) {
    let mut cal = app.client().get("/api/v1/hall/calendar").await.json();
    for (k, v) in change.as_object().unwrap() {
        cal["rules"][k] = v.clone();
    }
    let body = json!({"name_zh": cal["name_zh"], "name_en": cal["name_en"], "rules": cal["rules"], "week": cal["week"]});
    let r = app
        .client()
        .send_json(Method::PUT, "/api/v1/hall/calendar", Some(staff), &body.to_string())
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
}

#[tokio::test]
async fn a_family_books_without_an_account_changes_and_cancels() {
    let app = TestApp::new().await;
    let slot = format!("{DAY}T10:00");
    assert_eq!(free(&app, &slot).await, 30);
    let r = reserve(&app, "198.51.100.1", &family(&slot, 3, "+86 138 0000 0001")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let made = r.json();
    let id = made["reservation"]["id"].as_str().unwrap().to_string();
    let secret = made["secret"].as_str().unwrap().to_string();
    assert_eq!(made["reservation"]["status"], "confirmed");
    assert_eq!(made["reservation"]["ticket_code"].as_str().unwrap().len(), 14);
    assert_eq!(free(&app, &slot).await, 27);
    // The secret opens it; nothing else does.
    let show = |q: String| {
        let app = &app;
        async move { app.client().get(&format!("/api/v1/hall/reservations/{q}")).await }
    };
    assert_eq!(show(format!("{id}?secret={secret}")).await.status, StatusCode::OK);
    assert_eq!(show(id.clone()).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(show(format!("{id}?secret=nope")).await.status, StatusCode::NOT_FOUND);
    let enterprise = app.token(Role::Enterprise).await;
    let r = app.client().get_json(&format!("/api/v1/hall/reservations/{id}"), &enterprise).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    // Fewer people gives places back; more is refused.
    let patch = |people: i64| {
        let (app, id, secret) = (&app, id.clone(), secret.clone());
        async move {
            app.client()
                .send_json(
                    Method::PATCH,
                    &format!("/api/v1/hall/reservations/{id}"),
                    None,
                    &json!({"secret": secret, "people": people}).to_string(),
                )
                .await
        }
    };
    let r = patch(2).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["people"], 2);
    assert_eq!(free(&app, &slot).await, 28);
    assert_eq!(patch(4).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .client()
        .send_json(
            Method::POST,
            &format!("/api/v1/hall/reservations/{id}/cancel"),
            None,
            &json!({"secret": secret}).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["status"], "cancelled");
    assert_eq!(free(&app, &slot).await, 30);
    // After the cut-off (2 hours before) the holder can no longer cancel.
    let r = reserve(&app, "198.51.100.1", &family(&format!("{DAY}T11:00"), 2, "+86 138 0000 0002"))
        .await;
    let (id2, secret2) = (
        r.json()["reservation"]["id"].as_str().unwrap().to_string(),
        r.json()["secret"].as_str().unwrap().to_string(),
    );
    app.clock.advance_secs((4 * 24 + 14) * 3600 - 30 * 60); // Tuesday 09:30
    let r = app
        .client()
        .with_header("accept-language", "en")
        .send_json(
            Method::POST,
            &format!("/api/v1/hall/reservations/{id2}/cancel"),
            None,
            &json!({"secret": secret2}).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.json()["detail"].as_str().unwrap().contains("2026-12-01 09:00"), "{}", r.text);
}

#[tokio::test]
async fn a_class_above_the_cap_is_refused_with_the_reason_in_each_language() {
    let app = TestApp::new().await;
    let class = json!({"slot": format!("{DAY}T10:00"), "kind": "group", "people": 40,
        "organisation": "温江区实验小学", "contact_name": "李老师", "phone": "13900000000", "consent": true});
    let mut c = app.client().with_header("accept-language", "en");
    let r = c.send_json(Method::POST, "/api/v1/hall/reservations", None, &class.to_string()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("at most 30 people"), "{}", r.text);
    let mut c = app.client().with_header("accept-language", "zh-CN");
    let r = c.send_json(Method::POST, "/api/v1/hall/reservations", None, &class.to_string()).await;
    assert!(r.text.contains("最多 30 人"), "{}", r.text);
    // Nonsense gets field errors, never a 500.
    for body in [
        json!({"slot": "2026-13-01T10:00", "kind": "individual", "people": 1, "contact_name": "x", "phone": "1380000", "consent": true}),
        json!({"slot": format!("{DAY}T10:30"), "kind": "individual", "people": 1, "contact_name": "x", "phone": "1380000", "consent": true}),
        json!({"slot": format!("{DAY}T10:00"), "kind": "robot", "people": 0, "contact_name": "", "phone": "call me", "consent": false}),
        json!({"slot": "2026-11-30T10:00", "kind": "individual", "people": 1, "contact_name": "Monday", "phone": "1380000", "consent": true}),
    ] {
        let r = reserve(&app, "198.51.100.2", &body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {}", r.text);
    }
    // A closed day (Monday) and a day beyond the horizon are not offered.
    let r = reserve(&app, "198.51.100.2", &family("2026-12-31T10:00", 1, "13800000009")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
}

#[tokio::test]
async fn real_name_booking_checks_gb_11643_and_seals_the_number() {
    let key = liaison::sealed::DataKey::generate_base64();
    let app =
        TestApp::with_config(|c| c.data_key = liaison::sealed::DataKey::from_base64(&key)).await;
    liaison::demo::load(&app.state).await.unwrap();
    let staff = app.token(Role::Staff).await;
    set_rules(&app, &staff, json!({"real_name": true})).await;
    let mut body = family(&format!("{DAY}T10:00"), 1, "13800000003");
    let r = reserve(&app, "198.51.100.3", &body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("id_number"), "{}", r.text);
    body["id_type"] = json!("resident_id");
    body["id_number"] = json!("110105194912310021");
    let r = app
        .client()
        .with_header("accept-language", "en")
        .send_json(Method::POST, "/api/v1/hall/reservations", None, &body.to_string())
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("check digit"), "{}", r.text);
    body["id_number"] = json!("11010519491231002x");
    let r = reserve(&app, "198.51.100.3", &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let res = &r.json()["reservation"];
    assert_eq!(res["id_masked"], "110***********002X");
    // Staff see it masked; in full only by asking, and that is audited.
    let mut page = app.signed_in(Role::Staff).await;
    let view = format!("/hall/reservations/{}", res["id"].as_str().unwrap());
    let shown = page.get(&view).await;
    assert!(
        shown.text.contains("110***********002X") && !shown.text.contains("11010519491231002X")
    );
    let full = page.post_form(&view, &format!("{view}/show-id"), &[]).await;
    assert_eq!(full.status, StatusCode::OK, "{}", full.text);
    assert!(full.text.contains("11010519491231002X"));
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_log WHERE action = $1", "id_seen").await,
        1
    );
    assert_eq!(res["origin"], "other_province", "a Beijing number is not local");
    let id = res["id"].as_str().unwrap();
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM hall_reservation WHERE id = $1 AND id_sealed LIKE '%19491231%'", id).await, 0);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM hall_reservation WHERE id = $1 AND id_sealed <> ''",
            id
        )
        .await,
        1
    );
    // The same document cannot pass the day's allowance under another phone.
    set_rules(&app, &staff, json!({"max_day_bookings": 1})).await;
    body["phone"] = json!("13800000004");
    body["slot"] = json!(format!("{DAY}T11:00"));
    let r = reserve(&app, "198.51.100.3", &body).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_reservations_never_overfill_a_slot() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    set_rules(&app, &staff, json!({"slot_capacity": 60})).await;
    let slot = format!("{DAY}T15:00");
    let mut tasks = vec![];
    for i in 0..200 {
        let router = app.router.clone();
        let body = family(&slot, 1 + i % 5, &format!("1380100{i:04}")).to_string();
        let staff = staff.clone();
        tasks.push(tokio::spawn(async move {
            use http_body_util::BodyExt;
            use tower::ServiceExt;
            let req = axum::http::Request::builder()
                .method(Method::POST)
                .uri("/api/v1/hall/reservations")
                .header("authorization", format!("Bearer {staff}"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from(body))
                .unwrap();
            let res = router.oneshot(req).await.unwrap();
            let status = res.status();
            let bytes = res.into_body().collect().await.unwrap().to_bytes();
            assert!(
                status == StatusCode::CREATED || status == StatusCode::CONFLICT,
                "{status}: {bytes:?}"
            );
            if status == StatusCode::CREATED {
                serde_json::from_slice::<Value>(&bytes).unwrap()["reservation"]["people"]
                    .as_i64()
                    .unwrap()
            } else {
                0
            }
        }));
    }
    let mut people = 0;
    for t in tasks {
        people += t.await.unwrap();
    }
    let slot_id = app.count("SELECT COUNT(*) AS n FROM hall_slot WHERE day = $1", DAY).await;
    assert_eq!(slot_id, 1);
    let booked = app
        .count("SELECT CAST(COALESCE(SUM(people), 0) AS BIGINT) AS n FROM hall_reservation WHERE day = $1 AND status = 'confirmed'", DAY)
        .await;
    assert_eq!(booked, people);
    assert!(people <= 60, "{people} people in a slot of 60");
    assert!(people >= 56, "places left unused: {people} of 60");
    assert_eq!(app.count("SELECT taken AS n FROM hall_slot WHERE day = $1", DAY).await, people);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_phone_never_passes_the_daily_allowance_in_parallel() {
    let app = TestApp::new().await;
    let mut tasks = vec![];
    for i in 0..10 {
        let router = app.router.clone();
        let body =
            family(&format!("{DAY}T{:02}:00", 9 + i % 8), 1, "+86 138 0000 7777").to_string();
        tasks.push(tokio::spawn(async move {
            use tower::ServiceExt;
            let mut req = axum::http::Request::builder()
                .method(Method::POST)
                .uri("/api/v1/hall/reservations")
                .header("content-type", "application/json")
                .body(axum::body::Body::from(body))
                .unwrap();
            let addr: std::net::SocketAddr =
                format!("198.51.100.{}:40000", 20 + i).parse().unwrap();
            req.extensions_mut().insert(axum::extract::ConnectInfo(addr));
            router.oneshot(req).await.unwrap().status()
        }));
    }
    let mut created = 0;
    for t in tasks {
        if t.await.unwrap() == StatusCode::CREATED {
            created += 1;
        }
    }
    assert_eq!(created, 2, "two reservations a day per phone");
}

#[tokio::test]
async fn no_shows_lead_to_a_cooling_off_that_says_until_when() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    set_rules(&app, &staff, json!({"strike_limit": 2, "cooloff_days": 30, "max_day_bookings": 1}))
        .await;
    let phone = "+86 138 0000 5555";
    for day in ["2026-11-28", "2026-11-29"] {
        let r = reserve(&app, "198.51.100.5", &family(&format!("{day}T10:00"), 2, phone)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    // Sunday 29th, noon: both arrival windows have closed.
    app.clock.advance_secs(2 * 24 * 3600 + 2 * 3600);
    let r = app
        .client()
        .with_header("accept-language", "en")
        .send_json(
            Method::POST,
            "/api/v1/hall/reservations",
            None,
            &family(&format!("{DAY}T10:00"), 1, "13800005555").to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.json()["detail"].as_str().unwrap().contains("until 2026-12-29"), "{}", r.text);
    // The job marks them (every five minutes in `serve`).
    let (marked, _) = liaison::domains::hall::reservation::service::housekeeping(
        &app.state,
        &liaison::audit::Who::cli(),
    )
    .await
    .unwrap();
    assert!(marked >= 2, "{marked}");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM hall_reservation WHERE contact_key = $1 AND status = 'no_show'", "13800005555").await, 2);
    // Another family is not held back.
    let r = reserve(&app, "198.51.100.6", &family(&format!("{DAY}T10:00"), 1, "13800006666")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
}

async fn admit(app: &TestApp, token: &str, body: Value) -> crate::helpers::Resp {
    app.client()
        .send_json(Method::POST, "/api/v1/hall/admissions", Some(token), &body.to_string())
        .await
}

async fn totals(app: &TestApp, token: &str) -> (i64, i64, i64) {
    let f = app.client().get_json("/api/v1/hall/figures?from=2026-01-01", token).await.json();
    (
        f["total"]["groups"].as_i64().unwrap(),
        f["total"]["person_visits"].as_i64().unwrap(),
        f["total"]["walk_in_people"].as_i64().unwrap(),
    )
}

#[tokio::test]
async fn the_door_admits_the_heads_that_came_once_and_counts_them() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let r = reserve(&app, "198.51.100.7", &family(&format!("{DAY}T10:00"), 3, "13800000007")).await;
    let code = r.json()["reservation"]["ticket_code"].as_str().unwrap().to_string();
    let r = reserve(&app, "198.51.100.7", &family(&format!("{DAY}T10:00"), 2, "13800000008")).await;
    let code2 = r.json()["reservation"]["ticket_code"].as_str().unwrap().to_string();
    // Too early: a second look.
    let r = admit(&app, &staff, json!({"code": code})).await;
    assert_eq!(
        (r.status, r.json()["result"].as_str().unwrap(), r.json()["check"].as_str().unwrap()),
        (StatusCode::CONFLICT, "confirm", "early")
    );
    app.clock.advance_secs((3 * 24 + 23) * 3600 + 50 * 60); // Tuesday 09:50
    let before = totals(&app, &staff).await;
    let r = admit(&app, &staff, json!({"code": code.to_lowercase(), "heads": 2})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["admitted"], 2);
    let r = admit(&app, &staff, json!({"code": code})).await;
    assert_eq!((r.status, r.json()["result"].as_str().unwrap()), (StatusCode::CONFLICT, "already"));
    let after = totals(&app, &staff).await;
    assert_eq!((after.0 - before.0, after.1 - before.1), (1, 2), "one group, two person-visits");
    // More than booked waits for a confirmation, then takes places.
    let r = admit(&app, &staff, json!({"code": code2, "heads": 4})).await;
    assert_eq!(r.json()["check"], "more_than_booked", "{}", r.text);
    let r = admit(&app, &staff, json!({"code": code2, "heads": 4, "confirm": true})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // 30 − (2 + 4) admitted.
    assert_eq!(free(&app, &format!("{DAY}T10:00")).await, 24);
    // A walk-in party joins the slot running now (09:00–10:00 at 09:50).
    let r = admit(&app, &staff, json!({"heads": 5, "origin": "foreign"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json()["slot"], format!("{DAY}T09:00"));
    assert_eq!(free(&app, &format!("{DAY}T09:00")).await, 25);
    let end = totals(&app, &staff).await;
    assert_eq!(end.2 - after.2, 5);
    let f =
        app.client().get_json("/api/v1/hall/figures?from=2026-12-01&by=day", &staff).await.json();
    assert_eq!(f["origins"]["foreign"]["walk_in_people"], 5, "{f}");
    // Unknown codes, strangers and nonsense.
    assert_eq!(
        admit(&app, &staff, json!({"code": "0000-0000-0000"})).await.status,
        StatusCode::NOT_FOUND
    );
    let enterprise = app.token(Role::Enterprise).await;
    assert_eq!(admit(&app, &enterprise, json!({"code": code})).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        admit(&app, &staff, json!({"code": code2, "heads": 0})).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        admit(&app, &staff, json!({"heads": 100000})).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_ticket_is_admitted_once_however_many_doors_scan_it() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let r = reserve(&app, "198.51.100.8", &family(&format!("{DAY}T10:00"), 4, "13800000010")).await;
    let code = r.json()["reservation"]["ticket_code"].as_str().unwrap().to_string();
    app.clock.advance_secs((3 * 24 + 23) * 3600 + 55 * 60);
    let mut tasks = vec![];
    for i in 0..12 {
        let router = app.router.clone();
        let body =
            json!({"code": code, "heads": 1 + i % 4, "device": format!("door-{i}")}).to_string();
        let staff = staff.clone();
        tasks.push(tokio::spawn(async move {
            use tower::ServiceExt;
            let req = axum::http::Request::builder()
                .method(Method::POST)
                .uri("/api/v1/hall/admissions")
                .header("authorization", format!("Bearer {staff}"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from(body))
                .unwrap();
            router.oneshot(req).await.unwrap().status()
        }));
    }
    let mut ok = 0;
    for t in tasks {
        if t.await.unwrap() == StatusCode::OK {
            ok += 1;
        }
    }
    assert_eq!(ok, 1);
    let heads = app
        .count(
            "SELECT admitted AS n FROM hall_reservation WHERE ticket_code = $1",
            &code.replace('-', ""),
        )
        .await;
    // Places held match what came: 30 − heads.
    assert_eq!(free(&app, &format!("{DAY}T10:00")).await, 30 - heads);
}

#[tokio::test]
async fn a_new_calendar_lists_the_reservations_it_displaced_until_staff_move_them() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let r = reserve(
        &app,
        "198.51.100.9",
        &json!({"slot": format!("{DAY}T16:00"), "kind": "individual", "people": 2,
        "contact_name": "Anna", "email": "anna@example.org", "consent": true}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.json()["reservation"]["id"].as_str().unwrap().to_string();
    // Tuesdays now close at 16:00: the 16:00 slot is gone.
    let mut cal = app.client().get("/api/v1/hall/calendar").await.json();
    for d in cal["week"].as_array_mut().unwrap() {
        if d["weekday"] == 2 {
            d["closes"] = json!("16:00");
        }
    }
    let body = json!({"name_zh": cal["name_zh"], "name_en": cal["name_en"], "rules": cal["rules"], "week": cal["week"]});
    let r = app
        .client()
        .send_json(Method::PUT, "/api/v1/hall/calendar", Some(&staff), &body.to_string())
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // Still there, and listed for staff.
    let r = app.client().get_json(&format!("/api/v1/hall/reservations/{id}"), &staff).await;
    assert_eq!(r.json()["status"], "confirmed");
    let mut page = app.signed_in(Role::Staff).await;
    let p = page.get("/hall/manage").await;
    assert!(
        p.text.contains("data-test=\"displaced\"")
            && p.text.contains(&format!("/hall/reservations/{id}")),
        "{}",
        p.text
    );
    // Staff move it; it leaves the list.
    let r = app
        .client()
        .send_json(
            Method::PATCH,
            &format!("/api/v1/hall/reservations/{id}"),
            Some(&staff),
            &json!({"slot": format!("{DAY}T15:00"), "reason": "Early closing"}).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["slot"], format!("{DAY}T15:00"));
    let p = page.get("/hall/manage").await;
    assert!(!p.text.contains("data-test=\"displaced\""));
    assert_eq!(free(&app, &format!("{DAY}T15:00")).await, 28);
    // The holder cannot move it themselves.
    let r = app
        .client()
        .send_json(
            Method::PATCH,
            &format!("/api/v1/hall/reservations/{id}"),
            None,
            &json!({"slot": format!("{DAY}T14:00"), "secret": "x"}).to_string(),
        )
        .await;
    assert!(r.status == StatusCode::NOT_FOUND || r.status == StatusCode::FORBIDDEN, "{}", r.text);
    // A closed day: an exception.
    let r = app
        .client()
        .send_json(
            Method::PUT,
            "/api/v1/hall/calendar/exceptions/2026-12-02",
            Some(&staff),
            r#"{"note_en":"Closed"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let r = app.client().get("/api/v1/hall/slots?from=2026-12-02&to=2026-12-02").await;
    assert!(r.json()["items"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn the_figures_as_of_the_end_of_2022_reproduce_the_release() {
    let app = TestApp::new().await;
    for role in [Role::Staff, Role::Oversight, Role::Admin] {
        let token = app.token(role).await;
        let r =
            app.client().get_json("/api/v1/hall/figures?as_of=2022-12-31&by=year", &token).await;
        assert_eq!(r.status, StatusCode::OK, "{role:?}: {}", r.text);
        let f = r.json();
        assert_eq!(
            (f["total"]["groups"].as_i64(), f["total"]["person_visits"].as_i64()),
            (Some(125), Some(319)),
            "{f}"
        );
        assert_eq!(f["periods"][0]["period"], "2022");
    }
    let staff = app.token(Role::Staff).await;
    let f = app
        .client()
        .get_json("/api/v1/hall/figures?as_of=2022-06-30&by=month", &staff)
        .await
        .json();
    let half = f["total"]["groups"].as_i64().unwrap();
    assert!(half > 40 && half < 80, "{half} by mid-year");
    assert_eq!(f["periods"].as_array().unwrap().len(), 6);
    assert_eq!(app.client().get("/api/v1/hall/figures").await.status, StatusCode::UNAUTHORIZED);
    let enterprise = app.token(Role::Enterprise).await;
    assert_eq!(
        app.client().get_json("/api/v1/hall/figures", &enterprise).await.status,
        StatusCode::FORBIDDEN
    );
    let r =
        app.client().get_json("/api/v1/hall/figures?from=2023-01-01&to=2022-01-01", &staff).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut page = app.signed_in(Role::Oversight).await;
    let p = page.get("/hall/figures?as_of=2022-12-31").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.text.contains("125") && p.text.contains("319"));
}

#[tokio::test]
async fn the_pages_book_show_the_ticket_and_serve_the_door() {
    let app = TestApp::new().await;
    let mut public = app.client().with_header("accept-language", "en");
    let p = public.get("/hall").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.text.contains("data-test=\"book-slot\""), "{}", p.text);
    let slot = format!("{DAY}T13:00");
    let form = format!("/hall/book?slot={slot}");
    assert_eq!(public.get(&form).await.status, StatusCode::OK);
    assert_eq!(public.get("/hall/book?slot=nonsense").await.status, StatusCode::NOT_FOUND);
    // Refused: the page again with the reason, what was typed kept.
    let r = public
        .post_form(
            &form,
            "/hall/book",
            &[
                ("slot", &slot),
                ("kind", "group"),
                ("people", "40"),
                ("contact_name", "Ms Li"),
                ("phone", "13900000011"),
                ("consent", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("at most 30 people") && r.text.contains("Ms Li"));
    let r = public
        .post_form(
            &form,
            "/hall/book",
            &[
                ("slot", &slot),
                ("kind", "individual"),
                ("people", "3"),
                ("contact_name", "Wang Fang"),
                ("phone", "13900000012"),
                ("consent", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let page = r.header("location");
    assert!(page.starts_with("/hall/r/"));
    let p = public.get(&page).await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.text.contains("data-test=\"hall-ticket\"") && p.text.contains("<svg"));
    let ics = public.get(&format!("{}/ticket.ics", page.split('?').next().unwrap())).await;
    assert_eq!(ics.status, StatusCode::OK);
    assert!(
        ics.text.contains("BEGIN:VEVENT")
            && ics.text.contains("DTSTART;TZID=Asia/Shanghai:20261201T130000"),
        "{}",
        ics.text
    );
    // Asking to be told of a slot, from its page.
    let watch = format!("/hall/watch?slot={slot}");
    assert_eq!(public.get(&watch).await.status, StatusCode::OK);
    let r = public
        .post_form(&watch, "/hall/watch", &[("slot", &slot), ("email", "x"), ("people", "2")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = public
        .post_form(
            &watch,
            "/hall/watch",
            &[("slot", &slot), ("email", "wang@example.org"), ("people", "2"), ("consent", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.text.contains("data-test=\"watch-done\""));
    // Staff pages; not for others.
    let mut staff = app.signed_in(Role::Staff).await;
    for path in ["/hall/day?day=2026-12-01", "/hall/door", "/hall/manage", "/hall/figures", "/hall"]
    {
        let p = staff.get(path).await;
        assert_eq!(p.status, StatusCode::OK, "{path}");
    }
    assert!(staff.get("/hall/day?day=2026-12-01").await.text.contains("Wang Fang"));
    let mut enterprise = app.signed_in(Role::Enterprise).await;
    assert_eq!(enterprise.get("/hall/day").await.status, StatusCode::FORBIDDEN);
    assert_eq!(enterprise.get("/hall").await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn changes_and_cancellations_in_parallel_give_places_back_once() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let slot = format!("{DAY}T12:00");
    let before = free(&app, &slot).await;
    let r = reserve(&app, "198.51.100.11", &family(&slot, 5, "13800000011")).await;
    let (id, secret) = (
        r.json()["reservation"]["id"].as_str().unwrap().to_string(),
        r.json()["secret"].as_str().unwrap().to_string(),
    );
    let mut tasks = vec![];
    for i in 0..10 {
        let router = app.router.clone();
        let (uri, body, auth) = match i % 4 {
            0 => {
                (format!("/api/v1/hall/reservations/{id}/cancel"), json!({"secret": secret}), None)
            }
            1 => (
                format!("/api/v1/hall/reservations/{id}"),
                json!({"slot": format!("{DAY}T14:00")}),
                Some(staff.clone()),
            ),
            _ => (
                format!("/api/v1/hall/reservations/{id}"),
                json!({"secret": secret, "people": 1 + i % 3}),
                None,
            ),
        };
        let method = if uri.ends_with("/cancel") { Method::POST } else { Method::PATCH };
        tasks.push(tokio::spawn(async move {
            use tower::ServiceExt;
            let mut req = axum::http::Request::builder()
                .method(method)
                .uri(uri)
                .header("content-type", "application/json");
            if let Some(t) = auth {
                req = req.header("authorization", format!("Bearer {t}"));
            }
            let res = router
                .oneshot(req.body(axum::body::Body::from(body.to_string())).unwrap())
                .await
                .unwrap();
            assert!(
                res.status().is_success() || res.status().is_client_error(),
                "{}",
                res.status()
            );
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let r = app.client().get_json(&format!("/api/v1/hall/reservations/{id}"), &staff).await.json();
    let held = if r["status"] == "confirmed" { r["people"].as_i64().unwrap() } else { 0 };
    let (at_12, at_14) = (free(&app, &slot).await, free(&app, &format!("{DAY}T14:00")).await);
    let here = if r["slot"] == slot.as_str() { held } else { 0 };
    assert_eq!(at_12, before - here, "{r}");
    assert_eq!(at_14, 30 - (held - here), "{r}");
}

#[tokio::test]
async fn a_full_slot_tells_who_asked_when_places_free_up_and_a_move_tells_the_holder() {
    let (port, mut received) = crate::helpers::smtp_sink().await;
    let app = TestApp::with_config(|c| {
        c.smtp_url = format!("smtp://127.0.0.1:{port}");
        c.smtp_from = "Liaison <liaison@center.example>".into();
    })
    .await;
    liaison::demo::load(&app.state).await.unwrap();
    // The demo's bookings mail nobody we wait for here: drain them.
    while tokio::time::timeout(std::time::Duration::from_millis(300), received.recv()).await.is_ok()
    {
    }
    let staff = app.token(Role::Staff).await;
    let slot = format!("{DAY}T16:00");
    let r = app.client().with_header("accept-language", "en").send_json(Method::POST, "/api/v1/hall/reservations", None,
        &json!({"slot": slot, "kind": "group", "people": 28, "organisation": "School", "contact_name": "Ms Li",
                "email": "li@example.org", "consent": true}).to_string()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let (id, secret) = (
        r.json()["reservation"]["id"].as_str().unwrap().to_string(),
        r.json()["secret"].as_str().unwrap().to_string(),
    );
    let booked = received.recv().await.unwrap();
    assert!(
        booked.contains("RCPT TO:<li@example.org>")
            && crate::helpers::mail_body(&booked).contains("is confirmed"),
        "{booked}"
    );
    // Two places left: a family of three asks to be told, in Chinese.
    let mut c = app.client().with_header("accept-language", "zh-CN");
    let r = c
        .send_json(
            Method::POST,
            "/api/v1/hall/watches",
            None,
            &json!({"slot": slot, "email": "wang@example.org", "people": 3, "consent": true})
                .to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    // Five people fewer: room for them; one e-mail, once.
    let r = app
        .client()
        .send_json(
            Method::PATCH,
            &format!("/api/v1/hall/reservations/{id}"),
            None,
            &json!({"secret": secret, "people": 23}).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let told = received.recv().await.unwrap();
    let body = crate::helpers::mail_body(&told);
    assert!(told.contains("RCPT TO:<wang@example.org>"), "{told}");
    assert!(
        body.contains("现有名额可供 3 人预约") && body.contains(&format!("/hall/book?slot={slot}")),
        "{body}"
    );
    // Staff move the group: the leader hears of it in English.
    let r = app
        .client()
        .send_json(
            Method::PATCH,
            &format!("/api/v1/hall/reservations/{id}"),
            Some(&staff),
            &json!({"slot": format!("{DAY}T15:00"), "reason": "Early closing"}).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let moved = received.recv().await.unwrap();
    assert!(moved.contains("RCPT TO:<li@example.org>"), "{moved}");
    let body = crate::helpers::mail_body(&moved);
    assert!(
        body.contains("has been moved to 2026-12-01 15:00") && body.contains("Early closing"),
        "{body}"
    );
    // The watcher was told once only.
    assert!(
        tokio::time::timeout(std::time::Duration::from_millis(500), received.recv()).await.is_err()
    );
}

#[tokio::test]
async fn staff_forgive_a_missed_visit_and_it_no_longer_counts() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    set_rules(&app, &staff, json!({"strike_limit": 1})).await;
    let r = reserve(&app, "198.51.100.12", &family("2026-11-28T10:00", 2, "13800000012")).await;
    let id = r.json()["reservation"]["id"].as_str().unwrap().to_string();
    app.clock.advance_secs(2 * 24 * 3600);
    liaison::domains::hall::reservation::service::housekeeping(
        &app.state,
        &liaison::audit::Who::cli(),
    )
    .await
    .unwrap();
    let again = family(&format!("{DAY}T10:00"), 2, "13800000012");
    assert_eq!(reserve(&app, "198.51.100.12", &again).await.status, StatusCode::CONFLICT);
    let mut page = app.signed_in(Role::Staff).await;
    let view = format!("/hall/reservations/{id}");
    assert!(page.get(&view).await.text.contains("data-test=\"forgive-form\""));
    let r = page
        .post_form(&view, &format!("{view}/forgive"), &[("reason", "The bus broke down")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(reserve(&app, "198.51.100.12", &again).await.status, StatusCode::CREATED);
    // Once only.
    let r = page.post_form(&view, &format!("{view}/forgive"), &[("reason", "again")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}
