//! Every route × every role → the expected status. Pages are fetched with a
//! session cookie (the public is sent to the login page), the API with a
//! bearer token (the public gets 401).

use axum::http::StatusCode;
use liaison::auth::Role;

use crate::helpers::TestApp;

const S200: u16 = 200;
const S303: u16 = 303;
const S401: u16 = 401;
const S403: u16 = 403;

/// (path, [anonymous, admin, staff, interpreter, enterprise, oversight])
const PAGES: &[(&str, [u16; 6])] = &[
    ("/", [S200; 6]),
    ("/login", [S200, S303, S303, S303, S303, S303]),
    ("/dashboard", [S303, S200, S200, S200, S200, S200]),
    ("/account", [S303, S200, S200, S200, S200, S200]),
    ("/notifications", [S303, S200, S200, S200, S200, S200]),
    ("/venues", [S303, S200, S200, S200, S200, S403]),
    ("/bookings/new", [S303, S200, S200, S403, S200, S403]),
    ("/bookings/mine", [S303, S200, S200, S403, S200, S403]),
    ("/inbox", [S303, S200, S200, S403, S403, S403]),
    ("/venues/rooms/new", [S303, S200, S403, S403, S403, S403]),
    ("/venues/zones/import_export", [S303, S200, S200, S200, S200, S403]),
    ("/admin/users", [S303, S200, S403, S403, S403, S403]),
    ("/admin/zones", [S303, S200, S403, S403, S403, S403]),
    ("/admin/settings", [S303, S200, S403, S403, S403, S403]),
    ("/admin/audit", [S303, S200, S403, S403, S403, S403]),
    ("/visit-request", [S200; 6]),
    ("/events", [S200; 6]),
    ("/events/new", [S303, S200, S200, S403, S403, S403]),
    ("/visits", [S303, S200, S200, S403, S403, S403]),
    ("/visits/new", [S303, S200, S200, S403, S403, S403]),
    ("/visits/figures", [S303, S200, S200, S403, S403, S403]),
    ("/gifts", [S303, S200, S200, S403, S403, S403]),
    ("/interpreting", [S303, S200, S200, S403, S403, S403]),
    ("/interpreting/mine", [S303, S200, S200, S200, S403, S403]),
    ("/glossary", [S303, S200, S200, S200, S403, S403]),
    ("/glossary/findings", [S303, S200, S200, S200, S403, S403]),
    ("/news", [S200; 6]),
    ("/sitemap.xml", [S200; 6]),
    ("/news/en/feed.atom", [S200; 6]),
    ("/news/articles", [S303, S200, S200, S200, S403, S403]),
    ("/news/articles/new", [S303, S200, S200, S200, S403, S403]),
    ("/news/comments", [S303, S200, S200, S200, S403, S403]),
    ("/news/blocks", [S303, S200, S200, S200, S403, S403]),
    ("/news/pages", [S303, S200, S403, S403, S403, S403]),
    ("/about", [S200; 6]),
    ("/signs", [S303, S200, S200, S200, S403, S403]),
    ("/services", [S303, S303, S303, S403, S200, S403]),
    ("/services/queue", [S303, S200, S200, S403, S200, S403]),
    ("/services/enterprises", [S303, S200, S200, S403, S403, S403]),
    ("/services/catalogue", [S303, S200, S200, S403, S403, S403]),
    ("/services/calendar", [S303, S200, S200, S403, S403, S403]),
    ("/services/whitelist", [S303, S200, S200, S403, S200, S403]),
    ("/services/figures", [S303, S200, S200, S403, S403, S403]),
    ("/services/webhooks", [S303, S200, S403, S403, S200, S403]),
    ("/signs/walk", [S303, S200, S200, S200, S403, S403]),
    ("/privacy", [S200; 6]),
    ("/healthz", [S200; 6]),
    ("/static/app.css", [S200; 6]),
    ("/no/such/page", [404; 6]),
];

const API: &[(&str, [u16; 6])] = &[
    ("/api/v1/openapi.json", [S200; 6]),
    ("/api/v1/me", [S401, S200, S200, S200, S200, S200]),
    ("/api/v1/zones", [S401, S200, S200, S200, S200, S200]),
    ("/api/v1/users", [S401, S200, S403, S403, S403, S403]),
    ("/api/v1/audit", [S401, S200, S403, S403, S403, S403]),
    ("/api/v1/rooms", [S401, S200, S200, S200, S200, S403]),
    ("/api/v1/bookings", [S401, S200, S200, S200, S200, S403]),
    ("/api/v1/visits", [S401, S200, S200, S403, S403, S403]),
    ("/api/v1/visit-figures", [S401, S200, S200, S403, S403, S403]),
    ("/api/v1/organisations", [S401, S200, S200, S403, S403, S403]),
    ("/api/v1/outcomes", [S401, S200, S200, S403, S403, S403]),
    ("/api/v1/gifts", [S401, S200, S200, S403, S403, S403]),
    ("/api/v1/interpreters", [S401, S200, S200, S403, S403, S403]),
    ("/api/v1/assignments/mine", [S401, S200, S200, S200, S403, S403]),
    ("/api/v1/glossary/terms", [S401, S200, S200, S200, S403, S403]),
    ("/api/v1/glossary/findings", [S401, S200, S200, S200, S403, S403]),
    ("/api/v1/news/articles", [S401, S200, S200, S200, S403, S403]),
    ("/api/v1/news/published", [S200; 6]),
    ("/api/v1/news/comments", [S401, S200, S200, S200, S403, S403]),
    ("/api/v1/news/blocks", [S401, S200, S200, S200, S403, S403]),
    ("/api/v1/pages", [S200; 6]),
    ("/api/v1/signs", [S401, S200, S200, S200, S403, S403]),
    ("/api/v1/enterprises", [S401, S200, S200, S403, S403, S403]),
    ("/api/v1/requests", [S401, S200, S200, S403, S200, S403]),
    ("/api/v1/service-types", [S401, S200, S200, S403, S200, S403]),
    ("/api/v1/item-categories", [S401, S200, S200, S403, S200, S403]),
    ("/api/v1/center-days", [S401, S200, S200, S403, S403, S403]),
    ("/api/v1/whitelist", [S401, S200, S200, S403, S200, S403]),
    ("/api/v1/service-figures", [S401, S200, S200, S403, S403, S403]),
    ("/api/v1/webhooks", [S401, S200, S403, S403, S200, S403]),
    ("/api/v1/countries", [S200; 6]),
    ("/api/v1/events", [S200; 6]),
];

const ROLES: [Option<Role>; 6] = [
    None,
    Some(Role::Admin),
    Some(Role::Staff),
    Some(Role::Interpreter),
    Some(Role::Enterprise),
    Some(Role::Oversight),
];

#[tokio::test]
async fn every_page_for_every_role() {
    let app = TestApp::new().await;
    let mut failures = vec![];
    for (i, role) in ROLES.iter().enumerate() {
        let mut c = match role {
            Some(r) => app.signed_in(*r).await,
            None => app.client(),
        };
        for (path, expected) in PAGES {
            let got = c.get(path).await.status.as_u16();
            if got != expected[i] {
                failures.push(format!("GET {path} as {role:?}: {got}, expected {}", expected[i]));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[tokio::test]
async fn every_api_route_for_every_role() {
    let app = TestApp::new().await;
    let mut failures = vec![];
    for (i, role) in ROLES.iter().enumerate() {
        let token = match role {
            Some(r) => Some(app.token(*r).await),
            None => None,
        };
        for (path, expected) in API {
            let mut c = app.client();
            let r = match &token {
                Some(t) => c.get_json(path, t).await,
                None => c.get(path).await,
            };
            if r.status.as_u16() != expected[i] {
                failures.push(format!(
                    "GET {path} as {role:?}: {}, expected {}",
                    r.status, expected[i]
                ));
            }
            if r.status.as_u16() >= 400 {
                assert_eq!(r.header("content-type"), "application/problem+json", "{path}");
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[tokio::test]
async fn state_changes_for_every_role() {
    let app = TestApp::new().await;
    let zone = app.zone_id("trade_negotiation").await;
    let zone_path = format!("/admin/zones/{zone}");
    for role in ROLES {
        let mut c = match role {
            Some(r) => app.signed_in(r).await,
            None => app.client(),
        };
        let token = c.get("/").await.csrf_from_body_or_cookie(&c);
        let fields = [
            ("csrf_token", token.as_str()),
            ("name_zh", "经贸洽谈"),
            ("name_en", "economic and trade negotiations"),
        ];
        let zone_r = c.post_form_raw(&zone_path, &fields).await;
        let settings_r = c
            .post_form_raw(
                "/admin/settings",
                &[
                    ("csrf_token", token.as_str()),
                    ("name_zh", "中心"),
                    ("name_en", "Center"),
                    ("timezone", "Asia/Shanghai"),
                ],
            )
            .await;
        let user_r = c
            .post_form_raw(
                "/admin/users",
                &[
                    ("csrf_token", token.as_str()),
                    ("email", "x@example.org"),
                    ("display_name", "X"),
                    ("role", "staff"),
                    ("password", "long enough pw"),
                ],
            )
            .await;
        for (what, r) in [("zone", &zone_r), ("settings", &settings_r), ("user", &user_r)] {
            match role {
                None => {
                    assert_eq!(r.status, StatusCode::SEE_OTHER, "{what} as public");
                    assert!(r.header("location").starts_with("/login"), "{what}");
                }
                Some(Role::Admin) => {
                    assert_eq!(r.status, StatusCode::SEE_OTHER, "{what} as admin: {}", r.text);
                    assert!(r.header("location").starts_with("/admin/"), "{what}");
                }
                Some(r2) => assert_eq!(r.status, StatusCode::FORBIDDEN, "{what} as {r2:?}"),
            }
        }
    }
}

trait CsrfOf {
    fn csrf_from_body_or_cookie(&self, c: &crate::helpers::Client<'_>) -> String;
}

impl CsrfOf for crate::helpers::Resp {
    /// Signed-in pages carry the session's token in `hx-headers`; the public
    /// home page carries the anonymous one.
    fn csrf_from_body_or_cookie(&self, c: &crate::helpers::Client<'_>) -> String {
        let marker = "\"X-CSRF-Token\": \"";
        match self.text.find(marker) {
            Some(i) => self.text[i + marker.len()..i + marker.len() + 64].to_string(),
            None => c.cookies.get("liaison_csrf").cloned().unwrap_or_default(),
        }
    }
}

/// Every card on a role's dashboard leads to a page that role can open;
/// nothing is "coming soon".
#[tokio::test]
async fn every_dashboard_card_is_live_for_its_role() {
    let app = TestApp::new().await;
    for role in [Role::Admin, Role::Staff, Role::Interpreter, Role::Enterprise, Role::Oversight] {
        let mut c = app.signed_in(role).await;
        for lang in ["en", "zh-CN"] {
            let page = c.get(&format!("/dashboard?lang={lang}")).await;
            assert_eq!(page.status, StatusCode::OK);
            assert!(
                !page.text.contains("Coming soon") && !page.text.contains("即将上线"),
                "{role:?}"
            );
            let hrefs: Vec<String> = page
                .text
                .split("data-test=\"module-")
                .skip(1)
                .filter_map(|s| s.split("href=\"").nth(1)?.split('"').next().map(String::from))
                .collect();
            if role != Role::Oversight {
                assert!(!hrefs.is_empty(), "{role:?} has modules");
            }
            for href in hrefs {
                let r = c.get(&href).await;
                assert_eq!(r.status, StatusCode::OK, "{role:?} {href}");
            }
        }
    }
}
