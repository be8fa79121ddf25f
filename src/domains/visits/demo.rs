//! Demo data for visits: interpreters for en, fr, de, ja, ko and ru, and a
//! record of past delegations of every counterpart type since 2018 (the
//! center's release quotes "more than 30 visits"), plus two open ones.
//! Loading it again changes nothing.

use serde_json::json;

use super::model::{OrgKind, VisitStatus, name_key};
use super::records::{Gift, GiftMovement, Organisation, Transition, Visit};
use super::store;
use crate::app::AppState;
use crate::audit::{self, Entry, Who};
use crate::auth::Role;
use crate::db::{new_id, next_reference};
use crate::domains::accounts::{model::NewUser, service as accounts, store as accounts_store};
use crate::domains::interpreting::store as interpreting;
use crate::error::{AppError, AppResult};
use crate::i18n::Bilingual;

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
        let user = match accounts_store::find_by_email(&state.db, email).await? {
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
        if interpreting::interpreter_by_user(&state.db, &user.id).await?.is_some() {
            continue;
        }
        let langs: Vec<(String, i64)> =
            languages.iter().map(|(t, l)| (t.to_string(), *l)).collect();
        crate::domains::interpreting::service::save(
            state, who, center_id, &user.id, langs, "", true,
        )
        .await?;
        added += 1;
    }
    Ok(added)
}

/// Adds the past visits when the center has none yet; returns how many.
pub async fn load_visits(state: &AppState, who: &Who, center_id: &str) -> AppResult<usize> {
    let any = store::visits(
        &state.db,
        &store::VisitFilter { center_id: center_id.into(), limit: 1, ..Default::default() },
    )
    .await?;
    if !any.is_empty() {
        return Ok(0);
    }
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let mut orgs = vec![];
    for (kind, country, zh, en) in ORGANISATIONS {
        let org = Organisation {
            id: new_id(),
            center_id: center_id.into(),
            kind: *kind,
            country: country.to_string(),
            name: Bilingual::new(*zh, *en),
            contact_name: String::new(),
            contact_email: String::new(),
            contact_phone: String::new(),
            notes: String::new(),
            created_at: now.millis(),
        };
        store::insert_org(&mut tx, &org, &name_key(zh, en), now).await?;
        orgs.push(org);
    }
    // 34 delegations received from 2018 to this autumn, then one in planning
    // and one request waiting for review.
    let mut count = 0;
    for i in 0..36usize {
        let org = &orgs[i % orgs.len()];
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
        let date = format!("{year}-{month:02}-{day:02}");
        let reference = next_reference(&mut tx, center_id, "V", year as i32).await?;
        let visit = Visit {
            id: new_id(),
            center_id: center_id.into(),
            reference,
            organisation_id: org.id.clone(),
            org_name: org.name.clone(),
            kind: org.kind,
            country: org.country.clone(),
            status,
            status_reason: String::new(),
            title: Bilingual::new(
                format!("{}来访", org.name.zh),
                format!("Visit of the {}", org.name.en),
            ),
            purpose: "Exchange on biomedical cooperation and the Chengdu Medical City.".into(),
            preferred_from: date.clone(),
            preferred_to: date.clone(),
            starts_on: if status == VisitStatus::RequestReceived {
                String::new()
            } else {
                date.clone()
            },
            ends_on: if status == VisitStatus::RequestReceived {
                String::new()
            } else {
                date.clone()
            },
            year,
            party_size: 3 + (i as i64 * 7 % 12),
            languages: vec![
                match org.country.as_str() {
                    "FR" => "fr",
                    "DE" => "de",
                    "KR" => "ko",
                    "RU" => "ru",
                    "JP" => "ja",
                    _ => "en",
                }
                .to_string(),
            ],
            protocol_level: String::new(),
            hosts: String::new(),
            approval_ref: String::new(),
            budget: String::new(),
            summary: String::new(),
            contact_name: String::new(),
            contact_email: String::new(),
            contact_phone: String::new(),
            source: "staff".into(),
            consent_at: None,
            retention_until: format!("{}-{month:02}-{day:02}", year + 1),
            purged_at: None,
            created_at: now.millis(),
            updated_at: now.millis(),
        };
        store::insert_visit(&mut tx, &visit, None).await?;
        store::insert_transition(
            &mut tx,
            &visit.id,
            &Transition {
                from: String::new(),
                to: status.code().into(),
                reason: "demo".into(),
                actor_label: who.label.clone(),
                at: now.millis(),
            },
            None,
        )
        .await?;
        count += 1;
    }
    // The gift register: a few pieces of Sichuan craft in stock.
    for (zh, en, fen, stock) in GIFTS {
        let gift =
            Gift { id: new_id(), name: Bilingual::new(*zh, *en), unit_value: *fen, stock: 0 };
        store::insert_gift(&mut tx, center_id, &gift, now).await?;
        store::move_stock(&mut tx, &gift.id, *stock, now).await?;
        let movement = GiftMovement {
            id: new_id(),
            gift_id: gift.id.clone(),
            gift_name: gift.name.clone(),
            quantity: *stock,
            visit_id: None,
            organisation_id: None,
            organisation_name: Bilingual::default(),
            recipient: String::new(),
            note: "demo".into(),
            at: now.millis(),
        };
        store::insert_movement(&mut tx, center_id, &movement, None).await?;
    }
    audit::record(
        &mut tx,
        who,
        now,
        Entry {
            center_id: Some(center_id),
            entity: "visit",
            entity_id: center_id,
            action: "demo",
            summary: json!({"visits": count, "organisations": orgs.len()}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(count)
}
