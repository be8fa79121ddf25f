//! The dashboard's "today and this week", what an enterprise user is told
//! before asking for a room, who hears of a pending request, who may decide
//! it, and the figures the accrediting office reads.

use axum::http::{Method, StatusCode};
use liaison::auth::Role;
use serde_json::json;

use crate::helpers::TestApp;

async fn room_id(app: &TestApp, name_en: &str) -> String {
    let token = app.token(Role::Admin).await;
    let rooms = app.client().get_json("/api/v1/rooms", &token).await.json();
    rooms["items"].as_array().unwrap().iter().find(|r| r["name_en"] == name_en).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn book(
    app: &TestApp,
    role: Role,
    room: &str,
    start: &str,
    end: &str,
    title: &str,
) -> String {
    let token = app.token(role).await;
    let body = json!({"room_id": room, "starts_at": start, "ends_at": end,
        "title_zh": title, "title_en": title, "attendees": 4});
    let r = app
        .client()
        .send_json(Method::POST, "/api/v1/bookings", Some(&token), &body.to_string())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json()["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn staff_see_the_weeks_work_and_hear_of_each_pending_request() {
    let app = TestApp::new().await;
    let room = room_id(&app, "Multi-function Meeting Room").await;
    // Today is Friday 2026-11-27 (the test clock).
    book(
        &app,
        Role::Staff,
        &room,
        "2026-11-27T14:00:00+08:00",
        "2026-11-27T15:00:00+08:00",
        "Salon today",
    )
    .await;
    book(
        &app,
        Role::Staff,
        &room,
        "2026-12-15T14:00:00+08:00",
        "2026-12-15T15:00:00+08:00",
        "Salon later",
    )
    .await;
    let token = app.token(Role::Staff).await;
    let visit = json!({"organisation_name_en": "Consulate General of France in Chengdu",
        "organisation_type": "embassy_consulate", "country": "FR", "party_size": 6,
        "preferred_from": "2026-12-01", "preferred_to": "2026-12-02"});
    let r = app
        .client()
        .send_json(Method::POST, "/api/v1/visits", Some(&token), &visit.to_string())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);

    // The enterprise user is told before asking that it waits for approval.
    let mut enterprise = app.signed_in(Role::Enterprise).await;
    let form = enterprise.get(&format!("/bookings/new?room_id={room}")).await;
    assert!(form.text.contains("data-test=\"needs-approval\""));
    assert!(form.visible_text().contains("可预订时间 周一至周五"), "the room's limits are said");
    let asked = book(
        &app,
        Role::Enterprise,
        &room,
        "2026-11-30T10:00:00+08:00",
        "2026-11-30T11:00:00+08:00",
        "Supplier talk",
    )
    .await;

    // Staff and admins hear of it in the app; the asker does not.
    let told = |role: Role| {
        let app = &app;
        async move {
            let user: String = sqlx::query_scalar("SELECT id FROM app_user WHERE email = $1")
                .bind(crate::helpers::email_of(role))
                .fetch_one(&app.state.db.pool)
                .await
                .unwrap();
            app.count(
                "SELECT COUNT(*) AS n FROM notification WHERE kind = 'approval' AND user_id = $1",
                &user,
            )
            .await
        }
    };
    assert_eq!(told(Role::Staff).await, 1);
    assert_eq!(told(Role::Admin).await, 1);
    assert_eq!(told(Role::Enterprise).await, 0);
    assert_eq!(told(Role::Interpreter).await, 0);

    let mut staff = app.signed_in(Role::Staff).await;
    let page = staff.get("/dashboard?lang=en").await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.visible_text();
    assert!(text.contains("1 requests wait for a decision"), "{text}");
    let bookings = page.text.split("data-test=\"dashboard-bookings\"").nth(1).unwrap_or("");
    let bookings = &bookings[..bookings.find("</ul>").unwrap_or(0)];
    assert!(bookings.contains("Salon today") && bookings.contains("Supplier talk"), "{bookings}");
    assert!(!bookings.contains("Salon later"), "only this week");
    assert!(bookings.contains("class=\"is-today\""));
    assert!(page.text.contains("Consulate General of France"), "the visit of this week");
    assert!(!page.text.contains("/account#token"), "no token link in the main path");

    // Staff see the inbox, but only admins get the buttons (one rule: auth::allows).
    let inbox = staff.get("/inbox").await;
    assert_eq!(inbox.status, StatusCode::OK);
    assert!(
        inbox.text.contains("data-test=\"inbox-item\"")
            && !inbox.text.contains("data-test=\"approve\"")
    );
    let mut admin = app.signed_in(Role::Admin).await;
    assert!(admin.get("/inbox").await.text.contains("data-test=\"approve\""));
    let refused = staff
        .post_form("/inbox", &format!("/bookings/{asked}/approve"), &[("scope", "series")])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(enterprise.get("/inbox").await.status, StatusCode::FORBIDDEN);

    // The enterprise dashboard lists its own request, waiting.
    let mine = enterprise.get("/dashboard?lang=en").await;
    assert!(mine.text.contains("data-test=\"dashboard-mine-line\""));
    assert!(mine.visible_text().contains("Supplier talk"));
}

#[tokio::test]
async fn the_oversight_user_reads_the_figures_of_the_centers_it_oversees() {
    let app = TestApp::new().await;
    let token = app.token(Role::Staff).await;
    let visit = json!({"organisation_name_en": "Consulate General of France in Chengdu",
        "organisation_type": "embassy_consulate", "country": "FR", "party_size": 6,
        "starts_on": "2026-11-20", "ends_on": "2026-11-20", "preferred_from": "2026-11-20", "preferred_to": "2026-11-20"});
    let r = app
        .client()
        .send_json(Method::POST, "/api/v1/visits", Some(&token), &visit.to_string())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.json()["id"].as_str().unwrap().to_string();
    for to in ["approved", "planning", "confirmed", "in_progress", "completed"] {
        let r = app
            .client()
            .send_json(
                Method::POST,
                &format!("/api/v1/visits/{id}/transition"),
                Some(&token),
                &json!({"to": to, "reason": "ok"}).to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{to}: {}", r.text);
    }
    let mut oversight = app.signed_in(Role::Oversight).await;
    let page = oversight.get("/dashboard?lang=zh-CN").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("data-test=\"center-figures\""), "{}", page.visible_text());
    // The same figures staff read (批 and 人次 since 2018), this visit included.
    let staff = app.client().get_json("/api/v1/visit-figures?from=2018-01-01", &token).await.json();
    let figure = |name: &str| -> i64 {
        let at = page.text.split(&format!("data-test=\"{name}\">")).nth(1).unwrap();
        at[..at.find('<').unwrap()].parse().unwrap()
    };
    assert_eq!(figure("figure-visit-groups"), staff["total_groups"].as_i64().unwrap());
    assert_eq!(figure("figure-visit-persons"), staff["total_persons"].as_i64().unwrap());
    assert!(staff["total_persons"].as_i64().unwrap() >= 6);
    // Read-only: nothing of the center's work to change.
    assert!(!page.text.contains("data-test=\"dashboard-bookings\""));
    assert_eq!(oversight.get("/visits").await.status, StatusCode::FORBIDDEN);
}
