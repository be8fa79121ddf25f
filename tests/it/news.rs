//! News over HTTP: the editorial workflow by role, the glossary's check on
//! save with its one-click fix, the senior editor's decisions, "may be out of
//! date", revisions and their diff, edits and steps under concurrency, and
//! the public site (pages per language, Atom feeds, the sitemap) read by an
//! XML parser.

use axum::http::{Method, StatusCode};
use liaison::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{Resp, TestApp};

const SLIP: &str = "Tri-Medical innovation centre";
const RIGHT: &str = "Tri-medical Innovation Center";

async fn send(app: &TestApp, method: Method, path: &str, token: &str, body: Value) -> Resp {
    app.client().send_json(method, path, Some(token), &body.to_string()).await
}

fn chinese() -> Value {
    json!({
        "title_zh": "三医创新中心迎来外国代表团",
        "summary_zh": "代表团参观了展示厅。",
        "body_zh": "# 参观\n\n代表团参观了**展示厅**。\n\n第二段。",
        "source": "成都医学城",
        "typesetter": "李华",
        "tags": ["代表团", "展示厅"],
    })
}

fn with_english(mut v: Value, body_en: &str) -> Value {
    v["title_en"] = json!("A foreign delegation visits the center");
    v["summary_en"] = json!("The delegation toured the exhibition hall.");
    v["body_en"] = json!(body_en);
    v
}

async fn create(app: &TestApp, token: &str, body: Value) -> Value {
    let r = send(app, Method::POST, "/api/v1/news/articles", token, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json()
}

async fn step(app: &TestApp, token: &str, id: &str, step: &str) -> Resp {
    send(
        app,
        Method::POST,
        &format!("/api/v1/news/articles/{id}/step"),
        token,
        json!({"step": step}),
    )
    .await
}

/// Saves an edit on the article's current version, unless the body names one.
async fn put(app: &TestApp, token: &str, id: &str, mut body: Value) -> Resp {
    if body.get("version").is_none() {
        let a = app.client().get_json(&format!("/api/v1/news/articles/{id}"), token).await.json();
        body["version"] = a["version"].clone();
    }
    send(app, Method::PUT, &format!("/api/v1/news/articles/{id}"), token, body).await
}

/// A Chinese draft by staff, English by the interpreter, approved and
/// published by the admin: the article's id.
async fn published(app: &TestApp) -> String {
    let staff = app.token(Role::Staff).await;
    let admin = app.token(Role::Admin).await;
    let a = create(app, &staff, with_english(chinese(), "The delegation toured the hall.")).await;
    let id = a["id"].as_str().unwrap().to_string();
    assert_eq!(step(app, &staff, &id, "submit").await.status, StatusCode::OK);
    assert_eq!(step(app, &admin, &id, "approve").await.status, StatusCode::OK);
    assert_eq!(step(app, &admin, &id, "publish").await.status, StatusCode::OK);
    id
}

#[tokio::test]
async fn an_article_goes_from_a_chinese_draft_to_the_public_site_in_both_languages() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let interpreter = app.token(Role::Interpreter).await;
    let admin = app.token(Role::Admin).await;

    // The editor drafts in Chinese.
    let a = create(&app, &staff, chinese()).await;
    let id = a["id"].as_str().unwrap();
    assert_eq!(a["status"], "draft");
    assert_eq!(a["allowed_steps"], json!(["submit"]));
    assert_eq!(a["version"], 1);
    // Submitted; the writer cannot approve, the senior editor can — but not
    // without the English (422 naming every missing field).
    assert_eq!(step(&app, &staff, id, "submit").await.status, StatusCode::OK);
    assert_eq!(step(&app, &staff, id, "approve").await.status, StatusCode::FORBIDDEN);
    let r = step(&app, &admin, id, "approve").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    for f in ["title_en", "summary_en", "body_en"] {
        assert!(r.text.contains(f), "{f}: {}", r.text);
    }
    // A step not possible from here is 409 with the possible ones.
    let r = step(&app, &admin, id, "publish").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(r.json()["allowed_steps"], json!(["return", "approve"]), "{}", r.text);

    // The reviewer adds the English, with the slip the glossary knows.
    let body = chinese();
    let body = with_english(body, &format!("The delegation visited the {SLIP} in Wenjiang."));
    let r = put(&app, &interpreter, id, body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["version"], 2);
    // Checked on save: the finding is in the queue with the approved form.
    let (_, findings) =
        app.all_pages("/api/v1/glossary/findings?place=article", Some(&staff), 10).await;
    // (The titles, which name 三医创新中心 in Chinese only, are "missing" findings.)
    let f = findings
        .iter()
        .find(|f| f["record_id"] == id && f["kind"] == "forbidden")
        .expect("a finding on the article");
    assert_eq!(f["found"], SLIP);
    assert_eq!(f["expected"], RIGHT);
    assert_eq!(f["field"], "body");
    assert_eq!(f["edit_href"], format!("/news/articles/{id}"));
    // The one-click fix.
    let fid = f["id"].as_str().unwrap();
    let r = send(
        &app,
        Method::POST,
        &format!("/api/v1/glossary/findings/{fid}/fix"),
        &interpreter,
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = app.client().get_json(&format!("/api/v1/news/articles/{id}"), &staff).await;
    let body_en = r.json()["en"]["body"].as_str().unwrap().to_string();
    assert!(body_en.contains(RIGHT) && !body_en.contains(SLIP), "{body_en}");

    // Approved by the senior editor (named in the credits), then published.
    let r = step(&app, &admin, id, "approve").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["senior_editor"], "王主任 Wang Li (admin)");
    let r = step(&app, &admin, id, "publish").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let a = r.json();
    assert_eq!((a["status"].as_str(), a["public"].as_bool()), (Some("published"), Some(true)));
    let (slug_en, slug_zh) = (a["slug_en"].as_str().unwrap(), a["slug_zh"].as_str().unwrap());
    assert_eq!(slug_en, "a-foreign-delegation-visits-the-center");

    // The public pages, one per language, with the credits as on the release.
    let mut public = app.client();
    let en = public.get(&format!("/news/en/{slug_en}")).await;
    assert_eq!(en.status, StatusCode::OK, "{}", en.text);
    assert!(en.text.contains("<html lang=\"en\""), "the page is in English");
    assert!(en.text.contains(RIGHT));
    assert!(en.text.contains("Senior Editor</span>丨王主任 Wang Li (admin)"), "{}", en.text);
    assert!(en.text.contains("Source</span>丨成都医学城"));
    assert!(en.text.contains(
        r#"<meta property="og:title" content="A foreign delegation visits the center">"#
    ));
    assert!(
        en.text.contains(&format!(
            r#"hreflang="zh-CN" href="http://localhost:8080/news/zh/{slug_zh}""#
        ))
    );
    let zh = public.get(&format!("/news/zh/{slug_zh}")).await;
    assert_eq!(zh.status, StatusCode::OK);
    assert!(zh.text.contains("三医创新中心迎来外国代表团"));
    assert!(zh.text.contains("<h2>参观</h2>"), "headings start at h2: {}", zh.text);
    // The language switch leads to the other language's own address.
    let r = public.get(&format!("/news/en/{slug_en}?lang=zh-CN")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), format!("/news/zh/{slug_zh}"));
    // The list, and the public API.
    let list = public.get("/news?lang=en").await;
    assert!(list.text.contains(&format!("/news/en/{slug_en}")));
    let r = public.get(&format!("/api/v1/news/published/en/{slug_en}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["senior_editor"], "王主任 Wang Li (admin)");
    // Withdrawn: gone from the site.
    assert_eq!(step(&app, &admin, id, "withdraw").await.status, StatusCode::OK);
    assert_eq!(public.get(&format!("/news/en/{slug_en}")).await.status, StatusCode::NOT_FOUND);
    // Every step is audited.
    let n = app
        .count(
            "SELECT COUNT(*) AS n FROM audit_log WHERE entity_id = $1 AND entity = 'news_article'
               AND action IN ('create', 'update', 'submit', 'approve', 'publish', 'withdraw')",
            id,
        )
        .await;
    assert_eq!(n, 6, "created, saved, and four steps (refused ones are not audited)");
}

#[tokio::test]
async fn one_language_changed_after_approval_flags_the_other_until_confirmed() {
    let app = TestApp::new().await;
    let id = published(&app).await;
    let staff = app.token(Role::Staff).await;
    let admin = app.token(Role::Admin).await;
    let a = app.client().get_json(&format!("/api/v1/news/articles/{id}"), &staff).await.json();
    let slug_en = a["slug_en"].as_str().unwrap().to_string();
    // The Chinese is corrected after publication.
    let mut body = with_english(chinese(), "The delegation toured the hall.");
    body["body_zh"] = json!("代表团参观了展示厅和会议中心。");
    body["version"] = a["version"].clone();
    // A writer may not change what is public under the senior editor's name.
    let r = put(&app, &staff, &id, body.clone()).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(r.json()["current_status"], "published");
    // The senior editor corrects it; emptying a language is refused.
    let mut emptied = body.clone();
    emptied["body_en"] = json!("");
    let r = put(&app, &admin, &id, emptied).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let r = put(&app, &admin, &id, body.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["may_be_out_of_date"], json!({"zh": false, "en": true}));
    assert_eq!(r.json()["status"], "published", "a correction keeps it public");
    // English readers are told.
    let en = app.client().get(&format!("/news/en/{slug_en}")).await;
    assert!(en.text.contains("data-test=\"news-out-of-date\""), "{}", en.text);
    // The writer cannot confirm; the senior editor can.
    let r = step(&app, &staff, &id, "confirm").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = step(&app, &admin, &id, "confirm").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["may_be_out_of_date"], json!({"zh": false, "en": false}));
    // Nothing to confirm: 409.
    assert_eq!(step(&app, &admin, &id, "confirm").await.status, StatusCode::CONFLICT);
    // An edit on an old version is refused, and says so; so is one that
    // names no version.
    let r = put(&app, &admin, &id, body.clone()).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    body.as_object_mut().unwrap().remove("version");
    let r = send(&app, Method::PUT, &format!("/api/v1/news/articles/{id}"), &admin, body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    // A step on a version since changed is refused too.
    let r = send(
        &app,
        Method::POST,
        &format!("/api/v1/news/articles/{id}/step"),
        &admin,
        json!({"step": "withdraw", "version": 1}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
}

#[tokio::test]
async fn a_writers_change_to_an_approved_article_goes_back_to_review() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let admin = app.token(Role::Admin).await;
    let a = create(&app, &staff, with_english(chinese(), "Body.")).await;
    let id = a["id"].as_str().unwrap();
    step(&app, &staff, id, "submit").await;
    assert_eq!(step(&app, &admin, id, "approve").await.status, StatusCode::OK);
    let r = put(&app, &staff, id, with_english(chinese(), "Another body.")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["status"], "review");
}

#[tokio::test]
async fn chinese_only_is_the_senior_editors_decision_and_english_readers_are_told() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let admin = app.token(Role::Admin).await;
    let mut body = chinese();
    body["chinese_only"] = json!(true);
    let r = send(&app, Method::POST, "/api/v1/news/articles", &staff, body.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let a = create(&app, &admin, body).await;
    let id = a["id"].as_str().unwrap();
    assert_eq!(a["chinese_only"], true);
    // No address until published.
    assert_eq!(a["slug_en"], "");
    let mut a = a.clone();
    for s in ["submit", "approve", "publish"] {
        let r = step(&app, &admin, id, s).await;
        assert_eq!(r.status, StatusCode::OK, "{s}: {}", r.text);
        a = r.json();
    }
    // No English title: both addresses are made from the pinyin.
    assert_eq!(a["slug_en"], "san-yi-chuang-xin-zhong-xin-ying-lai-wai-guo-dai-biao-tuan");
    assert_eq!(a["slug_en"], a["slug_zh"]);
    let en = app.client().get(&format!("/news/en/{}", a["slug_en"].as_str().unwrap())).await;
    assert_eq!(en.status, StatusCode::OK);
    assert!(en.text.contains("This article is published in Chinese only."));
    assert!(en.text.contains("三医创新中心迎来外国代表团"));
    // The staff member may not undo the decision.
    let mut undo = chinese();
    undo["chinese_only"] = json!(false);
    assert_eq!(put(&app, &staff, id, undo).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn revisions_keep_every_save_with_a_side_by_side_diff() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let a = create(&app, &staff, chinese()).await;
    let id = a["id"].as_str().unwrap();
    let mut next = with_english(chinese(), "Line one.\nLine two.");
    next["body_zh"] = json!("# 参观\n\n代表团参观了**展示厅**。\n\n第三段。");
    assert_eq!(put(&app, &staff, id, next.clone()).await.status, StatusCode::OK);
    // Saving the same texts again makes no revision.
    assert_eq!(put(&app, &staff, id, next).await.status, StatusCode::OK);
    let (_, revisions) = app
        .all_pages(&format!("/api/v1/news/articles/{id}/revisions?limit=1"), Some(&staff), 10)
        .await;
    let ns: Vec<i64> = revisions.iter().map(|r| r["n"].as_i64().unwrap()).collect();
    assert_eq!(ns, [2, 1]);
    let r = app.client().get_json(&format!("/api/v1/news/articles/{id}/revisions/2"), &staff).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let changes = r.json()["changes"].as_array().unwrap().clone();
    let body_zh = changes.iter().find(|c| c["field"] == "body" && c["lang"] == "zh").unwrap();
    let changed: Vec<&Value> =
        body_zh["rows"].as_array().unwrap().iter().filter(|r| r["change"] != "same").collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0]["old"], "第二段。");
    assert_eq!(changed[0]["new"], "第三段。");
    assert!(changes.iter().any(|c| c["field"] == "title" && c["lang"] == "en"));
    // The page in both languages.
    let mut c = app.signed_in(Role::Staff).await;
    for lang in ["zh-CN", "en"] {
        let p = c.get(&format!("/news/articles/{id}/revisions/2?lang={lang}")).await;
        assert_eq!(p.status, StatusCode::OK, "{}", p.text);
        assert!(p.text.contains("<del>第二段。</del>") && p.text.contains("<ins>第三段。</ins>"));
    }
    let missing =
        app.client().get_json(&format!("/api/v1/news/articles/{id}/revisions/9"), &staff).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn parallel_edits_of_one_version_keep_exactly_one() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let a = create(&app, &staff, chinese()).await;
    let id = a["id"].as_str().unwrap();
    let requests = (0..8)
        .map(|i| {
            let mut b = chinese();
            b["body_zh"] = json!(format!("第 {i} 稿"));
            b["version"] = json!(1);
            (Method::PUT, format!("/api/v1/news/articles/{id}"), Some(staff.clone()), b.to_string())
        })
        .collect();
    let results = app.parallel(requests).await;
    let ok = results.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    let conflicts = results.iter().filter(|(s, _)| *s == StatusCode::CONFLICT).count();
    assert_eq!((ok, conflicts), (1, 7), "{results:?}");
    let a = app.client().get_json(&format!("/api/v1/news/articles/{id}"), &staff).await.json();
    assert_eq!(a["version"], 2);
    let n = app.count("SELECT COUNT(*) AS n FROM news_revision WHERE article_id = $1", id).await;
    assert_eq!(n, 2, "one revision per accepted save");
}

#[tokio::test]
async fn parallel_approvals_take_the_step_once() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let admin = app.token(Role::Admin).await;
    let a = create(&app, &staff, with_english(chinese(), "Body.")).await;
    let id = a["id"].as_str().unwrap();
    assert_eq!(step(&app, &staff, id, "submit").await.status, StatusCode::OK);
    let requests = (0..8)
        .map(|_| {
            (
                Method::POST,
                format!("/api/v1/news/articles/{id}/step"),
                Some(admin.clone()),
                json!({"step": "approve"}).to_string(),
            )
        })
        .collect();
    let results = app.parallel(requests).await;
    let ok = results.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    let conflicts = results.iter().filter(|(s, _)| *s == StatusCode::CONFLICT).count();
    assert_eq!((ok, conflicts), (1, 7), "{results:?}");
    let n = app
        .count(
            "SELECT COUNT(*) AS n FROM audit_log WHERE entity_id = $1 AND action = 'approve'",
            id,
        )
        .await;
    assert_eq!(n, 1);
}

#[tokio::test]
async fn scheduled_articles_wait_for_their_time() {
    let app = TestApp::new().await;
    let staff = app.token(Role::Staff).await;
    let admin = app.token(Role::Admin).await;
    let a = create(&app, &staff, with_english(chinese(), "Body.")).await;
    let id = a["id"].as_str().unwrap();
    step(&app, &staff, id, "submit").await;
    step(&app, &admin, id, "approve").await;
    let at = liaison::clock::Instant(liaison::clock::Clock::now(&*app.clock).millis() + 3_600_000)
        .rfc3339_in(&jiff::tz::TimeZone::UTC);
    let r = send(
        &app,
        Method::POST,
        &format!("/api/v1/news/articles/{id}/step"),
        &admin,
        json!({"step": "publish", "at": at}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["public"], false);
    let url = format!("/news/en/{}", r.json()["slug_en"].as_str().unwrap());
    assert_eq!(app.client().get(&url).await.status, StatusCode::NOT_FOUND);
    app.clock.advance_secs(3_601);
    assert_eq!(app.client().get(&url).await.status, StatusCode::OK);
    // A time that is not one is refused.
    let r = send(
        &app,
        Method::POST,
        &format!("/api/v1/news/articles/{id}/step"),
        &admin,
        json!({"step": "publish", "at": ""}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn no_author_html_reaches_a_page() {
    let app = TestApp::new().await;
    let admin = app.token(Role::Admin).await;
    let evil =
        "Hello <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>";
    let a = create(&app, &admin, with_english(chinese(), evil)).await;
    let id = a["id"].as_str().unwrap();
    let mut a = a.clone();
    for s in ["submit", "approve", "publish"] {
        let r = step(&app, &admin, id, s).await;
        assert_eq!(r.status, StatusCode::OK);
        a = r.json();
    }
    let page = app.client().get(&format!("/news/en/{}", a["slug_en"].as_str().unwrap())).await;
    assert!(!page.text.contains("<script>alert"), "{}", page.text);
    assert!(!page.text.contains("javascript:"));
    assert!(!page.text.contains("<img"));
    assert!(page.text.contains("&lt;script&gt;"));
    // Control characters (which XML cannot carry) are refused in the body.
    let mut bad = chinese();
    bad["body_zh"] = json!("a\u{1}b");
    let r = send(&app, Method::POST, "/api/v1/news/articles", &admin, bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

fn atom(doc: &roxmltree::Document) -> Vec<(String, String)> {
    const NS: &str = "http://www.w3.org/2005/Atom";
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "feed");
    assert_eq!(root.tag_name().namespace(), Some(NS));
    // RFC 4287 §4.1.1: a feed has exactly one id, title and updated.
    for el in ["id", "title", "updated"] {
        let n = root.children().filter(|c| c.has_tag_name((NS, el))).count();
        assert_eq!(n, 1, "feed/{el}");
    }
    root.children()
        .filter(|c| c.has_tag_name((NS, "entry")))
        .map(|e| {
            for el in ["id", "title", "updated"] {
                assert!(e.children().any(|c| c.has_tag_name((NS, el))), "entry/{el}");
            }
            let title = e
                .children()
                .find(|c| c.has_tag_name((NS, "title")))
                .unwrap()
                .text()
                .unwrap_or("")
                .to_string();
            let href = e
                .children()
                .find(|c| c.has_tag_name((NS, "link")))
                .and_then(|l| l.attribute("href"))
                .unwrap()
                .to_string();
            (title, href)
        })
        .collect()
}

#[tokio::test]
async fn feeds_and_the_sitemap_are_well_formed_and_list_the_public_articles() {
    let app = TestApp::new().await;
    let id = published(&app).await;
    let staff = app.token(Role::Staff).await;
    let a = app.client().get_json(&format!("/api/v1/news/articles/{id}"), &staff).await.json();
    let mut public = app.client();
    let en = public.get("/news/en/feed.atom").await;
    assert_eq!(en.status, StatusCode::OK);
    assert!(en.header("content-type").starts_with("application/atom+xml"));
    let doc = roxmltree::Document::parse(&en.text).expect("the English feed parses");
    let entries = atom(&doc);
    let url = format!("http://localhost:8080/news/en/{}", a["slug_en"].as_str().unwrap());
    assert!(
        entries.iter().any(|(t, h)| t == "A foreign delegation visits the center" && *h == url),
        "{entries:?}"
    );
    let zh = public.get("/news/zh/feed.atom").await;
    let doc = roxmltree::Document::parse(&zh.text).expect("the Chinese feed parses");
    assert!(atom(&doc).iter().any(|(t, _)| t == "三医创新中心迎来外国代表团"));
    assert_eq!(public.get("/news/fr/feed.atom").await.status, StatusCode::NOT_FOUND);

    let map = public.get("/sitemap.xml").await;
    assert_eq!(map.status, StatusCode::OK);
    let doc = roxmltree::Document::parse(&map.text).expect("the sitemap parses");
    const SM: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
    assert_eq!(doc.root_element().tag_name().namespace(), Some(SM));
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name((SM, "loc")))
        .filter_map(|n| n.text())
        .collect();
    assert!(locs.contains(&url.as_str()), "{locs:?}");
    let zh_url = format!("http://localhost:8080/news/zh/{}", a["slug_zh"].as_str().unwrap());
    assert!(locs.contains(&zh_url.as_str()));
}

#[tokio::test]
async fn the_newsroom_pages_work_in_both_languages_and_refuse_nonsense() {
    let app = TestApp::new().await;
    let mut c = app.signed_in(Role::Interpreter).await;
    for lang in ["zh-CN", "en"] {
        for path in ["/news/articles", "/news/articles/new", "/news"] {
            let p = c.get(&format!("{path}?lang={lang}")).await;
            assert_eq!(p.status, StatusCode::OK, "{path} {lang}: {}", p.text);
        }
    }
    // A form with no title is shown again with the error, nothing saved.
    let r = c
        .post_form("/news/articles/new", "/news/articles", &[("title_zh", ""), ("body_en", "x")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(
        r.text.contains("Give a title in at least one language.")
            || r.text.contains("请至少用一种语言填写标题")
    );
    assert!(r.text.contains(">x</textarea>"), "what was typed stays");
    // A good one is saved and opens its editor.
    let r = c
        .post_form(
            "/news/articles/new",
            "/news/articles",
            &[("title_en", "Salon on medical devices"), ("tags", "salon, devices")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let at = r.header("location");
    let page = c.get(&at).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("Salon on medical devices"));
    assert!(page.text.contains("data-test=\"step-submit\""));
    // The interpreter is not the senior editor: no "Chinese only" box.
    assert!(!page.text.contains("data-test=\"chinese_only\""));
    // Another center's or an unknown article: 404.
    assert_eq!(c.get("/news/articles/nope").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.client().get("/news/en/no-such-article").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.client().get("/news/xx/anything").await.status, StatusCode::NOT_FOUND);
}

fn hidden(html: &str, name: &str) -> String {
    let marker = format!(r#"name="{name}" value=""#);
    let start = html.find(&marker).unwrap_or_else(|| panic!("{name} in the page")) + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

/// Opens the article as a reader, waits as a person would, and comments.
async fn comment(
    app: &TestApp,
    c: &mut crate::helpers::Client<'_>,
    url: &str,
    fields: &[(&str, &str)],
) -> Resp {
    let page = c.get(url).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    let (token, started) = (page.csrf(), hidden(&page.text, "started"));
    app.clock.advance_secs(10);
    let mut all = vec![("csrf_token", token.as_str()), ("started", started.as_str())];
    all.extend_from_slice(fields);
    c.post_form_raw(&format!("{url}/comments"), &all).await
}

async fn public_url(app: &TestApp, id: &str) -> String {
    let staff = app.token(Role::Staff).await;
    let a = app.client().get_json(&format!("/api/v1/news/articles/{id}"), &staff).await.json();
    format!("/news/en/{}", a["slug_en"].as_str().unwrap())
}

async fn queue(app: &TestApp, token: &str, status: &str) -> Vec<Value> {
    app.all_pages(&format!("/api/v1/news/comments?status={status}"), Some(token), 10).await.1
}

#[tokio::test]
async fn a_comment_is_held_approved_and_shown_and_its_email_never_is() {
    let app = TestApp::new().await;
    let id = published(&app).await;
    let url = public_url(&app, &id).await;
    let staff = app.token(Role::Staff).await;
    let mut reader = app.client();
    let r = comment(
        &app,
        &mut reader,
        &url,
        &[
            ("name", "Anna Berg"),
            ("email", "anna@example.org"),
            ("body", "A fine visit.\nThank you!"),
            ("website", ""),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(r.header("location"), format!("{url}?comment=held#comments"));
    let thanks = reader.get(&format!("{url}?comment=held")).await;
    assert!(thanks.text.contains("data-test=\"comment-held\""));
    assert!(!thanks.text.contains("A fine visit."), "held, not shown");
    // In the queue, without the e-mail.
    let held = queue(&app, &staff, "held").await;
    assert_eq!(held.len(), 1, "{held:?}");
    assert_eq!(held[0]["has_email"], true);
    assert!(!held[0].to_string().contains("anna@example.org"));
    let cid = held[0]["id"].as_str().unwrap();
    let r = send(
        &app,
        Method::POST,
        &format!("/api/v1/news/comments/{cid}/decision"),
        &staff,
        json!({"decision": "approved"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let page = app.client().get(&url).await;
    assert!(
        page.text.contains("A fine visit.") && page.text.contains("Anna Berg"),
        "{}",
        page.text
    );
    assert!(!page.text.contains("anna@example.org"));
    let api = app
        .client()
        .get(&format!("/api/v1/news/published/en/{}/comments", url.rsplit('/').next().unwrap()))
        .await;
    assert_eq!(api.json()["items"][0]["name"], "Anna Berg");
    assert!(!api.text.contains("anna@example.org"));
    // After the retention period the e-mail is gone from the database too.
    app.clock.advance_secs(181 * 86_400);
    let n = liaison::domains::news::comment::service::purge_expired(
        &app.state,
        &liaison::audit::Who::cli(),
    )
    .await
    .unwrap();
    assert_eq!(n, 1);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM news_comment WHERE email IS NOT NULL OR client_ip IS NOT NULL OR id = $1 AND 1 = 0", cid).await, 0);
    assert_eq!(queue(&app, &staff, "approved").await[0]["has_email"], false);
}

#[tokio::test]
async fn programs_are_turned_away_by_the_honeypot_the_clock_and_the_limit() {
    let app = TestApp::new().await;
    let id = published(&app).await;
    let url = public_url(&app, &id).await;
    let staff = app.token(Role::Staff).await;
    let mut bot = app.client();
    // The hidden field filled: told "held", nothing kept.
    let r = comment(
        &app,
        &mut bot,
        &url,
        &[("name", "Bot"), ("body", "Buy now"), ("website", "http://spam.example")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(queue(&app, &staff, "held").await.is_empty());
    // Sent the moment the page was made: asked to take a moment.
    let page = bot.get(&url).await;
    let fields = [
        ("csrf_token", page.csrf()),
        ("started", hidden(&page.text, "started")),
        ("name", "Bot".into()),
        ("body", "Fast".into()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = bot.post_form_raw(&format!("{url}/comments"), &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("please take a moment"), "{}", r.text);
    assert!(r.text.contains(">Fast</textarea>"), "what was typed stays");
    // Nonsense fields: 422 with the reasons, nothing kept.
    let r = comment(&app, &mut bot, &url, &[("name", ""), ("email", "nope"), ("body", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(queue(&app, &staff, "held").await.is_empty());
    // The honeypot and the hurried tries counted against the address's
    // hour; an hour later: five an hour, then 429.
    app.clock.advance_secs(3_600);
    for i in 0..5 {
        let r =
            comment(&app, &mut bot, &url, &[("name", "Reader"), ("body", &format!("Comment {i}"))])
                .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{i}: {}", r.text);
    }
    let r = comment(&app, &mut bot, &url, &[("name", "Reader"), ("body", "One more")]).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text);
    assert_eq!(queue(&app, &staff, "held").await.len(), 5);
    // No comments on what is not public.
    let token = bot.get(&url).await.csrf();
    let r = bot
        .post_form_raw(
            "/news/en/no-such/comments",
            &[("csrf_token", token.as_str()), ("name", "R")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_blocked_sender_is_dropped_and_parallel_decisions_take_once() {
    let app = TestApp::new().await;
    let id = published(&app).await;
    let url = public_url(&app, &id).await;
    let staff = app.token(Role::Staff).await;
    let mut reader = app.client();
    for body in ["First", "Second"] {
        let r = comment(
            &app,
            &mut reader,
            &url,
            &[("name", "Spammy"), ("email", "spam@example.org"), ("body", body)],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    let held = queue(&app, &staff, "held").await;
    assert_eq!(held.len(), 2);
    // Parallel approvals of one comment: it is approved once.
    let cid = held[0]["id"].as_str().unwrap();
    let requests = (0..6)
        .map(|_| {
            let path = format!("/api/v1/news/comments/{cid}/decision");
            (Method::POST, path, Some(staff.clone()), json!({"decision": "approved"}).to_string())
        })
        .collect();
    let results = app.parallel(requests).await;
    let ok = results.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    let conflicts = results.iter().filter(|(s, _)| *s == StatusCode::CONFLICT).count();
    assert_eq!((ok, conflicts), (1, 5), "{results:?}");
    let n = app
        .count(
            "SELECT COUNT(*) AS n FROM audit_log WHERE entity_id = $1 AND action = 'approved'",
            cid,
        )
        .await;
    assert_eq!(n, 1);
    // Block the e-mail of the other: it is rejected, and what comes later is dropped.
    let other = held[1]["id"].as_str().unwrap();
    let r = send(
        &app,
        Method::POST,
        &format!("/api/v1/news/comments/{other}/block"),
        &staff,
        json!({"kind": "email"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["rejected"], 1);
    let r = comment(
        &app,
        &mut reader,
        &url,
        &[("name", "Spammy"), ("email", "SPAM@example.org"), ("body", "Third")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "told the same as anyone");
    assert!(queue(&app, &staff, "held").await.is_empty());
    let (_, blocks) = app.all_pages("/api/v1/news/blocks", Some(&staff), 5).await;
    assert_eq!(blocks.len(), 1);
    // The moderators' pages in both languages.
    let mut c = app.signed_in(Role::Staff).await;
    for lang in ["zh-CN", "en"] {
        for path in ["/news/comments?status=rejected", "/news/blocks"] {
            let p = c.get(&format!("{path}&lang={lang}").replacen("blocks&", "blocks?", 1)).await;
            assert_eq!(p.status, StatusCode::OK, "{path}: {}", p.text);
        }
    }
    // Unblocked: they may comment again.
    let bid = blocks[0]["id"].as_str().unwrap();
    let r =
        send(&app, Method::DELETE, &format!("/api/v1/news/blocks/{bid}"), &staff, json!({})).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn the_sites_own_pages_show_defaults_until_the_senior_editor_writes_them() {
    let app = TestApp::new().await;
    let admin = app.token(Role::Admin).await;
    let staff = app.token(Role::Staff).await;
    let mut public = app.client();
    for path in ["/about", "/zones", "/contact", "/privacy", "/accessibility"] {
        for lang in ["zh-CN", "en"] {
            let p = public.get(&format!("{path}?lang={lang}")).await;
            assert_eq!(p.status, StatusCode::OK, "{path} {lang}");
        }
    }
    let privacy = public.get("/privacy?lang=en").await;
    assert!(
        privacy.text.contains("erased, with the address you wrote from, after 180 days"),
        "{}",
        privacy.text
    );
    let zones = public.get("/zones?lang=en").await;
    assert!(zones.text.contains("data-test=\"zones\""));
    let body = json!({"title_zh": "关于我们", "title_en": "About us",
        "body_zh": "我们位于三医创新中心。", "body_en": "We are in the Tri-Medical innovation centre.", "version": 0});
    let r = send(&app, Method::PUT, "/api/v1/pages/about", &staff, body.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = send(&app, Method::PUT, "/api/v1/pages/about", &admin, body.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        (r.json()["version"].as_i64(), r.json()["is_default"].as_bool()),
        (Some(1), Some(false))
    );
    // Written on the default a second time: someone saved in between.
    assert_eq!(
        send(&app, Method::PUT, "/api/v1/pages/about", &admin, body).await.status,
        StatusCode::CONFLICT
    );
    let about = public.get("/about?lang=en").await;
    assert!(about.text.contains("We are in the Tri-Medical innovation centre."));
    // Checked on save: the slip is a finding whose link opens the page's editor.
    let (_, findings) =
        app.all_pages("/api/v1/glossary/findings?place=page", Some(&staff), 5).await;
    let f = findings.iter().find(|f| f["found"] == SLIP).expect("the slip on the page");
    let mut c = app.signed_in(Role::Admin).await;
    let r = c.get(f["edit_href"].as_str().unwrap()).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), "/news/pages/about");
    for lang in ["zh-CN", "en"] {
        assert_eq!(c.get(&format!("/news/pages?lang={lang}")).await.status, StatusCode::OK);
        assert_eq!(c.get(&format!("/news/pages/about?lang={lang}")).await.status, StatusCode::OK);
    }
    assert_eq!(app.client().get("/api/v1/pages/nope").await.status, StatusCode::NOT_FOUND);
    let r = app.client().get("/api/v1/pages").await;
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 5);
}

/// A multipart body with text fields and, if given, a file named `file`.
pub fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "liaison-test-boundary-7f3a";
    let mut body: Vec<u8> = vec![];
    for (k, v) in fields {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    if let Some((name, bytes)) = file {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .as_bytes(),
        );
        body.extend(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(w, h, image::Rgb([20, 90, 160]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

#[tokio::test]
async fn a_cover_is_read_from_its_content_scaled_and_described_in_both_languages() {
    let app = TestApp::new().await;
    let id = published(&app).await;
    let admin = app.token(Role::Admin).await;
    let staff = app.token(Role::Staff).await;
    let path = format!("/api/v1/news/articles/{id}/cover");
    let version = |v: i64| v.to_string();
    let current = app
        .client()
        .get_json(&format!("/api/v1/news/articles/{id}"), &admin)
        .await
        .json()["version"]
        .as_i64()
        .unwrap();
    let picture = png(2400, 1200);
    let put = |token: String,
               fields: Vec<(&'static str, String)>,
               file: Option<(&'static str, Vec<u8>)>| {
        let path = path.clone();
        let app = &app;
        async move {
            let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let (ct, body) = multipart(&f, file.as_ref().map(|(n, b)| (*n, b.as_slice())));
            app.client()
                .with_header("authorization", &format!("Bearer {token}"))
                .send(Method::PUT, &path, Some(ct.as_str()), body)
                .await
        }
    };
    let alt = |v: i64| {
        vec![
            ("alt_zh", "代表团在展示厅".to_string()),
            ("alt_en", "The delegation in the hall".to_string()),
            ("version", version(v)),
        ]
    };
    // A writer may not change a published article's cover.
    let r = put(staff.clone(), alt(current), Some(("hall.png", picture.clone()))).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    // Not a picture, whatever its name; no English description; no file.
    let r =
        put(admin.clone(), alt(current), Some(("evil.png", b"<script>alert(1)</script>".to_vec())))
            .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("\"file\""), "{}", r.text);
    let mut no_en = alt(current);
    no_en.retain(|(k, _)| *k != "alt_en");
    let r = put(admin.clone(), no_en, Some(("hall.png", picture.clone()))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("alt_en"));
    let r = put(admin.clone(), alt(current), None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A stale version is a conflict.
    let r = put(admin.clone(), alt(current - 1), Some(("hall.png", picture.clone()))).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    // The real thing: scaled to fit 1600 px, kept as JPEG under its hash.
    let r = put(admin.clone(), alt(current), Some(("hall.png", picture))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let cover = r.json()["cover"].clone();
    assert_eq!((cover["width"].as_i64(), cover["height"].as_i64()), (Some(1600), Some(800)));
    let url = cover["url"].as_str().unwrap().to_string();
    let media = app.client().get(&url).await;
    assert_eq!(media.status, StatusCode::OK);
    assert_eq!(media.header("content-type"), "image/jpeg");
    assert_eq!(media.header("x-content-type-options"), "nosniff");
    assert!(media.header("cache-control").contains("immutable"));
    assert_eq!(app.client().get("/media/../../etc/passwd").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.client().get(&format!("/media/{}.jpg", "0".repeat(64))).await.status,
        StatusCode::NOT_FOUND
    );
    // The public page shows it with the reader's description, and names it for sharing.
    let slug = r.json()["slug_en"].as_str().unwrap().to_string();
    let page = app.client().get(&format!("/news/en/{slug}")).await;
    assert!(
        page.text.contains(&format!(
            r#"src="{url}" alt="The delegation in the hall" width="1600" height="800""#
        )),
        "{}",
        page.text
    );
    assert!(
        page.text.contains(&format!(
            r#"<meta property="og:image" content="http://localhost:8080{url}">"#
        ))
    );
    // Removed.
    let v = r.json()["version"].as_i64().unwrap();
    let r = send(&app, Method::DELETE, &format!("{path}?version={v}"), &admin, json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.json()["cover"].is_null());
    // The editor's form: the token is one of the multipart fields.
    let v = r.json()["version"].as_i64().unwrap().to_string();
    let mut c = app.signed_in(Role::Admin).await;
    let token = c.get(&format!("/news/articles/{id}")).await.csrf();
    let fields = [
        ("csrf_token", token.as_str()),
        ("alt_zh", "封面"),
        ("alt_en", "Cover"),
        ("version", v.as_str()),
    ];
    let small = png(320, 200);
    let (ct, body) = multipart(&fields, Some(("cover.png", &small)));
    let r =
        c.send(Method::POST, &format!("/news/articles/{id}/cover"), Some(ct.as_str()), body).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let (ct, body) = multipart(
        &[("alt_zh", "封面"), ("alt_en", "Cover"), ("version", v.as_str())],
        Some(("c.png", &small)),
    );
    let r =
        c.send(Method::POST, &format!("/news/articles/{id}/cover"), Some(ct.as_str()), body).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no token, no upload");
}
