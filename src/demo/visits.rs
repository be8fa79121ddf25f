//! Demo data for visits: interpreters for en, fr, de, ja, ko and ru, and a
//! record of past delegations of every counterpart type since 2018 (the
//! center's release quotes "more than 30 visits"), plus two open ones.
//! Loading it again changes nothing.

use crate::audit::Who;
use crate::auth::Role;
use crate::domains::accounts::{model::NewUser, service as accounts};
use crate::domains::interpreting::service as interpreting;
use crate::domains::visits;
use crate::domains::visits::model::{OrgKind, VisitStatus};
use crate::domains::visits::visit::service::OpeningStock;
use crate::domains::visits::visit::service::PastOrganisation;
use crate::domains::visits::visit::service::PastVisit;
use crate::error::{AppError, AppResult};
use crate::i18n::Bilingual;
use crate::state::AppState;

/// (e-mail, name, languages with levels). The first is the demo interpreter account.
type DemoInterpreter = (&'static str, &'static str, &'static [(&'static str, i64)]);

const INTERPRETERS: &[DemoInterpreter] = &[
    ("interpreter@demo.liaison.local", "陈译 Chen Yi (interpreter)", &[("en", 3), ("fr", 2)]),
    ("fang.shu@demo.liaison.local", "方舒 Fang Shu", &[("fr", 3), ("en", 2)]),
    ("liu.chang@demo.liaison.local", "刘畅 Liu Chang", &[("en", 2), ("ja", 1)]),
    ("gao.de@demo.liaison.local", "高德 Gao De", &[("de", 3), ("en", 2)]),
    ("lin.ying@demo.liaison.local", "林樱 Lin Ying", &[("ja", 3), ("ko", 1)]),
    ("piao.min@demo.liaison.local", "朴敏 Piao Min", &[("ko", 3), ("en", 1)]),
    ("sun.lu@demo.liaison.local", "孙璐 Sun Lu", &[("ru", 3), ("en", 1)]),
];

/// (type, country, name zh, name en).
const ORGANISATIONS: &[(OrgKind, &str, &str, &str)] = &[
    (
        OrgKind::EmbassyConsulate,
        "FR",
        "法国驻成都总领事馆",
        "Consulate General of France in Chengdu",
    ),
    (
        OrgKind::EmbassyConsulate,
        "DE",
        "德国驻成都总领事馆",
        "Consulate General of Germany in Chengdu",
    ),
    (
        OrgKind::ForeignLocalGovernment,
        "KR",
        "韩国大邱广域市政府",
        "Daegu Metropolitan City Government",
    ),
    (
        OrgKind::ForeignLocalGovernment,
        "RU",
        "俄罗斯下诺夫哥罗德州政府",
        "Government of Nizhny Novgorod Oblast",
    ),
    (OrgKind::BusinessAssociation, "GB", "英国商会", "British Chamber of Commerce in China"),
    (OrgKind::BusinessAssociation, "JP", "日本贸易振兴机构", "Japan External Trade Organization"),
    (OrgKind::ForeignEnterprise, "CH", "瑞士医疗器械企业代表团", "Swiss Medtech Delegation"),
    (OrgKind::ForeignEnterprise, "US", "美国生物医药企业代表团", "US Biopharma Delegation"),
    (OrgKind::HkMacaoOrg, "HK", "香港贸易发展局", "Hong Kong Trade Development Council"),
    (
        OrgKind::HkMacaoOrg,
        "MO",
        "澳门贸易投资促进局",
        "Macao Trade and Investment Promotion Institute",
    ),
    (OrgKind::InternationalOrg, "CH", "世界卫生组织代表团", "World Health Organization delegation"),
    (OrgKind::Domestic, "CN", "清华大学苏世民书院", "Tsinghua University's Schwarzman Scholars"),
    (OrgKind::Other, "SG", "新加坡医疗科技协会", "Singapore Medical Technology Society"),
];

/// (name zh, name en, value in fen, stock).
const GIFTS: &[(&str, &str, i64, i64)] = &[
    ("蜀绣熊猫团扇", "Shu embroidery fan with pandas", 68_000, 12),
    ("青城山雪芽茶礼盒", "Qingcheng Mountain green tea gift box", 28_000, 30),
    ("三星堆青铜面具复制品", "Sanxingdui bronze mask replica", 45_000, 8),
];

/// Creates the demo interpreters (accounts and languages) that are missing.
pub async fn load_interpreters(state: &AppState, who: &Who, center_id: &str) -> AppResult<usize> {
    let mut added = 0;
    for (email, name, languages) in INTERPRETERS {
        let user = match accounts::find_by_email(state, email).await? {
            Some(u) => u,
            None => {
                let new = NewUser::parse(
                    email,
                    name,
                    Role::Interpreter.code(),
                    crate::demo::PASSWORD,
                    Some(center_id.to_string()),
                )
                .map_err(AppError::Invalid)?;
                accounts::create_user(state, who, new).await?
            }
        };
        if interpreting::of_user_id(state, &user.id).await?.is_some() {
            continue;
        }
        let langs: Vec<(String, i64)> =
            languages.iter().map(|(t, l)| (t.to_string(), *l)).collect();
        interpreting::save(state, who, center_id, &user.id, langs, "", true).await?;
        added += 1;
    }
    Ok(added)
}

/// Adds the past visits when the center has none yet; returns how many.
pub async fn load_visits(state: &AppState, who: &Who, center_id: &str) -> AppResult<usize> {
    let organisations: Vec<PastOrganisation> = ORGANISATIONS
        .iter()
        .map(|(kind, country, zh, en)| PastOrganisation {
            kind: *kind,
            country: country.to_string(),
            name: Bilingual::new(*zh, *en),
        })
        .collect();
    // 34 delegations received from 2018 to this autumn, then one in planning
    // and one request waiting for review.
    let visits: Vec<PastVisit> = (0..36usize)
        .map(|i| {
            let (status, year, month, day) = match i {
                34 => (VisitStatus::Planning, 2026, 12, 8),
                35 => (VisitStatus::RequestReceived, 2027, 1, 12),
                _ => (
                    VisitStatus::Closed,
                    2018 + (i as i64 * 9 / 34).min(8),
                    (i * 5 % 11) as i64 + 1,
                    5 + (i % 20) as i64,
                ),
            };
            let country = ORGANISATIONS[i % ORGANISATIONS.len()].1;
            PastVisit {
                organisation: i % ORGANISATIONS.len(),
                status,
                date: format!("{year}-{month:02}-{day:02}"),
                party_size: 3 + (i as i64 * 7 % 12),
                language: match country {
                    "FR" => "fr",
                    "DE" => "de",
                    "KR" => "ko",
                    "RU" => "ru",
                    "JP" => "ja",
                    _ => "en",
                }
                .into(),
                purpose: "Exchange on biomedical cooperation and the Chengdu Medical City.".into(),
            }
        })
        .collect();
    // The gift register: a few pieces of Sichuan craft in stock.
    let gifts: Vec<OpeningStock> = GIFTS
        .iter()
        .map(|(zh, en, fen, stock)| OpeningStock {
            name: Bilingual::new(*zh, *en),
            unit_value: *fen,
            stock: *stock,
        })
        .collect();
    visits::visit::service::import_history(state, who, center_id, &organisations, &visits, &gifts)
        .await
}
