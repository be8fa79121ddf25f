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
