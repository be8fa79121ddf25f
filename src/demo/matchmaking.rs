//! A demo matchmaking morning: a Sino-Swiss medtech event in the trade
//! negotiation zone, with meeting windows and tables, four participants with
//! profiles in Chinese, English or both, and one request waiting for an
//! answer. Loading again changes nothing.

use crate::audit::Who;
use crate::domains::events;
use crate::domains::events::event::service::EventInput;
use crate::domains::events::registration::service::{ParticipantInput, RegistrationInput};
use crate::domains::matchmaking::meeting::service as meetings;
use crate::domains::matchmaking::profile::service::{self as profiles, EntryEdit, ProfileEdit};
use crate::domains::matchmaking::setup::service::{self as setup, SetupEdit, TableEdit};
use crate::error::AppResult;
use crate::i18n::{Bilingual, Lang};
use crate::state::AppState;
use crate::time::Span;

const TITLE_EN: &str = "Sino-Swiss medtech matchmaking";

/// (name, e-mail, country, organisation zh, en, languages, lang, [(side, topic, zh, en)])
type Person = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Lang,
    &'static [(&'static str, &'static str, &'static str, &'static str)],
);

const PEOPLE: &[Person] = &[
    (
        "Anna Keller",
        "anna.keller@alpine-medtech.example",
        "CH",
        "",
        "Alpine Medtech AG",
        "en, de",
        Lang::En,
        &[
            ("need", "product", "", "Single-use endoscopes for Swiss hospitals"),
            ("offer", "service", "", "Distribution and regulatory support in Switzerland"),
        ],
    ),
    (
        "李伟",
        "liwei@cd-meddevice.example",
        "CN",
        "成都示例医疗器械有限公司",
        "Chengdu Demo Medical Devices Co., Ltd.",
        "zh, en",
        Lang::Zh,
        &[
            ("offer", "product", "一次性电子内窥镜", ""),
            ("need", "service", "欧洲市场分销与注册", "Distribution and registration in Europe"),
        ],
    ),
    (
        "Marie Dubois",
        "marie.dubois@lyon-bio.example",
        "FR",
        "",
        "Lyon BioPartners",
        "fr, en",
        Lang::En,
        &[("need", "research", "", "Clinical research partners in western China")],
    ),
    (
        "王芳",
        "wangfang@wj-bio.example",
        "CN",
        "温江生物医药研究院",
        "",
        "zh",
        Lang::Zh,
        &[("offer", "research", "临床前研究与动物实验平台", "")],
    ),
];

/// The demo matchmaking event, when it is not there yet; returns 1 if made.
pub async fn load(state: &AppState, who: &Who, center_id: &str) -> AppResult<usize> {
    let existing = events::event::service::list(state, center_id, 0, false).await?;
    if existing.iter().any(|e| e.title.en == TITLE_EN) {
        return Ok(0);
    }
    let Some(user) = super::admin_user(state, center_id).await? else {
        return Ok(0);
    };
    let tz = crate::domains::centers::service::tz(state, center_id).await?;
    let span = super::events::slot(state.clock.now(), &tz, 38, 9, 3);
    let input = EventInput {
        kind: "matchmaking".into(),
        title: Bilingual::new("中瑞医疗器械国际对接会", TITLE_EN),
        summary: Bilingual::new(
            "瑞士医疗器械采购商与成都医学城企业一对一洽谈。",
            "One-to-one meetings between Swiss medtech buyers and Chengdu Medical City enterprises.",
        ),
        organizers: "成都医学城对外交流中心 / International Exchange Center".into(),
        visibility: "public".into(),
        languages: "zh-Hans, en".into(),
        span: Some(span),
        // No room booked: staff pick one (the tables then stand in it);
        // the demo leaves the rooms' calendars to the other demo events.
        capacity: 40,
        waitlist: true,
        max_group: 5,
        ..EventInput::default()
    };
    let event = events::event::service::create(state, who, &user, input).await?;
    events::event::service::transition(state, who, &user, &event.id, "registration_open", "")
        .await?;
    let sessions = events::event::service::sessions(state, &event.id).await?;
    let table_room = sessions.iter().find_map(|s| s.room_id.clone());
    let half_hour = 30 * 60_000;
    setup::save(
        state,
        who,
        &user,
        &event.id,
        SetupEdit {
            meeting_minutes: 20,
            break_minutes: 5,
            needs_acceptance: true,
            request_limit: 10,
            windows: vec![Span::new(span.start + half_hour, span.end - half_hour)],
            tables: (1..=8)
                .map(|n| TableEdit { number: n, room_id: table_room.clone(), seats: 2 })
                .collect(),
        },
    )
    .await?;
    let mut made = vec![];
    for (name, email, country, org_zh, org_en, langs, lang, entries) in PEOPLE {
        let reg = events::registration::service::register(
            state,
            who,
            None,
            &event.id,
            RegistrationInput {
                participants: vec![ParticipantInput {
                    name: (*name).into(),
                    email: (*email).into(),
                    category: String::new(),
                    country: (*country).into(),
                }],
                consent: true,
                lang: *lang,
                ..RegistrationInput::default()
            },
        )
        .await?;
        let Some(p) = reg.participants.first() else { continue };
        let holder = profiles::for_staff(state, &user, &p.id).await?;
        let profile = profiles::save(
            state,
            who,
            &holder,
            ProfileEdit {
                name: (*name).into(),
                organisation: Bilingual::new(*org_zh, *org_en),
                country: (*country).into(),
                sector: if *country == "FR" {
                    "biomedicine".into()
                } else {
                    "medical_devices".into()
                },
                languages: (*langs).into(),
                listed: true,
                entries: entries
                    .iter()
                    .map(|(side, topic, zh, en)| EntryEdit {
                        side: (*side).into(),
                        topic: (*topic).into(),
                        text: Bilingual::new(*zh, *en),
                    })
                    .collect(),
                ..ProfileEdit::default()
            },
        )
        .await?;
        made.push((holder, profile));
    }
    // Marie Dubois has asked 王芳 for a meeting; it waits for an answer.
    if let (Some((marie, _)), Some((_, wang))) = (made.get(2), made.get(3)) {
        let marie = profiles::for_staff(state, &user, &marie.participant.id).await?;
        meetings::request(
            state,
            who,
            &marie,
            &wang.id,
            "Bonjour — we are looking for preclinical partners.",
        )
        .await?;
    }
    Ok(1)
}
