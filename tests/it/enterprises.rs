//! Enterprise services over HTTP: enterprises and their codes, who sees
//! what, a special-item import through its flow with documents, the
//! supplement loop and its clock, versioned forms, the white list's ledger
//! under concurrency, signed webhooks to a receiver on loopback, figures.

use axum::http::{Method, StatusCode};
use liaison::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{Resp, TestApp};
use crate::news::multipart;

async fn send(app: &TestApp, method: Method, path: &str, token: &str, body: Value) -> Resp {
    app.client().send_json(method, path, Some(token), &body.to_string()).await
}

async fn get(app: &TestApp, path: &str, token: &str) -> Value {
    let r = app.client().get_json(path, token).await;
    assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text);
    r.json()
}

/// A one-page PDF.
pub const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

pub async fn upload(
    app: &TestApp,
    token: &str,
    request_id: &str,
    key: &str,
    name: &str,
    bytes: &[u8],
) -> Resp {
    let (ct, body) = multipart(&[("doc_key", key)], Some((name, bytes)));
    app.client()
        .with_header("authorization", &format!("Bearer {token}"))
        .send(
            Method::POST,
            &format!("/api/v1/requests/{request_id}/documents"),
            Some(ct.as_str()),
            body,
        )
        .await
}

pub async fn service_id(app: &TestApp, token: &str, code: &str) -> String {
    let types = get(app, "/api/v1/service-types", token).await;
    types.as_array().unwrap().iter().find(|t| t["code"] == code).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

pub async fn take(app: &TestApp, token: &str, id: &str, mv: &str, extra: Value) -> Resp {
    let version = get(app, &format!("/api/v1/requests/{id}"), token).await["version"].clone();
    let mut body = json!({"move": mv, "version": version});
    for (k, v) in extra.as_object().cloned().unwrap_or_default() {
        body[k] = v;
    }
    send(app, Method::POST, &format!("/api/v1/requests/{id}/moves"), token, body).await
}

fn two_items() -> Value {
    json!([
        {"name_en": "Monoclonal antibody reference standard", "category": "biological_product", "hs_code": "3002.15.00.00",
         "spec": "1 mg/vial", "quantity": "20", "unit": "vials", "regime": "c2_8"},
        {"name_zh": "细胞培养基", "category": "reagent", "hs_code": "3821000000", "quantity": "12.5", "unit": "L", "regime": "ambient"}
    ])
}

#[tokio::test]
async fn an_enterprise_is_known_by_a_checked_credit_code() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let body = |code: &str| {
        json!({"uscc": code, "name_zh": "成都测试生物科技有限公司", "name_en": "Chengdu Test Biotech Co., Ltd.",
        "settled": true, "settled_on": "2024-01-02", "contacts": [{"name": "刘", "email": "liu@example.cn"}]})
    };
    let r =
        send(&app, Method::POST, "/api/v1/enterprises", &staff, body("914403001922038217")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = &r.json()["errors"][0];
    assert_eq!(e["field"], "uscc", "{}", r.text);
    assert!(
        e["message"].as_str().unwrap().contains('6'),
        "the reason names the right check character: {e}"
    );
    let r = app
        .client()
        .with_header("accept-language", "zh-CN")
        .send_json(
            Method::POST,
            "/api/v1/enterprises",
            Some(&staff),
            &body("9144 0300 1922 0382 1I").to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("I"), "{}", r.text);
    let r = send(&app, Method::POST, "/api/v1/enterprises", &staff, body("9144 0300-1922 0382 16"))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json()["uscc"], "914403001922038216");
    let r =
        send(&app, Method::POST, "/api/v1/enterprises", &staff, body("914403001922038216")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "the same code twice");
    // The enterprise role cannot register or list enterprises.
    let firm = app.token(Role::Enterprise).await;
    let r =
        send(&app, Method::POST, "/api/v1/enterprises", &firm, body("91330100716105852F")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.client().get_json("/api/v1/enterprises", &firm).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn an_enterprise_sees_only_its_own_records() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let firm = app.token(Role::Enterprise).await;
    let all = get(&app, "/api/v1/requests", &staff).await["items"].as_array().unwrap().len();
    let own = get(&app, "/api/v1/requests", &firm).await["items"].as_array().unwrap().clone();
    assert_eq!((all, own.len()), (3, 3), "the demo's requests are the demo enterprise's");
    // Another enterprise files one; the demo enterprise cannot see it.
    let list = get(&app, "/api/v1/enterprises", &staff).await;
    let other = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name_en"].as_str().unwrap().starts_with("Wenjiang"))
        .unwrap();
    let consult = service_id(&app, &staff, "policy_consultation").await;
    let r = send(
        &app,
        Method::POST,
        "/api/v1/requests",
        &staff,
        json!({"service_type_id": consult, "enterprise_id": other["id"],
        "title": "Question", "answers": {"question": "?"}}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let theirs = r.json()["id"].as_str().unwrap().to_string();
    for path in [
        format!("/api/v1/requests/{theirs}"),
        format!("/api/v1/requests/{theirs}/documents"),
        format!("/api/v1/requests/{theirs}/messages"),
        format!("/api/v1/enterprises/{}", other["id"].as_str().unwrap()),
    ] {
        assert_eq!(
            app.client().get_json(&path, &firm).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let r = send(
        &app,
        Method::POST,
        &format!("/api/v1/requests/{theirs}/messages"),
        &firm,
        json!({"body": "hi"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(get(&app, "/api/v1/requests", &firm).await["items"].as_array().unwrap().len(), 3);
    // Their white list is theirs alone too.
    let wl = get(&app, "/api/v1/whitelist", &firm).await;
    assert_eq!(wl["items"].as_array().unwrap().len(), 1);
    // Interpreters and oversight have no business here.
    let interpreter = app.token(Role::Interpreter).await;
    assert_eq!(
        app.client().get_json("/api/v1/requests", &interpreter).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_special_item_import_goes_through_review_with_a_supplement_loop() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let firm = app.token(Role::Enterprise).await;
    let import = service_id(&app, &firm, "special_item_import").await;
    let r = send(&app, Method::POST, "/api/v1/requests", &firm, json!({"service_type_id": import, "title": "Antibody standards",
        "answers": {"purpose": "Quality research", "project": "MAB-1", "transport": "air"}, "items": two_items()})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let req = r.json();
    let id = req["id"].as_str().unwrap().to_string();
    assert_eq!(req["status"], "draft");
    assert_eq!(req["items"][1]["quantity"], "12.5");
    assert_eq!(req["items"][0]["hs_code"], "3002150000");
    assert_eq!(req["missing_documents"], json!(["licence", "description", "risk"]));
    // Submitting without the mandatory documents: 422 naming each.
    let r = take(&app, &firm, &id, "submit", json!({})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let fields: Vec<String> = r.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, ["documents.licence", "documents.description", "documents.risk"]);
    assert!(r.text.contains("营业执照"), "named in the caller's language: {}", r.text);
    // A script named like a PDF is refused by its content; a PDF named .bin is taken.
    let r = upload(&app, &firm, &id, "licence", "licence.pdf", b"#!/bin/sh\necho owned\n").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(r.json()["errors"][0]["field"], "file");
    assert!(r.json()["errors"][0]["message"].as_str().unwrap().contains("PDF"), "{}", r.text);
    let r = upload(&app, &firm, &id, "licence", "scan.bin", PDF).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json()["doc_type"], "pdf");
    let doc_url = r.json()["url"].as_str().unwrap().to_string();
    let r = upload(&app, &firm, &id, "nonsense", "x.pdf", PDF).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a key off the checklist");
    // Downloads are attachments, never sniffed.
    let r = app.client().get_json(&doc_url, &staff).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.header("content-disposition").starts_with("attachment;"),
        "{}",
        r.header("content-disposition")
    );
    assert_eq!(r.header("x-content-type-options"), "nosniff");
    assert_eq!(r.header("content-type"), "application/pdf");
    assert_eq!(r.text.as_bytes(), PDF);
    for key in ["description", "risk"] {
        assert_eq!(upload(&app, &firm, &id, key, "d.pdf", PDF).await.status, StatusCode::CREATED);
    }
    assert_eq!(take(&app, &firm, &id, "submit", json!({})).await.status, StatusCode::OK);
    // The officer's moves are not the enterprise's; an illegal move lists the allowed ones.
    assert_eq!(
        take(&app, &firm, &id, "start_review", json!({})).await.status,
        StatusCode::FORBIDDEN
    );
    let r = take(&app, &staff, &id, "approve", json!({})).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json()["allowed_moves"], json!(["start_review", "ask_supplement"]), "{}", r.text);
    let r = take(&app, &staff, &id, "start_review", json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let req = r.json();
    assert!(req["officer_name"].as_str().unwrap().contains("Li Xiao"), "the officer who took it");
    assert_eq!(
        (req["clock"]["sla_days"].as_i64(), req["clock"]["standing"].as_str()),
        (Some(3), Some("on_time"))
    );
    // A supplement needs a reason; it stops the clock.
    assert_eq!(
        take(&app, &staff, &id, "ask_supplement", json!({})).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // Friday 27 November → Monday 30 November: one working day.
    app.clock.advance_secs(3 * 24 * 3600);
    let r = take(
        &app,
        &staff,
        &id,
        "ask_supplement",
        json!({"note": "请补充伦理审查批件", "asked": ["ethics"]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["clock"]["standing"], "paused");
    assert_eq!(r.json()["clock"]["used_days"], 1);
    assert_eq!(r.json()["waits_on"], "enterprise");
    app.clock.advance_secs(10 * 24 * 3600);
    let r = get(&app, &format!("/api/v1/requests/{id}"), &firm).await;
    assert_eq!(
        (r["clock"]["standing"].as_str(), r["clock"]["used_days"].as_i64()),
        (Some("paused"), Some(1)),
        "the clock did not run"
    );
    assert_eq!(
        upload(&app, &firm, &id, "ethics", "ethics.pdf", PDF).await.status,
        StatusCode::CREATED
    );
    let r = take(&app, &firm, &id, "resupply", json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["clock"]["standing"], "on_time");
    assert_eq!(r.json()["clock"]["used_days"], 1, "it goes on from where it stopped");
    let r = take(&app, &staff, &id, "file", json!({"authority_ref": "成关检特审〔2026〕118号", "valid_from": "2026-12-08", "valid_until": "2027-06-07"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["status"], "filed");
    let steps = get(&app, &format!("/api/v1/requests/{id}/steps"), &staff).await;
    let steps = steps.as_array().unwrap();
    assert_eq!(steps.len(), 5, "every move recorded");
    assert_eq!(steps[4]["authority_ref"], "成关检特审〔2026〕118号");
    assert_eq!(
        (steps[2]["move"].as_str(), steps[2]["days"].as_i64()),
        (Some("ask_supplement"), Some(1))
    );
    assert_eq!(steps[4]["valid_until"], "2027-06-07");
    // Stale versions are refused.
    let r = send(
        &app,
        Method::POST,
        &format!("/api/v1/requests/{id}/moves"),
        &staff,
        json!({"move": "approve", "version": 1}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // Messages both ways, each side told.
    let r = send(
        &app,
        Method::POST,
        &format!("/api/v1/requests/{id}/messages"),
        &firm,
        json!({"body": "When will customs decide?"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let msgs = get(&app, &format!("/api/v1/requests/{id}/messages"), &staff).await;
    assert_eq!(msgs[0]["side"], "enterprise");
    let told = app.count("SELECT COUNT(*) AS n FROM notification WHERE subject_id = $1", &id).await;
    assert!(told >= 4, "moves and messages are told to the other side ({told})");
}

#[tokio::test]
async fn a_new_form_version_never_breaks_requests_already_filed() {
    let app = TestApp::new().await;
    let admin = app.token(Role::Admin).await;
    let firm = app.token(Role::Enterprise).await;
    let consult = service_id(&app, &firm, "policy_consultation").await;
    let r = send(
        &app,
        Method::POST,
        "/api/v1/requests",
        &firm,
        json!({"service_type_id": consult, "title": "Q1", "answers": {"question": "How?"}}),
    )
    .await;
    let old = r.json()["id"].as_str().unwrap().to_string();
    let t = get(&app, &format!("/api/v1/service-types/{consult}"), &admin).await;
    let mut form = t["form"].clone();
    form["fields"][0]["key"] = json!("topic");
    form["fields"][0]["kind"] = json!("choice");
    form["fields"][0]["choices"] = json!([{"value": "tax", "zh": "税收", "en": "Tax"}]);
    let r = send(
        &app,
        Method::PUT,
        &format!("/api/v1/service-types/{consult}/form"),
        &admin,
        json!({"from_version": 1, "form": form}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["form_version"], 2);
    let r = send(
        &app,
        Method::PUT,
        &format!("/api/v1/service-types/{consult}/form"),
        &admin,
        json!({"from_version": 1, "form": form}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "saved meanwhile");
    // The old request still submits under version 1's field.
    let r = take(&app, &firm, &old, "submit", json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["form_version"], 1);
    assert_eq!(
        get(&app, &format!("/api/v1/service-types/{consult}/forms/1"), &firm).await["fields"][0]["key"],
        "question"
    );
    // New requests are filed under version 2.
    let r = send(
        &app,
        Method::POST,
        "/api/v1/requests",
        &firm,
        json!({"service_type_id": consult, "title": "Q2", "answers": {"topic": "visa"}}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "not one of the choices");
    let r = send(
        &app,
        Method::POST,
        "/api/v1/requests",
        &firm,
        json!({"service_type_id": consult, "title": "Q2", "answers": {"topic": "tax"}}),
    )
    .await;
    assert_eq!(r.json()["form_version"], 2);
    // A broken spec is refused row by row; enterprises cannot save forms.
    let r = send(&app, Method::PUT, &format!("/api/v1/service-types/{consult}/form"), &admin,
        json!({"from_version": 2, "form": {"fields": [{"key": "Bad Key", "kind": "text", "required": true, "label_zh": "", "label_en": "x"}]}})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        send(
            &app,
            Method::PUT,
            &format!("/api/v1/service-types/{consult}/form"),
            &firm,
            json!({"from_version": 2, "form": form})
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_white_list_never_goes_below_zero_under_concurrency() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let firm = app.token(Role::Enterprise).await;
    let wl = get(&app, "/api/v1/whitelist", &firm).await;
    let entry = &wl["items"][0];
    assert_eq!(
        (entry["approved"].as_str(), entry["importable"].as_str()),
        (Some("40"), Some("30")),
        "{entry}"
    );
    let id = entry["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/whitelist/{id}/usage");
    // 40 imports of 1 at once: 30 fit.
    let reqs = (0..40)
        .map(|i| {
            let token = if i % 2 == 0 { staff.clone() } else { firm.clone() };
            (
                Method::POST,
                path.clone(),
                Some(token),
                json!({"kind": "imported", "quantity": "1"}).to_string(),
            )
        })
        .collect();
    let out = app.parallel(reqs).await;
    let ok = out.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    let refused = out.iter().filter(|(s, _)| *s == StatusCode::CONFLICT).count();
    assert_eq!((ok, refused), (30, 10), "{:?}", out.iter().map(|o| o.0).collect::<Vec<_>>());
    // 50 uses of 1 at once from 40 on hand: 40 fit.
    let reqs = (0..50)
        .map(|_| {
            (
                Method::POST,
                path.clone(),
                Some(firm.clone()),
                json!({"kind": "used", "quantity": "1", "project": "CT-2026"}).to_string(),
            )
        })
        .collect();
    let out = app.parallel(reqs).await;
    assert_eq!(out.iter().filter(|(s, _)| *s == StatusCode::OK).count(), 40);
    let e = get(&app, &format!("/api/v1/whitelist/{id}"), &staff).await;
    assert_eq!(
        (
            e["entry"]["imported"].as_str(),
            e["entry"]["used"].as_str(),
            e["entry"]["on_hand"].as_str()
        ),
        (Some("40"), Some("40"), Some("0"))
    );
    assert_eq!(
        e["ledger"].as_array().unwrap().len(),
        71,
        "one line per accepted move, the demo's first import included"
    );
    let r =
        send(&app, Method::POST, &path, &firm, json!({"kind": "destroyed", "quantity": "0.001"}))
            .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json()["on_hand"], 0);
    let r = send(&app, Method::POST, &path, &firm, json!({"kind": "used", "quantity": "1"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a use names its project");
}

#[tokio::test]
async fn figures_count_requests_and_lead_times_in_working_days() {
    let app = TestApp::new().await;
    let admin = app.token(Role::Admin).await;
    let f = get(&app, "/api/v1/service-figures", &admin).await;
    assert_eq!(f["total"], 3);
    let wl = f["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name_en"] == "R&D white-list application")
        .unwrap();
    assert_eq!(wl["by_status"]["approved"], 1);
    let review = wl["steps"].as_array().unwrap().iter().find(|s| s["status"] == "review").unwrap();
    assert_eq!((review["requests"].as_i64(), review["median_days"].as_i64()), (Some(1), Some(0)));
    let before = get(&app, "/api/v1/service-figures?as_of=2025-01-01", &admin).await;
    assert_eq!(before["total"], 0, "nothing existed then");
    let r = app.client().get_json("/api/v1/service-figures?as_of=soon", &admin).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let firm = app.token(Role::Enterprise).await;
    assert_eq!(
        app.client().get_json("/api/v1/service-figures", &firm).await.status,
        StatusCode::FORBIDDEN
    );
}

/// A receiver on loopback: answers 500 to the first `fail` deliveries, then
/// 200; hands over (signature, delivery id, body) of each it receives.
async fn receiver(
    fail: usize,
) -> (String, tokio::sync::mpsc::UnboundedReceiver<(String, String, String)>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let seen = std::sync::Arc::new(AtomicUsize::new(0));
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: axum::http::HeaderMap, body: String| {
            let tx = tx.clone();
            let seen = seen.clone();
            async move {
                let h = |k: &str| {
                    headers.get(k).and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
                };
                let _ = tx.send((h("liaison-signature"), h("liaison-delivery"), body));
                if seen.fetch_add(1, Ordering::SeqCst) < fail {
                    StatusCode::INTERNAL_SERVER_ERROR
                } else {
                    StatusCode::NO_CONTENT
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/hook"), rx)
}

#[tokio::test]
async fn webhooks_arrive_signed_are_retried_and_can_be_sent_again() {
    let app = TestApp::new().await;
    let admin = app.token(Role::Admin).await;
    let staff = app.token(Role::Staff).await;
    let firm = app.token(Role::Enterprise).await;
    let (url, mut got) = receiver(1).await;
    // An enterprise's hook must be public HTTPS; the center's own may be on its network.
    let r = send(
        &app,
        Method::POST,
        "/api/v1/webhooks",
        &firm,
        json!({"url": url, "events": ["request.status_changed"]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let r = send(&app, Method::POST, "/api/v1/webhooks", &admin,
        json!({"url": url, "events": ["request.status_changed", "request.document_requested", "request.message"]})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let sub = r.json();
    let secret = sub["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"));
    assert!(get(&app, "/api/v1/webhooks", &admin).await[0].get("secret").is_none(), "shown once");
    // A move writes the delivery in its own transaction.
    let list = get(&app, "/api/v1/requests?status=review", &staff).await;
    let id = list["items"][0]["id"].as_str().unwrap().to_string();
    let r = take(
        &app,
        &staff,
        &id,
        "ask_supplement",
        json!({"note": "请补充伦理审查批件", "asked": ["ethics"]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let queued = app
        .count(
            "SELECT COUNT(*) AS n FROM webhook_outbox WHERE subscription_id = $1",
            sub["id"].as_str().unwrap(),
        )
        .await;
    assert_eq!(queued, 2, "status changed and document requested");
    // First attempt: the receiver fails one, takes the other.
    assert_eq!(liaison::webhooks::deliver_due(&app.state).await.unwrap(), 2);
    let now = app.state.clock.now().millis() / 1000;
    let mut bodies = vec![];
    for _ in 0..2 {
        let (sig, delivery, body) = got.recv().await.unwrap();
        assert!(liaison::webhooks::verify(&secret, &sig, body.as_bytes(), now), "signed: {sig}");
        assert!(!liaison::webhooks::verify("whsec_other", &sig, body.as_bytes(), now));
        assert!(
            !liaison::webhooks::verify(&secret, &sig, body.as_bytes(), now + 3600),
            "a replay an hour later is refused"
        );
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["id"], delivery.as_str());
        bodies.push(v);
    }
    let asked = bodies.iter().find(|b| b["type"] == "request.document_requested").unwrap();
    assert_eq!(asked["data"]["documents"][0]["label_en"], "Ethics committee approval");
    // Nothing is due until the backoff has passed; then the failed one is retried.
    assert_eq!(liaison::webhooks::deliver_due(&app.state).await.unwrap(), 0);
    app.clock.advance_secs(6);
    assert_eq!(liaison::webhooks::deliver_due(&app.state).await.unwrap(), 1);
    let (_, retried, _) = got.recv().await.unwrap();
    let log =
        get(&app, &format!("/api/v1/webhooks/{}/deliveries", sub["id"].as_str().unwrap()), &admin)
            .await;
    let items = log["items"].as_array().unwrap();
    assert!(items.iter().all(|d| d["status"] == "delivered"), "{log}");
    let again = items.iter().find(|d| d["id"] == retried.as_str()).unwrap();
    assert_eq!((again["attempts"].as_i64(), again["last_status"].as_i64()), (Some(2), Some(204)));
    // Sent again by hand: the same delivery id.
    let r = send(
        &app,
        Method::POST,
        &format!("/api/v1/webhook-deliveries/{retried}/redeliver"),
        &admin,
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::ACCEPTED);
    assert_eq!(liaison::webhooks::deliver_due(&app.state).await.unwrap(), 1);
    assert_eq!(got.recv().await.unwrap().1, retried);
    // Another's subscription is not found.
    let r = send(
        &app,
        Method::POST,
        &format!("/api/v1/webhook-deliveries/{retried}/redeliver"),
        &firm,
        json!({}),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "the enterprise manages its own hooks only: {}",
        r.text
    );
}

#[tokio::test]
async fn documents_go_to_an_s3_compatible_store_when_configured() {
    let Ok(endpoint) = std::env::var("LIAISON_TEST_S3") else {
        eprintln!(
            "no S3-compatible server (scripts/test starts moto_server and sets LIAISON_TEST_S3)"
        );
        return;
    };
    let bucket = format!("liaison-{}", uuid::Uuid::now_v7().simple());
    liaison::storage::install_crypto();
    let r = reqwest::Client::new().put(format!("{endpoint}/{bucket}")).send().await.unwrap();
    assert!(r.status().is_success(), "bucket: {}", r.status());
    let store = format!(
        "s3://{bucket}?endpoint={endpoint}&region=us-east-1&access_key_id=test&secret_access_key=test"
    );
    let app = TestApp::with_config(|c| c.document_store = store).await;
    liaison::demo::load(&app.state).await.unwrap();
    let firm = app.token(Role::Enterprise).await;
    let consult = service_id(&app, &firm, "special_item_import").await;
    let r = send(
        &app,
        Method::POST,
        "/api/v1/requests",
        &firm,
        json!({"service_type_id": consult, "title": "S3"}),
    )
    .await;
    let id = r.json()["id"].as_str().unwrap().to_string();
    // A 6 MB PDF: more than one part of a multipart upload.
    let mut big = PDF.to_vec();
    big.extend(std::iter::repeat_n(b'x', 6 * 1024 * 1024));
    let r = upload(&app, &firm, &id, "licence", "licence.pdf", &big).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let sha = r.json()["sha256"].as_str().unwrap().to_string();
    let listing = reqwest::get(format!("{endpoint}/{bucket}?list-type=2"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(listing.contains(&format!("documents/{}/{sha}", &sha[..2])), "{listing}");
    assert!(!listing.contains("incoming/"), "no temporary object is left");
    let r = app.client().get_json(r.json()["url"].as_str().unwrap(), &firm).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.text.len(), big.len());
}

#[tokio::test]
async fn overdue_requests_are_digested_and_expiring_white_lists_announced_once() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    assert_eq!(
        liaison::domains::enterprises::request::service::overdue_digests(&app.state).await.unwrap(),
        0
    );
    // Three weeks on, the demo's review (3 working days) is overdue.
    app.clock.advance_secs(21 * 24 * 3600);
    let late = get(&app, "/api/v1/requests?due=overdue", &staff).await;
    assert_eq!(late["items"].as_array().unwrap().len(), 1, "{late}");
    assert_eq!(late["items"][0]["clock"]["standing"], "overdue");
    assert_eq!(
        liaison::domains::enterprises::request::service::overdue_digests(&app.state).await.unwrap(),
        1
    );
    let told =
        app.count("SELECT COUNT(*) AS n FROM notification WHERE kind = $1", "service_digest").await;
    assert_eq!(told, 1, "the officer who holds it");
    // The white list granted on 27 November 2026 runs to 26 November 2027.
    let wl = liaison::domains::enterprises::whitelist::service::warn_expiring;
    assert_eq!(wl(&app.state).await.unwrap(), 0, "not yet");
    app.clock.advance_secs(320 * 24 * 3600);
    assert_eq!(wl(&app.state).await.unwrap(), 1);
    assert_eq!(wl(&app.state).await.unwrap(), 0, "once");
    let told =
        app.count("SELECT COUNT(*) AS n FROM notification WHERE kind = $1", "whitelist").await;
    assert_eq!(told, 1, "the enterprise's member");
}
