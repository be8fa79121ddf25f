//! Both languages everywhere: negotiation, the switch, `<html lang>`, key
//! parity between the locale files, and no page showing a missing key.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use liaison::auth::Role;
use liaison::i18n::Lang;

use crate::helpers::TestApp;

fn ftl_keys(lang: &str) -> BTreeSet<String> {
    let dir = format!("{}/locales/{lang}", env!("CARGO_MANIFEST_DIR"));
    let mut keys = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines() {
            if let Some((key, _)) = line.split_once(" =")
                && !key.starts_with(['#', ' ', '.'])
                && !key.is_empty()
            {
                assert!(keys.insert(key.trim().to_string()), "{lang}: duplicate key {key}");
            }
        }
    }
    keys
}

#[test]
fn both_languages_have_the_same_keys() {
    let zh = ftl_keys("zh-CN");
    let en = ftl_keys("en");
    let only_zh: Vec<_> = zh.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&zh).collect();
    assert!(only_zh.is_empty() && only_en.is_empty(), "only zh: {only_zh:?}; only en: {only_en:?}");
    assert!(zh.len() > 100, "{}", zh.len());
}

/// Every key-shaped string literal in the code and templates exists in both
/// languages, and so does every key made at run time from a code.
#[test]
fn every_key_used_exists_in_both_languages() {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut used = BTreeSet::new();
    let prefixes = [
        "nav-",
        "field-",
        "problem-",
        "role-",
        "module-",
        "home-",
        "login-",
        "users-",
        "token-",
        "audit-",
        "zones-",
        "settings-",
        "dashboard-",
        "notice-",
        "action-",
        "filter-",
        "error-",
        "user-",
        "lang-",
        "app-",
        "skip-",
        "footer-",
        "visit-",
        "request-",
        "org-",
        "item-",
        "interp-",
        "member-",
        "gift-",
        "outcome-",
        "plan-",
        "task-",
        "seat-",
        "seating-",
        "assignment-",
        "figures-",
        "cards-",
        "itinerary-",
        "gender-",
        "event-",
        "registration-",
        "waitlist-",
        "question-",
        "mail-",
        "checkin-",
        "export-",
        "badges-",
        "glossary-",
        "bilingual-",
    ];
    let mut stack = vec![format!("{root}/src"), format!("{root}/templates")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path.display().to_string());
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let is_template = path.extension().is_some_and(|e| e == "html");
            // In templates only the arguments of t(…) and t1(…) are keys (other
            // strings there are CSS classes and test hooks); in Rust every
            // key-shaped literal is.
            let candidates: Vec<&str> = if is_template {
                text.split("t(\"")
                    .skip(1)
                    .chain(text.split("t1(\"").skip(1))
                    .filter_map(|p| p.split('"').next())
                    .collect()
            } else {
                text.split('"').skip(1).step_by(2).collect()
            };
            for piece in candidates {
                let keyish = piece.len() > 3
                    && piece
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    && prefixes.iter().any(|p| piece.starts_with(p))
                    && !piece.ends_with('-');
                if keyish {
                    used.insert(piece.to_string());
                }
            }
        }
    }
    for role in Role::ALL {
        used.insert(role.label_key());
    }
    {
        use liaison::domains::interpreting::model as i;
        use liaison::domains::visits::model as v;
        used.extend(v::OrgKind::ALL.iter().map(|c| c.label_key()));
        used.extend(v::VisitStatus::ALL.iter().map(|c| c.label_key()));
        used.extend(v::ItemKind::ALL.iter().map(|c| c.label_key()));
        used.extend(v::ItemStatus::ALL.iter().map(|c| c.label_key()));
        used.extend(v::PlanArea::ALL.iter().map(|c| c.label_key()));
        used.extend(v::TaskStatus::ALL.iter().map(|c| c.label_key()));
        used.extend(v::OutcomeKind::ALL.iter().map(|c| c.label_key()));
        used.extend(v::OutcomeStatus::ALL.iter().map(|c| c.label_key()));
        used.extend(v::Gender::ALL.iter().map(|c| c.label_key()));
        used.extend(v::Side::ALL.iter().map(|c| c.label_key()));
        used.extend(v::SeatRole::ALL.iter().map(|c| c.label_key()));
        used.extend(i::AssignmentStatus::ALL.iter().map(|c| c.label_key()));
        used.extend(i::Level::ALL.iter().map(|c| c.label_key()));
        use liaison::domains::events::model as e;
        used.extend(e::EventKind::ALL.iter().map(|c| c.label_key()));
        used.extend(e::Visibility::ALL.iter().map(|c| c.label_key()));
        used.extend(e::EventStatus::ALL.iter().map(|c| c.label_key()));
        used.extend(e::RegStatus::ALL.iter().map(|c| c.label_key()));
        used.extend(e::WaitlistPolicy::ALL.iter().map(|c| c.label_key()));
        used.extend(e::QuestionKind::ALL.iter().map(|c| c.label_key()));
        use liaison::domains::glossary::model as g;
        used.extend(g::TermStatus::ALL.iter().map(|c| c.label_key()));
        used.extend(g::FindingKind::ALL.iter().map(|c| c.label_key()));
        used.extend(g::FindingStatus::ALL.iter().map(|c| c.label_key()));
        used.extend(liaison::bilingual::Place::ALL.iter().map(|c| c.label_key()));
        for place in liaison::bilingual::Place::ALL {
            used.extend(
                place.fields().iter().map(|f| format!("glossary-field-{}", f.replace('_', "-"))),
            );
        }
        for k in [
            "confirmed",
            "waitlisted",
            "pending",
            "cancelled",
            "rejected",
            "promoted-confirmed",
            "promoted-pending",
        ] {
            used.insert(format!("mail-registration-{k}"));
            used.insert(format!("mail-registration-{k}-body"));
        }
        used.insert("mail-event-cancelled-body".into());
        for k in ["offered", "declined"] {
            used.insert(format!("notify-assignment-{k}"));
            used.insert(format!("notify-assignment-{k}-body"));
        }
    }
    for code in liaison::domains::venues::model::EQUIPMENT {
        used.insert(format!("equipment-{code}"));
    }
    for status in liaison::domains::venues::model::BookingStatus::ALL {
        used.insert(format!("status-{}", status.code()));
    }
    for day in liaison::domains::venues::model::WEEKDAYS {
        used.insert(format!("weekday-{day}"));
    }
    for notice in [
        "created",
        "created-skipped",
        "cancelled",
        "approved",
        "rejected",
        "updated",
        "edit-conflict",
    ] {
        used.insert(format!("booking-notice-{notice}"));
    }
    for action in ["approve", "reject", "cancel", "update"] {
        used.insert(format!("notify-booking-{action}"));
        used.insert(format!("notify-booking-{action}-body"));
    }
    for slug in [
        "bad-request",
        "validation",
        "unauthorized",
        "forbidden",
        "csrf",
        "not-found",
        "conflict",
        "too-many-requests",
        "internal",
    ] {
        used.insert(format!("problem-{slug}"));
        used.insert(format!("problem-{slug}-detail"));
    }
    for module in [
        "users",
        "zones",
        "settings",
        "audit",
        "venues",
        "visits",
        "events",
        "hall",
        "services",
        "reports",
        "assignments",
    ] {
        used.insert(format!("module-{module}"));
        used.insert(format!("module-{module}-desc"));
    }
    assert!(used.len() > 100, "the scan found {} keys", used.len());
    let missing: Vec<String> = used
        .iter()
        .flat_map(|k| {
            Lang::ALL.iter().filter(|l| !l.has(k)).map(move |l| format!("{}:{k}", l.tag()))
        })
        .collect();
    assert!(missing.is_empty(), "{missing:?}");
}

#[tokio::test]
async fn language_comes_from_query_then_cookie_then_header() {
    let app = TestApp::new().await;
    let mut c = app.client();
    let r = c.get("/").await;
    assert!(r.text.contains("<html lang=\"zh-CN\">"), "Chinese by default");
    assert!(r.text.contains("六大功能区"));

    let r = c.get("/?lang=en").await;
    assert!(r.text.contains("<html lang=\"en\">"));
    assert!(r.text.contains("Six functional zones"));
    assert!(r.set_cookies().iter().any(|c| c.starts_with("liaison_lang=en")));
    // The cookie remembers it.
    let r = c.get("/").await;
    assert!(r.text.contains("<html lang=\"en\">"));

    let mut browser = app.client().with_header("accept-language", "en-GB,en;q=0.9,zh;q=0.5");
    assert!(browser.get("/").await.text.contains("<html lang=\"en\">"));
    let mut browser = app.client().with_header("accept-language", "fr-FR,fr;q=0.9");
    assert!(browser.get("/").await.text.contains("<html lang=\"zh-CN\">"));
    // An unknown ?lang falls through to the next source.
    let mut c = app.client().with_header("accept-language", "en");
    assert!(c.get("/?lang=xx").await.text.contains("<html lang=\"en\">"));
}

#[tokio::test]
async fn the_home_page_shows_name_zones_and_contact_in_both_languages() {
    let app = TestApp::new().await;
    let mut c = app.client();
    let zh = c.get("/?lang=zh-CN").await;
    let en = c.get("/?lang=en").await;
    for (page, name, zone, contact) in [
        (&zh, "成都医学城三医创新中心(三期)对外交流中心", "进出口服务", "联系我们"),
        (
            &en,
            "International Exchange Center · Tri-medical Innovation Center (Phase III), Chengdu Medical City",
            "import-export services",
            "Contact",
        ),
    ] {
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text.contains(name), "{name}");
        assert!(page.text.contains(zone), "{zone}");
        assert!(page.text.contains(contact));
        assert_eq!(page.text.matches("data-test=\"zone\"").count(), 6);
    }
    // The other language stands beside the page's own, as on bilingual signs.
    assert!(
        zh.text
            .contains("lang=\"en\" data-test=\"center-name-other\">International Exchange Center")
    );
    assert!(en.text.contains("Wenjiang District"));
}

#[tokio::test]
async fn every_page_has_a_switch_and_no_missing_key_in_either_language() {
    let app = TestApp::new().await;
    let mut all_keys = ftl_keys("en");
    all_keys.retain(|k| k.contains('-'));
    let pages_by_role: Vec<(Option<Role>, Vec<&str>)> = vec![
        (None, vec!["/", "/login", "/nowhere", "/visit-request", "/events"]),
        (
            Some(Role::Admin),
            vec!["/dashboard", "/admin/users", "/admin/zones", "/admin/settings", "/admin/audit"],
        ),
        (
            Some(Role::Staff),
            vec![
                "/dashboard",
                "/admin/users",
                "/visits",
                "/visits/new",
                "/visits/figures",
                "/gifts",
                "/interpreting",
                "/events",
                "/events/new",
            ],
        ),
        (Some(Role::Interpreter), vec!["/dashboard", "/interpreting/mine"]),
        (Some(Role::Enterprise), vec!["/dashboard"]),
        (Some(Role::Oversight), vec!["/dashboard"]),
    ];
    for (role, pages) in pages_by_role {
        let mut c = match role {
            Some(r) => app.signed_in(r).await,
            None => app.client(),
        };
        for lang in ["zh-CN", "en"] {
            for page in &pages {
                let r = c.get(&format!("{page}?lang={lang}")).await;
                assert!(r.text.contains(&format!("<html lang=\"{lang}\">")), "{page} {lang}");
                let other = if lang == "en" { "zh-CN" } else { "en" };
                assert!(
                    r.text.contains(&format!(
                        "data-test=\"lang-switch\" href=\"{page}?lang={other}\""
                    )),
                    "{page} {lang}"
                );
                let text = r.visible_text();
                let shown: Vec<&String> =
                    all_keys.iter().filter(|k| text.contains(k.as_str())).collect();
                assert!(shown.is_empty(), "{page} ({lang}, {role:?}) shows raw keys {shown:?}");
            }
        }
    }
}
