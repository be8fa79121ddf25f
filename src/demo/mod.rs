//! The demo center, modelled on the International Exchange Center of the
//! Tri-medical Innovation Center (Phase III), Chengdu Medical City, with the
//! official terms of GLOSSARY.md. Loading it again changes nothing.

mod enterprises;
mod events;
mod glossary;
mod hall;
mod matchmaking;
mod news;
mod signage;
mod visits;

use crate::audit::Who;
use crate::auth::Role;
use crate::domains::accounts::{model::NewUser, service as accounts};
use crate::domains::centers::model::Bilingual;
use crate::domains::centers::service::{self as centers, NewCenter};
use crate::error::AppResult;
use crate::state::AppState;

pub const SLUG: &str = "chengdu-medical-city";
/// The password of every demo account (demo only: change it or use real accounts).
pub const PASSWORD: &str = "liaison-demo";

/// (role, e-mail, display name) of the demo accounts.
pub const ACCOUNTS: [(Role, &str, &str); 5] = [
    (Role::Admin, "admin@demo.liaison.local", "王主任 Wang Li (admin)"),
    (Role::Staff, "staff@demo.liaison.local", "李晓 Li Xiao (staff)"),
    (Role::Interpreter, "interpreter@demo.liaison.local", "陈译 Chen Yi (interpreter)"),
    (Role::Enterprise, "enterprise@demo.liaison.local", "赵医药 Zhao Yiyao (enterprise)"),
    (Role::Oversight, "oversight@demo.liaison.local", "成都市外办 Chengdu FAO (oversight)"),
];

fn zones() -> Vec<(String, Bilingual, Bilingual)> {
    let z = |code: &str, zh: &str, en: &str, dzh: &str, den: &str| {
        (code.to_string(), Bilingual::new(zh, en), Bilingual::new(dzh, den))
    };
    vec![
        z(
            "city_promotion",
            "城市推介",
            "City promotion",
            "展示成都与温江的城市形象、产业和营商环境。",
            "Presents the image, industries and business environment of Chengdu and Wenjiang District.",
        ),
        z(
            "conference_exhibition",
            "会议会展",
            "Conferences and exhibitions",
            "承办国际、港澳推介、交流活动，配备同声传译设施。",
            "Hosts international, Hong Kong-Macao promotion and exchange activities, with simultaneous interpretation.",
        ),
        z(
            "trade_negotiation",
            "经贸洽谈",
            "Economic and trade negotiations",
            "为外国企业代表团和国际商会组织提供洽谈空间。",
            "Negotiation rooms for foreign corporate delegations and international business associations.",
        ),
        z(
            "government_services",
            "政务服务",
            "Government services",
            "企业不出园区即能办理有关事务。",
            "Enterprises complete the handling of relevant affairs within the park.",
        ),
        z(
            "import_export",
            "进出口服务",
            "Import-export services",
            "研发供应链服务平台，为生物医药研发企业提供\"一站式\"进出口服务。",
            "R&D supply chain service platform: one-stop import-export services for biopharmaceutical R&D enterprises.",
        ),
        z(
            "science_popularization",
            "市民科普",
            "Science popularization",
            "三医科技展馆向市民开放，可预约参观。",
            "The exhibition hall of the Tri-medical Innovation Center is open to citizens by reservation.",
        ),
    ]
}

/// Loads the demo center and one account per role. Returns the lines to print.
pub async fn load(state: &AppState) -> AppResult<Vec<String>> {
    let who = Who::cli();
    let (center_id, created) = centers::ensure_center(
        state,
        &who,
        NewCenter {
            slug: SLUG.into(),
            name: Bilingual::new(
                "成都医学城三医创新中心(三期)对外交流中心",
                "International Exchange Center · Tri-medical Innovation Center (Phase III), Chengdu Medical City",
            ),
            short_name: Bilingual::new("对外交流中心", "International Exchange Center"),
            intro: Bilingual::new(
                "对外交流中心位于温江区成都医学城三医创新中心(三期)，设有城市推介、会议会展、经贸洽谈、政务服务、进出口服务和市民科普六大功能区，配备中英双语标识标牌和外语专业人员，接待外国驻华使领馆、外国地方政府、国际商会组织和国外企业代表团，举办国际、港澳推介、交流活动及沙龙、培训活动。",
                "The International Exchange Center sits in the Tri-medical Innovation Center (Phase III) of Chengdu Medical City, Wenjiang District. It has six functional zones — city promotion, conferences and exhibitions, economic and trade negotiations, government services, import-export services and science popularization — with Chinese-English bilingual signage and professional foreign language personnel. It receives foreign embassies and consulates in China, foreign governments (local), international business associations and foreign corporate delegations, and holds international, Hong Kong-Macao promotion and exchange activities, salons and training activities.",
            ),
            address: Bilingual::new(
                "四川省成都市温江区成都医学城三医创新中心(三期)",
                "Tri-medical Innovation Center (Phase III), Chengdu Medical City, Wenjiang District, Chengdu, Sichuan",
            ),
            opening_hours: Bilingual::new("周一至周五 9:00–17:00（法定节假日除外）", "Monday to Friday, 9:00–17:00 (closed on public holidays)"),
            phone: "+86 28 0000 0000".into(),
            email: "iec@demo.liaison.local".into(),
            zones: zones(),
        },
    )
    .await?;
    let mut lines = vec![if created {
        format!("Demo center created ({SLUG}).")
    } else {
        format!("Demo center already present ({SLUG}).")
    }];
    for (role, email, name) in ACCOUNTS {
        if accounts::find_by_email(state, email).await?.is_some() {
            continue;
        }
        let new = NewUser::parse(email, name, role.code(), PASSWORD, Some(center_id.clone()))
            .map_err(crate::error::AppError::Invalid)?;
        accounts::create_user(state, &who, new).await?;
    }
    let rooms = load_rooms(state, &who, &center_id).await?;
    if rooms > 0 {
        lines.push(format!("{rooms} rooms added to the zones."));
    }
    let interpreters = visits::load_interpreters(state, &who, &center_id).await?;
    if interpreters > 0 {
        lines.push(format!("{interpreters} interpreters added (en, fr, de, ja, ko, ru)."));
    }
    let events = events::load(state, &who, &center_id).await?;
    if events > 0 {
        lines.push(format!("{events} events added (two open for registration)."));
    }
    if matchmaking::load(state, &who, &center_id).await? > 0 {
        lines.push("A matchmaking morning added, with four participants' profiles.".into());
    }
    let hall = hall::load(state, &who, &center_id).await?;
    if hall > 0 {
        lines
            .push(format!("Exhibition hall opened, with {hall} visits of 2022 from its register."));
    }
    let visits = visits::load_visits(state, &who, &center_id).await?;
    if visits > 0 {
        lines.push(format!("{visits} delegation visits recorded since 2018."));
    }
    if news::load(state, &who, &center_id).await? > 0 {
        lines.push(
            "Two news articles added: one published in both languages, one in review.".into(),
        );
    }
    let signs = signage::load(state, &who, &center_id).await?;
    if signs > 0 {
        lines.push(format!("{signs} signs in the registry, from a draft to installed."));
    }
    let (firms, requests) = enterprises::load(state, &who, &center_id).await?;
    if firms > 0 {
        lines.push(format!(
            "{firms} settled enterprises with {requests} requests: a special-item import in review, a white list with its ledger, a consultation answered."
        ));
    }
    let terms = glossary::load(state, &who, &center_id).await?;
    if terms > 0 {
        lines.push(format!(
            "{terms} official terms in the glossary; every text checked against them."
        ));
    }
    lines.push(format!("Sign in at /login with any of these accounts (password: {PASSWORD}):"));
    for (role, email, _) in ACCOUNTS {
        lines.push(format!("  {:<12} {email}", role.code()));
    }
    Ok(lines)
}

/// (zone, name zh, name en, capacity, equipment, approval, setup/teardown minutes, Saturday open)
type DemoRoom =
    (&'static str, &'static str, &'static str, i64, &'static [&'static str], bool, i64, bool);

const ROOMS: &[DemoRoom] = &[
    (
        "city_promotion",
        "城市推介厅",
        "City Promotion Hall",
        120,
        &["projector", "bilingual_screen", "sound_system", "microphones", "stage"],
        false,
        30,
        false,
    ),
    (
        "conference_exhibition",
        "国际会议厅",
        "International Conference Hall",
        200,
        &[
            "si_booths",
            "projector",
            "video_conference",
            "bilingual_screen",
            "sound_system",
            "microphones",
            "stage",
        ],
        true,
        30,
        false,
    ),
    (
        "conference_exhibition",
        "多功能会议室",
        "Multi-function Meeting Room",
        40,
        &["projector", "video_conference", "whiteboard"],
        false,
        15,
        false,
    ),
    (
        "trade_negotiation",
        "洽谈室A",
        "Negotiation Room A",
        12,
        &["video_conference", "bilingual_screen"],
        false,
        10,
        false,
    ),
    ("trade_negotiation", "洽谈室B", "Negotiation Room B", 8, &["whiteboard"], false, 10, false),
    (
        "government_services",
        "政务服务洽谈间",
        "Government Services Meeting Room",
        6,
        &["whiteboard"],
        false,
        0,
        false,
    ),
    (
        "import_export",
        "进出口服务咨询室",
        "Import-Export Consultation Room",
        10,
        &["projector", "whiteboard"],
        false,
        0,
        false,
    ),
    (
        "science_popularization",
        "三医科技展馆",
        "Exhibition Hall of the Tri-medical Innovation Center",
        60,
        &["exhibition_panels", "bilingual_screen"],
        false,
        15,
        true,
    ),
    (
        "science_popularization",
        "科普报告厅",
        "Science Lecture Room",
        80,
        &["projector", "sound_system", "microphones"],
        false,
        15,
        false,
    ),
];

/// Adds the demo rooms that are missing; returns how many were added.
/// The demo's administrator as a signed-in user of `center_id` (the demo's
/// loaders act through services as them), if the account exists.
async fn admin_user(
    state: &AppState,
    center_id: &str,
) -> AppResult<Option<crate::auth::CurrentUser>> {
    demo_user(state, center_id, "admin@demo.liaison.local").await
}

/// A demo account as a signed-in user of the center.
async fn demo_user(
    state: &AppState,
    center_id: &str,
    email: &str,
) -> AppResult<Option<crate::auth::CurrentUser>> {
    let Some(admin) = accounts::find_by_email(state, email).await? else {
        return Ok(None);
    };
    Ok(Some(crate::auth::CurrentUser {
        id: admin.id,
        email: admin.email,
        display_name: admin.display_name,
        role: admin.role,
        center_id: Some(center_id.to_string()),
        scope: vec![center_id.to_string()],
        csrf_token: None,
    }))
}

async fn load_rooms(state: &AppState, who: &Who, center_id: &str) -> AppResult<usize> {
    use crate::domains::venues;
    use crate::domains::venues::model::{OpeningHours, RoomInput, RoomRules};
    let existing: Vec<String> = venues::room::service::rooms(state, center_id)
        .await?
        .into_iter()
        .map(|r| r.name.en)
        .collect();
    let mut added = 0;
    for (zone, zh, en, capacity, equipment, approval, buffer, saturday) in ROOMS {
        if existing.iter().any(|e| e == en) {
            continue;
        }
        let mut hours = OpeningHours::office();
        if *saturday {
            hours.0[5] = Some((9 * 60, 17 * 60));
        }
        let equipment: Vec<String> = equipment.iter().map(|e| e.to_string()).collect();
        let input = RoomInput::parse(
            zone,
            Bilingual::new(*zh, *en),
            Bilingual::default(),
            Bilingual::new("三医创新中心(三期)", "Tri-medical Innovation Center (Phase III)"),
            &equipment,
            *approval,
            RoomRules {
                capacity: *capacity,
                bookable: true,
                hours,
                min_minutes: 30,
                max_minutes: 9 * 60 + 30,
                max_advance_days: 365,
                setup_minutes: *buffer,
                teardown_minutes: *buffer,
            },
        )
        .map_err(crate::error::AppError::Invalid)?;
        venues::room::service::create_room(state, who, center_id, input).await?;
        added += 1;
    }
    Ok(added)
}
