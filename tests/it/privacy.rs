//! After the retention date nothing personal about a visit's requester or an
//! event's registrants remains anywhere in the database: every text column
//! of every table is searched for their name, e-mail and phone.

use axum::http::{Method, StatusCode};
use liaison::auth::Role;
use serde_json::json;

use crate::helpers::TestApp;

const NAME: &str = "Zebulon Quixote";
const EMAIL: &str = "zebulon.quixote@example.org";
const PHONE: &str = "+86 138 0000 4242";

#[tokio::test]
async fn a_visit_requester_is_gone_everywhere_after_the_purge() {
    let app = TestApp::new().await;
    let request = json!({
        "organisation_name": "Quixote Biotech Ventures", "organisation_type": "foreign_enterprise", "country": "ES",
        "purpose": "Biomedical cooperation", "preferred_from": "2026-12-14", "preferred_to": "2026-12-16",
        "party_size": 3, "languages": ["es", "en"],
        "contact_name": NAME, "contact_email": EMAIL, "contact_phone": PHONE, "consent": true
    });
    let r = app
        .client()
        .send_json(Method::POST, "/api/v1/visit-requests", None, &request.to_string())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.json()["id"].as_str().unwrap().to_string();
    for needle in [NAME, EMAIL, PHONE] {
        assert!(!app.text_holding(needle).await.is_empty(), "{needle} is stored before the purge");
    }
    let token = app.token(Role::Staff).await;
    let before = app.client().get_json(&format!("/api/v1/visits/{id}"), &token).await;
    assert!(before.text.contains(EMAIL));

    // A year and a bit later the retention date has passed.
    app.clock.advance_secs(400 * 86_400);
    let purged = liaison::domains::visits::visit::service::purge_expired(
        &app.state,
        &liaison::audit::Who::cli(),
    )
    .await
    .unwrap();
    assert!(purged >= 1);
    for needle in [NAME, EMAIL, PHONE] {
        assert_eq!(
            app.text_holding(needle).await,
            Vec::<String>::new(),
            "{needle} after the purge"
        );
    }
    // Nor through the API or the pages.
    let after = app.client().get_json(&format!("/api/v1/visits/{id}"), &token).await;
    assert_eq!(after.status, StatusCode::OK);
    let mut staff = app.signed_in(Role::Staff).await;
    let page = staff.get(&format!("/visits/{id}")).await;
    for needle in [NAME, EMAIL, PHONE] {
        assert!(!after.text.contains(needle) && !page.text.contains(needle), "{needle}");
    }
}

#[tokio::test]
async fn event_registrants_are_gone_everywhere_after_the_purge() {
    let app = TestApp::new().await;
    let token = app.token(Role::Staff).await;
    let body = json!({"kind": "salon", "title_zh": "沙龙", "title_en": "Salon", "starts_at": "2026-12-10T14:00:00+08:00",
                      "ends_at": "2026-12-10T17:00:00+08:00", "capacity": 10, "retention_until": "2027-06-30"});
    let r = app
        .client()
        .send_json(Method::POST, "/api/v1/events", Some(&token), &body.to_string())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let event = r.json()["id"].as_str().unwrap().to_string();
    let r = app
        .client()
        .send_json(
            Method::POST,
            &format!("/api/v1/events/{event}/transition"),
            Some(&token),
            &json!({"to": "registration_open"}).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let reg = json!({"participants": [{"name": NAME, "email": EMAIL}, {"name": "Sancho Panza Zebulon"}], "consent": true});
    let r = app
        .client()
        .send_json(
            Method::POST,
            &format!("/api/v1/events/{event}/registrations"),
            None,
            &reg.to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let ticket = r.json()["manage_url"].as_str().unwrap().to_string();
    assert_eq!(app.client().get(&ticket).await.status, StatusCode::OK);
    for needle in [NAME, EMAIL, "Sancho Panza"] {
        assert!(!app.text_holding(needle).await.is_empty(), "{needle} is stored before the purge");
    }
    app.clock.advance_secs(300 * 86_400);
    let purged = liaison::domains::events::registration::service::purge_expired(
        &app.state,
        &liaison::audit::Who::cli(),
    )
    .await
    .unwrap();
    assert!(purged >= 1);
    for needle in [NAME, EMAIL, "Sancho Panza"] {
        assert_eq!(
            app.text_holding(needle).await,
            Vec::<String>::new(),
            "{needle} after the purge"
        );
    }
    assert_eq!(
        app.client().get(&ticket).await.status,
        StatusCode::NOT_FOUND,
        "the ticket link ends too"
    );
    let export =
        app.client().get_json(&format!("/api/v1/events/{event}/registrations"), &token).await;
    assert!(!export.text.contains("Zebulon"), "{}", export.text);
}
