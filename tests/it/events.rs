//! Events over the JSON API: creation and lifecycle, registration of people
//! and groups (never over capacity, whatever the concurrency), the waiting
//! list by policy, approval, invitations, tickets and check-in (never twice).

use axum::http::{Method, StatusCode};
use liaison::auth::Role;
use serde_json::{Value, json};

use crate::helpers::TestApp;

async fn new_event(app: &TestApp, token: &str, extra: Value) -> String {
    let mut body = json!({"kind": "salon", "title_zh": "跨境电商沙龙", "title_en": "Cross-border e-commerce salon",
                          "starts_at": "2026-12-10T14:00:00+08:00", "ends_at": "2026-12-10T17:00:00+08:00", "capacity": 10});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    let r = app
        .client()
        .send_json(Method::POST, "/api/v1/events", Some(token), &body.to_string())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.json()["id"].as_str().unwrap().to_string();
    let r = app
        .client()
        .send_json(
            Method::POST,
            &format!("/api/v1/events/{id}/transition"),
            Some(token),
            r#"{"to":"registration_open"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    id
}

fn people(n: usize, tag: &str) -> Value {
    Value::Array(
        (0..n)
            .map(|i| json!({"name": format!("{tag} {i}"), "email": format!("{}.{i}@example.org", tag.to_lowercase().replace(' ', ""))}))
            .collect(),
    )
}

async fn register(
    app: &TestApp,
    token: Option<&str>,
    event: &str,
    participants: Value,
) -> crate::helpers::Resp {
    app.client()
        .send_json(
            Method::POST,
            &format!("/api/v1/events/{event}/registrations"),
            token,
            &json!({"participants": participants, "consent": true}).to_string(),
        )
        .await
}

#[tokio::test]
async fn a_group_registers_without_an_account_and_gets_one_ticket_each() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let event = new_event(&app, &staff, json!({})).await;
    // The public sees it in the list and on its own.
    let list = app.client().get("/api/v1/events").await.json();
    assert!(list["items"].as_array().unwrap().iter().any(|e| e["id"] == event.as_str()));
    assert!(list["items"][0].get("invitation_code").is_none());
    let r = register(&app, None, &event, people(3, "Ada")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let body = r.json();
    assert_eq!(body["status"], "confirmed");
    let codes: Vec<&str> =
        body["tickets"].as_array().unwrap().iter().map(|t| t["code"].as_str().unwrap()).collect();
    assert_eq!(codes.len(), 3);
    assert!(codes.iter().all(|c| c.len() == 12) && codes[0] != codes[1]);
    // The holder's token opens it; nothing else does.
    let id = body["id"].as_str().unwrap();
    let token = body["manage_url"].as_str().unwrap().trim_start_matches("/tickets/");
    // The ticket link is kept as a hash only; staff reads do not show it.
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM registration WHERE manage_token = $1", token).await,
        0
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM secret_link WHERE hash = $1", token).await, 0);
    let staff_read = app.client().get_json(&format!("/api/v1/registrations/{id}"), &staff).await;
    assert_eq!(staff_read.status, StatusCode::OK);
    assert!(staff_read.json().get("manage_url").is_none());
    assert_eq!(
        app.client().get(&format!("/api/v1/registrations/{id}?token={token}")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.client().get(&format!("/api/v1/registrations/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.client().get(&format!("/api/v1/registrations/{id}?token=guess")).await.status,
        StatusCode::NOT_FOUND
    );
    // Nonsense is a 422 naming the fields; without consent nothing is stored.
    let r = app
        .client()
        .send_json(Method::POST, &format!("/api/v1/events/{event}/registrations"), None,
            &json!({"participants": [{"name": "", "email": "nope", "category": "vip", "country": "XX"}], "consent": false}).to_string())
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = r.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    for f in [
        "participants[0].name",
        "participants[0].email",
        "participants[0].category",
        "participants[0].country",
        "consent",
    ] {
        assert!(fields.contains(&f.to_string()), "{f} in {fields:?}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM registration WHERE event_id = $1", &event).await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_registrations_never_overfill_an_event() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let event = new_event(&app, &staff, json!({"capacity": 10, "max_group": 3})).await;
    let mut tasks = vec![];
    for i in 0..40 {
        let router = app.router.clone();
        let staff = staff.clone();
        let body = json!({"participants": people(1 + i % 3, &format!("P{i}")), "consent": true})
            .to_string();
        let path = format!("/api/v1/events/{event}/registrations");
        tasks.push(tokio::spawn(async move {
            use http_body_util::BodyExt;
            use tower::ServiceExt;
            let req = axum::http::Request::builder()
                .method(Method::POST)
                .uri(path)
                .header("authorization", format!("Bearer {staff}"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from(body))
                .unwrap();
            let res = router.oneshot(req).await.unwrap();
            assert_eq!(res.status(), StatusCode::CREATED);
            let bytes = res.into_body().collect().await.unwrap().to_bytes();
            serde_json::from_slice::<Value>(&bytes).unwrap()["status"].as_str().unwrap().to_string()
        }));
    }
    let mut confirmed = 0;
    for t in tasks {
        if t.await.unwrap() == "confirmed" {
            confirmed += 1;
        }
    }
    assert!(confirmed >= 4, "{confirmed}");
    let seats = app
        .count("SELECT CAST(COALESCE(SUM(seats), 0) AS BIGINT) AS n FROM registration WHERE event_id = $1 AND status = 'confirmed'", &event)
        .await;
    assert!(seats <= 10, "{seats} seats confirmed for 10");
    assert_eq!(app.count("SELECT taken AS n FROM event WHERE id = $1", &event).await, seats);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM participant WHERE event_id = $1 AND ticket_code IS NOT NULL",
            &event
        )
        .await,
        seats
    );
}

#[tokio::test]
async fn the_waiting_list_promotes_groups_by_the_events_policy() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    for (policy, expect_after_first_cancel) in
        [("strict", "waitlisted"), ("first_fit", "confirmed")]
    {
        let event =
            new_event(&app, &staff, json!({"capacity": 2, "waitlist_policy": policy})).await;
        let a = register(&app, Some(&staff), &event, people(1, "A")).await.json();
        let b = register(&app, Some(&staff), &event, people(1, "B")).await.json();
        let c = register(&app, Some(&staff), &event, people(2, "C")).await.json();
        let d = register(&app, Some(&staff), &event, people(1, "D")).await.json();
        assert_eq!(
            (a["status"].as_str(), c["status"].as_str(), d["status"].as_str()),
            (Some("confirmed"), Some("waitlisted"), Some("waitlisted"))
        );
        assert!(c["tickets"].as_array().unwrap().is_empty());
        let cancel = |id: &str| format!("/api/v1/registrations/{id}/cancel");
        let r = app
            .client()
            .send_json(Method::POST, &cancel(a["id"].as_str().unwrap()), Some(&staff), "{}")
            .await;
        assert_eq!(r.json()["status"], "cancelled");
        let show = |id: &Value| format!("/api/v1/registrations/{}", id.as_str().unwrap());
        // One seat free: the group of two does not fit. Strict: D must wait behind C.
        let dn = app.client().get_json(&show(&d["id"]), &staff).await.json();
        assert_eq!(dn["status"], expect_after_first_cancel, "{policy}");
        assert_eq!(
            app.client().get_json(&show(&c["id"]), &staff).await.json()["status"],
            "waitlisted"
        );
        let r = app
            .client()
            .send_json(Method::POST, &cancel(b["id"].as_str().unwrap()), Some(&staff), "{}")
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let cn = app.client().get_json(&show(&c["id"]), &staff).await.json();
        if policy == "strict" {
            assert_eq!(cn["status"], "confirmed", "two seats: the group moves up");
            assert_eq!(cn["tickets"].as_array().unwrap().len(), 2);
        } else {
            // D took one seat earlier; C (2) still does not fit in one.
            assert_eq!(cn["status"], "waitlisted");
        }
        assert!(app.count("SELECT taken AS n FROM event WHERE id = $1", &event).await <= 2);
        // A newcomer does not pass people waiting under strict order.
        if policy == "strict" {
            let e = register(&app, Some(&staff), &event, people(1, "E")).await.json();
            assert_eq!(e["status"], "waitlisted");
        }
    }
}

#[tokio::test]
async fn raising_the_capacity_promotes_and_a_full_event_without_list_refuses() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let event = new_event(&app, &staff, json!({"capacity": 1})).await;
    register(&app, Some(&staff), &event, people(1, "A")).await;
    let w = register(&app, Some(&staff), &event, people(2, "W")).await.json();
    assert_eq!(w["status"], "waitlisted");
    let r = app
        .client()
        .send_json(
            Method::POST,
            &format!("/api/v1/events/{event}/capacity"),
            Some(&staff),
            r#"{"capacity":3}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let wn = app
        .client()
        .get_json(&format!("/api/v1/registrations/{}", w["id"].as_str().unwrap()), &staff)
        .await
        .json();
    assert_eq!(wn["status"], "confirmed");
    // Below the seats held: refused.
    let r = app
        .client()
        .send_json(
            Method::POST,
            &format!("/api/v1/events/{event}/capacity"),
            Some(&staff),
            r#"{"capacity":2}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let closed = new_event(&app, &staff, json!({"capacity": 1, "waitlist": false})).await;
    assert_eq!(
        register(&app, Some(&staff), &closed, people(1, "A")).await.status,
        StatusCode::CREATED
    );
    let r = register(&app, Some(&staff), &closed, people(1, "B")).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text.contains("名额已满"), "{}", r.text);
    // Held events take no more registrations.
    app.client()
        .send_json(
            Method::POST,
            &format!("/api/v1/events/{closed}/transition"),
            Some(&staff),
            r#"{"to":"held"}"#,
        )
        .await;
    assert_eq!(
        register(&app, Some(&staff), &closed, people(1, "C")).await.status,
        StatusCode::CONFLICT
    );
}

#[tokio::test]
async fn categories_have_their_own_quota_and_forms_their_questions() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let event = new_event(&app, &staff, json!({
        "categories": [{"code": "enterprise", "name_zh": "企业代表", "name_en": "Enterprise representative"},
                       {"code": "media", "name_zh": "媒体", "name_en": "Media", "quota": 1}],
        "form": [{"id": "company", "kind": "text", "label_zh": "单位", "label_en": "Company", "required": true}]
    })).await;
    let body = |cat: &str, company: Option<&str>| {
        json!({"participants": [{"name": "X", "email": "x@example.org", "category": cat}], "consent": true,
               "answers": company.map(|c| json!({"company": c})).unwrap_or(json!({}))}).to_string()
    };
    let path = format!("/api/v1/events/{event}/registrations");
    let r = app.client().send_json(Method::POST, &path, Some(&staff), &body("media", None)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"][0]["field"], "answers.company");
    let r = app
        .client()
        .send_json(Method::POST, &path, Some(&staff), &body("media", Some("Xinhua")))
        .await;
    assert_eq!(r.json()["status"], "confirmed");
    assert_eq!(r.json()["answers"]["company"], "Xinhua");
    let r = app
        .client()
        .send_json(Method::POST, &path, Some(&staff), &body("media", Some("CGTN")))
        .await;
    assert_eq!(r.json()["status"], "waitlisted", "media quota of 1 is used");
    let r = app
        .client()
        .send_json(Method::POST, &path, Some(&staff), &body("enterprise", Some("ACME")))
        .await;
    assert_eq!(
        r.json()["status"],
        "waitlisted",
        "strict order: nobody passes the waiting media guest"
    );
}

#[tokio::test]
async fn approval_and_invitations() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let event = new_event(
        &app,
        &staff,
        json!({"requires_approval": true, "visibility": "invitation", "capacity": 5}),
    )
    .await;
    // Without the invitation the public does not see it.
    assert_eq!(
        app.client().get(&format!("/api/v1/events/{event}")).await.status,
        StatusCode::NOT_FOUND
    );
    // Staff make the invitation code; it is shown once and stored hashed.
    let shown = app.client().get_json(&format!("/api/v1/events/{event}"), &staff).await.json();
    assert!(shown.get("invitation_code").is_none(), "the code is not readable again");
    let inv = format!("/api/v1/events/{event}/invitation");
    assert_eq!(
        app.client().send_json(Method::POST, &inv, None, "").await.status,
        StatusCode::UNAUTHORIZED
    );
    let enterprise = app.token(Role::Enterprise).await;
    assert_eq!(
        app.client().send_json(Method::POST, &inv, Some(&enterprise), "").await.status,
        StatusCode::FORBIDDEN
    );
    let made = app.client().send_json(Method::POST, &inv, Some(&staff), "").await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    let code = made.json()["code"].as_str().unwrap().to_string();
    assert_eq!(made.json()["url"], format!("/events/{event}?invitation={code}"));
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM event WHERE invitation_code = $1", &code).await,
        0
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM secret_link WHERE hash = $1", &code).await, 0);
    assert_eq!(
        app.client().get(&format!("/api/v1/events/{event}?invitation={code}")).await.status,
        StatusCode::OK
    );
    // A new code ends the old one.
    let old = code.clone();
    let code = app.client().send_json(Method::POST, &inv, Some(&staff), "").await.json()["code"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        app.client().get(&format!("/api/v1/events/{event}?invitation={old}")).await.status,
        StatusCode::NOT_FOUND
    );
    let path = format!("/api/v1/events/{event}/registrations");
    let no = json!({"participants": people(1, "Z"), "consent": true}).to_string();
    assert_eq!(
        app.client().send_json(Method::POST, &path, None, &no).await.status,
        StatusCode::NOT_FOUND
    );
    let yes =
        json!({"participants": people(2, "Q"), "consent": true, "invitation": code}).to_string();
    let r = app.client().send_json(Method::POST, &path, None, &yes).await;
    assert_eq!(r.json()["status"], "pending");
    assert!(r.json()["tickets"].as_array().unwrap().is_empty());
    assert_eq!(
        app.count("SELECT taken AS n FROM event WHERE id = $1", &event).await,
        2,
        "pending holds seats"
    );
    let id = r.json()["id"].as_str().unwrap().to_string();
    let r = app
        .client()
        .send_json(Method::POST, &format!("/api/v1/registrations/{id}/reject"), Some(&staff), "{}")
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a reason is needed");
    let r = app
        .client()
        .send_json(Method::POST, &format!("/api/v1/registrations/{id}/approve"), Some(&staff), "{}")
        .await;
    assert_eq!(r.json()["status"], "confirmed");
    assert_eq!(r.json()["tickets"].as_array().unwrap().len(), 2);
    let r = app
        .client()
        .send_json(Method::POST, &format!("/api/v1/registrations/{id}/approve"), Some(&staff), "{}")
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}

async fn checkin(
    app: &TestApp,
    token: &str,
    event: &str,
    code: &str,
    device: &str,
) -> crate::helpers::Resp {
    app.client()
        .send_json(
            Method::POST,
            "/api/v1/checkins",
            Some(token),
            &json!({"event_id": event, "code": code, "device": device}).to_string(),
        )
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_ticket_is_checked_in_once_whatever_the_concurrency() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let event = new_event(&app, &staff, json!({})).await;
    let r = register(
        &app,
        None,
        &event,
        json!([{"name": "Li Lei", "email": "li@example.org", "country": "cn"}]),
    )
    .await
    .json();
    let code = r["tickets"][0]["code"].as_str().unwrap().to_string();
    // Typed with dashes and in lower case, it is the same ticket.
    let typed = format!("{}-{}-{}", &code[..4], &code[4..8], &code[8..]).to_lowercase();
    let first = checkin(&app, &staff, &event, &typed, "phone-1").await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    assert_eq!(first.json()["result"], "ok");
    assert_eq!(first.json()["name"], "Li Lei");
    let again = checkin(&app, &staff, &event, &code, "phone-2").await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.json()["result"], "already");
    assert_eq!(again.json()["device"], "phone-1");
    assert_eq!(again.json()["at"], first.json()["at"]);
    assert_eq!(
        checkin(&app, &staff, &event, "ZZZZ-ZZZZ-ZZZZ", "x").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.client()
            .send_json(
                Method::POST,
                "/api/v1/checkins",
                None,
                &json!({"event_id": event, "code": code}).to_string()
            )
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    // Undo within a minute, then 20 devices at once: one wins.
    let r = app
        .client()
        .send_json(
            Method::POST,
            "/api/v1/checkins/undo",
            Some(&staff),
            &json!({"event_id": event, "code": code}).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let mut tasks = vec![];
    for i in 0..20 {
        let router = app.router.clone();
        let body =
            json!({"event_id": event, "code": code, "device": format!("phone-{i}")}).to_string();
        let staff = staff.clone();
        tasks.push(tokio::spawn(async move {
            use tower::ServiceExt;
            let req = axum::http::Request::builder()
                .method(Method::POST)
                .uri("/api/v1/checkins")
                .header("authorization", format!("Bearer {staff}"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from(body))
                .unwrap();
            router.oneshot(req).await.unwrap().status()
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            StatusCode::OK => ok += 1,
            StatusCode::CONFLICT => {}
            other => panic!("{other}"),
        }
    }
    assert_eq!(ok, 1);
    // The standing check-in is on the participant; the log keeps the one
    // taken back (with its undo) and every refused duplicate.
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM checkin_log WHERE action = $1", "checkin").await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM checkin_log WHERE action = $1", "undo").await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM checkin_log WHERE action = $1", "duplicate").await,
        20
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM checkin_log WHERE action = 'checkin' AND device = $1",
            "phone-1"
        )
        .await,
        1
    );
    // Too late to undo after a minute.
    app.clock.advance_secs(90);
    let r = app
        .client()
        .send_json(
            Method::POST,
            "/api/v1/checkins/undo",
            Some(&staff),
            &json!({"event_id": event, "code": code}).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let a =
        app.client().get_json(&format!("/api/v1/events/{event}/attendance"), &staff).await.json();
    assert_eq!((a["registered"].as_i64(), a["checked_in"].as_i64()), (Some(1), Some(1)));
    assert_eq!(a["by_country"]["CN"], json!([1, 1]));
}

#[tokio::test]
async fn cancelling_an_event_cancels_its_registrations() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let event = new_event(&app, &staff, json!({"capacity": 1})).await;
    let a = register(&app, None, &event, people(1, "A")).await.json();
    register(&app, None, &event, people(1, "B")).await;
    let r = app
        .client()
        .send_json(
            Method::POST,
            &format!("/api/v1/events/{event}/transition"),
            Some(&staff),
            r#"{"to":"cancelled"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a reason for the registrants");
    let r = app
        .client()
        .send_json(
            Method::POST,
            &format!("/api/v1/events/{event}/transition"),
            Some(&staff),
            r#"{"to":"cancelled","reason":"Typhoon warning"}"#,
        )
        .await;
    assert_eq!(r.json()["status"], "cancelled");
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM registration WHERE event_id = $1 AND status = 'cancelled'",
            &event
        )
        .await,
        2
    );
    assert_eq!(app.count("SELECT taken AS n FROM event WHERE id = $1", &event).await, 0);
    let code = a["tickets"][0]["code"].as_str().unwrap();
    let r = checkin(&app, &staff, &event, code, "door").await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json()["result"], "invalid");
    let r = app
        .client()
        .send_json(
            Method::POST,
            &format!("/api/v1/events/{event}/transition"),
            Some(&staff),
            r#"{"to":"registration_open"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn staff_edit_an_events_details_and_the_line_follows_the_new_policy() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let event = new_event(&app, &staff, json!({"capacity": 3, "waitlist": true})).await;
    let put = |body: Value| {
        let app = &app;
        let staff = staff.clone();
        let event = event.clone();
        async move {
            app.client()
                .send_json(
                    Method::PUT,
                    &format!("/api/v1/events/{event}"),
                    Some(&staff),
                    &body.to_string(),
                )
                .await
        }
    };
    // Two seated, then a group of two waits behind them; one more single waits.
    register(&app, None, &event, json!([{"name": "A", "email": "a@example.org"}, {"name": "B"}]))
        .await;
    let pair = register(
        &app,
        None,
        &event,
        json!([{"name": "C", "email": "c@example.org"}, {"name": "D"}]),
    )
    .await;
    assert_eq!(pair.json()["status"], "waitlisted");
    let single =
        register(&app, None, &event, json!([{"name": "E", "email": "e@example.org"}])).await;
    assert_eq!(single.json()["status"], "waitlisted", "strict: nobody passes the pair");

    // Only what is sent changes; nonsense is a 422 naming the field.
    let r =
        put(json!({"title_en": "Cross-border e-commerce salon (2nd)", "languages": "zh-Hans, EN"}))
            .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["title_en"], "Cross-border e-commerce salon (2nd)");
    assert_eq!(r.json()["title_zh"], "跨境电商沙龙");
    let r = put(json!({"title_zh": "  ", "visibility": "secret", "max_group": 0})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    for field in ["title_zh", "visibility", "max_group"] {
        assert!(r.text.contains(field), "{field}: {}", r.text);
    }
    // The line cannot be closed while people wait.
    let r = put(json!({"waitlist": false})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    // First that fits: the single takes the free seat at once.
    let r = put(json!({"waitlist_policy": "first_fit"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let id = single.json()["id"].as_str().unwrap().to_string();
    let shown = app.client().get_json(&format!("/api/v1/registrations/{id}"), &staff).await;
    assert_eq!(shown.json()["status"], "confirmed", "{}", shown.text);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'event' AND action = $1",
            "update"
        )
        .await,
        2
    );
    // Another center's staff cannot see it to edit it; the public cannot either.
    let r = app
        .client()
        .send_json(Method::PUT, &format!("/api/v1/events/{event}"), None, r#"{"title_en":"x"}"#)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    // The page: the form comes filled, a blank title is refused in the
    // user's language, and a good edit goes back to the event page.
    let mut s = app.signed_in(Role::Staff).await;
    let form = s.get(&format!("/events/{event}/edit?lang=zh-CN")).await;
    assert!(form.text.contains("Cross-border e-commerce salon (2nd)"));
    let fields = |title_en: &'static str| {
        vec![
            ("title_zh", "跨境电商沙龙"),
            ("title_en", title_en),
            ("summary_zh", ""),
            ("summary_en", ""),
            ("description_zh", ""),
            ("description_en", ""),
            ("organizers", "成都医学城"),
            ("languages", "zh-Hans"),
            ("visibility", "public"),
            ("max_group", "4"),
            ("waitlist", "1"),
            ("waitlist_policy", "first_fit"),
        ]
    };
    let bad = s
        .post_form(&format!("/events/{event}/edit"), &format!("/events/{event}/edit"), &fields(""))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.visible_text().contains("请修改"), "{}", bad.visible_text());
    let good = s
        .post_form(
            &format!("/events/{event}/edit"),
            &format!("/events/{event}/edit"),
            &fields("Salon"),
        )
        .await;
    assert_eq!(good.status, StatusCode::SEE_OTHER, "{}", good.visible_text());
    let r = app.client().get_json(&format!("/api/v1/events/{event}"), &staff).await;
    assert_eq!(r.json()["organizers"], "成都医学城");
    assert_eq!(r.json()["max_group"], 4);
}

/// The rooms of an event's sessions are booked in the event's own unit of
/// write: when the second session meets another booking, neither the event
/// nor the first session's booking is left behind, and the 409 names the
/// booking in the way.
#[tokio::test]
async fn an_event_whose_second_session_conflicts_leaves_nothing_behind() {
    let app = TestApp::new().await;
    let token = app.token(Role::Staff).await;
    let rooms = app.client().get_json("/api/v1/rooms", &token).await.json();
    let room = rooms["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name_en"] == "Negotiation Room A")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let blocker = json!({"room_id": room, "starts_at": "2026-12-10T14:00:00+08:00", "ends_at": "2026-12-10T15:00:00+08:00",
                         "title_zh": "会见", "title_en": "Meeting", "attendees": 4});
    let r = app
        .client()
        .send_json(Method::POST, "/api/v1/bookings", Some(&token), &blocker.to_string())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let blocking_id = r.json()["id"].as_str().unwrap().to_string();
    let before = app.count("SELECT COUNT(*) AS n FROM booking WHERE room_id = $1", &room).await;

    let body = json!({"kind": "salon", "title_zh": "两场沙龙", "title_en": "Two-part salon",
    "starts_at": "2026-12-10T09:00:00+08:00", "ends_at": "2026-12-10T15:00:00+08:00", "capacity": 8,
    "sessions": [
        {"title_zh": "上午", "title_en": "Morning", "starts_at": "2026-12-10T09:00:00+08:00", "ends_at": "2026-12-10T10:00:00+08:00", "room_id": room},
        {"title_zh": "下午", "title_en": "Afternoon", "starts_at": "2026-12-10T14:00:00+08:00", "ends_at": "2026-12-10T15:00:00+08:00", "room_id": room},
    ]});
    let r = app
        .client()
        .send_json(Method::POST, "/api/v1/events", Some(&token), &body.to_string())
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    let p = r.json();
    assert_eq!(p["type"], "/problems/conflict");
    assert_eq!(p["conflicts"][0]["booking_id"], blocking_id.as_str(), "{p}");
    assert_eq!(p["conflicts"][0]["starts_at"], "2026-12-10T14:00:00+08:00");
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM booking WHERE room_id = $1", &room).await,
        before,
        "the first session's booking was not kept"
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM booking b WHERE b.purpose = $1
             AND NOT EXISTS (SELECT 1 FROM event e WHERE e.id = b.purpose_id)",
            "event"
        )
        .await,
        0,
        "no booking of an event that was not made"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM event WHERE title_en = $1", "Two-part salon").await,
        0
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM audit_log WHERE entity IN ('event', 'booking') AND summary LIKE $1",
            "%Two-part salon%"
        )
        .await,
        0,
        "nothing audited of what was not made"
    );

    // With the afternoon moved, both sessions and the event are written together.
    let mut body = body;
    body["sessions"][1]["starts_at"] = json!("2026-12-10T16:00:00+08:00");
    body["sessions"][1]["ends_at"] = json!("2026-12-10T17:00:00+08:00");
    body["ends_at"] = json!("2026-12-10T17:00:00+08:00");
    let r = app
        .client()
        .send_json(Method::POST, "/api/v1/events", Some(&token), &body.to_string())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let event = r.json()["id"].as_str().unwrap().to_string();
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM booking WHERE purpose_id = $1", &event).await,
        2
    );
}

/// A ticket names its event: shown at another event's door it is refused
/// (409 `other_event`, naming that event) and not used up — over the API and
/// on the no-script form.
#[tokio::test]
async fn a_ticket_of_one_event_does_not_check_in_at_another() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let salon = new_event(&app, &staff, json!({})).await;
    let training =
        new_event(&app, &staff, json!({"kind": "training", "title_en": "Export training"})).await;
    let r = register(&app, None, &training, json!([{"name": "Li Lei", "email": "li@example.org"}]))
        .await;
    let code = r.json()["tickets"][0]["code"].as_str().unwrap().to_string();

    let r = checkin(&app, &staff, &salon, &code, "gate-1").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    let j = r.json();
    assert_eq!(j["result"], "other_event");
    assert_eq!(j["event"]["id"], training.as_str());
    assert_eq!(j["event"]["title_en"], "Export training");
    // The no-script form at the salon's door says so, and does not use it up.
    let mut s = app.signed_in(Role::Staff).await;
    let door = format!("/events/{salon}/checkin?lang=en");
    let r = s
        .post_form(
            &door,
            &format!("/events/{salon}/checkin"),
            &[("code", &code), ("device", "web")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text.contains("data-result=\"other-event\""));
    assert!(r.visible_text().contains("Export training"), "{}", r.visible_text());
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM participant WHERE checked_in_at IS NOT NULL AND event_id = $1", &training)
            .await,
        0
    );
    // At its own door it checks in, once.
    assert_eq!(checkin(&app, &staff, &training, &code, "gate-2").await.status, StatusCode::OK);
    assert_eq!(checkin(&app, &staff, &training, &code, "gate-2").await.json()["result"], "already");
}

/// Under the strict policy a lapsed waiting entry holds nobody up: when a
/// newcomer arrives, the lapsed group is let go and the live person behind
/// it gets the free seat first; the newcomer queues behind.
#[tokio::test]
async fn a_lapsed_entry_does_not_block_the_line() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let event = new_event(
        &app,
        &staff,
        json!({"capacity": 2, "waitlist": true, "waitlist_policy": "strict", "waitlist_hours": 1, "max_group": 5}),
    )
    .await;
    let a = register(&app, None, &event, people(1, "First A")).await.json();
    register(&app, None, &event, people(1, "First B")).await;
    let group = register(&app, None, &event, people(2, "Group")).await.json();
    assert_eq!(group["status"], "waitlisted");
    app.clock.advance_secs(30 * 60);
    let x = register(&app, None, &event, people(1, "Person X")).await.json();
    assert_eq!(x["status"], "waitlisted");
    // One seat frees: the group of two does not fit, and X may not pass it.
    let cancel = format!("/api/v1/registrations/{}/cancel", a["id"].as_str().unwrap());
    let r = app.client().send_json(Method::POST, &cancel, Some(&staff), "").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let status_of = |j: &serde_json::Value| j["id"].as_str().unwrap().to_string();
    let sql = "SELECT COUNT(*) AS n FROM registration WHERE id = $1 AND status = 'confirmed'";
    assert_eq!(app.count(sql, &status_of(&x)).await, 0, "X waits behind the group");
    // The group's entry lapses (an hour), X's does not yet; a newcomer comes.
    app.clock.advance_secs(40 * 60);
    let y = register(&app, None, &event, people(1, "Newcomer Y")).await.json();
    assert_eq!(
        app.count(sql, &status_of(&x)).await,
        1,
        "X got the seat the lapsed group held back"
    );
    assert_eq!(y["status"], "waitlisted", "and the newcomer queues");
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM registration WHERE id = $1 AND status = 'expired'",
            &status_of(&group)
        )
        .await,
        1
    );
}

#[tokio::test]
async fn registrations_tickets_and_events_are_paged_by_real_cursors() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let event = new_event(&app, &staff, json!({"capacity": 50})).await;
    for i in 0..5 {
        let r = register(&app, Some(&staff), &event, people(2, &format!("P{i}"))).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let (sizes, items) = app
        .all_pages(&format!("/api/v1/events/{event}/registrations?limit=2"), Some(&staff), 50)
        .await;
    assert_eq!(sizes, vec![2, 2, 1]);
    let contacts: Vec<&str> = items.iter().map(|r| r["contact_name"].as_str().unwrap()).collect();
    assert_eq!(
        contacts,
        ["P0 0", "P1 0", "P2 0", "P3 0", "P4 0"],
        "in the order they came, none twice"
    );
    assert!(items.iter().all(|r| r["participants"].as_array().unwrap().len() == 2));
    let (sizes, tickets) =
        app.all_pages(&format!("/api/v1/events/{event}/tickets?limit=3"), Some(&staff), 50).await;
    assert_eq!(sizes, vec![3, 3, 3, 1]);
    let mut codes: Vec<&str> = tickets.iter().map(|t| t["code"].as_str().unwrap()).collect();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), 10, "every ticket once");
    for _ in 0..2 {
        new_event(&app, &staff, json!({})).await;
    }
    let (sizes, events) = app.all_pages("/api/v1/events?limit=1", Some(&staff), 50).await;
    assert!(sizes.iter().all(|n| *n == 1) && events.len() >= 3, "{sizes:?}");
    // Out-of-range sizes and cursors not made by the list are refused.
    for bad in ["limit=0", "limit=201", "limit=-1", "cursor=nonsense", "cursor=1~"] {
        let r = app
            .client()
            .get_json(&format!("/api/v1/events/{event}/registrations?{bad}"), &staff)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {}", r.text);
    }
}

#[tokio::test]
async fn a_holder_cannot_send_more_names_than_people() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let event = new_event(&app, &staff, json!({})).await;
    let r = register(&app, None, &event, people(2, "Nm")).await;
    let body = r.json();
    let token = body["manage_url"].as_str().unwrap().trim_start_matches("/tickets/").to_string();
    let ids: Vec<String> = body["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();
    let mut holder = app.client();
    let page = holder.get(&format!("/tickets/{token}")).await;
    let csrf = page.csrf();
    let mut fields: Vec<(&str, String)> = vec![("csrf_token", csrf.clone())];
    for _ in 0..3 {
        fields.push(("participant", ids[1].clone()));
        fields.push(("name", "Flood".into()));
        fields.push(("email", String::new()));
    }
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = holder.post_form_raw(&format!("/tickets/{token}/names"), &refs).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM participant WHERE name = $1", "Flood").await,
        0
    );
    // As many entries as people is fine; ids of another registration change nothing.
    let other = register(&app, None, &event, people(1, "Other")).await.json();
    let other_id = other["participants"][0]["id"].as_str().unwrap().to_string();
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("participant", ids[1].as_str()),
        ("name", "Named Guest"),
        ("email", ""),
        ("participant", other_id.as_str()),
        ("name", "Hijack"),
        ("email", ""),
    ];
    let r = holder.post_form_raw(&format!("/tickets/{token}/names"), &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM participant WHERE name = $1", "Named Guest").await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM participant WHERE name = $1", "Hijack").await,
        0
    );
}

#[tokio::test]
async fn plain_ticket_secrets_of_before_keep_working_unless_their_event_was_purged() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let (live, purged) =
        (new_event(&app, &staff, json!({})).await, new_event(&app, &staff, json!({})).await);
    let mut regs = vec![];
    for event in [&live, &purged] {
        let r = register(&app, None, event, people(1, "Legacy")).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        regs.push(r.json()["id"].as_str().unwrap().to_string());
    }
    let secrets = ["a".repeat(64), "b".repeat(64)];
    for (id, secret) in regs.iter().zip(&secrets) {
        sqlx::query("UPDATE registration SET manage_token = $1 WHERE id = $2")
            .bind(secret)
            .bind(id)
            .execute(&app.state.db.pool)
            .await
            .unwrap();
    }
    sqlx::query("UPDATE event SET purged_at = 1 WHERE id = $1")
        .bind(&purged)
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(
        liaison::links::adopt_legacy(&app.state.db, app.state.clock.now()).await.unwrap(),
        2
    );
    assert_eq!(app.client().get(&format!("/tickets/{}", secrets[0])).await.status, StatusCode::OK);
    assert_eq!(
        app.client().get(&format!("/tickets/{}", secrets[1])).await.status,
        StatusCode::NOT_FOUND
    );
    for secret in &secrets {
        assert_eq!(
            app.count("SELECT COUNT(*) AS n FROM registration WHERE manage_token = $1", secret)
                .await,
            0
        );
    }
}
