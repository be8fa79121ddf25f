//! The sign registry over HTTP: a sign registered, checked by the glossary,
//! translated, reviewed by a translator only, installed, ticked and flagged
//! on the audit walk; wording locked once reviewed; steps taken once under
//! concurrency; the print sheets and pages in both languages.

use axum::http::{Method, StatusCode};
use liaison::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{Resp, TestApp};

async fn send(app: &TestApp, method: Method, path: &str, token: &str, body: Value) -> Resp {
    app.client().send_json(method, path, Some(token), &body.to_string()).await
}

async fn step(app: &TestApp, token: &str, id: &str, step: &str, finding: &str) -> Resp {
    send(
        app,
        Method::POST,
        &format!("/api/v1/signs/{id}/step"),
        token,
        json!({"step": step, "finding": finding}),
    )
    .await
}

#[tokio::test]
async fn a_sign_is_worded_checked_reviewed_installed_and_audited() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let interpreter = app.token(Role::Interpreter).await;
    let zone = app.zone_id("import_export").await;
    let body = json!({"text_zh": "三医创新中心接待处", "text_en": "Reception of the Tri-Medical innovation centre",
        "class": "function", "size": "door", "zone_id": zone, "floor": "1F", "standard_ref": "DB5101/T 211—2025"});
    let r = send(&app, Method::POST, "/api/v1/signs", &staff, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let s = r.json();
    let id = s["id"].as_str().unwrap().to_string();
    assert!(s["reference"].as_str().unwrap().starts_with("SG-"), "{s}");
    assert_eq!(s["status"], "draft");
    // The glossary checks its English on save.
    let (_, findings) =
        app.all_pages("/api/v1/glossary/findings?place=sign", Some(&staff), 5).await;
    let f = findings.iter().find(|f| f["record_id"] == id.as_str()).expect("the slip is found");
    assert_eq!(f["expected"], "Tri-medical Innovation Center");
    let r = send(
        &app,
        Method::POST,
        &format!("/api/v1/glossary/findings/{}/fix", f["id"].as_str().unwrap()),
        &interpreter,
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let s = app.client().get_json(&format!("/api/v1/signs/{id}"), &staff).await.json();
    assert_eq!(s["text_en"], "Reception of the Tri-medical Innovation Center");
    assert_eq!(s["version"], 2, "the fix moves the version on");
    // Translated; only a translator reviews.
    assert_eq!(step(&app, &staff, &id, "translate", "").await.status, StatusCode::OK);
    assert_eq!(step(&app, &staff, &id, "review", "").await.status, StatusCode::FORBIDDEN);
    assert_eq!(step(&app, &interpreter, &id, "review", "").await.status, StatusCode::OK);
    // Reviewed wording is locked.
    let edit = json!({"text_zh": "接待处", "text_en": "Reception", "class": "function", "size": "door", "version": 2});
    let r = send(&app, Method::PUT, &format!("/api/v1/signs/{id}"), &staff, edit).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(r.json()["current_status"], "reviewed");
    // Installed, then the walk: a flag needs a finding; a tick clears it.
    let r = step(&app, &staff, &id, "pass", "").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "not on the wall yet");
    assert_eq!(r.json()["allowed_steps"], json!(["install", "redraft"]));
    assert_eq!(step(&app, &staff, &id, "install", "").await.status, StatusCode::OK);
    assert_eq!(step(&app, &staff, &id, "flag", "").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = step(&app, &staff, &id, "flag", "The English is faded").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        (r.json()["status"].as_str(), r.json()["finding"].as_str()),
        (Some("needs_fix"), Some("The English is faded"))
    );
    let r = step(&app, &staff, &id, "pass", "").await;
    assert_eq!(
        (r.json()["status"].as_str(), r.json()["finding"].as_str()),
        (Some("audited"), Some(""))
    );
    // The walk, the sheet and the registry in both languages.
    let mut c = app.signed_in(Role::Staff).await;
    for lang in ["zh-CN", "en"] {
        for path in ["/signs", "/signs/walk", &format!("/signs/{id}")] {
            let p = c.get(&format!("{path}?lang={lang}")).await;
            assert_eq!(p.status, StatusCode::OK, "{path}: {}", p.text);
        }
    }
    let walk = c.get(&format!("/signs/walk?zone_id={zone}")).await;
    assert!(walk.text.contains("三医创新中心接待处"));
    let sheet = c.get("/signs/sheet?size=door").await;
    assert_eq!(sheet.status, StatusCode::OK);
    let zh_at = sheet.text.find("三医创新中心接待处").expect("the Chinese");
    let en_at =
        sheet.text.find("Reception of the Tri-medical Innovation Center").expect("the English");
    assert!(zh_at < en_at, "Chinese above English");
    let audits = app
        .count("SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'sign' AND entity_id = $1", &id)
        .await;
    assert!(audits >= 6, "{audits}");
}

#[tokio::test]
async fn parallel_steps_on_a_sign_take_it_once_and_nonsense_is_refused() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let body = json!({"text_zh": "禁止吸烟", "text_en": "No Smoking", "class": "prohibition", "size": "a4"});
    let id = send(&app, Method::POST, "/api/v1/signs", &staff, body).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let requests = (0..6)
        .map(|_| {
            (
                Method::POST,
                format!("/api/v1/signs/{id}/step"),
                Some(staff.clone()),
                json!({"step": "translate"}).to_string(),
            )
        })
        .collect();
    let results = app.parallel(requests).await;
    let ok = results.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    let conflicts = results.iter().filter(|(s, _)| *s == StatusCode::CONFLICT).count();
    assert_eq!((ok, conflicts), (1, 5), "{results:?}");
    let bad = json!({"text_zh": "", "class": "nope", "size": "a5", "zone_id": "'; drop", "floor": "x".repeat(21)});
    let r = send(&app, Method::POST, "/api/v1/signs", &staff, bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let other_center_zone =
        json!({"text_zh": "出口", "class": "direction", "size": "a4", "zone_id": "not-ours"});
    assert_eq!(
        send(&app, Method::POST, "/api/v1/signs", &staff, other_center_zone).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.client().get_json("/api/v1/signs/nope", &staff).await.status,
        StatusCode::NOT_FOUND
    );
}
