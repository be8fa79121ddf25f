//! Venues in the browser's terms (HTML forms and pages), the iCalendar feeds
//! read by an independent parser, the door display and notification e-mail.

use axum::http::{Method, StatusCode};
use liaison::auth::Role;
use serde_json::json;

use crate::helpers::{Client, TestApp};

async fn room_id(app: &TestApp, name_en: &str) -> String {
    let token = app.token(Role::Admin).await;
    let rooms = app.client().get_json("/api/v1/rooms", &token).await.json();
    rooms["items"].as_array().unwrap().iter().find(|r| r["name_en"] == name_en).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn booking_through_the_form_with_a_conflict_and_alternatives() {
    let app = TestApp::new().await;
    let room = room_id(&app, "Negotiation Room A").await;
    let mut staff = app.signed_in(Role::Staff).await;
    let form = [
        ("room_id", room.as_str()),
        ("title_zh", "会见"),
        ("title_en", "Meeting"),
        ("date", "2026-12-01"),
        ("start", "10:00"),
        ("end", "11:00"),
        ("attendees", "6"),
    ];
    let r = staff.post_form("/bookings/new", "/bookings", &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let show = staff.get(&r.header("location")).await;
    assert!(show.text.contains("data-status=\"confirmed\""));
    assert!(show.text.contains("预订已提交"));
    assert_eq!(
        show.text.matches("data-test=\"edit-form\"").count(),
        1,
        "the edit form appears once, in the page body"
    );
    assert!(!show.text[..show.text.find("</title>").unwrap()].contains("<form"));

    let clash = [
        ("room_id", room.as_str()),
        ("title_zh", "会谈"),
        ("date", "2026-12-01"),
        ("start", "10:30"),
        ("end", "11:30"),
        ("attendees", "6"),
    ];
    let r = staff.post_form("/bookings/new?lang=en", "/bookings", &clash).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text.contains("These would work instead:"));
    assert!(r.text.matches("data-test=\"alternative\"").count() >= 3);
    assert!(r.text.contains("value=\"10:30\""), "the form keeps what was typed");

    let bad = [
        ("room_id", room.as_str()),
        ("title_zh", "x"),
        ("date", "2026-12-01"),
        ("start", "10:30"),
        ("end", "09:30"),
        ("attendees", "60"),
    ];
    let r = staff.post_form("/bookings/new?lang=zh-CN", "/bookings", &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("结束时间必须晚于开始时间"), "{}", r.visible_text());

    // The week calendar shows the booking; the zone's day view too.
    let week = staff.get(&format!("/venues/rooms/{room}?date=2026-12-01")).await;
    assert_eq!(week.status, StatusCode::OK);
    assert_eq!(week.text.matches("data-test=\"cal-column\"").count(), 7);
    assert!(week.text.contains("10:00–11:00"));
    let zone = staff.get("/venues/zones/trade_negotiation?date=2026-12-01").await;
    assert!(
        zone.text.contains("10:00–11:00")
            && zone.text.matches("data-test=\"cal-column\"").count() == 2
    );
    let zone_week = staff.get("/venues/zones/trade_negotiation?view=week&date=2026-12-01").await;
    assert!(zone_week.text.contains("data-test=\"zone-week\""));
    let mine = staff.get("/bookings/mine").await;
    assert_eq!(mine.text.matches("data-test=\"mine-row\"").count(), 1);
}

#[tokio::test]
async fn a_weekly_series_from_the_form() {
    let app = TestApp::new().await;
    let room = room_id(&app, "Multi-function Meeting Room").await;
    let mut staff = app.signed_in(Role::Staff).await;
    let form = [
        ("room_id", room.as_str()),
        ("title_en", "Salon"),
        ("date", "2026-12-01"),
        ("start", "14:00"),
        ("end", "15:00"),
        ("attendees", "20"),
        ("repeat", "weekly"),
        ("interval", "1"),
        ("by_weekday", "tu"),
        ("by_weekday", "th"),
        ("count", "4"),
    ];
    // Previewing books nothing and lists every date, the rule in words.
    let mut preview = form.to_vec();
    preview.push(("preview", "1"));
    let r = staff.post_form("/bookings/new", "/bookings", &preview).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM booking WHERE room_id = $1", &room).await, 0);
    assert_eq!(r.text.matches("data-test=\"preview-date\"").count(), 4);
    let text = r.visible_text();
    assert!(text.contains("每周二、周四，共 4 次，12月1日–12月10日"), "{text}");
    assert!(text.contains("2026-12-10 周四 14:00–15:00"), "{text}");

    let r = staff.post_form("/bookings/new", "/bookings", &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM booking WHERE room_id = $1", &room).await, 4);
    let show = staff.get(&r.header("location")).await;
    assert!(show.visible_text().contains("每周二、周四，共 4 次，12月1日–12月10日"));
    assert!(!show.text.contains("FREQ="), "the rule is said in words, not as a code");
}

#[tokio::test]
async fn an_empty_start_is_required_not_a_format_lecture() {
    let app = TestApp::new().await;
    let room = room_id(&app, "Multi-function Meeting Room").await;
    let mut staff = app.signed_in(Role::Staff).await;
    let form = [
        ("room_id", room.as_str()),
        ("title_en", "Salon"),
        ("date", "2026-12-01"),
        ("start", ""),
        ("end", "15:00"),
        ("attendees", "20"),
    ];
    let r = staff.post_form("/bookings/new", "/bookings", &form).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.visible_text();
    assert!(text.contains("此项必填"), "{text}");
    assert!(!text.contains("RFC"), "{text}");
}

#[tokio::test]
async fn the_finder_lists_rooms_that_fit() {
    let app = TestApp::new().await;
    let mut staff = app.signed_in(Role::Staff).await;
    let r = staff
        .get("/venues?date=2026-12-01&from=10:00&to=11:00&attendees=30&equipment=projector")
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let hits = r.text.matches("data-test=\"finder-room\"").count();
    // Projector and at least 30 seats: City Promotion Hall, Conference Hall, Multi-function Room, Science Lecture Room.
    assert_eq!(hits, 4, "{}", r.visible_text());
    let start = r.text.find("data-test=\"finder-results\"").unwrap();
    let results = &r.text[start..start + r.text[start..].find("</ul>").unwrap()];
    assert!(!results.contains("洽谈室") && results.contains("科普报告厅"), "{results}");
    let r = staff.get("/venues?date=2026-12-01&from=11:00&to=10:00").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn approve_from_the_inbox_and_the_organizer_is_told() {
    let app = TestApp::new().await;
    let hall = room_id(&app, "International Conference Hall").await;
    let mut staff = app.signed_in(Role::Staff).await;
    let form = [
        ("room_id", hall.as_str()),
        ("title_zh", "推介会"),
        ("title_en", "Promotion"),
        ("date", "2026-12-03"),
        ("start", "09:00"),
        ("end", "12:00"),
        ("attendees", "150"),
    ];
    let r = staff.post_form("/bookings/new", "/bookings", &form).await;
    let booking = staff.get(&r.header("location")).await;
    assert!(booking.text.contains("data-status=\"requested\""));
    let mut admin = app.signed_in(Role::Admin).await;
    let inbox = admin.get("/inbox?lang=en").await;
    assert_eq!(inbox.text.matches("data-test=\"inbox-item\"").count(), 1);
    assert!(inbox.text.contains("data-test=\"nav-count\">1<"), "the menu shows one pending");
    let id = r
        .header("location")
        .trim_start_matches("/bookings/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let r = admin
        .post_form_raw(
            &format!("/bookings/{id}/approve"),
            &[("csrf_token", &inbox.csrf()), ("scope", "series"), ("back", "inbox")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert!(admin.get("/inbox").await.text.contains("data-test=\"inbox-empty\""));
    let notes = staff.get("/notifications?lang=en").await;
    assert!(notes.text.contains("Booking approved: Promotion"), "{}", notes.visible_text());
    let notes = staff.get("/notifications?lang=zh-CN").await;
    assert!(notes.text.contains("预订已批准：推介会"));
    // Staff see the inbox but cannot decide.
    let inbox = staff.get("/inbox").await;
    assert_eq!(inbox.status, StatusCode::OK);
    assert!(!inbox.text.contains("data-test=\"approve\""));
}

#[tokio::test]
async fn admins_add_rooms_and_closures_from_pages() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in(Role::Admin).await;
    let mut form = vec![
        ("zone_code", "import_export"),
        ("name_zh", "冷链咨询室"),
        ("name_en", "Cold Chain Desk"),
        ("capacity", "4"),
        ("min_minutes", "30"),
        ("max_minutes", "120"),
        ("max_advance_days", "60"),
        ("setup_minutes", "0"),
        ("teardown_minutes", "0"),
        ("equipment", "whiteboard"),
        ("bookable", "1"),
    ];
    for d in ["mo", "tu", "we", "th", "fr"] {
        form.push(match d {
            "mo" => ("hours_mo", "09:00-17:00"),
            "tu" => ("hours_tu", "09:00-17:00"),
            "we" => ("hours_we", "09:00-17:00"),
            "th" => ("hours_th", "09:00-17:00"),
            _ => ("hours_fr", "09:00-12:00"),
        });
    }
    let r = admin.post_form("/venues/rooms/new", "/venues/rooms", &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.visible_text());
    let room_path = r.header("location");
    let bad = [
        ("zone_code", "import_export"),
        ("name_zh", "x"),
        ("name_en", "y"),
        ("capacity", "-3"),
        ("hours_mo", "nine to five"),
    ];
    let r = admin.post_form("/venues/rooms/new", "/venues/rooms", &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    let page = admin.get(&room_path).await;
    let r = admin
        .post_form_raw(
            &format!("{room_path}/blackouts"),
            &[
                ("csrf_token", &page.csrf()),
                ("from_date", "2026-12-07"),
                ("to_date", "2026-12-07"),
                ("reason_zh", "设备检修"),
                ("reason_en", "Maintenance"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.visible_text());
    let token = app.token(Role::Staff).await;
    let room = room_path.trim_start_matches("/venues/rooms/");
    let body = json!({"room_id": room, "starts_at": "2026-12-07T10:00:00+08:00", "ends_at": "2026-12-07T11:00:00+08:00", "title_en": "x", "attendees": 2});
    let r = app
        .client()
        .send_json(Method::POST, "/api/v1/bookings", Some(&token), &body.to_string())
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json()["conflicts"][0]["kind"], "blackout");
    assert_eq!(r.json()["conflicts"][0]["title_en"], "Maintenance");
    let week = admin.get(&format!("{room_path}?date=2026-12-07&lang=en")).await;
    assert!(week.text.contains("Closed: Maintenance"));
    // The admin reopens it; the same booking then goes through.
    assert_eq!(week.text.matches("data-test=\"closure\"").count(), 1);
    let marker = "/blackouts/";
    let i = week.text.find(marker).unwrap() + marker.len();
    let closure_id = week.text[i..i + 36].to_string();
    let r = admin
        .post_form_raw(
            &format!("{room_path}/blackouts/{closure_id}/delete"),
            &[("csrf_token", &week.csrf())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = app
        .client()
        .send_json(Method::POST, "/api/v1/bookings", Some(&token), &body.to_string())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'blackout' AND action = $1",
            "delete"
        )
        .await,
        1
    );
    // Closing a room for booking from its edit page.
    let edit = admin.get(&format!("{room_path}/edit")).await;
    assert!(edit.text.contains("value=\"Cold Chain Desk\""));
    let mut fields: Vec<(&str, &str)> = vec![
        ("csrf_token", ""),
        ("zone_code", "import_export"),
        ("name_zh", "冷链咨询室"),
        ("name_en", "Cold Chain Desk"),
        ("capacity", "4"),
        ("min_minutes", "30"),
        ("max_minutes", "120"),
        ("max_advance_days", "60"),
        ("setup_minutes", "0"),
        ("teardown_minutes", "0"),
        ("hours_mo", "09:00-17:00"),
    ];
    let csrf = edit.csrf();
    fields[0].1 = &csrf;
    let r = admin.post_form_raw(&format!("{room_path}/edit"), &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.visible_text());
    let body = json!({"room_id": room, "starts_at": "2026-12-07T14:00:00+08:00", "ends_at": "2026-12-07T15:00:00+08:00", "title_en": "x", "attendees": 2});
    let r = app
        .client()
        .send_json(Method::POST, "/api/v1/bookings", Some(&token), &body.to_string())
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "not bookable any more: {}", r.text);
    assert_eq!(r.json()["errors"][0]["field"], "room_id");
    let mut staff = app.signed_in(Role::Staff).await;
    assert_eq!(staff.get("/venues/rooms/new").await.status, StatusCode::FORBIDDEN);
    assert_eq!(staff.get(&format!("{room_path}/edit")).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_room_feed_parses_with_an_independent_parser() {
    let app = TestApp::new().await;
    let room = room_id(&app, "Multi-function Meeting Room").await;
    let token = app.token(Role::Staff).await;
    let mut c = app.client();
    let series = json!({"room_id": room, "starts_at": "2026-12-02T14:00:00+08:00", "ends_at": "2026-12-02T15:30:00+08:00",
                        "title_zh": "周例会；讨论", "title_en": "Weekly meeting, long title to make the line fold past seventy-five octets", "attendees": 20,
                        "recurrence": {"freq": "weekly", "by_weekday": ["we"], "count": 3}});
    let made = c
        .send_json(Method::POST, "/api/v1/bookings", Some(&token), &series.to_string())
        .await
        .json();
    let one = json!({"room_id": room, "starts_at": "2026-12-04T09:00:00+08:00", "ends_at": "2026-12-04T10:00:00+08:00", "title_en": "One-off", "attendees": 3});
    let single =
        c.send_json(Method::POST, "/api/v1/bookings", Some(&token), &one.to_string()).await.json();
    let second = made["occurrences"][1]["id"].as_str().unwrap();
    c.send_json(Method::POST, &format!("/api/v1/bookings/{second}/cancel"), Some(&token), "").await;

    let mut admin = app.signed_in(Role::Admin).await;
    let feed_path = new_link(
        &mut admin,
        &format!("/venues/rooms/{room}"),
        &format!("/venues/rooms/{room}/links/feed"),
    )
    .await;
    assert!(feed_path.starts_with("/calendar/rooms/"), "{feed_path}");
    let feed = app.client().get(&feed_path).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(feed.header("content-type").starts_with("text/calendar"));
    assert!(feed.text.lines().all(|l| l.len() <= 76), "lines fold at 75 octets");

    use icalendar::{Calendar, Component};
    let parsed: Calendar = feed.text.parse().expect("an independent parser reads the feed");
    let events: Vec<&icalendar::Event> =
        parsed.components.iter().filter_map(|c| c.as_event()).collect();
    assert_eq!(events.len(), 2, "one series event, one single event");
    let series_ev = events
        .iter()
        .find(|e| e.get_uid() == Some(&format!("{}@liaison", made["series_id"].as_str().unwrap())))
        .expect("series by stable UID");
    assert_eq!(series_ev.property_value("RRULE"), Some("FREQ=WEEKLY;INTERVAL=1;BYDAY=WE;COUNT=3"));
    assert_eq!(
        series_ev.get_summary(),
        Some(
            "周例会；讨论 / Weekly meeting, long title to make the line fold past seventy-five octets"
        )
    );
    assert!(
        series_ev.multi_properties().get("EXDATE").is_some()
            || series_ev.property_value("EXDATE").is_some(),
        "the cancelled occurrence is an EXDATE"
    );
    assert!(feed.text.contains("EXDATE;TZID=Asia/Shanghai:20261209T140000"));
    assert!(feed.text.contains("DTSTART;TZID=Asia/Shanghai:20261202T140000"));
    assert!(feed.text.contains("BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai"));
    let single_ev = events
        .iter()
        .find(|e| e.get_uid() == Some(&format!("{}@liaison", single["id"].as_str().unwrap())))
        .unwrap();
    assert_eq!(single_ev.property_value("STATUS"), Some("CONFIRMED"));
    assert_eq!(
        app.client().get("/calendar/rooms/not-a-token.ics").await.status,
        StatusCode::NOT_FOUND
    );

    // The user's own feed.
    let mut staff = app.signed_in(Role::Staff).await;
    let path = new_link(&mut staff, "/bookings/mine", "/bookings/mine/feed").await;
    assert!(path.starts_with("/calendar/me/"), "{path}");
    let mine = staff.get("/bookings/mine").await;
    assert!(!mine.text.contains(&path), "the address is shown once, not on the page after");
    let feed = app.client().get(&path).await;
    let parsed: Calendar = feed.text.parse().unwrap();
    assert_eq!(parsed.components.iter().filter_map(|c| c.as_event()).count(), 2);
}

#[tokio::test]
async fn the_door_display_shows_now_next_and_free_until_without_login() {
    let app = TestApp::new().await;
    let room = room_id(&app, "Negotiation Room B").await;
    let token = app.token(Role::Staff).await;
    let mut c = app.client();
    // The test clock stands at 2026-11-27 10:00 (a Friday).
    for (s, e, t) in [("10:30", "11:30", "Talks"), ("14:00", "15:00", "Signing")] {
        let body = json!({"room_id": room, "starts_at": format!("2026-11-27T{s}:00+08:00"), "ends_at": format!("2026-11-27T{e}:00+08:00"), "title_zh": "会谈", "title_en": t, "attendees": 4});
        assert_eq!(
            c.send_json(Method::POST, "/api/v1/bookings", Some(&token), &body.to_string())
                .await
                .status,
            StatusCode::CREATED
        );
    }
    let mut admin = app.signed_in(Role::Admin).await;
    let path = new_link(
        &mut admin,
        &format!("/venues/rooms/{room}"),
        &format!("/venues/rooms/{room}/links/display"),
    )
    .await;
    let r = app.client().get(&path).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("refresh"), "60");
    assert!(r.text.contains("data-busy=\"false\""));
    assert!(r.text.contains("空闲至 10:30") && r.text.contains("Free until 10:30"));
    assert_eq!(r.text.matches("data-test=\"display-next\"").count(), 2);
    app.clock.advance_secs(45 * 60);
    let r = app.client().get(&path).await;
    assert!(
        r.text.contains("data-busy=\"true\"")
            && r.text.contains("Talks")
            && r.text.contains("使用中")
    );
    assert_eq!(app.client().get("/display/nope").await.status, StatusCode::NOT_FOUND);
}

/// Makes a secret link with the form on `page` and reads it from the page
/// that shows it once.
pub async fn new_link(client: &mut Client<'_>, page: &str, action: &str) -> String {
    let csrf = client.get(page).await.csrf();
    let r = client.post_form_raw(action, &[("csrf_token", &csrf)]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.header("cache-control"), "no-store");
    let start = r.text.find("data-test=\"new-link-path\"").expect("the new link");
    let value = r.text[..start].rfind("value=\"").unwrap() + 7;
    r.text[value..value + r.text[value..].find('"').unwrap()].to_string()
}

#[tokio::test]
async fn room_links_are_separate_renewable_hashed_and_for_room_managers_only() {
    let app = TestApp::new().await;
    let room = room_id(&app, "Negotiation Room B").await;
    let token = app.token(Role::Enterprise).await;
    let body = json!({"room_id": room, "starts_at": "2026-11-27T14:00:00+08:00", "ends_at": "2026-11-27T15:00:00+08:00",
                      "title_zh": "闭门会谈", "title_en": "Confidential talks", "attendees": 4});
    let made = app
        .client()
        .send_json(Method::POST, "/api/v1/bookings", Some(&token), &body.to_string())
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);

    // A conflict tells a caller who sees others' bookings as busy only that
    // the room is busy; staff (who see all bookings) get the title.
    let staff = app.token(Role::Staff).await;
    let mut other = body.clone();
    other["title_en"] = json!("Another meeting");
    let r = app
        .client()
        .send_json(Method::POST, "/api/v1/bookings", Some(&staff), &other.to_string())
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json()["conflicts"][0]["title_en"], "Confidential talks", "{}", r.text);
    let ministerial = json!({"room_id": room, "starts_at": "2026-11-27T16:00:00+08:00", "ends_at": "2026-11-27T17:00:00+08:00",
                             "title_zh": "部长会谈", "title_en": "Ministerial talks", "attendees": 4});
    let r = app
        .client()
        .send_json(Method::POST, "/api/v1/bookings", Some(&staff), &ministerial.to_string())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = app
        .client()
        .send_json(Method::POST, "/api/v1/bookings", Some(&token), &ministerial.to_string())
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let c = &r.json()["conflicts"][0];
    assert_eq!(
        (c["title_en"].as_str(), c["title_zh"].as_str(), c["booking_id"].as_str()),
        (Some("Busy"), Some("已占用"), Some("")),
        "{}",
        r.text
    );
    assert!(!r.text.contains("Ministerial") && !r.text.contains("部长"), "{}", r.text);

    // Users who may only see others' bookings as busy are offered no feed
    // of the room and cannot make one.
    for role in [Role::Enterprise, Role::Interpreter, Role::Staff] {
        let mut c = app.signed_in(role).await;
        let page = c.get(&format!("/venues/rooms/{room}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.text.contains("/calendar/rooms/") && !page.text.contains("/display/"));
        assert!(!page.text.contains("room-links"), "{role:?} sees no link section");
        let r = c
            .post_form_raw(
                &format!("/venues/rooms/{room}/links/feed"),
                &[("csrf_token", &page.csrf())],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{role:?}");
    }

    let mut admin = app.signed_in(Role::Admin).await;
    let page = format!("/venues/rooms/{room}");
    let display = new_link(&mut admin, &page, &format!("{page}/links/display")).await;
    let feed = new_link(&mut admin, &page, &format!("{page}/links/feed")).await;
    let display_secret = display.trim_start_matches("/display/").to_string();
    let feed_secret =
        feed.trim_start_matches("/calendar/rooms/").trim_end_matches(".ics").to_string();
    assert_ne!(display_secret, feed_secret, "separate secrets");
    // One secret does not open the other's view.
    assert_eq!(
        app.client().get(&format!("/calendar/rooms/{display_secret}.ics")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.client().get(&format!("/display/{feed_secret}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.client().get(&display).await.status, StatusCode::OK);
    assert!(app.client().get(&feed).await.text.contains("Confidential talks"));
    // The page says when they were made, never the links.
    let shown = admin.get(&page).await;
    assert!(shown.text.contains("data-test=\"room-link-display\""));
    assert!(!shown.text.contains(&display_secret) && !shown.text.contains(&feed_secret));
    // Only hashes are stored: no table holds the secrets.
    for secret in [&display_secret, &feed_secret] {
        assert_eq!(
            app.count("SELECT COUNT(*) AS n FROM secret_link WHERE hash = $1", secret).await,
            0
        );
        assert_eq!(
            app.count("SELECT COUNT(*) AS n FROM room WHERE display_token = $1", secret).await,
            0
        );
    }
    // Renewing ends the old link of that kind only.
    let feed2 = new_link(&mut admin, &page, &format!("{page}/links/feed")).await;
    assert_ne!(feed2, feed);
    assert_eq!(app.client().get(&feed).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.client().get(&feed2).await.status, StatusCode::OK);
    assert_eq!(app.client().get(&display).await.status, StatusCode::OK);
    // Unknown kinds are not found.
    let csrf = admin.get(&page).await.csrf();
    assert_eq!(
        admin.post_form_raw(&format!("{page}/links/other"), &[("csrf_token", &csrf)]).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn secrets_stored_in_plain_before_are_hashed_at_start_and_still_open() {
    let app = TestApp::new().await;
    let room = room_id(&app, "Negotiation Room B").await;
    let legacy = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    sqlx::query("UPDATE room SET display_token = $1 WHERE id = $2")
        .bind(legacy)
        .bind(&room)
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(app.client().get(&format!("/display/{legacy}")).await.status, StatusCode::NOT_FOUND);
    let moved = liaison::links::adopt_legacy(&app.state.db, app.state.clock.now()).await.unwrap();
    assert_eq!(moved, 1);
    assert_eq!(app.client().get(&format!("/display/{legacy}")).await.status, StatusCode::OK);
    // The old secret was shown on every room page: it opens the display,
    // never the room's feed (a room manager makes a feed link).
    assert_eq!(
        app.client().get(&format!("/calendar/rooms/{legacy}.ics")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM room WHERE display_token = $1", legacy).await,
        0
    );
    assert_eq!(
        liaison::links::adopt_legacy(&app.state.db, app.state.clock.now()).await.unwrap(),
        0,
        "once"
    );
}

#[tokio::test]
async fn a_rejection_is_mailed_over_smtp_in_the_organizers_language() {
    let (port, mut received) = crate::helpers::smtp_sink().await;
    let app = TestApp::with_config(|c| {
        c.smtp_url = format!("smtp://127.0.0.1:{port}");
        c.smtp_from = "Liaison <liaison@center.example>".into();
    })
    .await;
    liaison::demo::load(&app.state).await.unwrap();
    let hall = room_id(&app, "International Conference Hall").await;
    let staff = app.token(Role::Staff).await;
    let admin = app.token(Role::Admin).await;
    let mut c = app.client();
    let body = json!({"room_id": hall, "starts_at": "2026-12-03T09:00:00+08:00", "ends_at": "2026-12-03T10:00:00+08:00", "title_zh": "推介会", "title_en": "Promotion", "attendees": 50});
    let id =
        c.send_json(Method::POST, "/api/v1/bookings", Some(&staff), &body.to_string()).await.json()
            ["id"]
            .as_str()
            .unwrap()
            .to_string();
    let r = c
        .send_json(
            Method::POST,
            &format!("/api/v1/bookings/{id}/reject"),
            Some(&admin),
            r#"{"reason": "会场已另有安排"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    // The admins were told of the request first; the rejection goes to its organizer.
    let transcript = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        loop {
            let t = received.recv().await.expect("the sink is running");
            if t.contains("RCPT TO:<staff@") {
                break t;
            }
        }
    })
    .await
    .expect("mail arrives");
    assert!(transcript.contains("MAIL FROM:<liaison@center.example>"), "{transcript}");
    assert!(transcript.contains("RCPT TO:<staff@demo.liaison.local>"), "{transcript}");
    assert!(
        transcript.contains("Subject: =?utf-8?") || transcript.contains("Subject:"),
        "{transcript}"
    );
}

/// A refused booking says the limit it met in words: the room's hours,
/// its seats, how far ahead it may be booked.
#[tokio::test]
async fn a_refused_booking_names_the_limit_it_met() {
    let app = TestApp::new().await;
    let room = room_id(&app, "Multi-function Meeting Room").await;
    let mut staff = app.signed_in(Role::Staff).await;
    let form =
        |start: &'static str, end: &'static str, people: &'static str, date: &'static str| {
            vec![
                ("room_id", room.clone()),
                ("title_en", "Salon".to_string()),
                ("date", date.to_string()),
                ("start", start.to_string()),
                ("end", end.to_string()),
                ("attendees", people.to_string()),
            ]
        };
    for (fields, expected) in [
        (form("06:00", "07:00", "5", "2026-12-01"), "不在该场地的可预订时间内（周一至周五"),
        (form("10:00", "11:00", "5000", "2026-12-01"), "人数超过该场地的"),
        (form("10:00", "11:00", "5", "2028-12-01"), "天预订"),
    ] {
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = staff.post_form("/bookings/new", "/bookings", &pairs).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let text = r.visible_text();
        assert!(text.contains(expected), "{expected}: {text}");
        assert!(!text.contains("{ $") && !text.contains("{$"), "every value filled in: {text}");
    }
    // The API says the same, in English when asked.
    let token = app.token(Role::Staff).await;
    let body = serde_json::json!({"room_id": room, "starts_at": "2026-12-01T06:00:00+08:00",
        "ends_at": "2026-12-01T07:00:00+08:00", "title_en": "Salon", "attendees": 5});
    let r = app
        .client()
        .with_header("accept-language", "en")
        .send_json(Method::POST, "/api/v1/bookings", Some(&token), &body.to_string())
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("Outside the room's bookable hours (Mon–Fri"), "{}", r.text);
}

/// One week grid for every room of the center, with a date to jump to.
#[tokio::test]
async fn every_room_on_one_week_grid() {
    let app = TestApp::new().await;
    let mut staff = app.signed_in(Role::Staff).await;
    let rooms = app.client().get_json("/api/v1/rooms", &app.token(Role::Staff).await).await.json();
    let n = rooms["items"].as_array().unwrap().len();
    let r = staff.get("/venues/zones/all?view=week&date=2026-12-01&lang=en").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.visible_text().contains("All rooms"));
    for room in rooms["items"].as_array().unwrap() {
        assert!(
            r.text.contains(room["name_en"].as_str().unwrap()),
            "{} is on the grid",
            room["name_en"]
        );
    }
    assert!(n > 5);
    assert!(r.text.contains("data-test=\"cal-jump\""), "a date picker");
    assert_eq!(staff.get("/venues/zones/nowhere?view=week").await.status, StatusCode::NOT_FOUND);
}

/// The booking page moves a whole series in time from the occurrence shown
/// on: each later occurrence the same way.
#[tokio::test]
async fn a_series_is_moved_from_its_page() {
    let app = TestApp::new().await;
    let room = room_id(&app, "Multi-function Meeting Room").await;
    let mut staff = app.signed_in(Role::Staff).await;
    let form = [
        ("room_id", room.as_str()),
        ("title_en", "Salon"),
        ("date", "2026-12-01"),
        ("start", "14:00"),
        ("end", "15:00"),
        ("attendees", "20"),
        ("repeat", "weekly"),
        ("interval", "1"),
        ("by_weekday", "tu"),
        ("count", "3"),
    ];
    let r = staff.post_form("/bookings/new", "/bookings", &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let first = r
        .header("location")
        .split('?')
        .next()
        .unwrap()
        .trim_start_matches("/bookings/")
        .to_string();
    let page = format!("/bookings/{first}");
    let edit = [
        ("title_en", "Salon"),
        ("title_zh", ""),
        ("date", "2026-12-02"),
        ("start", "15:00"),
        ("end", "16:30"),
        ("attendees", "20"),
        ("scope", "series"),
    ];
    let r = staff.post_form(&page, &format!("/bookings/{first}/edit"), &edit).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.visible_text());
    let token = app.token(Role::Staff).await;
    let list = app
        .client()
        .get_json(&format!("/api/v1/bookings?room_id={room}&from=2026-12-01&to=2026-12-31"), &token)
        .await
        .json();
    let mut starts: Vec<String> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["status"] != "cancelled")
        .map(|b| {
            format!(
                "{}–{}",
                b["starts_at"].as_str().unwrap(),
                &b["ends_at"].as_str().unwrap()[11..16]
            )
        })
        .collect();
    starts.sort();
    assert_eq!(
        starts,
        [
            "2026-12-02T15:00:00+08:00–16:30",
            "2026-12-09T15:00:00+08:00–16:30",
            "2026-12-16T15:00:00+08:00–16:30"
        ]
    );
    // A form's address reached by GET (the language switch, a reload) leads to its page.
    let r = staff.get(&format!("/bookings/{first}/edit?lang=en")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), format!("/bookings/{first}?lang=en"));
}
