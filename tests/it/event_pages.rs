//! Events in the browser's terms: the public page and registration of a
//! group, the holder's tickets (QR as SVG and PNG), the waiting list moving
//! up, staff forms, and the phone check-in page.

use axum::http::{Method, StatusCode};
use liaison::auth::Role;
use serde_json::json;

use crate::helpers::TestApp;

async fn open_event(app: &TestApp, capacity: i64) -> String {
    let staff = app.token(Role::Staff).await;
    let body = json!({"kind": "training", "title_zh": "跨境电商“走出去”专题培训会", "title_en": "\"Going global\" cross-border e-commerce training",
                      "starts_at": "2026-12-12T09:00:00+08:00", "ends_at": "2026-12-12T12:00:00+08:00", "capacity": capacity});
    let r = app
        .client()
        .send_json(Method::POST, "/api/v1/events", Some(&staff), &body.to_string())
        .await;
    let id = r.json()["id"].as_str().unwrap().to_string();
    app.client()
        .send_json(
            Method::POST,
            &format!("/api/v1/events/{id}/transition"),
            Some(&staff),
            r#"{"to":"registration_open"}"#,
        )
        .await;
    id
}

#[tokio::test]
async fn a_group_of_three_registers_in_english_and_gets_three_tickets() {
    let app = TestApp::new().await;
    let id = open_event(&app, 20).await;
    let mut c = app.client();
    let list = c.get("/events?lang=en").await;
    assert!(list.text.contains("cross-border e-commerce training"), "{}", list.visible_text());
    let page = format!("/events/{id}?people=3&lang=en");
    let shown = c.get(&page).await;
    assert_eq!(shown.text.matches("data-test=\"participant-row\"").count(), 3);
    let r = c
        .post_form(
            &page,
            &format!("/events/{id}/register"),
            &[
                ("name", "Ada Lovelace"),
                ("email", "ada@example.org"),
                ("category", ""),
                ("country", "GB"),
                ("name", "Charles Babbage"),
                ("email", ""),
                ("category", ""),
                ("country", "GB"),
                ("name", ""),
                ("email", ""),
                ("category", ""),
                ("country", ""),
                ("keep_unnamed", "1"),
                ("consent", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.visible_text());
    let ticket_page = r.header("location");
    let t = c.get(&format!("{ticket_page}&lang=en")).await;
    assert_eq!(t.text.matches("data-test=\"ticket\"").count(), 3, "{}", t.visible_text());
    assert!(t.text.contains("Participant 3"), "the unnamed third is shown by number");
    assert!(t.text.contains("<svg"), "QR codes inline");
    let token = ticket_page.trim_start_matches("/tickets/").split('?').next().unwrap().to_string();
    let code = t
        .text
        .split("data-test=\"ticket-code\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    let png = c.get(&format!("/tickets/{token}/qr/{code}.png")).await;
    assert_eq!(png.status, StatusCode::OK);
    assert_eq!(png.header("content-type"), "image/png");
    let svg = c.get(&format!("/tickets/{token}/qr/{code}.svg")).await;
    assert!(svg.text.starts_with("<svg"));
    assert_eq!(
        c.get(&format!("/tickets/{token}/qr/ZZZZ-ZZZZ-ZZZZ.png")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(c.get("/tickets/not-a-token").await.status, StatusCode::NOT_FOUND);
    // The contact names the third person later, from the same page.
    let ids: Vec<String> = t
        .text
        .split("name=\"participant\" value=\"")
        .skip(1)
        .map(|x| x.split('"').next().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 3);
    let r = c
        .post_form(
            &ticket_page,
            &format!("/tickets/{token}/names"),
            &[
                ("participant", &ids[0]),
                ("name", "Ada Lovelace"),
                ("email", "ada@example.org"),
                ("participant", &ids[1]),
                ("name", "Charles Babbage"),
                ("email", ""),
                ("participant", &ids[2]),
                ("name", "Mary Somerville"),
                ("email", "mary@example.org"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(c.get(&format!("/tickets/{token}?lang=en")).await.text.contains("Mary Somerville"));
    // Without consent: the form again with what was typed.
    let r = c
        .post_form(
            &page,
            &format!("/events/{id}/register"),
            &[("name", "Grace"), ("email", "grace@example.org")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("value=\"Grace\""));
    // The event as iCalendar, and the public feed.
    let ics = c.get(&format!("/events/{id}/calendar.ics")).await;
    let cal: icalendar::Calendar = ics.text.parse().unwrap();
    assert_eq!(cal.components.len(), 2, "{}", ics.text);
    assert!(c.get("/events/feed.ics").await.text.contains(&format!("UID:{id}@liaison")));
    // Years later the registrants' data is purged; the figures stay.
    app.clock.advance_secs(400 * 86_400);
    let purged = liaison::domains::events::registration::service::purge_expired(
        &app.state,
        &liaison::audit::Who::cli(),
    )
    .await
    .unwrap();
    assert!(purged >= 1);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM participant WHERE event_id = $1 AND name <> ''", &id)
            .await,
        0
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM participant WHERE event_id = $1 AND country = 'GB'",
            &id
        )
        .await,
        2
    );
}

#[tokio::test]
async fn the_next_person_waits_and_moves_up_when_a_seat_frees() {
    let app = TestApp::new().await;
    let id = open_event(&app, 1).await;
    let mut c = app.client();
    let page = format!("/events/{id}?lang=en");
    let reg = |name: &'static str, email: &'static str| {
        [("name", name), ("email", email), ("category", ""), ("country", ""), ("consent", "1")]
    };
    let a = c
        .post_form(&page, &format!("/events/{id}/register"), &reg("Ann", "ann@example.org"))
        .await
        .header("location");
    let shown = c.get(&page).await;
    assert!(shown.text.contains("data-test=\"full-note\""));
    let b = c
        .post_form(&page, &format!("/events/{id}/register"), &reg("Ben", "ben@example.org"))
        .await
        .header("location");
    let bp = c.get(&b).await;
    assert!(bp.text.contains("data-status=\"waitlisted\""), "{}", bp.visible_text());
    assert_eq!(bp.text.matches("data-test=\"ticket\"").count(), 0);
    // Ann cancels from her page; Ben moves up and gets his ticket.
    let a_token = a.trim_start_matches("/tickets/").split('?').next().unwrap().to_string();
    let r = c.post_form(&a, &format!("/tickets/{a_token}/cancel"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let bp = c.get(&b).await;
    assert!(bp.text.contains("data-status=\"confirmed\""), "{}", bp.visible_text());
    assert_eq!(bp.text.matches("data-test=\"ticket\"").count(), 1);
}

#[tokio::test]
async fn staff_create_an_event_and_check_people_in_on_a_phone_page() {
    let app = TestApp::new().await;
    let mut s = app.signed_in(Role::Staff).await;
    let r = s
        .post_form(
            "/events/new",
            "/events",
            &[
                ("kind", "matchmaking"),
                ("visibility", "public"),
                ("title_zh", "投融资对接会"),
                ("title_en", "Investment and financing matchmaking meeting"),
                ("date", "2026-12-15"),
                ("start", "14:00"),
                ("end", "17:00"),
                ("capacity", "30"),
                ("max_group", "5"),
                ("waitlist", "1"),
                (
                    "categories",
                    "enterprise | 企业代表 | Enterprise representative\nmedia | 媒体 | Media | 2",
                ),
                ("questions", "company | text | 单位 | Company | required"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.visible_text());
    let manage = r.header("location");
    let id = manage.trim_start_matches("/events/").trim_end_matches("/manage").to_string();
    let r = s
        .post_form(&manage, &format!("/events/{id}/transition"), &[("to", "registration_open")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // Nonsense in the form: 422 with the fields named.
    let r = s
        .post_form(
            "/events/new",
            "/events",
            &[("kind", "party"), ("title_zh", ""), ("capacity", "0"), ("date", "x")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Someone registers (answers the required question).
    let mut p = app.client();
    let page = format!("/events/{id}");
    let r = p
        .post_form(
            &page,
            &format!("/events/{id}/register"),
            &[
                ("name", "李雷"),
                ("email", "lilei@example.org"),
                ("category", "enterprise"),
                ("country", "CN"),
                ("consent", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "the company is required");
    let r = p
        .post_form(
            &page,
            &format!("/events/{id}/register"),
            &[
                ("name", "李雷"),
                ("email", "lilei@example.org"),
                ("category", "enterprise"),
                ("country", "CN"),
                ("answer_company", "成都某医药公司"),
                ("consent", "1"),
            ],
        )
        .await;
    let t = p.get(&r.header("location")).await;
    let code = t
        .text
        .split("data-test=\"ticket-code\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    // Check-in on the phone page, in Chinese: green once, red the second time.
    let checkin = format!("/events/{id}/checkin?lang=zh-CN");
    let r = s
        .post_form(
            &checkin,
            &format!("/events/{id}/checkin"),
            &[("code", &code.to_lowercase()), ("device", "门口1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.text.contains("data-result=\"ok\"") && r.text.contains("欢迎") && r.text.contains("李雷"),
        "{}",
        r.visible_text()
    );
    let r = s
        .post_form(
            &checkin,
            &format!("/events/{id}/checkin"),
            &[("code", &code), ("device", "门口2")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text.contains("已签到过") && r.text.contains("门口1"), "{}", r.visible_text());
    let r = s
        .post_form(&checkin, &format!("/events/{id}/checkin"), &[("code", "0000-0000-0000")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.text.contains("票码不存在"));
    // Find by name for someone who forgot the ticket.
    let found = s.get(&format!("/events/{id}/checkin?q=李")).await;
    assert!(found.text.contains("lilei@example.org"));
    // Exports for staff, each in the audit log; badges with the QR code.
    let csv = s.get(&format!("/events/{id}/export/participants.csv?lang=zh-CN")).await;
    assert!(csv.header("content-type").starts_with("text/csv"));
    assert!(
        csv.text.contains("李雷")
            && csv.text.contains("成都某医药公司")
            && csv.text.contains("单位"),
        "{}",
        csv.text
    );
    let xlsx = s.get(&format!("/events/{id}/export/participants.xlsx")).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.text.starts_with("PK"));
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM audit_log WHERE entity_id = $1 AND action = 'export'",
            &id
        )
        .await,
        2
    );
    assert_eq!(
        p.get(&format!("/events/{id}/export/participants.csv")).await.status,
        StatusCode::SEE_OTHER,
        "the public is sent to log in"
    );
    let badges = s.get(&format!("/events/{id}/badges?size=a6")).await;
    assert_eq!(badges.text.matches("data-test=\"badge\"").count(), 1);
    assert!(
        badges.text.contains("李雷")
            && badges.text.contains("<svg")
            && badges.text.contains("badges--a6")
    );
    let m = s.get(&manage).await;
    assert!(m.text.contains("data-test=\"count-checked-in\">1<"), "{}", m.visible_text());
}

#[tokio::test]
async fn staff_see_attendance_by_category_and_country_refresh_in_place() {
    let app = TestApp::new().await;
    let id = open_event(&app, 20).await;
    for (name, email, country) in [
        ("Ada Lovelace", "ada@example.org", "GB"),
        ("Marie Curie", "marie@example.org", "FR"),
        ("Alan Turing", "alan@example.org", "GB"),
    ] {
        let body = json!({"participants": [{"name": name, "email": email, "country": country}], "consent": true});
        let r = app
            .client()
            .send_json(
                Method::POST,
                &format!("/api/v1/events/{id}/registrations"),
                None,
                &body.to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let staff = app.token(Role::Staff).await;
    let tickets = app.client().get_json(&format!("/api/v1/events/{id}/tickets"), &staff).await;
    let first = tickets.json()["items"][0]["code"].as_str().unwrap().to_string();
    let r = app
        .client()
        .send_json(
            Method::POST,
            "/api/v1/checkins",
            Some(&staff),
            &json!({"event_id": id, "code": first}).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    // The public cannot read the panel.
    let anon = app.client().get(&format!("/events/{id}/attendance")).await;
    assert_ne!(anon.status, StatusCode::OK);

    let mut s = app.signed_in(Role::Staff).await;
    let page = s.get(&format!("/events/{id}/manage?lang=en")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains(&format!("hx-get=\"/events/{id}/attendance\"")), "polls for counts");
    let panel = s.get(&format!("/events/{id}/attendance")).await;
    assert_eq!(panel.status, StatusCode::OK);
    let text = panel.visible_text();
    assert!(!panel.text.contains("<html"), "a fragment, not a page");
    // Three registered, one checked in; two from the United Kingdom first.
    assert!(text.contains("3 / 20"), "{text}");
    let uk = text.find("United Kingdom").expect("country named in the page's language");
    let fr = text.find("France").expect("France listed");
    assert!(uk < fr, "most registered first: {text}");
    let mut zh = app.signed_in(Role::Staff).await;
    zh.get("/?lang=zh-CN").await;
    let panel = zh.get(&format!("/events/{id}/attendance")).await;
    assert!(panel.visible_text().contains("按国家（地区）"), "{}", panel.visible_text());
    assert!(panel.visible_text().contains("法国"), "{}", panel.visible_text());
}

/// An event's languages are shown by name in the reader's language, not as tags.
#[tokio::test]
async fn an_events_languages_are_named_not_coded() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let body = json!({"kind": "salon", "title_zh": "德法沙龙", "title_en": "German-French salon", "languages": ["de", "fr"],
                      "starts_at": "2026-12-12T09:00:00+08:00", "ends_at": "2026-12-12T12:00:00+08:00", "capacity": 10});
    let r = app
        .client()
        .send_json(Method::POST, "/api/v1/events", Some(&staff), &body.to_string())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.json()["id"].as_str().unwrap().to_string();
    let mut c = app.client();
    let en = c.get(&format!("/events/{id}?lang=en")).await.visible_text();
    assert!(en.contains("German, French"), "{en}");
    assert!(!en.contains("de, fr"), "{en}");
    let zh = c.get(&format!("/events/{id}?lang=zh-CN")).await.visible_text();
    assert!(zh.contains("德语、法语"), "{zh}");
}

/// The staff event page shows registrations a hundred at a time.
#[tokio::test]
async fn the_staff_event_page_pages_its_registrations() {
    let app = TestApp::new().await;
    let id = open_event(&app, 500).await;
    let staff = app.token(Role::Staff).await;
    for i in 0..105 {
        let body = json!({"participants": [{"name": format!("Guest {i:03}"), "email": format!("g{i}@example.org")}], "consent": true});
        let r = app
            .client()
            .send_json(
                Method::POST,
                &format!("/api/v1/events/{id}/registrations"),
                Some(&staff),
                &body.to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let mut s = app.signed_in(Role::Staff).await;
    let first = s.get(&format!("/events/{id}/manage")).await;
    assert_eq!(first.text.matches("data-test=\"registration-row\"").count(), 100);
    assert!(first.text.contains("Guest 000") && !first.text.contains("Guest 100"));
    let start = first.text.find("data-test=\"registrations-next\"").expect("a next page");
    let href_at = first.text[..start].rfind("href=\"").unwrap() + 6;
    let next = first.text[href_at..href_at + first.text[href_at..].find('"').unwrap()]
        .replace("&amp;", "&");
    let second = s.get(&next).await;
    assert_eq!(second.status, StatusCode::OK);
    assert_eq!(second.text.matches("data-test=\"registration-row\"").count(), 5);
    assert!(second.text.contains("Guest 104") && !second.text.contains("Guest 099"));
    assert!(
        !second.text.contains("registrations-next") && second.text.contains("registrations-first")
    );
    // The attendance panel still counts everyone.
    let panel = s.get(&format!("/events/{id}/attendance?lang=en")).await;
    assert!(panel.text.contains("105"), "{}", panel.visible_text());
}

/// A question asking for languages is answered by name (boxes), with any
/// other language as a code; the answer is the tags, in order.
#[tokio::test]
async fn a_language_question_is_answered_by_name() {
    let app = TestApp::new().await;
    let mut s = app.signed_in(Role::Staff).await;
    let r = s
        .post_form(
            "/events/new",
            "/events",
            &[
                ("kind", "salon"),
                ("visibility", "public"),
                ("title_zh", "语言沙龙"),
                ("title_en", "Language salon"),
                ("date", "2026-12-15"),
                ("start", "14:00"),
                ("end", "16:00"),
                ("capacity", "30"),
                ("max_group", "2"),
                ("questions", "langs | language | 工作语言 | Working languages | required"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.visible_text());
    let manage = r.header("location");
    let id = manage.trim_start_matches("/events/").trim_end_matches("/manage").to_string();
    let r = s
        .post_form(&manage, &format!("/events/{id}/transition"), &[("to", "registration_open")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mut p = app.client();
    let page = format!("/events/{id}?lang=en");
    let shown = p.get(&page).await;
    assert!(shown.text.contains("<option value=\"de\">German</option>"), "German by name");
    assert!(!shown.text.contains("zh-Hans"), "no codes to type");
    let r = p
        .post_form(
            &page,
            &format!("/events/{id}/register"),
            &[
                ("name", "Anna"),
                ("email", "anna@example.org"),
                ("answer_langs", "de"),
                ("answer_langs_other", ""),
                ("consent", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.visible_text());
    // A language without a name in the list is typed as a code.
    let r = p
        .post_form(
            &page,
            &format!("/events/{id}/register"),
            &[
                ("name", "Bram"),
                ("email", "bram@example.org"),
                ("answer_langs", ""),
                ("answer_langs_other", "nl-BE"),
                ("consent", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.visible_text());
    let token = app.token(Role::Staff).await;
    let regs =
        app.client().get_json(&format!("/api/v1/events/{id}/registrations"), &token).await.json();
    let answers: Vec<String> = regs["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["answers"]["langs"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(
        answers.contains(&"de".to_string()) && answers.contains(&"nl-BE".to_string()),
        "{answers:?}"
    );
}
