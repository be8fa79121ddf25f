//! Invariants under parallel requests.

use axum::http::{Method, StatusCode};
use liaison::auth::Role;

use crate::helpers::TestApp;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_email_is_created_once_however_many_try() {
    let app = TestApp::new().await;
    let token = app.token(Role::Admin).await;
    let body = r#"{"email":"race@example.org","display_name":"Race","role":"staff","password":"long enough pw"}"#;
    let mut tasks = vec![];
    for _ in 0..20 {
        let router = app.router.clone();
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            use tower::ServiceExt;
            let req = axum::http::Request::builder()
                .method(Method::POST)
                .uri("/api/v1/users")
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
            StatusCode::UNPROCESSABLE_ENTITY => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(created, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM app_user WHERE email = $1", "race@example.org").await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn human_references_are_never_handed_out_twice() {
    let app = TestApp::new().await;
    let center =
        liaison::domains::centers::service::public_center(&app.state).await.unwrap().unwrap().id;
    let mut tasks = vec![];
    for _ in 0..50 {
        let db = app.state.db.clone();
        let center = center.clone();
        tasks.push(tokio::spawn(async move {
            let mut tx = db.begin_write().await.unwrap();
            let r = liaison::db::next_reference(&mut tx, &center, "T", 2026).await.unwrap();
            tx.commit().await.unwrap();
            r
        }));
    }
    let mut refs = vec![];
    for t in tasks {
        refs.push(t.await.unwrap());
    }
    refs.sort();
    refs.dedup();
    assert_eq!(refs.len(), 50);
    assert_eq!(refs[0], "T-2026-001");
    assert_eq!(refs[49], "T-2026-050");
}

/// A per-address limit counts and takes in one step: 60 anonymous
/// registrations at once from one address get exactly the 20 the hour
/// allows, on SQLite and on PostgreSQL (READ COMMITTED once let 27 through).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_requests_from_one_address_get_exactly_the_limit() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let body = serde_json::json!({"kind": "salon", "title_zh": "沙龙", "title_en": "Salon", "capacity": 500,
        "starts_at": "2026-12-10T14:00:00+08:00", "ends_at": "2026-12-10T17:00:00+08:00"});
    let mut c = app.client();
    let r = c.send_json(Method::POST, "/api/v1/events", Some(&staff), &body.to_string()).await;
    let event = r.json()["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/events/{event}/transition");
    c.send_json(Method::POST, &path, Some(&staff), r#"{"to":"registration_open"}"#).await;
    let mut tasks = vec![];
    for i in 0..60 {
        let router = app.router.clone();
        let uri = format!("/api/v1/events/{event}/registrations");
        let body = serde_json::json!({"consent": true,
            "participants": [{"name": format!("Guest {i}"), "email": format!("guest{i}@example.org")}]})
        .to_string();
        tasks.push(tokio::spawn(async move {
            use tower::ServiceExt;
            let mut req = axum::http::Request::builder()
                .method(Method::POST)
                .uri(uri)
                .header("content-type", "application/json")
                .body(axum::body::Body::from(body))
                .unwrap();
            req.extensions_mut().insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                [198, 51, 100, 7],
                4000,
            ))));
            router.oneshot(req).await.unwrap().status()
        }));
    }
    let (mut created, mut limited) = (0, 0);
    for t in tasks {
        match t.await.unwrap() {
            StatusCode::CREATED => created += 1,
            StatusCode::TOO_MANY_REQUESTS => limited += 1,
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!((created, limited), (20, 40));
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM registration WHERE event_id = $1", &event).await,
        20
    );
}
