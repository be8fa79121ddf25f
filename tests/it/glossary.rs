//! The glossary over HTTP: terms and who may decide them, the checker on a
//! pair, every text checked at once, a finding fixed in one click (once,
//! whatever the concurrency, and never over an edit made since), dismissed
//! findings not raised again, and the pages in both languages.

use axum::http::{Method, StatusCode};
use liaison::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{Resp, TestApp};

const SLIP: &str = "Tri-Medical innovation centre";

async fn send(app: &TestApp, method: Method, path: &str, token: &str, body: Value) -> Resp {
    app.client().send_json(method, path, Some(token), &body.to_string()).await
}

async fn open_findings(app: &TestApp, token: &str) -> Vec<Value> {
    app.all_pages("/api/v1/glossary/findings?limit=200", Some(token), 50).await.1
}

/// The demo's planted slip: the Hong Kong-Macao promotion's English summary.
async fn the_slip(app: &TestApp, token: &str) -> Value {
    let all = open_findings(app, token).await;
    all.into_iter()
        .find(|f| f["found"] == SLIP)
        .unwrap_or_else(|| panic!("the demo's slip is in the queue"))
}

async fn event_summary(app: &TestApp, token: &str, id: &str) -> String {
    let r = app.client().get_json(&format!("/api/v1/events/{id}"), token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json()["summary_en"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn the_demo_slip_is_found_and_fixed_in_one_click() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let f = the_slip(&app, &staff).await;
    assert_eq!(f["kind"], "forbidden");
    assert_eq!(f["place"], "event");
    assert_eq!(f["field"], "summary");
    assert_eq!(f["expected"], "Tri-medical Innovation Center");
    assert_eq!(f["fixable"], true);
    let event_id = f["record_id"].as_str().unwrap();
    assert_eq!(f["edit_href"], format!("/events/{event_id}/edit"));
    let before = event_summary(&app, &staff, event_id).await;
    assert!(before.contains(SLIP), "{before}");

    let id = f["id"].as_str().unwrap();
    let r =
        send(&app, Method::POST, &format!("/api/v1/glossary/findings/{id}/fix"), &staff, json!({}))
            .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["status"], "fixed");
    assert_eq!(
        event_summary(&app, &staff, event_id).await,
        before.replace(SLIP, "Tri-medical Innovation Center")
    );
    // Once: a second click is a conflict, and the text is not touched again.
    let again =
        send(&app, Method::POST, &format!("/api/v1/glossary/findings/{id}/fix"), &staff, json!({}))
            .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text);
    assert!(open_findings(&app, &staff).await.iter().all(|f| f["found"] != SLIP));
    // The fix is audited on the event, with the text before and after.
    let n = app
        .count(
            "SELECT COUNT(*) AS n FROM audit_log WHERE entity_id = $1 AND action = 'glossary-fix'",
            event_id,
        )
        .await;
    assert_eq!(n, 1);
    // Checking everything again finds nothing there any more.
    let r = send(&app, Method::POST, "/api/v1/glossary/sweep", &staff, json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.json()["texts"].as_u64().unwrap() > 20, "{}", r.text);
    assert!(
        open_findings(&app, &staff)
            .await
            .iter()
            .all(|f| f["record_id"] != event_id || f["field"] != "summary")
    );
}

#[tokio::test]
async fn a_fix_never_overwrites_an_edit_made_since() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let f = the_slip(&app, &staff).await;
    let event_id = f["record_id"].as_str().unwrap();
    // Someone rewrites the summary after the check: the slip moved.
    let edited = "Now presenting the Tri-Medical innovation centre to Hong Kong and Macao.";
    sqlx::query("UPDATE event SET summary_en = $1 WHERE id = $2")
        .bind(edited)
        .bind(event_id)
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    let r = send(
        &app,
        Method::POST,
        &format!("/api/v1/glossary/findings/{}/fix", f["id"].as_str().unwrap()),
        &staff,
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(event_summary(&app, &staff, event_id).await, edited);
    // Still open; checking again puts it where it now is, and the fix then
    // changes the slip and keeps the edit.
    assert!(open_findings(&app, &staff).await.iter().any(|x| x["id"] == f["id"]));
    send(&app, Method::POST, "/api/v1/glossary/sweep", &staff, json!({})).await;
    let f = the_slip(&app, &staff).await;
    assert_eq!(f["start"], 19);
    let r = send(
        &app,
        Method::POST,
        &format!("/api/v1/glossary/findings/{}/fix", f["id"].as_str().unwrap()),
        &staff,
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        event_summary(&app, &staff, event_id).await,
        edited.replace(SLIP, "Tri-medical Innovation Center")
    );
}

#[tokio::test]
async fn parallel_fixes_of_one_finding_apply_it_once() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let f = the_slip(&app, &staff).await;
    let event_id = f["record_id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/glossary/findings/{}/fix", f["id"].as_str().unwrap());
    let requests = (0..8)
        .map(|_| (Method::POST, path.clone(), Some(staff.clone()), "{}".to_string()))
        .collect();
    let results = app.parallel(requests).await;
    let ok = results.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    let conflicts = results.iter().filter(|(s, _)| *s == StatusCode::CONFLICT).count();
    assert_eq!((ok, conflicts), (1, 7), "{results:?}");
    let summary = event_summary(&app, &staff, &event_id).await;
    assert_eq!(summary.matches("Tri-medical Innovation Center").count(), 1, "{summary}");
    assert!(!summary.contains(SLIP));
}

#[tokio::test]
async fn parallel_checks_of_everything_leave_one_set_of_findings() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let one = open_findings(&app, &staff).await.len();
    assert!(one > 0);
    let requests = (0..6)
        .map(|_| {
            (
                Method::POST,
                "/api/v1/glossary/sweep".to_string(),
                Some(staff.clone()),
                "{}".to_string(),
            )
        })
        .collect();
    let results = app.parallel(requests).await;
    assert!(results.iter().all(|(s, b)| *s == StatusCode::OK && b["open"] == one), "{results:?}");
    let after = open_findings(&app, &staff).await;
    assert_eq!(after.len(), one);
    let mut ids: Vec<(String, String, String, String, i64)> = after
        .iter()
        .map(|f| {
            (
                f["record_id"].as_str().unwrap().into(),
                f["field"].as_str().unwrap().into(),
                f["term_id"].as_str().unwrap().into(),
                f["kind"].as_str().unwrap().into(),
                f["start"].as_i64().unwrap_or(-1),
            )
        })
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), one, "no finding twice");
}

#[tokio::test]
async fn a_dismissed_finding_is_not_raised_again() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let translator = app.token(Role::Interpreter).await;
    let f = the_slip(&app, &staff).await;
    let path = format!("/api/v1/glossary/findings/{}/dismiss", f["id"].as_str().unwrap());
    // Staff may fix what they may edit, but judging a term is the translators'.
    let r = send(&app, Method::POST, &path, &staff, json!({})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let r = send(&app, Method::POST, &path, &translator, json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["status"], "dismissed");
    send(&app, Method::POST, "/api/v1/glossary/sweep", &staff, json!({})).await;
    assert!(open_findings(&app, &staff).await.iter().all(|x| x["found"] != SLIP));
    let dismissed =
        app.all_pages("/api/v1/glossary/findings?status=dismissed", Some(&staff), 5).await.1;
    assert_eq!(dismissed.len(), 1);
    // The translator may not edit events, so may not fix one.
    let other = open_findings(&app, &staff)
        .await
        .into_iter()
        .find(|f| f["place"] == "event" && f["fixable"] == true);
    if let Some(o) = other {
        let r = send(
            &app,
            Method::POST,
            &format!("/api/v1/glossary/findings/{}/fix", o["id"].as_str().unwrap()),
            &translator,
            json!({}),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    }
}

#[tokio::test]
async fn the_checker_answers_for_a_pair() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let body = json!({"zh": "对外交流中心位于温江区成都医学城三医创新中心", "en": "The exchange centre sits in the Tri-Medical innovation centre of Chengdu Medical city, Wenjiang District."});
    let r = send(&app, Method::POST, "/api/v1/glossary/check", &staff, body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let found = r.json()["findings"].as_array().unwrap().clone();
    let kinds: Vec<(&str, &str)> = found
        .iter()
        .map(|f| (f["kind"].as_str().unwrap(), f["expected"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("forbidden", "Tri-medical Innovation Center"),
            ("forbidden", "Chengdu Medical City"),
            ("missing", "International Exchange Center"),
        ]
    );
    assert_eq!(
        found[0]["fixed"],
        "The exchange centre sits in the Tri-medical Innovation Center of Chengdu Medical city, Wenjiang District."
    );
    assert_eq!(found[2]["fixed"], Value::Null);
    let long = "中".repeat(20_001);
    let r =
        send(&app, Method::POST, "/api/v1/glossary/check", &staff, json!({"zh": long, "en": ""}))
            .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let enterprise = app.token(Role::Enterprise).await;
    let r = send(
        &app,
        Method::POST,
        "/api/v1/glossary/check",
        &enterprise,
        json!({"zh": "", "en": ""}),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn translators_decide_terms_and_others_propose() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let translator = app.token(Role::Interpreter).await;
    let term = json!({"zh": "投资促进局", "en": "Investment Promotion Bureau", "status": "approved",
                      "variants": ["Investment Promotion Agency"], "source": "ours"});
    let r = send(&app, Method::POST, "/api/v1/glossary/terms", &staff, term.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let mut proposal = term.clone();
    proposal["status"] = json!("proposed");
    let r = send(&app, Method::POST, "/api/v1/glossary/terms", &staff, proposal).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.json()["id"].as_str().unwrap().to_string();
    assert!(r.header("location").ends_with(&id));
    // A proposal is not enforced.
    let pair = json!({"zh": "投资促进局", "en": "The Investment Promotion Agency"});
    let r = send(&app, Method::POST, "/api/v1/glossary/check", &staff, pair.clone()).await;
    assert_eq!(r.json()["findings"], json!([]));
    // Staff may not approve it; the translator may.
    let r = send(&app, Method::PUT, &format!("/api/v1/glossary/terms/{id}"), &staff, term.clone())
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r =
        send(&app, Method::PUT, &format!("/api/v1/glossary/terms/{id}"), &translator, term.clone())
            .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["status"], "approved");
    let r = send(&app, Method::POST, "/api/v1/glossary/check", &staff, pair).await;
    assert_eq!(r.json()["findings"][0]["kind"], "forbidden", "{}", r.text);
    // The same pair twice is refused, with the reason; bad input names every field.
    let r = send(&app, Method::POST, "/api/v1/glossary/terms", &translator, term.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let bad = json!({"zh": " ", "en": "Bureau", "status": "approved", "variants": ["Bureau"]});
    let r = send(&app, Method::POST, "/api/v1/glossary/terms", &translator, bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let fields: Vec<String> = r.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, ["zh", "variants"], "{}", r.text);
    let r = send(
        &app,
        Method::POST,
        "/api/v1/glossary/terms",
        &translator,
        json!({"zh": "x", "en": "y", "status": "maybe"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    // Search finds it by a variant; removing it takes it out of the checker.
    let found =
        app.all_pages("/api/v1/glossary/terms?q=promotion%20agency", Some(&staff), 5).await.1;
    assert_eq!(found.len(), 1);
    let r =
        send(&app, Method::DELETE, &format!("/api/v1/glossary/terms/{id}"), &translator, json!({}))
            .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = app.client().get_json(&format!("/api/v1/glossary/terms/{id}"), &staff).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_seed_is_added_once_and_the_terms_page() {
    let app = TestApp::new().await;
    let translator = app.token(Role::Interpreter).await;
    let (sizes, all) =
        app.all_pages("/api/v1/glossary/terms?limit=10", Some(&translator), 10).await;
    assert!(sizes.len() >= 3 && all.len() >= 25, "{sizes:?}");
    let r = send(&app, Method::POST, "/api/v1/glossary/seed", &translator, json!({})).await;
    assert_eq!(r.json()["added"], 0, "{}", r.text);
    for lang in ["zh-CN", "en"] {
        let mut c = app.signed_in(Role::Staff).await;
        c = c.with_header("accept-language", lang);
        let r = c.get("/glossary").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text.contains("Tri-medical Innovation Center"));
        let r = c.get("/glossary/findings").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text.contains(SLIP), "the queue shows the slip");
    }
    // The page's checker: the slip, marked, and the text once fixed.
    let mut c = app.signed_in(Role::Staff).await;
    let r = c
        .post_form(
            "/glossary",
            "/glossary/check",
            &[("check_zh", "三医创新中心"), ("check_en", "The Tri-Medical innovation centre")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.text.contains("<mark>Tri-Medical innovation centre</mark>"), "{}", r.visible_text());
    assert!(r.text.contains("The Tri-medical Innovation Center"));
    // A proposal from a form: staff cannot approve by sending the status.
    let r = c
        .post_form(
            "/glossary",
            "/glossary/terms",
            &[("zh", "医学城"), ("en", "Medical City"), ("status", "approved")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let proposed =
        app.all_pages("/api/v1/glossary/terms?status=proposed", Some(&translator), 5).await.1;
    assert_eq!(proposed.len(), 1);
    // A refused form comes back with what was typed.
    let r =
        c.post_form("/glossary", "/glossary/terms", &[("zh", ""), ("en", "Medical Town")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("Medical Town"));
    // Fixing from the queue page.
    let mut staff_page = app.signed_in(Role::Staff).await;
    let staff = app.token(Role::Staff).await;
    let f = the_slip(&app, &staff).await;
    let r = staff_page
        .post_form(
            "/glossary/findings",
            &format!("/glossary/findings/{}/fix", f["id"].as_str().unwrap()),
            // What the filters send back is never put raw into the address.
            &[("place", "event\r\nX: y"), ("kind", "forbidden")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(r.header("location"), "/glossary/findings?status=&place=&kind=forbidden");
    let r = staff_page
        .post_form(
            "/glossary/findings",
            &format!("/glossary/findings/{}/fix", f["id"].as_str().unwrap()),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text.contains("data-test=\"alert\""));
}

#[tokio::test]
async fn a_zone_saved_with_a_slip_is_flagged_at_once_and_clean_once_corrected() {
    let app = TestApp::new().await;
    let admin = app.token(Role::Admin).await;
    let zone = app.zone_id("science_popularization").await;
    let body = json!({"name_zh": "科普展示区", "name_en": "Science Popularization",
        "description_zh": "三医创新中心的科普展示区", "description_en": format!("The science zone of the {SLIP}.")});
    let r = send(&app, Method::PATCH, &format!("/api/v1/zones/{zone}"), &admin, body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // No full check ran: the save itself found it.
    let found = open_findings(&app, &admin).await;
    assert!(
        found.iter().any(|f| f["record_id"] == zone.as_str() && f["found"] == SLIP),
        "{found:?}"
    );
    let body = json!({"name_zh": "科普展示区", "name_en": "Science Popularization",
        "description_zh": "三医创新中心的科普展示区", "description_en": "The science zone of the Tri-medical Innovation Center."});
    let r = send(&app, Method::PATCH, &format!("/api/v1/zones/{zone}"), &admin, body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let found = open_findings(&app, &admin).await;
    assert!(!found.iter().any(|f| f["record_id"] == zone.as_str()), "{found:?}");
}
