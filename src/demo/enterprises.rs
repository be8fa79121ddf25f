//! Demo enterprise services: two settled enterprises of Wenjiang (the demo
//! enterprise account acts for the first), a special-item import in
//! materials review with two item lines (one at 2–8 °C), an approved R&D
//! white list with one import recorded, and an answered consultation.

use std::collections::BTreeMap;

use crate::audit::Who;
use crate::domains::enterprises::catalogue::service as catalogue;
use crate::domains::enterprises::company::service as companies;
use crate::domains::enterprises::document::service as documents;
use crate::domains::enterprises::model::flow::Move;
use crate::domains::enterprises::model::item::{ItemDraft, Usage, check_items};
use crate::domains::enterprises::model::{EnterpriseDraft, uscc_check_char};
use crate::domains::enterprises::request::service::{self as requests, MoveInput, RequestInput};
use crate::domains::enterprises::whitelist::service as whitelist;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::state::AppState;

/// A one-page PDF, for the demo's documents.
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

fn code(first17: &str) -> AppResult<String> {
    let c = uscc_check_char(first17).map_err(|_| AppError::internal("demo code"))?;
    Ok(format!("{first17}{c}"))
}

fn answers(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

async fn step(
    state: &AppState,
    who: &Who,
    user: &crate::auth::CurrentUser,
    center_id: &str,
    id: &str,
    mv: Move,
    note: &str,
) -> AppResult<()> {
    let (r, _) = requests::readable(state, user, center_id, id).await?;
    let m = MoveInput {
        mv,
        version: r.version,
        note: note.into(),
        authority_ref: String::new(),
        valid_from: None,
        valid_until: None,
        asked: vec![],
    };
    requests::take_move(state, who, user, center_id, id, m).await?;
    Ok(())
}

async fn attach(
    state: &AppState,
    who: &Who,
    user: &crate::auth::CurrentUser,
    center_id: &str,
    id: &str,
    keys: &[&str],
) -> AppResult<()> {
    for k in keys {
        let body =
            futures_util::stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from_static(PDF))]);
        documents::attach(state, who, user, center_id, id, k, &format!("{k}.pdf"), body).await?;
    }
    Ok(())
}

/// Adds the demo enterprises and requests if there are none; (enterprises, requests).
pub async fn load(state: &AppState, who: &Who, center_id: &str) -> AppResult<(usize, usize)> {
    if !companies::page(state, center_id, "", "", 1).await?.is_empty() {
        return Ok((0, 0));
    }
    let (Some(admin), Some(staff), Some(firm_user)) = (
        super::admin_user(state, center_id).await?,
        super::demo_user(state, center_id, "staff@demo.liaison.local").await?,
        super::demo_user(state, center_id, "enterprise@demo.liaison.local").await?,
    ) else {
        return Ok((0, 0));
    };
    let a = EnterpriseDraft {
        uscc: &code("91510115MA6CXR2K1")?,
        name_zh: "成都医学城示例生物科技有限公司",
        name_en: "Chengdu Medical City Example Biotech Co., Ltd.",
        address_zh: "成都市温江区成都医学城三医创新中心三期",
        address_en: "Tri-medical Innovation Center (Phase III), Chengdu Medical City, Wenjiang District, Chengdu",
        settled: true,
        settled_on: "2021-06-18",
        contacts: vec![("赵医药", "物流经理 Logistics manager", "028-8260 0000", "enterprise@demo.liaison.local")],
    }
    .check()
    .map_err(AppError::Invalid)?;
    let b = EnterpriseDraft {
        uscc: &code("91510115MA6DRHT8P")?,
        name_zh: "温江示例医疗器械有限公司",
        name_en: "Wenjiang Example Medical Devices Co., Ltd.",
        settled: true,
        settled_on: "2022-03-01",
        contacts: vec![("孙工", "注册专员 Regulatory affairs", "028-8260 1111", "")],
        ..Default::default()
    }
    .check()
    .map_err(AppError::Invalid)?;
    let a = companies::create(state, who, &admin, center_id, a).await?;
    companies::create(state, who, &admin, center_id, b).await?;
    companies::add_member(state, who, &admin, center_id, &a.id, "enterprise@demo.liaison.local")
        .await?;
    let types = catalogue::types(state, center_id, true).await?;
    let type_of = |code: &str| {
        types.iter().find(|t| t.code == code).map(|t| t.id.clone()).unwrap_or_default()
    };
    // A special-item import in materials review.
    let items = check_items(&[
        ItemDraft {
            name_zh: "单克隆抗体参比品",
            name_en: "Monoclonal antibody reference standard",
            category: "biological_product",
            hs_code: "3002.1500.00",
            spec: "1 mg/vial",
            quantity: "20",
            unit: "vials",
            regime: "c2_8",
        },
        ItemDraft {
            name_zh: "细胞培养基",
            name_en: "Cell culture medium",
            category: "reagent",
            hs_code: "3821.0000.00",
            spec: "500 mL/bottle",
            quantity: "12",
            unit: "bottles",
            regime: "ambient",
        },
    ])
    .map_err(AppError::Invalid)?;
    let import = requests::create(
        state,
        who,
        &firm_user,
        center_id,
        RequestInput {
            service_type_id: type_of("special_item_import"),
            title: "抗体参比品进口 Antibody reference standards".into(),
            answers: answers(&[
                ("purpose", "单抗药物质量研究 Quality research of a monoclonal antibody"),
                ("project", "MAB-2026-01"),
                ("transport", "air"),
            ]),
            items,
            lang: Lang::Zh,
            ..Default::default()
        },
    )
    .await?;
    attach(state, who, &firm_user, center_id, &import.id, &["licence", "description", "risk"])
        .await?;
    step(state, who, &firm_user, center_id, &import.id, Move::Submit, "").await?;
    step(state, who, &staff, center_id, &import.id, Move::StartReview, "").await?;
    // A white list approved, with one import recorded.
    let items = check_items(&[ItemDraft {
        name_zh: "胎牛血清",
        name_en: "Fetal bovine serum",
        category: "biological_product",
        hs_code: "3002.9090.00",
        spec: "500 mL/bottle",
        quantity: "40",
        unit: "bottles",
        regime: "minus20",
    }])
    .map_err(AppError::Invalid)?;
    let wl = requests::create(
        state,
        who,
        &firm_user,
        center_id,
        RequestInput {
            service_type_id: type_of("whitelist"),
            title: "2026 年度研发用物品白名单 R&D white list 2026".into(),
            answers: answers(&[
                ("purpose", "细胞药物研发 Cell therapy R&D"),
                ("project", "CT-2026"),
            ]),
            items,
            lang: Lang::En,
            ..Default::default()
        },
    )
    .await?;
    attach(state, who, &firm_user, center_id, &wl.id, &["licence", "rd_plan"]).await?;
    for (user, mv) in [
        (&firm_user, Move::Submit),
        (&staff, Move::StartReview),
        (&staff, Move::File),
        (&staff, Move::Approve),
    ] {
        step(state, who, user, center_id, &wl.id, mv, "").await?;
    }
    if let Some(e) = whitelist::page(state, &staff, center_id, &a.id, "", 1).await?.first() {
        whitelist::record(
            state,
            who,
            &staff,
            center_id,
            &e.id,
            Usage::Imported,
            10_000,
            "",
            "第一批 First batch",
        )
        .await?;
    }
    // A consultation, answered.
    let q = requests::create(
        state,
        who,
        &firm_user,
        center_id,
        RequestInput {
            service_type_id: type_of("policy_consultation"),
            title: "研发用物品白名单续期 Renewing the white list".into(),
            answers: answers(&[(
                "question",
                "白名单到期后如何续期？ How is the white list renewed when it expires?",
            )]),
            lang: Lang::Zh,
            ..Default::default()
        },
    )
    .await?;
    step(state, who, &firm_user, center_id, &q.id, Move::Submit, "").await?;
    requests::post_message(
        state,
        who,
        &staff,
        center_id,
        &q.id,
        "到期前 30 天提交新的白名单申请即可。Apply again 30 days before it expires.",
    )
    .await?;
    step(state, who, &staff, center_id, &q.id, Move::Answer, "").await?;
    Ok((2, 3))
}
