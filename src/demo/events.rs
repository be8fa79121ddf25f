//! Demo events: a training and a salon open for registration in the coming
//! weeks (in the center's rooms), and a Hong Kong-Macao promotion still in
//! planning. Loading again changes nothing.

use crate::audit::Who;
use crate::clock::Instant;
use crate::domains::events;
use crate::domains::events::event::service::CategoryInput;
use crate::domains::events::event::service::EventInput;
use crate::domains::events::model::Question;
use crate::domains::venues;
use crate::error::AppResult;
use crate::i18n::Bilingual;
use crate::state::AppState;
use crate::time::Span;

/// A working day at least `days` ahead, at `hh:00` for `hours`, in the center's zone.
pub(super) fn slot(now: Instant, tz: &jiff::tz::TimeZone, days: i64, hh: i64, hours: i64) -> Span {
    let mut d = days;
    loop {
        let (date, _) = now.plus_secs(d * 86_400).local_parts(tz);
        let weekday = date
            .parse::<jiff::civil::Date>()
            .map(|x| x.weekday().to_monday_zero_offset())
            .unwrap_or(0);
        if weekday < 5 {
            let start = Instant::parse_local(&date, &format!("{hh:02}:00"), tz).unwrap_or(now);
            return Span { start: start.millis(), end: start.millis() + hours * 3_600_000 };
        }
        d += 1;
    }
}

/// A demo event open to the public, in both languages, with three ticket
/// categories (media limited to five) and one question.
fn input_for(
    kind: &str,
    title: Bilingual,
    summary: Bilingual,
    span: Span,
    capacity: i64,
    room_id: String,
    company: &Question,
) -> EventInput {
    EventInput {
        kind: kind.into(),
        title,
        summary,
        organizers: "成都医学城对外交流中心 / International Exchange Center".into(),
        visibility: "public".into(),
        languages: "zh-Hans, en".into(),
        span: Some(span),
        capacity,
        waitlist: true,
        max_group: 5,
        room_id,
        categories: vec![
            CategoryInput {
                code: "enterprise".into(),
                name: Bilingual::new("企业代表", "Enterprise representative"),
                quota: None,
            },
            CategoryInput {
                code: "foreign_guest".into(),
                name: Bilingual::new("外宾", "Foreign guest"),
                quota: None,
            },
            CategoryInput {
                code: "media".into(),
                name: Bilingual::new("媒体", "Media"),
                quota: Some(5),
            },
        ],
        form: vec![company.clone()],
        ..EventInput::default()
    }
}

/// The demo events, when the center has none yet; returns how many.
pub async fn load(state: &AppState, who: &Who, center_id: &str) -> AppResult<usize> {
    let now = state.clock.now();
    if !events::event::service::list(state, center_id, 0, false).await?.is_empty() {
        return Ok(0);
    }
    let Some(user) = super::admin_user(state, center_id).await? else {
        return Ok(0);
    };
    let tz = crate::domains::centers::service::tz(state, center_id).await?;
    let rooms = venues::room::service::rooms(state, center_id).await?;
    let room =
        |en: &str| rooms.iter().find(|r| r.name.en == en).map(|r| r.id.clone()).unwrap_or_default();
    let company: Question = serde_json::from_value(serde_json::json!(
        {"id": "company", "kind": "text", "label_zh": "单位", "label_en": "Organisation", "required": true}))
        .unwrap_or_else(|_| Question { id: "company".into(), kind: "text".into(), label_zh: "单位".into(), label_en: "Organisation".into(), required: true, choices: vec![] });
    let events = [
        (
            "training",
            "跨境电商“走出去”专题培训会",
            "\"Going global\"-themed training session of cross-border e-commerce",
            "面向入驻企业的跨境电商出海实务培训。",
            "Practical training on cross-border e-commerce for the settled enterprises.",
            slot(now, &tz, 14, 14, 3),
            80,
            room("City Promotion Hall"),
            true,
        ),
        (
            "salon",
            "生物医药研发企业沙龙",
            "Salon of biopharmaceutical R&D enterprises",
            "研发供应链服务平台与企业面对面。",
            "The R&D supply chain service platform meets the enterprises.",
            slot(now, &tz, 21, 15, 2),
            30,
            room("City Promotion Hall"),
            true,
        ),
        (
            "hk_macao_promotion",
            "成都医学城港澳推介会",
            "Chengdu Medical City Hong Kong-Macao promotion",
            "向港澳机构推介成都医学城三医创新中心。",
            "Presenting the Tri-Medical innovation centre of Chengdu Medical City to Hong Kong and Macao organisations.",
            slot(now, &tz, 45, 10, 3),
            120,
            String::new(),
            false,
        ),
    ];
    let mut made = 0;
    for (kind, zh, en, szh, sen, span, capacity, room_id, open) in events {
        let input = input_for(
            kind,
            Bilingual::new(zh, en),
            Bilingual::new(szh, sen),
            span,
            capacity,
            room_id,
            &company,
        );
        // A room taken by someone else's booking is not a reason to fail the demo.
        let event = match events::event::service::create(state, who, &user, input.clone()).await {
            Ok(e) => e,
            Err(_) => {
                events::event::service::create(
                    state,
                    who,
                    &user,
                    EventInput { room_id: String::new(), ..input },
                )
                .await?
            }
        };
        if open {
            events::event::service::transition(
                state,
                who,
                &user,
                &event.id,
                "registration_open",
                "",
            )
            .await?;
        }
        made += 1;
    }
    Ok(made)
}
