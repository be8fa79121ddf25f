//! Rooms and bookings over the API: rules, conflicts with alternatives,
//! series, approvals, cancellations, availability — and no overlap under
//! parallel requests.

use axum::http::{Method, StatusCode};
use liaison::auth::Role;
use serde_json::{Value, json};

use crate::helpers::TestApp;

async fn room_id(app: &TestApp, token: &str, name_en: &str) -> String {
    let rooms = app.client().get_json("/api/v1/rooms", token).await.json();
    rooms["items"].as_array().unwrap().iter().find(|r| r["name_en"] == name_en).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn book(app: &TestApp, token: &str, body: Value) -> crate::helpers::Resp {
    app.client().send_json(Method::POST, "/api/v1/bookings", Some(token), &body.to_string()).await
}

fn one_off(room: &str, start: &str, end: &str, attendees: i64) -> Value {
    json!({"room_id": room, "starts_at": start, "ends_at": end, "title_zh": "会见", "title_en": "Meeting", "attendees": attendees})
}

#[tokio::test]
async fn the_demo_rooms_are_listed_with_their_rules() {
    let app = TestApp::new().await;
    let token = app.token(Role::Staff).await;
    let rooms = app.client().get_json("/api/v1/rooms", &token).await.json();
    let items = rooms["items"].as_array().unwrap();
    assert_eq!(items.len(), 9);
    let zones: std::collections::BTreeSet<&str> =
        items.iter().map(|r| r["zone_code"].as_str().unwrap()).collect();
    assert_eq!(zones.len(), 6, "every zone has rooms");
    let hall = items.iter().find(|r| r["name_en"] == "International Conference Hall").unwrap();
    assert_eq!(hall["requires_approval"], true);
    assert_eq!(hall["capacity"], 200);
    assert!(hall["equipment"].as_array().unwrap().contains(&json!("si_booths")));
    assert_eq!(hall["opening_hours"]["mo"], "08:30-18:00");
    assert_eq!(hall["opening_hours"]["sa"], "");
    assert_eq!(items.iter().filter(|r| r["requires_approval"] == true).count(), 1);
}

#[tokio::test]
async fn admins_create_rooms_and_bad_rooms_are_refused() {
    let app = TestApp::new().await;
    let admin = app.token(Role::Admin).await;
    let mut c = app.client();
    let body = json!({"zone_code": "trade_negotiation", "name_zh": "洽谈室C", "name_en": "Negotiation Room C", "capacity": 10,
                      "equipment": ["whiteboard"], "opening_hours": {"mo": "09:00-17:00", "sa": "10:00-12:00"}, "setup_minutes": 5});
    let r = c.send_json(Method::POST, "/api/v1/rooms", Some(&admin), &body.to_string()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert!(r.header("location").starts_with("/api/v1/rooms/"));
    assert_eq!(r.json()["opening_hours"]["sa"], "10:00-12:00");
    assert_eq!(r.json()["opening_hours"]["tu"], "");
    let again = c.send_json(Method::POST, "/api/v1/rooms", Some(&admin), &body.to_string()).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(again.json()["errors"][0]["field"], "name_en");
    let bad = json!({"zone_code": "nowhere", "name_zh": "x", "name_en": "y", "capacity": 0, "equipment": ["teleporter"]});
    let r = c.send_json(Method::POST, "/api/v1/rooms", Some(&admin), &bad.to_string()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem = r.json();
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"equipment") && fields.contains(&"capacity"), "{fields:?}");
    let staff = app.token(Role::Staff).await;
    let r = c.send_json(Method::POST, "/api/v1/rooms", Some(&staff), &body.to_string()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_booking_is_confirmed_and_an_overlap_is_refused_with_alternatives() {
    let app = TestApp::new().await;
    let token = app.token(Role::Staff).await;
    let room = room_id(&app, &token, "Negotiation Room A").await;
    let r = book(
        &app,
        &token,
        one_off(&room, "2026-12-01T10:00:00+08:00", "2026-12-01T11:00:00+08:00", 8),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let made = r.json();
    assert_eq!(made["status"], "confirmed");
    assert!(made["reference"].as_str().unwrap().starts_with("B-2026-"));
    assert_eq!(made["occurrences"].as_array().unwrap().len(), 1);
    let first_id = made["id"].as_str().unwrap().to_string();

    // Overlapping, and also touching within the 10-minute buffers.
    for (start, end) in [
        ("2026-12-01T10:30:00+08:00", "2026-12-01T11:30:00+08:00"),
        ("2026-12-01T11:05:00+08:00", "2026-12-01T12:00:00+08:00"),
    ] {
        let r = book(&app, &token, one_off(&room, start, end, 4)).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{start}: {}", r.text);
        assert_eq!(r.header("content-type"), "application/problem+json");
        let p = r.json();
        assert_eq!(p["type"], "/problems/conflict");
        assert_eq!(p["conflicts"][0]["booking_id"], first_id.as_str());
        assert_eq!(p["conflicts"][0]["starts_at"], "2026-12-01T10:00:00+08:00");
        let alts = p["alternatives"].as_array().unwrap();
        assert!(alts.iter().any(|a| a["kind"] == "same_room"), "{p}");
        assert!(
            alts.iter().any(|a| a["kind"] == "other_room" && a["room_id"] != room.as_str()),
            "{p}"
        );
        // Every suggestion is itself free.
        for a in alts {
            let (room_id, from, to) = (
                a["room_id"].as_str().unwrap(),
                a["starts_at"].as_str().unwrap(),
                a["ends_at"].as_str().unwrap(),
            );
            let path = format!(
                "/api/v1/rooms/{room_id}/availability?from={}&to={}",
                urlencode(from),
                urlencode(to)
            );
            let probe = app.client().get_json(&path, &token).await.json();
            assert!(probe["busy"].as_array().unwrap().is_empty(), "{a} is free: {probe}");
        }
    }
    // Right after the buffer is fine.
    let r = book(
        &app,
        &token,
        one_off(&room, "2026-12-01T11:20:00+08:00", "2026-12-01T12:00:00+08:00", 4),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
}

fn urlencode(s: &str) -> String {
    s.replace('+', "%2B").replace(':', "%3A")
}

#[tokio::test]
async fn invalid_requests_name_the_field() {
    let app = TestApp::new().await;
    let token = app.token(Role::Staff).await;
    let room = room_id(&app, &token, "Negotiation Room B").await;
    let cases = [
        (one_off(&room, "2026-12-01T11:00:00+08:00", "2026-12-01T10:00:00+08:00", 2), "ends_at"),
        (one_off(&room, "2026-12-01T10:00:00+08:00", "2026-12-01T11:00:00+08:00", 9), "attendees"),
        (one_off(&room, "2026-12-01T06:00:00+08:00", "2026-12-01T07:00:00+08:00", 2), "starts_at"),
        (one_off(&room, "2026-12-05T10:00:00+08:00", "2026-12-05T11:00:00+08:00", 2), "starts_at"),
        (one_off(&room, "yesterday", "2026-12-01T11:00:00+08:00", 2), "starts_at"),
        (one_off(&room, "2026-11-20T10:00:00+08:00", "2026-11-20T11:00:00+08:00", 2), "starts_at"),
        (
            json!({"room_id": room, "starts_at": "2026-12-01T10:00:00+08:00", "ends_at": "2026-12-01T11:00:00+08:00", "attendees": 2}),
            "title_zh",
        ),
        (
            json!({"room_id": room, "starts_at": "2026-12-01T10:00:00+08:00", "ends_at": "2026-12-01T11:00:00+08:00", "title_en": "x", "attendees": 2,
                "recurrence": {"freq": "weekly", "by_weekday": ["mo"], "count": 3}}),
            "recurrence.by_weekday",
        ),
        (
            json!({"room_id": room, "starts_at": "2026-12-01T10:00:00+08:00", "ends_at": "2026-12-01T11:00:00+08:00", "title_en": "x", "attendees": 2,
                "recurrence": {"freq": "yearly", "count": 3}}),
            "recurrence.freq",
        ),
        (
            json!({"room_id": room, "starts_at": "2026-12-01T10:00:00+08:00", "ends_at": "2026-12-01T11:00:00+08:00", "title_en": "x", "attendees": "many"}),
            "attendees",
        ),
    ];
    for (body, field) in cases {
        let r = book(&app, &token, body.clone()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {}", r.text);
        let fields: Vec<String> = r.json()["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap().to_string())
            .collect();
        assert!(fields.contains(&field.to_string()), "{body}: {fields:?}");
    }
    let r = book(
        &app,
        &token,
        one_off("no-such-room", "2026-12-01T10:00:00+08:00", "2026-12-01T11:00:00+08:00", 2),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM booking WHERE room_id = $1", &room).await,
        0,
        "nothing half-written"
    );
}

#[tokio::test]
async fn a_series_is_all_or_nothing_unless_told_to_skip() {
    let app = TestApp::new().await;
    let token = app.token(Role::Staff).await;
    let room = room_id(&app, &token, "Multi-function Meeting Room").await;
    // Something already on the second Wednesday.
    let r = book(
        &app,
        &token,
        one_off(&room, "2026-12-09T14:30:00+08:00", "2026-12-09T15:00:00+08:00", 5),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let existing = r.json()["id"].as_str().unwrap().to_string();
    let series = json!({"room_id": room, "starts_at": "2026-12-02T14:00:00+08:00", "ends_at": "2026-12-02T15:30:00+08:00",
                        "title_zh": "周例会", "title_en": "Weekly meeting", "attendees": 20,
                        "recurrence": {"freq": "weekly", "interval": 1, "by_weekday": ["mo", "we"], "until": "2026-12-16"}});
    let r = book(&app, &token, series.clone()).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(r.json()["conflicts"][0]["booking_id"], existing.as_str());
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM booking WHERE room_id = $1", &room).await,
        1,
        "nothing of the series was written"
    );

    let mut skipping = series.clone();
    skipping["skip_conflicts"] = json!(true);
    let r = book(&app, &token, skipping).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let made = r.json();
    let starts: Vec<&str> = made["occurrences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["starts_at"].as_str().unwrap())
        .collect();
    assert_eq!(
        starts,
        [
            "2026-12-02T14:00:00+08:00",
            "2026-12-07T14:00:00+08:00",
            "2026-12-14T14:00:00+08:00",
            "2026-12-16T14:00:00+08:00"
        ]
    );
    assert_eq!(made["skipped"].as_array().unwrap().len(), 1);
    assert_eq!(made["skipped"][0]["starts_at"], "2026-12-09T14:00:00+08:00");
    let series_id = made["series_id"].as_str().unwrap();
    let one = app
        .client()
        .get_json(&format!("/api/v1/bookings/{}", made["id"].as_str().unwrap()), &token)
        .await
        .json();
    assert_eq!(one["series_id"], series_id);
    assert_eq!(one["rrule"], "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,WE;UNTIL=20261216T155959Z");

    // Cancel one occurrence, then the rest of the series.
    let second = made["occurrences"][1]["id"].as_str().unwrap();
    let mut c = app.client();
    let r = c
        .send_json(Method::POST, &format!("/api/v1/bookings/{second}/cancel"), Some(&token), "")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 1);
    let r = c
        .send_json(Method::POST, &format!("/api/v1/bookings/{second}/cancel"), Some(&token), "")
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "cancelling twice is an illegal transition");
    let r = c
        .send_json(
            Method::POST,
            &format!("/api/v1/bookings/{}/cancel", made["id"].as_str().unwrap()),
            Some(&token),
            r#"{"scope": "series"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 3);
    let live = app
        .count(
            "SELECT COUNT(*) AS n FROM booking WHERE room_id = $1 AND status = 'confirmed'",
            &room,
        )
        .await;
    assert_eq!(live, 1, "only the unrelated booking is left");
}

#[tokio::test]
async fn requests_for_an_approval_room_wait_in_the_inbox() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let admin = app.token(Role::Admin).await;
    let hall = room_id(&app, &staff, "International Conference Hall").await;
    let r = book(
        &app,
        &staff,
        one_off(&hall, "2026-12-03T09:00:00+08:00", "2026-12-03T12:00:00+08:00", 150),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.json()["status"], "requested");
    let id = r.json()["id"].as_str().unwrap().to_string();
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM approval WHERE subject_id = $1 AND status = 'pending'",
            &id
        )
        .await,
        1
    );
    // A requested booking already holds the room.
    let r = book(
        &app,
        &admin,
        one_off(&hall, "2026-12-03T11:00:00+08:00", "2026-12-03T12:00:00+08:00", 10),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    let mut c = app.client();
    let r = c
        .send_json(Method::POST, &format!("/api/v1/bookings/{id}/approve"), Some(&staff), "")
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "staff do not approve");
    let r = c
        .send_json(Method::POST, &format!("/api/v1/bookings/{id}/reject"), Some(&admin), "{}")
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a rejection needs a reason");
    let r = c
        .send_json(Method::POST, &format!("/api/v1/bookings/{id}/approve"), Some(&admin), "")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["items"][0]["status"], "confirmed");
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM approval WHERE subject_id = $1 AND status = 'approved'",
            &id
        )
        .await,
        1
    );
    let organizer = app.count("SELECT COUNT(*) AS n FROM notification WHERE subject_id = $1 AND kind = 'booking_approve'", &id).await;
    assert_eq!(organizer, 1, "the organizer is notified");
    let r = c
        .send_json(Method::POST, &format!("/api/v1/bookings/{id}/approve"), Some(&admin), "")
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    // Another request, rejected with a reason.
    let r = book(
        &app,
        &staff,
        one_off(&hall, "2026-12-04T09:00:00+08:00", "2026-12-04T10:00:00+08:00", 50),
    )
    .await;
    let id2 = r.json()["id"].as_str().unwrap().to_string();
    let r = c
        .send_json(
            Method::POST,
            &format!("/api/v1/bookings/{id2}/reject"),
            Some(&admin),
            r#"{"reason": "Hall reserved for the delegation"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["items"][0]["status_reason"], "Hall reserved for the delegation");
    let body = app.count("SELECT COUNT(*) AS n FROM notification WHERE subject_id = $1 AND body_en LIKE '%Hall reserved%'", &id2).await;
    assert_eq!(body, 1);
    // The rejected time is free again.
    let r = book(
        &app,
        &admin,
        one_off(&hall, "2026-12-04T09:00:00+08:00", "2026-12-04T10:00:00+08:00", 50),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.json()["status"], "confirmed", "an admin's own booking needs no approval");
}

#[tokio::test]
async fn enterprises_request_rooms_and_see_only_their_own() {
    let app = TestApp::new().await;
    let ent = app.token(Role::Enterprise).await;
    let staff = app.token(Role::Staff).await;
    let room = room_id(&app, &ent, "Import-Export Consultation Room").await;
    let r = book(
        &app,
        &ent,
        one_off(&room, "2026-12-02T09:00:00+08:00", "2026-12-02T10:00:00+08:00", 3),
    )
    .await;
    assert_eq!(r.json()["status"], "requested", "enterprise requests always wait for approval");
    let mine = r.json()["id"].as_str().unwrap().to_string();
    let r = book(
        &app,
        &staff,
        one_off(&room, "2026-12-02T14:00:00+08:00", "2026-12-02T15:00:00+08:00", 3),
    )
    .await;
    let theirs = r.json()["id"].as_str().unwrap().to_string();
    let mut c = app.client();
    let list = c.get_json("/api/v1/bookings?from=2026-12-01&to=2026-12-08", &ent).await.json();
    let ids: Vec<&str> =
        list["items"].as_array().unwrap().iter().map(|b| b["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [mine.as_str()]);
    assert_eq!(
        c.get_json(&format!("/api/v1/bookings/{theirs}"), &ent).await.status,
        StatusCode::NOT_FOUND
    );
    let all = c.get_json("/api/v1/bookings?from=2026-12-01&to=2026-12-08", &staff).await.json();
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
    let r = c
        .send_json(Method::POST, &format!("/api/v1/bookings/{theirs}/cancel"), Some(&ent), "")
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "only the organizer, staff and admins cancel: {}",
        r.text
    );
    let interp = app.token(Role::Interpreter).await;
    let r = book(
        &app,
        &interp,
        one_off(&room, "2026-12-02T16:00:00+08:00", "2026-12-02T17:00:00+08:00", 1),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn availability_shows_busy_with_buffers_and_the_free_rest() {
    let app = TestApp::new().await;
    let token = app.token(Role::Staff).await;
    let room = room_id(&app, &token, "Negotiation Room A").await;
    book(&app, &token, one_off(&room, "2026-12-01T10:00:00+08:00", "2026-12-01T11:00:00+08:00", 2))
        .await;
    let a = app
        .client()
        .get_json(&format!("/api/v1/rooms/{room}/availability?from=2026-12-01T08:00:00%2B08:00&to=2026-12-01T18:00:00%2B08:00"), &token)
        .await
        .json();
    assert_eq!(
        a["busy"],
        json!([{"starts_at": "2026-12-01T09:50:00+08:00", "ends_at": "2026-12-01T11:10:00+08:00", "booking_id": a["busy"][0]["booking_id"]}])
    );
    assert_eq!(a["free"].as_array().unwrap().len(), 2);
    assert_eq!(a["free"][1]["starts_at"], "2026-12-01T11:10:00+08:00");
    let r = app
        .client()
        .get_json(
            &format!("/api/v1/rooms/{room}/availability?from=2026-01-01&to=2027-06-01"),
            &token,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"][0]["field"], "to");
}

/// Fires `n` identical-room requests at once; returns the statuses.
async fn race(app: &TestApp, token: &str, bodies: Vec<Value>) -> Vec<StatusCode> {
    let mut tasks = vec![];
    for body in bodies {
        let router = app.router.clone();
        let token = token.to_string();
        tasks.push(tokio::spawn(async move {
            use tower::ServiceExt;
            let mut req = axum::http::Request::builder()
                .method(Method::POST)
                .uri("/api/v1/bookings")
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from(body.to_string()))
                .unwrap();
            req.extensions_mut().insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                [127, 0, 0, 1],
                1,
            ))));
            router.oneshot(req).await.unwrap().status()
        }));
    }
    let mut out = vec![];
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn fifty_parallel_overlapping_requests_make_exactly_one_booking() {
    let app = TestApp::new().await;
    let token = app.token(Role::Staff).await;
    let room = room_id(&app, &token, "Negotiation Room A").await;
    // Fifty different but overlapping times in one room.
    let bodies: Vec<Value> = (0..50)
        .map(|i| {
            let start = format!("2026-12-01T10:{:02}:00+08:00", i % 50);
            let end = format!("2026-12-01T11:{:02}:00+08:00", i % 50);
            one_off(&room, &start, &end, 4)
        })
        .collect();
    let statuses = race(&app, &token, bodies).await;
    let created = statuses.iter().filter(|s| **s == StatusCode::CREATED).count();
    let conflicts = statuses.iter().filter(|s| **s == StatusCode::CONFLICT).count();
    assert_eq!((created, conflicts), (1, 49), "{statuses:?}");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM booking WHERE room_id = $1 AND status IN ('requested', 'confirmed')", &room).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn fifty_parallel_overlapping_series_make_exactly_one_series() {
    let app = TestApp::new().await;
    let token = app.token(Role::Staff).await;
    let room = room_id(&app, &token, "Negotiation Room B").await;
    let bodies: Vec<Value> = (0..50)
        .map(|i| {
            // Series on every working day, starting on different days, all meeting on 2026-12-10.
            let day = [1, 2, 3, 4, 7, 8, 9, 10][i % 8];
            json!({"room_id": room, "starts_at": format!("2026-12-{day:02}T09:00:00+08:00"), "ends_at": format!("2026-12-{day:02}T10:00:00+08:00"),
                   "title_en": format!("Series {i}"), "attendees": 2,
                   "recurrence": {"freq": "weekly", "by_weekday": ["mo", "tu", "we", "th", "fr"], "until": "2026-12-10"}})
        })
        .collect();
    let statuses = race(&app, &token, bodies).await;
    let created = statuses.iter().filter(|s| **s == StatusCode::CREATED).count();
    assert_eq!(created, 1, "{statuses:?}");
    assert!(
        statuses.iter().all(|s| *s == StatusCode::CREATED || *s == StatusCode::CONFLICT),
        "{statuses:?}"
    );
    assert_eq!(
        app.count("SELECT COUNT(DISTINCT series_id) AS n FROM booking WHERE room_id = $1", &room)
            .await,
        1
    );
    // And no two live bookings of the room overlap.
    let overlaps = app
        .count(
            "SELECT COUNT(*) AS n FROM booking a JOIN booking b ON a.room_id = b.room_id AND a.id < b.id
             WHERE a.room_id = $1 AND a.block_start < b.block_end AND b.block_start < a.block_end",
            &room,
        )
        .await;
    assert_eq!(overlaps, 0);
}

#[tokio::test]
async fn occurrences_and_series_are_edited() {
    let app = TestApp::new().await;
    let token = app.token(Role::Staff).await;
    let room = room_id(&app, &token, "Negotiation Room A").await;
    let series = json!({"room_id": room, "starts_at": "2026-12-01T09:00:00+08:00", "ends_at": "2026-12-01T10:00:00+08:00",
                        "title_zh": "例会", "title_en": "Stand-up", "attendees": 5, "recurrence": {"freq": "daily", "count": 4}});
    let made = book(&app, &token, series).await.json();
    let other = book(
        &app,
        &token,
        one_off(&room, "2026-12-02T14:00:00+08:00", "2026-12-02T15:00:00+08:00", 2),
    )
    .await
    .json();
    let second = made["occurrences"][1]["id"].as_str().unwrap().to_string();
    let mut c = app.client();
    let path = format!("/api/v1/bookings/{second}");

    // Move one occurrence onto the other booking: refused, nothing changes.
    let r = c
        .send_json(
            Method::PATCH,
            &path,
            Some(&token),
            r#"{"starts_at": "2026-12-02T14:30:00+08:00", "ends_at": "2026-12-02T15:30:00+08:00"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(r.json()["conflicts"][0]["booking_id"], other["id"]);
    // Move it to a free time.
    let r = c.send_json(Method::PATCH, &path, Some(&token), r#"{"starts_at": "2026-12-02T11:00:00+08:00", "ends_at": "2026-12-02T12:00:00+08:00", "title_en": "Stand-up (moved)"}"#).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["items"][0]["starts_at"], "2026-12-02T11:00:00+08:00");
    assert_eq!(r.json()["items"][0]["title_zh"], "例会", "the untouched side stays");
    // Moving within its own old time is not a conflict with itself.
    let r = c
        .send_json(
            Method::PATCH,
            &path,
            Some(&token),
            r#"{"starts_at": "2026-12-02T11:30:00+08:00", "ends_at": "2026-12-02T12:30:00+08:00"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    // The whole series: title and attendees.
    let first = made["id"].as_str().unwrap();
    let r = c
        .send_json(
            Method::PATCH,
            &format!("/api/v1/bookings/{first}"),
            Some(&token),
            r#"{"scope": "series", "title_en": "Daily briefing", "attendees": 8}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 4);
    assert!(
        r.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|b| b["title_en"] == "Daily briefing" && b["attendees"] == 8)
    );
    let r = c
        .send_json(
            Method::PATCH,
            &format!("/api/v1/bookings/{first}"),
            Some(&token),
            r#"{"scope": "series", "starts_at": "2026-12-01T10:00:00+08:00"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a start at its own end");
    // The whole series moves in time: every occurrence to come, the same way
    // (at 08:30 for 90 minutes here), all or none.
    let r = c
        .send_json(
            Method::PATCH,
            &format!("/api/v1/bookings/{first}"),
            Some(&token),
            r#"{"scope": "series", "starts_at": "2026-12-01T08:30:00+08:00", "ends_at": "2026-12-01T10:00:00+08:00"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let mut starts: Vec<String> = r.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            format!(
                "{}–{}",
                b["starts_at"].as_str().unwrap(),
                &b["ends_at"].as_str().unwrap()[11..16]
            )
        })
        .collect();
    starts.sort();
    assert_eq!(
        starts,
        [
            "2026-12-01T08:30:00+08:00–10:00",
            "2026-12-02T08:30:00+08:00–10:00",
            "2026-12-03T08:30:00+08:00–10:00",
            "2026-12-04T08:30:00+08:00–10:00"
        ]
    );
    // Onto another booking: refused, nothing moves.
    let r = c
        .send_json(
            Method::PATCH,
            &format!("/api/v1/bookings/{first}"),
            Some(&token),
            r#"{"scope": "series", "starts_at": "2026-12-01T14:00:00+08:00", "ends_at": "2026-12-01T15:00:00+08:00"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    let again = c.get_json(&format!("/api/v1/bookings/{first}"), &token).await.json();
    assert_eq!(again["starts_at"], "2026-12-01T08:30:00+08:00");
    let r = c
        .send_json(
            Method::PATCH,
            &format!("/api/v1/bookings/{first}"),
            Some(&token),
            r#"{"attendees": 99}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"][0]["field"], "attendees");
    let audit = app
        .count(
            "SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'booking' AND action = $1",
            "update",
        )
        .await;
    assert_eq!(audit, 4, "two moves of one, the series' title, the series' time");
}

#[tokio::test]
async fn moving_an_approved_request_sends_it_back_to_the_inbox() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let admin = app.token(Role::Admin).await;
    let hall = room_id(&app, &staff, "International Conference Hall").await;
    let id = book(
        &app,
        &staff,
        one_off(&hall, "2026-12-03T09:00:00+08:00", "2026-12-03T10:00:00+08:00", 50),
    )
    .await
    .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut c = app.client();
    c.send_json(Method::POST, &format!("/api/v1/bookings/{id}/approve"), Some(&admin), "").await;
    let r = c
        .send_json(
            Method::PATCH,
            &format!("/api/v1/bookings/{id}"),
            Some(&staff),
            r#"{"starts_at": "2026-12-03T14:00:00+08:00", "ends_at": "2026-12-03T15:00:00+08:00"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["items"][0]["status"], "requested");
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM approval WHERE subject_id = $1 AND status = 'pending'",
            &id
        )
        .await,
        1
    );
}

#[tokio::test]
async fn admins_change_rooms_and_new_rules_apply_from_then_on() {
    let app = TestApp::new().await;
    let admin = app.token(Role::Admin).await;
    let staff = app.token(Role::Staff).await;
    let room = room_id(&app, &admin, "Negotiation Room B").await;
    let made = book(
        &app,
        &staff,
        one_off(&room, "2026-12-01T10:00:00+08:00", "2026-12-01T11:00:00+08:00", 8),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED);
    let mut c = app.client();
    let body = json!({"zone_code": "trade_negotiation", "name_zh": "洽谈室B", "name_en": "Negotiation Room B", "capacity": 4,
                      "equipment": ["whiteboard", "video_conference"], "requires_approval": true});
    let r = c
        .send_json(Method::PUT, &format!("/api/v1/rooms/{room}"), Some(&admin), &body.to_string())
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["capacity"], 4);
    assert_eq!(r.json()["requires_approval"], true);
    // The booking made under the old rules stays; new ones meet the new rules.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM booking WHERE room_id = $1 AND status = 'confirmed'",
            &room
        )
        .await,
        1
    );
    let r = book(
        &app,
        &staff,
        one_off(&room, "2026-12-02T10:00:00+08:00", "2026-12-02T11:00:00+08:00", 8),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = book(
        &app,
        &staff,
        one_off(&room, "2026-12-02T10:00:00+08:00", "2026-12-02T11:00:00+08:00", 4),
    )
    .await;
    assert_eq!(r.json()["status"], "requested");
    let r = c
        .send_json(Method::PUT, &format!("/api/v1/rooms/{room}"), Some(&staff), &body.to_string())
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = c.send_json(Method::PUT, "/api/v1/rooms/nope", Some(&admin), &body.to_string()).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'room' AND action = $1",
            "update"
        )
        .await,
        1
    );
}

/// An enterprise's booking was approved; when the enterprise moves it to
/// another time it waits for approval again (the room needs none for staff),
/// back in the inbox.
#[tokio::test]
async fn an_approved_enterprise_booking_moved_goes_back_to_approval() {
    let app = TestApp::new().await;
    let ent = app.token(Role::Enterprise).await;
    let admin = app.token(Role::Admin).await;
    let room = room_id(&app, &ent, "Import-Export Consultation Room").await;
    let r = book(
        &app,
        &ent,
        one_off(&room, "2026-12-02T09:00:00+08:00", "2026-12-02T10:00:00+08:00", 3),
    )
    .await;
    assert_eq!(r.json()["status"], "requested");
    let id = r.json()["id"].as_str().unwrap().to_string();
    let mut c = app.client();
    let r = c
        .send_json(Method::POST, &format!("/api/v1/bookings/{id}/approve"), Some(&admin), "")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        c.get_json(&format!("/api/v1/bookings/{id}"), &ent).await.json()["status"],
        "confirmed"
    );

    // A new title alone changes nothing about the approval.
    let path = format!("/api/v1/bookings/{id}");
    let r = c
        .send_json(Method::PATCH, &path, Some(&ent), r#"{"title_en": "Customs consultation"}"#)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(c.get_json(&path, &ent).await.json()["status"], "confirmed");
    // A new time is a new request.
    let moved =
        r#"{"starts_at": "2026-12-02T11:00:00+08:00", "ends_at": "2026-12-02T12:00:00+08:00"}"#;
    let r = c.send_json(Method::PATCH, &path, Some(&ent), moved).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(c.get_json(&path, &ent).await.json()["status"], "requested");
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM approval WHERE subject_id = $1 AND status = 'pending'",
            &id
        )
        .await,
        1,
        "back in the inbox"
    );
}

#[tokio::test]
async fn the_bookings_list_pages_by_a_real_cursor() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let room = room_id(&app, &staff, "Negotiation Room B").await;
    for day in 1..=5 {
        let r = book(&app, &staff, json!({"room_id": room, "starts_at": format!("2026-12-01T{:02}:00:00+08:00", 7 + 2 * day),
                                         "ends_at": format!("2026-12-01T{:02}:00:00+08:00", 8 + 2 * day), "title_en": format!("Day {day}"), "attendees": 2})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let (sizes, items) = app
        .all_pages(
            &format!("/api/v1/bookings?from=2026-12-01&to=2026-12-08&room_id={room}&limit=2"),
            Some(&staff),
            50,
        )
        .await;
    assert!(sizes.iter().all(|n| *n <= 2), "{sizes:?}");
    let seen: Vec<&str> = items.iter().map(|b| b["title_en"].as_str().unwrap()).collect();
    assert_eq!(seen, ["Day 1", "Day 2", "Day 3", "Day 4", "Day 5"]);
    for bad in ["limit=1000", "limit=0", "cursor=x"] {
        let r = app.client().get_json(&format!("/api/v1/bookings?{bad}"), &staff).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
}
