//! Visits in the browser's terms: forms, redirects, refusals shown on the
//! page in the user's language, printouts and the itinerary calendar.

use axum::http::{Method, StatusCode};
use liaison::auth::Role;
use serde_json::json;

use crate::helpers::TestApp;

fn location(r: &crate::helpers::Resp) -> String {
    r.header("location")
}

/// A staff-made visit in planning, with languages fr and en; returns its id.
async fn planning_visit(app: &TestApp) -> String {
    let token = app.token(Role::Staff).await;
    let mut c = app.client();
    let r = c
        .send_json(
            Method::POST,
            "/api/v1/visits",
            Some(&token),
            &json!({"organisation_name_en": "Consulate General of France in Chengdu", "organisation_type": "embassy_consulate",
                    "country": "FR", "party_size": 4, "languages": ["fr", "en"], "starts_on": "2026-12-02", "ends_on": "2026-12-02",
                    "hosts": "王主任, 李晓"})
            .to_string(),
        )
        .await;
    let id = r.json()["id"].as_str().unwrap().to_string();
    for to in ["approved", "planning"] {
        let r = c
            .send_json(
                Method::POST,
                &format!("/api/v1/visits/{id}/transition"),
                Some(&token),
                &json!({"to": to}).to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    id
}

/// The request form filled in as a consulate would, plus `extra`.
fn request<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("organisation_name", "Consulate General of Italy"),
        ("organisation_type", "embassy_consulate"),
        ("country", "IT"),
        ("purpose", "Exchange"),
        ("preferred_from", "2026-12-10"),
        ("preferred_to", "2026-12-11"),
        ("party_size", "3"),
        ("languages", "it"),
        ("contact_name", "G. Rossi"),
    ];
    f.extend_from_slice(extra);
    f
}

#[tokio::test]
async fn the_public_request_form_answers_in_the_visitors_language() {
    let app = TestApp::new().await;
    let mut c = app.client();
    let page = c.get("/visit-request?lang=en").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("Privacy notice"));
    assert!(page.text.contains("Hong Kong, China"), "the reviewed country names");
    // Missing consent and a bad e-mail: the form again, with messages, nothing stored.
    let before = app.count("SELECT COUNT(*) AS n FROM visit WHERE source = $1", "public").await;
    let r = c
        .post_form(
            "/visit-request?lang=en",
            "/visit-request",
            &request(&[("contact_email", "not-an-email")]),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("Please agree to the privacy notice"), "{}", r.visible_text());
    assert!(r.text.contains("Enter a valid e-mail address"));
    assert!(r.text.contains("value=\"Consulate General of Italy\""), "what was typed is kept");
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM visit WHERE source = $1", "public").await,
        before
    );
    let r = c
        .post_form(
            "/visit-request?lang=en",
            "/visit-request",
            &request(&[("contact_email", "g.rossi@example.it"), ("consent", "1")]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let done = c.get(&location(&r)).await;
    assert!(done.text.contains("V-2026-"), "{}", done.visible_text());
    // Only a reference's shape is echoed.
    let odd = c.get("/visit-request/done?reference=%3Cscript%3E").await;
    assert!(!odd.text.contains("<script>"));
}

#[tokio::test]
async fn staff_run_a_visit_from_its_page_in_chinese() {
    let app = TestApp::new().await;
    let id = planning_visit(&app).await;
    let mut c = app.signed_in(Role::Staff).await;
    let page = format!("/visits/{id}?lang=zh-CN");
    let shown = c.get(&page).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.text.contains("筹备中"));
    // A reason is needed to postpone; the refusal is shown in Chinese.
    let r = c
        .post_form(
            &page,
            &format!("/visits/{id}/transition"),
            &[("to", "postponed"), ("reason", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("请填写原因"), "{}", r.visible_text());
    // An illegal move: 409 with a clear message, nothing changed.
    let r = c.post_form(&page, &format!("/visits/{id}/transition"), &[("to", "closed")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text.contains("不能转为此状态"));
    let r = c.post_form(&page, &format!("/visits/{id}/transition"), &[("to", "confirmed")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(c.get(&location(&r)).await.text.contains("data-status=\"confirmed\""));

    // An item in a room; then another visit wants the room: conflict with alternatives.
    let rooms = c.get_json("/api/v1/rooms", &app.token(Role::Staff).await).await.json();
    let room_a = rooms["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name_en"] == "Negotiation Room A")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let item = [
        ("kind", "talks"),
        ("status", "confirmed"),
        ("title_zh", "会谈"),
        ("title_en", "Talks"),
        ("date", "2026-12-02"),
        ("start", "10:00"),
        ("end", "11:00"),
        ("room_id", room_a.as_str()),
    ];
    let r = c.post_form(&page, &format!("/visits/{id}/items"), &item).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.visible_text());
    let other = planning_visit(&app).await;
    let r = c.post_form(&page, &format!("/visits/{other}/items"), &item).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text.contains("data-test=\"alert\""));
    assert!(r.text.contains("→ "), "alternatives listed: {}", r.visible_text());

    // A member; the passport without a data key is refused on the page.
    let r = c
        .post_form(
            &page,
            &format!("/visits/{id}/members"),
            &[
                ("surname", "Dupont"),
                ("given_name", "Marie"),
                ("name_zh", "杜玛丽"),
                ("title_en", "Consul General"),
                ("is_head", "1"),
                ("passport", "19AB12345"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("LIAISON_DATA_KEY"));
    let r = c
        .post_form(
            &page,
            &format!("/visits/{id}/members"),
            &[
                ("surname", "Dupont"),
                ("given_name", "Marie"),
                ("name_zh", "杜玛丽"),
                ("title_zh", "总领事"),
                ("title_en", "Consul General"),
                ("is_head", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    // A plan task already late shows on the dashboard.
    let r = c
        .post_form(
            &page,
            &format!("/visits/{id}/tasks"),
            &[("area", "gifts"), ("title", "选礼品"), ("due_on", "2026-11-20")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let dash = c.get("/dashboard?lang=zh-CN").await;
    assert!(dash.text.contains("data-test=\"overdue-task\""), "{}", dash.visible_text());
    assert!(dash.text.contains("选礼品"));

    // The item page: suggestions for French, assign, seating from members, name cards.
    let items = c
        .get_json(&format!("/api/v1/visits/{id}/itinerary-items"), &app.token(Role::Staff).await)
        .await
        .json();
    let item_id = items["items"][0]["id"].as_str().unwrap().to_string();
    let item_page = format!("/visits/items/{item_id}?language=fr&lang=zh-CN");
    let p = c.get(&item_page).await;
    assert!(p.text.contains("方舒 Fang Shu"), "{}", p.visible_text());
    let fang = p
        .text
        .split("name=\"interpreter_id\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let r = c
        .post_form(
            &item_page,
            &format!("/visits/items/{item_id}/interpreters"),
            &[("interpreter_id", &fang), ("language", "fr")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // The same interpreter for the other visit's overlapping item: refused on the page.
    let r = c
        .post_form(
            &page,
            &format!("/visits/{other}/items"),
            &[
                ("kind", "meeting"),
                ("title_zh", "会见"),
                ("date", "2026-12-02"),
                ("start", "10:30"),
                ("end", "11:30"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let other_item = c
        .get_json(&format!("/api/v1/visits/{other}/itinerary-items"), &app.token(Role::Staff).await)
        .await
        .json()["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = c
        .post_form(
            &item_page,
            &format!("/visits/items/{other_item}/interpreters"),
            &[("interpreter_id", &fang), ("language", "fr")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text.contains("已有任务或不在岗"));

    let r = c
        .post_form(&item_page, &format!("/visits/items/{item_id}/seating"), &[("fill", "members")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.visible_text());
    let cards = c.get(&format!("/visits/items/{item_id}/cards?lang=zh-CN")).await;
    assert_eq!(cards.status, StatusCode::OK);
    assert!(
        cards.text.contains("杜玛丽") && cards.text.contains("DUPONT Marie"),
        "{}",
        cards.visible_text()
    );
    assert!(cards.text.contains("王主任"), "host side from the visit's hosts");
    assert_eq!(
        cards.text.matches("data-test=\"name-card\"").count(),
        3,
        "two hosts and one guest; no card for the interpreter"
    );

    // Printable itinerary and the iCalendar file.
    let print = c.get(&format!("/visits/{id}/itinerary")).await;
    assert!(print.text.contains("会谈") && print.text.contains("Talks"));
    let ics = c.get(&format!("/visits/{id}/itinerary.ics")).await;
    assert!(ics.header("content-type").starts_with("text/calendar"));
    let cal: icalendar::Calendar = ics.text.parse().unwrap();
    assert_eq!(cal.components.len(), 1 + 1, "VTIMEZONE and one VEVENT: {}", ics.text);
    assert!(ics.text.contains(&format!("UID:{item_id}@liaison")));
    assert!(ics.text.contains("STATUS:CONFIRMED"));
}

#[tokio::test]
async fn interpreters_answer_from_their_own_page() {
    let app = TestApp::new().await;
    let id = planning_visit(&app).await;
    let staff = app.token(Role::Staff).await;
    let mut api = app.client();
    let item = api
        .send_json(Method::POST, &format!("/api/v1/visits/{id}/itinerary-items"), Some(&staff),
            r#"{"kind":"meeting","title_zh":"会见","title_en":"Meeting","starts_at":"2026-12-02T15:00:00+08:00","ends_at":"2026-12-02T16:00:00+08:00"}"#)
        .await
        .json();
    let chen = api.get_json("/api/v1/interpreters?languages=en", &staff).await.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["email"] == "interpreter@demo.liaison.local")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = api
        .send_json(
            Method::POST,
            &format!("/api/v1/itinerary-items/{}/interpreters", item["id"].as_str().unwrap()),
            Some(&staff),
            &json!({"interpreter_id": chen, "language": "en"}).to_string(),
        )
        .await;
    let aid = r.json()["id"].as_str().unwrap().to_string();
    let mut c = app.signed_in(Role::Interpreter).await;
    let mine = c.get("/interpreting/mine?lang=en").await;
    assert!(
        mine.text.contains("data-test=\"my-assignment\" data-status=\"offered\""),
        "{}",
        mine.visible_text()
    );
    assert!(mine.text.contains("Meeting"));
    // In-app notification of the offer.
    assert!(c.get("/notifications?lang=en").await.text.contains("Interpreting: Meeting"));
    let r = c
        .post_form(
            "/interpreting/mine",
            &format!("/interpreting/assignments/{aid}/decline"),
            &[("reason", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = c
        .post_form("/interpreting/mine", &format!("/interpreting/assignments/{aid}/accept"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(c.get("/interpreting/mine").await.text.contains("data-status=\"accepted\""));
    // Time away, from the same page.
    let r = c
        .post_form(
            "/interpreting/mine",
            "/interpreting/away",
            &[
                ("from_date", "2026-12-20"),
                ("from_time", "08:00"),
                ("to_date", "2026-12-22"),
                ("to_time", "18:00"),
                ("reason", "leave"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(c.get("/interpreting/mine").await.text.contains("2026-12-20 08:00"));
    // Someone else's assignment cannot be touched.
    let mut other = app.signed_in(Role::Enterprise).await;
    let r = other
        .post_form("/dashboard", &format!("/interpreting/assignments/{aid}/accept"), &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn figures_and_the_list_read_as_the_center_quotes_them() {
    let app = TestApp::new().await;
    let mut c = app.signed_in(Role::Staff).await;
    let f = c.get("/visits/figures?from=2018-01-01&as_of=2026-11-27&lang=en").await;
    assert!(f.text.contains("received more than 30 visiting delegations"), "{}", f.visible_text());
    let zh = c.get("/visits/figures?as_of=2026-11-27&lang=zh-CN").await;
    assert!(zh.text.contains("30 余批"), "{}", zh.visible_text());
    let bad = c.get("/visits/figures?as_of=someday").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("field-error\">"));
    // The filter form as a browser sends it, "any" being empty.
    let list = c.get("/visits?status=&type=hk_macao_org&country=&year=&lang=en").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.text.contains("Hong Kong Trade Development Council"));
    assert!(!list.text.contains("Consulate General of France"));
    let page1 = c.get("/visits?limit=10&lang=en").await;
    assert_eq!(page1.text.matches("data-test=\"visit-row\"").count(), 10);
    let next = page1
        .text
        .split("href=\"")
        .find(|p| p.contains("data-test=\"next-page\""))
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&")
        .replace("&#38;", "&");
    assert!(next.contains("cursor="), "{next}");
    let page2 = c.get(&next).await;
    assert_eq!(page2.status, StatusCode::OK);
    let first_of_2 = page2
        .text
        .split("data-test=\"visit-link\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    assert!(
        !page1.text.contains(&format!(">{first_of_2}<")),
        "no repeats across pages: {next} {first_of_2}"
    );
}

/// Moving a visit that is dated later, has open work, or cannot come back
/// asks first, saying why; cancelling it lets go of its rooms to come.
#[tokio::test]
async fn irreversible_or_odd_moves_ask_first_and_cancelling_frees_the_rooms() {
    let app = TestApp::new().await;
    let id = planning_visit(&app).await; // dated 2026-12-02; today is 2026-11-27
    let token = app.token(Role::Staff).await;
    let rooms = app.client().get_json("/api/v1/rooms", &token).await.json();
    let room = rooms["items"][0]["id"].as_str().unwrap().to_string();
    let r = app
        .client()
        .send_json(
            Method::POST,
            &format!("/api/v1/visits/{id}/itinerary-items"),
            Some(&token),
            &json!({"kind": "talks", "title_zh": "会谈", "title_en": "Talks",
                    "starts_at": "2026-12-02T10:00:00+08:00", "ends_at": "2026-12-02T11:00:00+08:00",
                    "room_id": room, "status": "confirmed"})
            .to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let booking = r.json()["booking_id"].as_str().unwrap().to_string();

    let mut c = app.signed_in(Role::Staff).await;
    let page = format!("/visits/{id}?lang=en");
    let status = || {
        let (app, id, token) = (&app, id.clone(), token.clone());
        async move {
            let v = app.client().get_json(&format!("/api/v1/visits/{id}"), &token).await.json();
            v["status"].as_str().unwrap().to_string()
        }
    };
    // Confirmed is routine; in progress before the day asks first.
    let r = c.post_form(&page, &format!("/visits/{id}/transition"), &[("to", "confirmed")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.visible_text());
    let r = c.post_form(&page, &format!("/visits/{id}/transition"), &[("to", "in_progress")]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("data-test=\"confirm-move\""));
    assert!(
        r.visible_text().contains("The visit is dated 2026-12-02, which is after today."),
        "{}",
        r.visible_text()
    );
    assert_eq!(status().await, "confirmed", "nothing moved yet");

    // Cancelling asks too, says the room goes back, and does it once confirmed.
    let r = c
        .post_form(
            &page,
            &format!("/visits/{id}/transition"),
            &[("to", "cancelled"), ("reason", "Trip called off")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let text = r.visible_text();
    assert!(
        text.contains("1 itinerary items still to come will be cancelled")
            && text.contains("This cannot be undone."),
        "{text}"
    );
    let r = c
        .post_form(
            &page,
            &format!("/visits/{id}/transition"),
            &[("to", "cancelled"), ("reason", "Trip called off"), ("confirm", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.visible_text());
    assert_eq!(status().await, "cancelled");
    let b = app.client().get_json(&format!("/api/v1/bookings/{booking}"), &token).await.json();
    assert_eq!(b["status"], "cancelled", "the room is free again: {b}");
    // A cancelled visit is read-only: no moves, no new items.
    let shown = c.get(&page).await;
    assert!(
        !shown.text.contains("data-test=\"transition-form\"")
            && !shown.text.contains("data-test=\"item-form\"")
    );
}

/// The visits list runs by date, latest first, pages by (date, id), and
/// finds a visit by a member's name, its reference or its organisation.
#[tokio::test]
async fn visits_are_listed_by_date_and_found_by_name() {
    let app = TestApp::new().await;
    let token = app.token(Role::Staff).await;
    let mut ids = vec![];
    for (org, day) in [
        ("Zeta Alpha Trading GmbH", "2026-12-10"),
        ("Zeta Beta 100% Pharma", "2026-12-20"),
        ("Zeta Gamma Consulate", "2026-12-15"),
    ] {
        let r = app
            .client()
            .send_json(
                Method::POST,
                "/api/v1/visits",
                Some(&token),
                &json!({"organisation_name_en": org, "organisation_type": "foreign_enterprise", "country": "DE",
                        "party_size": 2, "preferred_from": day, "preferred_to": day})
                .to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        ids.push(r.json()["id"].as_str().unwrap().to_string());
    }
    let member = json!({"surname": "Schneider", "given_name": "Anna", "languages": ["de"]});
    let r = app
        .client()
        .send_json(
            Method::POST,
            &format!("/api/v1/visits/{}/members", ids[0]),
            Some(&token),
            &member.to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);

    // By date, latest first, across pages of one.
    let (_, all) = app.all_pages("/api/v1/visits?limit=1&q=zeta", Some(&token), 20).await;
    let days: Vec<String> =
        all.iter().map(|v| v["preferred_from"].as_str().unwrap_or("").to_string()).collect();
    let mut sorted = days.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(days, sorted, "latest first");
    assert_eq!(days, ["2026-12-20", "2026-12-15", "2026-12-10"]);

    let mut c = app.signed_in(Role::Staff).await;
    let found = |text: &str| text.matches("data-test=\"visit-row\"").count();
    let r = c.get("/visits?q=schneider").await;
    assert_eq!(found(&r.text), 1, "a member's name");
    assert!(r.text.contains("Alpha Trading GmbH"));
    assert_eq!(found(&c.get("/visits?q=100%25").await.text), 1, "% is a character, not a wildcard");
    assert_eq!(found(&c.get("/visits?q=gamma").await.text), 1, "the organisation");
    assert_eq!(found(&c.get("/visits?q=nobody-here").await.text), 0);
    let api = app.client().get_json("/api/v1/visits?cursor=nonsense", &token).await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// A member's details can be corrected from the visit page (the passport
/// number on file stays unless a new one is typed), and the page comes back
/// at the delegation list.
#[tokio::test]
async fn members_are_edited_in_place() {
    let key = liaison::sealed::DataKey::generate_base64();
    let app =
        TestApp::with_config(|c| c.data_key = liaison::sealed::DataKey::from_base64(&key)).await;
    liaison::demo::load(&app.state).await.unwrap();
    let id = planning_visit(&app).await;
    let mut c = app.signed_in(Role::Staff).await;
    let page = format!("/visits/{id}?lang=en");
    let r = c
        .post_form(
            &page,
            &format!("/visits/{id}/members"),
            &[("surname", "Dupont"), ("given_name", "Marie"), ("passport", "X1234567")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.visible_text());
    assert!(location(&r).ends_with("#members"), "adding keeps your place: {}", location(&r));
    let token = app.token(Role::Staff).await;
    let members =
        app.client().get_json(&format!("/api/v1/visits/{id}/members"), &token).await.json();
    let member = members["items"][0]["id"].as_str().unwrap().to_string();

    let edit = c.get(&format!("/visits/{id}?member={member}&lang=en")).await;
    assert!(edit.text.contains("data-test=\"member-edit-form\""));
    let r = c
        .post_form(
            &format!("/visits/{id}?member={member}"),
            &format!("/visits/{id}/members/{member}"),
            &[
                ("surname", "Dupont-Moreau"),
                ("given_name", "Marie"),
                ("name_zh", "杜玛丽"),
                ("languages", "fr"),
                ("passport", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.visible_text());
    let after = app.client().get_json(&format!("/api/v1/visits/{id}/members"), &token).await.json();
    let m = &after["items"][0];
    assert_eq!(m["id"], member.as_str(), "the same member, not a new one");
    assert_eq!(m["surname"], "Dupont-Moreau");
    assert_eq!(m["name_zh"], "杜玛丽");
    assert!(
        m["passport_masked"].as_str().unwrap_or("").ends_with("4567"),
        "the number on file stays: {m}"
    );
    // Bad input is refused with the field named; nothing changes.
    let r = c
        .post_form(
            &page,
            &format!("/visits/{id}/members/{member}"),
            &[("surname", "杜"), ("given_name", "Marie")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Over the API too.
    let r = app
        .client()
        .send_json(
            Method::PUT,
            &format!("/api/v1/visits/{id}/members/{member}"),
            Some(&token),
            &json!({"surname": "Dupont", "given_name": "Marie"}).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["surname"], "Dupont");
    let r = app
        .client()
        .send_json(
            Method::PUT,
            &format!("/api/v1/visits/{id}/members/nobody"),
            Some(&token),
            &json!({"surname": "Dupont"}).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

/// Interpreters' languages are picked by name, each with a level; a
/// language without a name is still written as code:level.
#[tokio::test]
async fn interpreter_languages_are_picked_by_name_with_levels() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in(Role::Admin).await;
    let form = admin.get("/interpreting?lang=en").await;
    assert!(form.text.contains("data-test=\"level-de\""));
    assert!(form.visible_text().contains("German"));
    let user: String = sqlx::query_scalar("SELECT id FROM app_user WHERE email = $1")
        .bind(crate::helpers::email_of(Role::Staff))
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    let r = admin
        .post_form(
            "/interpreting?lang=en",
            "/interpreting",
            &[
                ("user_id", user.as_str()),
                ("level_de", "3"),
                ("level_fr", "1"),
                ("languages", "nl:2"),
                ("active", "1"),
            ],
        )
        .await;
    assert!(
        r.status == StatusCode::SEE_OTHER || r.status == StatusCode::OK,
        "{}",
        r.visible_text()
    );
    let roster = admin.get("/interpreting?lang=en").await.visible_text();
    assert!(roster.contains("German · Senior") && roster.contains("French · Junior"), "{roster}");
    assert!(roster.contains("nl · Intermediate"), "{roster}");
}

/// An itinerary item whose room is taken offers free rooms and times, as
/// the booking form does; one click adds the item there.
#[tokio::test]
async fn a_taken_room_offers_alternatives_for_the_item() {
    let app = TestApp::new().await;
    let id = planning_visit(&app).await;
    let token = app.token(Role::Staff).await;
    let rooms = app.client().get_json("/api/v1/rooms", &token).await.json();
    let room = rooms["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name_en"] == "Multi-function Meeting Room")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let body = json!({"room_id": room, "starts_at": "2026-12-02T10:00:00+08:00", "ends_at": "2026-12-02T11:00:00+08:00",
        "title_en": "Busy", "attendees": 4});
    let r = app
        .client()
        .send_json(Method::POST, "/api/v1/bookings", Some(&token), &body.to_string())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);

    let mut c = app.signed_in(Role::Staff).await;
    let page = format!("/visits/{id}?lang=en");
    let item = [
        ("kind", "talks"),
        ("title_zh", "会谈"),
        ("title_en", "Talks"),
        ("date", "2026-12-02"),
        ("start", "10:00"),
        ("end", "11:00"),
        ("room_id", room.as_str()),
        ("status", "confirmed"),
    ];
    let r = c.post_form(&page, &format!("/visits/{id}/items"), &item).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text.contains("data-test=\"item-alternative\""), "{}", r.visible_text());
    // The first alternative's form, as the browser would send it.
    let form = r.text.split("data-test=\"item-alternatives\"").nth(1).unwrap();
    let form = &form[..form.find("</form>").unwrap()];
    let fields: Vec<(String, String)> = form
        .split("<input type=\"hidden\" name=\"")
        .skip(1)
        .map(|f| {
            let name = f.split('"').next().unwrap().to_string();
            let value = f.split("value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
            (name, value)
        })
        .filter(|(k, _)| k != "csrf_token")
        .collect();
    assert!(
        fields.iter().any(|(k, v)| k == "title_en" && v == "Talks"),
        "what was typed is kept: {fields:?}"
    );
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = c.post_form(&page, &format!("/visits/{id}/items"), &pairs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.visible_text());
    let items =
        app.client().get_json(&format!("/api/v1/visits/{id}/itinerary-items"), &token).await.json();
    assert_eq!(items["items"].as_array().unwrap().len(), 1);
}
