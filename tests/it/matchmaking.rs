//! Matchmaking over HTTP: the setup, profiles by the ticket link, the
//! catalogue and suggestions, requests and answers, placement that never
//! gives one person or one table two meetings at once (whatever the
//! concurrency), cancellation that hands the freed time to a waiting
//! meeting, the batch scheduler, attendance and outcomes.

use axum::http::{Method, StatusCode};
use liaison::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{Resp, TestApp};

/// A matchmaking morning on 10 December: 09:00–12:00, capacity 200.
async fn event(app: &TestApp, staff: &str) -> String {
    let body = json!({"kind": "matchmaking", "title_zh": "医疗器械对接会", "title_en": "Medtech matchmaking",
        "starts_at": "2026-12-10T09:00:00+08:00", "ends_at": "2026-12-10T12:00:00+08:00", "capacity": 200,
        "max_group": 10});
    let r = app
        .client()
        .send_json(Method::POST, "/api/v1/events", Some(staff), &body.to_string())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.json()["id"].as_str().unwrap().to_string();
    let r = app
        .client()
        .send_json(
            Method::POST,
            &format!("/api/v1/events/{id}/transition"),
            Some(staff),
            r#"{"to":"registration_open"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    id
}

/// Switches matchmaking on: 20-minute meetings with 5-minute breaks in
/// the given windows (local times on the day), and `tables` two-seat tables.
async fn setup(
    app: &TestApp,
    staff: &str,
    event: &str,
    windows: &[(&str, &str)],
    tables: i64,
) -> Resp {
    let windows: Vec<Value> = windows
        .iter()
        .map(|(a, b)| json!({"starts_at": format!("2026-12-10T{a}:00+08:00"), "ends_at": format!("2026-12-10T{b}:00+08:00")}))
        .collect();
    let tables: Vec<Value> = (1..=tables).map(|n| json!({"number": n, "seats": 2})).collect();
    let body = json!({"meeting_minutes": 20, "break_minutes": 5, "windows": windows, "tables": tables,
                      "needs_acceptance": true, "request_limit": 5});
    app.client()
        .send_json(
            Method::PUT,
            &format!("/api/v1/events/{event}/matchmaking"),
            Some(staff),
            &body.to_string(),
        )
        .await
}

/// A participant: their ticket link's secret, participant id, profile id.
#[derive(Clone, Debug)]
struct Person {
    secret: String,
    participant: String,
    profile: String,
}

/// Registers one person and makes their profile.
async fn person(app: &TestApp, event: &str, name: &str, profile: Value) -> Person {
    let email = format!("{}@example.org", name.to_lowercase().replace(' ', "."));
    let r = app
        .client()
        .send_json(
            Method::POST,
            &format!("/api/v1/events/{event}/registrations"),
            None,
            &json!({"participants": [{"name": name, "email": email}], "consent": true}).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let body = r.json();
    let secret = body["manage_url"].as_str().unwrap().trim_start_matches("/tickets/").to_string();
    let participant = body["tickets"][0]["participant_id"].as_str().unwrap().to_string();
    let mut p = json!({"secret": secret, "name": name, "languages": ["en"]});
    for (k, v) in profile.as_object().unwrap() {
        p[k] = v.clone();
    }
    let r = app
        .client()
        .send_json(
            Method::PUT,
            &format!("/api/v1/matchmaking/participants/{participant}/profile"),
            None,
            &p.to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let profile = r.json()["id"].as_str().unwrap().to_string();
    Person { secret, participant, profile }
}

async fn ask(app: &TestApp, from: &Person, to: &Person) -> Resp {
    app.client()
        .send_json(
            Method::POST,
            &format!("/api/v1/matchmaking/participants/{}/meetings", from.participant),
            None,
            &json!({"secret": from.secret, "invitee_id": to.profile, "message": "Let us talk."})
                .to_string(),
        )
        .await
}

async fn answer(app: &TestApp, who: &Person, meeting: &str, action: &str) -> Resp {
    app.client()
        .send_json(
            Method::POST,
            &format!(
                "/api/v1/matchmaking/participants/{}/meetings/{meeting}/{action}",
                who.participant
            ),
            None,
            &json!({"secret": who.secret}).to_string(),
        )
        .await
}

async fn agenda(app: &TestApp, who: &Person) -> Vec<Value> {
    let r = app
        .client()
        .get(&format!(
            "/api/v1/matchmaking/participants/{}/agenda?secret={}",
            who.participant, who.secret
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json()["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_buyer_asks_a_maker_who_accepts_and_both_see_one_table_and_time() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let ev = event(&app, &staff).await;
    // Nonsense in the setup is a 422 naming the fields.
    let r = setup(&app, &staff, &ev, &[("08:00", "09:30"), ("09:00", "09:10")], 1).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let keys: Vec<String> = r.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    assert!(
        keys.contains(&"windows[0]".to_string()) && keys.contains(&"windows[1]".to_string()),
        "{keys:?}"
    );
    let r = setup(&app, &staff, &ev, &[("09:00", "10:00")], 1).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let slots: Vec<String> = r.json()["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["starts_at"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(slots, ["2026-12-10T09:00:00+08:00", "2026-12-10T09:25:00+08:00"]);
    // Another center's staff and the public do not see it.
    assert_eq!(
        app.client().get(&format!("/api/v1/events/{ev}/matchmaking")).await.status,
        StatusCode::UNAUTHORIZED
    );
    let enterprise = app.token(Role::Enterprise).await;
    assert_eq!(
        app.client()
            .get_json(&format!("/api/v1/events/{ev}/matchmaking"), &enterprise)
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let buyer = person(&app, &ev, "Anna Keller", json!({"organisation_en": "Alpine Medtech AG", "country": "CH",
        "sector": "medical_devices", "languages": ["en", "de"],
        "entries": [{"side": "need", "topic": "product", "text_en": "Single-use endoscopes"},
                    {"side": "offer", "topic": "service", "text_en": "Distribution in Switzerland"}]})).await;
    let maker = person(
        &app,
        &ev,
        "Li Wei",
        json!({"organisation_zh": "成都某医疗器械有限公司", "country": "CN",
        "sector": "medical_devices", "languages": ["zh", "en"],
        "entries": [{"side": "offer", "topic": "product", "text_zh": "一次性内窥镜"},
                    {"side": "need", "topic": "service", "text_zh": "欧洲分销"}]}),
    )
    .await;
    let other = person(
        &app,
        &ev,
        "Sam Investor",
        json!({"organisation_en": "Fund", "sector": "investment",
        "entries": [{"side": "offer", "topic": "investment", "text_en": "Series A"}]}),
    )
    .await;
    // What the API document refuses is refused: a body that is not an
    // object, a padded code, a text over its length once untrimmed.
    let path = format!("/api/v1/matchmaking/participants/{}/profile", buyer.participant);
    let r = app.client().send_json(Method::PUT, &path, None, "[]").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    for bad in [
        json!({"secret": buyer.secret, "name": "A", "organisation_en": "B", "languages": ["en"], "sector": " biomedicine"}),
        json!({"secret": buyer.secret, "name": "A", "organisation_en": format!(" {}", "x".repeat(200)), "languages": ["en"]}),
    ] {
        let r = app.client().send_json(Method::PUT, &path, None, &bad.to_string()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    }
    // The profile needs a link's secret or staff.
    let r = app
        .client()
        .get(&format!("/api/v1/matchmaking/participants/{}/profile", buyer.participant))
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = app
        .client()
        .get(&format!(
            "/api/v1/matchmaking/participants/{}/profile?secret={}",
            buyer.participant, maker.secret
        ))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "another's secret opens nothing");

    // Suggestions: the maker answers the buyer's needs (and offers); the investor does not.
    let r = app
        .client()
        .get(&format!(
            "/api/v1/matchmaking/participants/{}/suggestions?secret={}",
            buyer.participant, buyer.secret
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let ids: Vec<String> = r.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, vec![maker.profile.clone()]);
    // The catalogue filters by country, topic and language.
    let cat = |q: &str| {
        let (app, b) = (&app, buyer.clone());
        let q = q.to_string();
        async move {
            let r = app
                .client()
                .get(&format!(
                    "/api/v1/matchmaking/participants/{}/catalogue?secret={}&{q}",
                    b.participant, b.secret
                ))
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
            r.json()["items"].as_array().unwrap().len()
        }
    };
    assert_eq!(cat("").await, 3);
    assert_eq!(cat("country=CN").await, 1);
    assert_eq!(cat("topic=product&side=offer").await, 1);
    assert_eq!(cat("language=zh-Hans").await, 1);
    assert_eq!(cat("q=endoscope").await, 1);
    let r = app
        .client()
        .get(&format!(
            "/api/v1/matchmaking/participants/{}/catalogue?secret={}&sector=cheese",
            buyer.participant, buyer.secret
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The buyer asks; asking twice is a conflict; only the maker answers.
    let r = ask(&app, &buyer, &maker).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let meeting = r.json()["id"].as_str().unwrap().to_string();
    assert_eq!(r.json()["status"], "requested");
    assert_eq!(ask(&app, &maker, &buyer).await.status, StatusCode::CONFLICT);
    assert_eq!(answer(&app, &buyer, &meeting, "accept").await.status, StatusCode::CONFLICT);
    assert_eq!(answer(&app, &other, &meeting, "accept").await.status, StatusCode::NOT_FOUND);
    let r = answer(&app, &maker, &meeting, "accept").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let m = r.json();
    assert_eq!(m["status"], "accepted");
    assert_eq!(m["starts_at"], "2026-12-10T09:00:00+08:00");
    assert_eq!(m["table"], 1);
    // Both agendas hold the same meeting at the same table and time.
    let (a, b) = (agenda(&app, &buyer).await, agenda(&app, &maker).await);
    assert_eq!(a.len(), 1);
    assert_eq!(a[0]["id"], b[0]["id"]);
    assert_eq!(
        (a[0]["starts_at"].clone(), a[0]["table"].clone()),
        (b[0]["starts_at"].clone(), b[0]["table"].clone())
    );
    // A second answer is refused with the meeting's state.
    assert_eq!(answer(&app, &maker, &meeting, "decline").await.status, StatusCode::CONFLICT);
    // The slots cannot change while a meeting is placed.
    let r = setup(&app, &staff, &ev, &[("09:00", "11:00")], 1).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    // Staff see it; the outcome waits for the meeting to start.
    let r =
        app.client().get_json(&format!("/api/v1/events/{ev}/matchmaking/meetings"), &staff).await;
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 1);
    let out = json!({"secret": buyer.secret, "outcomes": ["follow_up", "samples"], "note": "Samples by January"});
    let path = format!(
        "/api/v1/matchmaking/participants/{}/meetings/{meeting}/outcome",
        buyer.participant
    );
    let r = app.client().send_json(Method::PUT, &path, None, &out.to_string()).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    app.clock.advance_secs(13 * 86_400);
    let r = app.client().send_json(Method::PUT, &path, None, &out.to_string()).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let r = app
        .client()
        .send_json(
            Method::PUT,
            &format!("/api/v1/events/{ev}/matchmaking/meetings/{meeting}/attendance"),
            Some(&staff),
            r#"{"attendance": "both_present", "late": true}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["attendance"], "both_present");
    // The figures: for staff and for the office that oversees the center.
    let f = app
        .client()
        .get_json(&format!("/api/v1/events/{ev}/matchmaking/figures"), &staff)
        .await
        .json();
    assert_eq!(
        (f["requests"].as_i64(), f["accepted"].as_i64(), f["held"].as_i64()),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(f["acceptance_rate"], 100.0);
    assert_eq!(f["outcomes"][0], json!(["follow_up", 1]));
    let ch = f["by_country"].as_array().unwrap().iter().find(|r| r["key"] == "CH").unwrap().clone();
    assert_eq!((ch["requests"].as_i64(), ch["held"].as_i64()), (Some(1), Some(1)));
    let oversight = app.token(Role::Oversight).await;
    let r = app
        .client()
        .get_json(&format!("/api/v1/events/{ev}/matchmaking/figures?as_of=2026-11-26"), &oversight)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["requests"], 0, "nothing was asked by then");
    let r = app
        .client()
        .get_json(&format!("/api/v1/events/{ev}/matchmaking/figures"), &enterprise)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .client()
        .get_json(&format!("/api/v1/events/{ev}/matchmaking/figures?as_of=soon"), &staff)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_cancellation_gives_the_freed_time_to_a_waiting_meeting() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let ev = event(&app, &staff).await;
    // One slot, one table: the second accepted meeting must wait.
    let r = setup(&app, &staff, &ev, &[("09:00", "09:20")], 1).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let p: Vec<Person> = {
        let mut v = vec![];
        for n in ["Ana", "Ben", "Cai", "Dee"] {
            v.push(person(&app, &ev, n, json!({"organisation_en": format!("{n} Ltd")})).await);
        }
        v
    };
    let m1 = ask(&app, &p[0], &p[1]).await.json()["id"].as_str().unwrap().to_string();
    let m2 = ask(&app, &p[2], &p[3]).await.json()["id"].as_str().unwrap().to_string();
    assert_eq!(answer(&app, &p[1], &m1, "accept").await.json()["table"], 1);
    let waiting = answer(&app, &p[3], &m2, "accept").await.json();
    assert_eq!(waiting["status"], "accepted");
    assert!(waiting["starts_at"].is_null(), "no table left: it waits");
    // The requester cancels; the waiting meeting moves into the freed slot.
    let r = answer(&app, &p[0], &m1, "cancel").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["status"], "cancelled");
    let a = agenda(&app, &p[2]).await;
    assert_eq!(a.len(), 1);
    assert_eq!(a[0]["id"], m2.as_str());
    assert_eq!(a[0]["starts_at"], "2026-12-10T09:00:00+08:00");
    assert!(agenda(&app, &p[0]).await.is_empty());
    // The request limit counts live requests: cancelling gave one back.
    let r = app
        .client()
        .get(&format!(
            "/api/v1/matchmaking/participants/{}/profile?secret={}",
            p[0].participant, p[0].secret
        ))
        .await;
    assert_eq!(r.json()["requests_sent"], 0);
}

#[tokio::test]
async fn the_batch_scheduler_places_waiting_meetings_without_conflicts() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let ev = event(&app, &staff).await;
    // Two slots, no tables yet: every accepted meeting waits.
    assert_eq!(setup(&app, &staff, &ev, &[("09:00", "09:45")], 0).await.status, StatusCode::OK);
    let mut p = vec![];
    for i in 0..4 {
        p.push(person(&app, &ev, &format!("P{i}"), json!({"organisation_en": "Org"})).await);
    }
    // A star: P0 with P1, P2, P3 — only two slots, so one must stay out.
    for other in &p[1..] {
        let id = ask(&app, &p[0], other).await.json()["id"].as_str().unwrap().to_string();
        assert_eq!(answer(&app, other, &id, "accept").await.status, StatusCode::OK);
    }
    // Tables may be added while meetings wait (the slots stay the same).
    assert_eq!(setup(&app, &staff, &ev, &[("09:00", "09:45")], 3).await.status, StatusCode::OK);
    let r = app
        .client()
        .send_json(
            Method::POST,
            &format!("/api/v1/events/{ev}/matchmaking/schedule"),
            Some(&staff),
            "",
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let b = r.json();
    assert_eq!(
        (b["waiting"].as_i64(), b["placed"].as_i64(), b["upper_bound"].as_i64()),
        (Some(3), Some(2), Some(2))
    );
    let a = agenda(&app, &p[0]).await;
    assert_eq!(a.len(), 2);
    assert_ne!(a[0]["starts_at"], a[1]["starts_at"]);
}

/// Many accept at once for the same people and one table: no one is ever
/// in two meetings at one time, nor a table (both backends).
#[tokio::test]
async fn parallel_acceptances_never_double_book_a_person_or_a_table() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let ev = event(&app, &staff).await;
    // Three slots, two tables.
    assert_eq!(setup(&app, &staff, &ev, &[("09:00", "10:15")], 2).await.status, StatusCode::OK);
    let hub = person(&app, &ev, "Hub", json!({"organisation_en": "Hub"})).await;
    let mut spokes = vec![];
    for i in 0..8 {
        spokes
            .push(person(&app, &ev, &format!("Spoke {i}"), json!({"organisation_en": "S"})).await);
    }
    // Eight ask the hub (limit 5 per requester does not bind here); pairs among spokes too.
    let mut meetings = vec![];
    for s in &spokes {
        let r = ask(&app, s, &hub).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        meetings.push((hub.clone(), r.json()["id"].as_str().unwrap().to_string()));
    }
    for pair in spokes.chunks(2) {
        let r = ask(&app, &pair[0], &pair[1]).await;
        meetings.push((pair[1].clone(), r.json()["id"].as_str().unwrap().to_string()));
    }
    let requests = meetings
        .iter()
        .map(|(who, id)| {
            let path = format!(
                "/api/v1/matchmaking/participants/{}/meetings/{id}/accept",
                who.participant
            );
            (Method::POST, path, None, json!({"secret": who.secret}).to_string())
        })
        .collect();
    let answers = app.parallel(requests).await;
    assert!(answers.iter().all(|(s, _)| *s == StatusCode::OK), "{answers:?}");
    // Read back every placed meeting: per slot, each person and each table once.
    let r = app
        .client()
        .get_json(
            &format!("/api/v1/events/{ev}/matchmaking/meetings?status=accepted&limit=200"),
            &staff,
        )
        .await;
    let items = r.json()["items"].as_array().unwrap().clone();
    let placed: Vec<&Value> = items.iter().filter(|m| !m["starts_at"].is_null()).collect();
    let mut seen = std::collections::HashSet::new();
    for m in &placed {
        let at = m["starts_at"].as_str().unwrap();
        for who in [&m["requester"]["id"], &m["invitee"]["id"]] {
            assert!(seen.insert(format!("{at}/{who}")), "{who} twice at {at}");
        }
        assert!(
            seen.insert(format!("{at}/table{}", m["table"])),
            "table {} twice at {at}",
            m["table"]
        );
    }
    // Nothing waits that could have been placed: for every accepted meeting
    // left without a place, at each of the three slots one of its people or
    // both tables were taken (placement is maximal, whatever the order).
    assert!(placed.len() <= 6, "three slots × two tables");
    let slots: std::collections::BTreeSet<&str> =
        placed.iter().map(|m| m["starts_at"].as_str().unwrap()).collect();
    assert_eq!(slots.len(), 3, "every slot is used");
    for m in items.iter().filter(|m| m["starts_at"].is_null()) {
        for at in &slots {
            let busy = |who: &Value| seen.contains(&format!("{at}/{who}"));
            let tables = placed.iter().filter(|p| p["starts_at"] == *at).count();
            assert!(
                busy(&m["requester"]["id"]) || busy(&m["invitee"]["id"]) || tables == 2,
                "meeting {} could have been placed at {at}",
                m["id"]
            );
        }
    }
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM mm_hold WHERE event_id = $1 AND kind = 'table'", &ev)
            .await,
        placed.len() as i64
    );
}

/// Two people with no common language: staff offer the meeting to an
/// interpreter from the roster, with interpreting's rules (a table for
/// three; never two places at once); a cancellation frees the interpreter.
#[tokio::test]
async fn an_interpreter_is_offered_for_a_meeting_without_a_common_language() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let ev = event(&app, &staff).await;
    assert_eq!(setup(&app, &staff, &ev, &[("09:00", "09:20")], 2).await.status, StatusCode::OK);
    let de = person(
        &app,
        &ev,
        "Jonas Braun",
        json!({"organisation_en": "Braun GmbH", "languages": ["de"]}),
    )
    .await;
    let zh = person(&app, &ev, "刘洋", json!({"organisation_zh": "刘氏医疗", "languages": ["zh"]}))
        .await;
    let fr = person(
        &app,
        &ev,
        "Luc Martin",
        json!({"organisation_en": "Martin SA", "languages": ["de"]}),
    )
    .await;
    let zh2 =
        person(&app, &ev, "赵静", json!({"organisation_zh": "赵氏药业", "languages": ["zh"]}))
            .await;
    let m1 = ask(&app, &de, &zh).await.json()["id"].as_str().unwrap().to_string();
    let m2 = ask(&app, &fr, &zh2).await.json()["id"].as_str().unwrap().to_string();
    assert_eq!(answer(&app, &zh, &m1, "accept").await.json()["table"], 1);
    assert_eq!(answer(&app, &zh2, &m2, "accept").await.json()["table"], 2);
    let list = app.client().get_json("/api/v1/interpreters?limit=200", &staff).await.json();
    let german = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| {
            i["languages"]
                .as_array()
                .unwrap()
                .iter()
                .any(|l| l["tag"].as_str().unwrap().starts_with("de"))
        })
        .expect("a German interpreter in the demo roster")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let offer = |m: String| {
        let (app, staff, german, ev) = (&app, staff.clone(), german.clone(), ev.clone());
        async move {
            app.client()
                .send_json(
                    Method::POST,
                    &format!("/api/v1/events/{ev}/matchmaking/meetings/{m}/interpreter"),
                    Some(&staff),
                    &json!({"interpreter_id": german, "language": "de"}).to_string(),
                )
                .await
        }
    };
    // Tables of two have no seat for an interpreter.
    let r = offer(m1.clone()).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(r.json()["number"], 1, "the problem names the table: {}", r.text);
    let r = app
        .client()
        .send_json(Method::PUT, &format!("/api/v1/events/{ev}/matchmaking"), Some(&staff),
            &json!({"meeting_minutes": 20, "break_minutes": 5, "request_limit": 5,
                    "windows": [{"starts_at": "2026-12-10T09:00:00+08:00", "ends_at": "2026-12-10T09:20:00+08:00"}],
                    "tables": [{"number": 1, "seats": 3}, {"number": 2, "seats": 3}]}).to_string())
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = offer(m1.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json()["status"], "offered");
    // The same interpreter at the same time: interpreting's conflict.
    let r = offer(m2.clone()).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    // Cancelling the first meeting frees the interpreter for the second.
    assert_eq!(answer(&app, &de, &m1, "cancel").await.status, StatusCode::OK);
    let r = offer(m2).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
}

/// After the event's retention date, the registrants' purge and then
/// matchmaking's leave no name, organisation, offer, message or note.
#[tokio::test]
async fn matchmaking_personal_data_is_gone_after_the_purge() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let body = json!({"kind": "matchmaking", "title_zh": "对接会", "title_en": "Matchmaking",
        "starts_at": "2026-12-10T09:00:00+08:00", "ends_at": "2026-12-10T12:00:00+08:00", "capacity": 20,
        "retention_until": "2027-06-30"});
    let r = app
        .client()
        .send_json(Method::POST, "/api/v1/events", Some(&staff), &body.to_string())
        .await;
    let ev = r.json()["id"].as_str().unwrap().to_string();
    let r = app
        .client()
        .send_json(
            Method::POST,
            &format!("/api/v1/events/{ev}/transition"),
            Some(&staff),
            r#"{"to":"registration_open"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(setup(&app, &staff, &ev, &[("09:00", "10:00")], 2).await.status, StatusCode::OK);
    let a = person(
        &app,
        &ev,
        "Quixote Zebulon",
        json!({"organisation_en": "Windmill Zebulon AG",
        "entries": [{"side": "need", "topic": "product", "text_en": "Lances Zebulon"}]}),
    )
    .await;
    let b =
        person(&app, &ev, "Sancho Zebulon", json!({"organisation_en": "Donkey Zebulon Ltd"})).await;
    let r = app
        .client()
        .send_json(
            Method::POST,
            &format!("/api/v1/matchmaking/participants/{}/meetings", a.participant),
            None,
            &json!({"secret": a.secret, "invitee_id": b.profile, "message": "Ride with Zebulon"})
                .to_string(),
        )
        .await;
    let m = r.json()["id"].as_str().unwrap().to_string();
    assert_eq!(answer(&app, &b, &m, "accept").await.status, StatusCode::OK);
    app.clock.advance_secs(13 * 86_400);
    let r = app
        .client()
        .send_json(
            Method::PUT,
            &format!("/api/v1/matchmaking/participants/{}/meetings/{m}/outcome", a.participant),
            None,
            &json!({"secret": a.secret, "outcomes": ["follow_up"], "note": "Call Zebulon"})
                .to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    assert!(app.text_holding("Zebulon").await.len() >= 5, "stored before the purge");
    app.clock.advance_secs(300 * 86_400);
    let who = liaison::audit::Who::cli();
    liaison::domains::events::registration::service::purge_expired(&app.state, &who).await.unwrap();
    let n = liaison::domains::matchmaking::profile::service::purge_expired(&app.state, &who)
        .await
        .unwrap();
    assert_eq!(n, 2);
    assert_eq!(app.text_holding("Zebulon").await, Vec::<String>::new());
    // The figures stay.
    let f = app
        .client()
        .get_json(&format!("/api/v1/events/{ev}/matchmaking/figures"), &staff)
        .await
        .json();
    assert_eq!((f["requests"].as_i64(), f["outcomes"][0][1].as_i64()), (Some(1), Some(1)));
}

/// A member of a group gets matchmaking e-mails at their own address, with
/// a link of their own: it opens their matchmaking pages, not the group's
/// tickets nor another member's pages.
#[tokio::test]
async fn the_emailed_link_opens_only_its_participants_pages() {
    let (port, mut received) = crate::helpers::smtp_sink().await;
    let app = TestApp::with_config(|c| {
        c.smtp_url = format!("smtp://127.0.0.1:{port}");
        c.smtp_from = "Liaison <liaison@center.example>".into();
    })
    .await;
    liaison::demo::load(&app.state).await.unwrap();
    let staff = app.token(Role::Staff).await;
    let ev = event(&app, &staff).await;
    assert_eq!(setup(&app, &staff, &ev, &[("09:00", "10:00")], 2).await.status, StatusCode::OK);
    // A group: the contact and a member with her own address.
    let r = app
        .client()
        .send_json(Method::POST, &format!("/api/v1/events/{ev}/registrations"), None,
            &json!({"participants": [{"name": "Wang Lei", "email": "wang@group.example"},
                                     {"name": "Zhou Min", "email": "zhou@group.example"}], "consent": true}).to_string())
        .await;
    let group = r.json();
    let secret = group["manage_url"].as_str().unwrap().trim_start_matches("/tickets/").to_string();
    let contact = group["tickets"][0]["participant_id"].as_str().unwrap().to_string();
    let member = group["tickets"][1]["participant_id"].as_str().unwrap().to_string();
    let r = app
        .client()
        .send_json(Method::PUT, &format!("/api/v1/matchmaking/participants/{member}/profile"), None,
            &json!({"secret": secret, "name": "Zhou Min", "organisation_zh": "周氏", "languages": ["zh"]}).to_string())
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let zhou = r.json()["id"].as_str().unwrap().to_string();
    let buyer = person(&app, &ev, "Ina Vogel", json!({"organisation_en": "Vogel AG"})).await;
    let target = Person { secret: secret.clone(), participant: member.clone(), profile: zhou };
    assert_eq!(ask(&app, &buyer, &target).await.status, StatusCode::CREATED);
    let mail = loop {
        let m = tokio::time::timeout(std::time::Duration::from_secs(10), received.recv())
            .await
            .unwrap()
            .unwrap();
        if m.contains("RCPT TO:<zhou@group.example>") {
            break m;
        }
    };
    let body = crate::helpers::mail_body(&mail);
    let link =
        body.split_whitespace().find(|w| w.starts_with("/tickets/")).expect("a link").to_string();
    assert!(link.ends_with(&format!("/meet/{member}")), "{link}");
    let own = link.trim_start_matches("/tickets/").split('/').next().unwrap().to_string();
    assert_ne!(own, secret, "not the registration's ticket link");
    assert_eq!(app.client().get(&link).await.status, StatusCode::OK);
    assert_eq!(app.client().get(&format!("/tickets/{own}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.client().get(&format!("/tickets/{own}/meet/{contact}")).await.status,
        StatusCode::NOT_FOUND
    );
}

/// Someone who cancels their registration leaves the catalogue and can no
/// longer be asked.
#[tokio::test]
async fn a_cancelled_registration_leaves_the_catalogue() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let ev = event(&app, &staff).await;
    assert_eq!(setup(&app, &staff, &ev, &[("09:00", "10:00")], 2).await.status, StatusCode::OK);
    let a = person(&app, &ev, "Ada Stay", json!({"organisation_en": "Stay AG"})).await;
    let b = person(&app, &ev, "Bo Leave", json!({"organisation_en": "Leave AG"})).await;
    let count = || {
        let (app, a) = (&app, a.clone());
        async move {
            let r = app
                .client()
                .get(&format!(
                    "/api/v1/matchmaking/participants/{}/catalogue?secret={}",
                    a.participant, a.secret
                ))
                .await;
            r.json()["items"].as_array().unwrap().len()
        }
    };
    assert_eq!(count().await, 2);
    let id: String = sqlx::query_scalar("SELECT registration_id FROM mm_profile WHERE id = $1")
        .bind(&b.profile)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    let r = app
        .client()
        .send_json(
            Method::POST,
            &format!("/api/v1/registrations/{id}/cancel?token={}", b.secret),
            None,
            "{}",
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(count().await, 1);
    let r = ask(&app, &a, &b).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
}

/// Staff move an agreed meeting to another slot when both are free there
/// (a table too); otherwise 409 and nothing changes.
#[tokio::test]
async fn staff_move_a_meeting_only_where_both_are_free() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let ev = event(&app, &staff).await;
    assert_eq!(setup(&app, &staff, &ev, &[("09:00", "09:45")], 2).await.status, StatusCode::OK);
    let mut p = vec![];
    for n in ["Ana", "Ben", "Cai", "Dee", "Eve"] {
        p.push(person(&app, &ev, n, json!({"organisation_en": format!("{n} Ltd")})).await);
    }
    let agree = |x: usize, y: usize| {
        let (app, a, b) = (&app, p[x].clone(), p[y].clone());
        async move {
            let id = ask(app, &a, &b).await.json()["id"].as_str().unwrap().to_string();
            let r = answer(app, &b, &id, "accept").await.json();
            (id, r["starts_at"].as_str().unwrap_or_default().to_string())
        }
    };
    let (m1, at1) = agree(0, 1).await;
    let (_, at2) = agree(2, 1).await;
    let (m3, at3) = agree(3, 4).await;
    assert_eq!(
        (at1.as_str(), at2.as_str(), at3.as_str()),
        ("2026-12-10T09:00:00+08:00", "2026-12-10T09:25:00+08:00", "2026-12-10T09:00:00+08:00")
    );
    let move_to = |m: String, at: &str| {
        let (app, staff, ev) = (&app, staff.clone(), ev.clone());
        let body = json!({"starts_at": at}).to_string();
        async move {
            app.client()
                .send_json(
                    Method::POST,
                    &format!("/api/v1/events/{ev}/matchmaking/meetings/{m}/move"),
                    Some(&staff),
                    &body,
                )
                .await
        }
    };
    // Ben meets Cai at 09:25: Ana–Ben cannot move there, and stays put.
    let r = move_to(m1.clone(), "2026-12-10T09:25:00+08:00").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(agenda(&app, &p[0]).await[0]["starts_at"], "2026-12-10T09:00:00+08:00");
    // Dee–Eve can: the other table is free at 09:25.
    let r = move_to(m3.clone(), "2026-12-10T09:25:00+08:00").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["starts_at"], "2026-12-10T09:25:00+08:00");
    assert_eq!(agenda(&app, &p[4]).await[0]["starts_at"], "2026-12-10T09:25:00+08:00");
    // Not a slot of the setup: 422.
    let r = move_to(m3, "2026-12-10T09:10:00+08:00").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
}
