//! The catalogue a center starts with: the seven services of its R&D
//! supply-chain service platform (one-stop import-export services for
//! biopharmaceutical R&D enterprises) and technology innovation service
//! platform, and the item categories of special items (特殊物品). Admins
//! change all of it; what is here is a starting point, not a rule.

use serde_json::{Value, json};

use super::store::Category;
use crate::domains::enterprises::model::flow::Flow;
use crate::domains::enterprises::model::form::FormSpec;

/// (code, flow, 中文, English, summary zh, summary en, white list?, spec)
pub type Seed =
    (&'static str, Flow, &'static str, &'static str, &'static str, &'static str, bool, FormSpec);

fn field(key: &str, kind: &str, required: bool, zh: &str, en: &str) -> Value {
    json!({"key": key, "kind": kind, "required": required, "label_zh": zh, "label_en": en})
}

fn doc(key: &str, zh: &str, en: &str, mandatory: bool, types: &[&str]) -> Value {
    json!({"key": key, "label_zh": zh, "label_en": en, "mandatory": mandatory, "types": types})
}

fn spec(fields: Vec<Value>, documents: Vec<Value>, steps: &[(&str, i64)], items: bool) -> FormSpec {
    let steps: Vec<Value> =
        steps.iter().map(|(s, d)| json!({"status": s, "sla_days": d})).collect();
    serde_json::from_value(
        json!({"fields": fields, "documents": documents, "steps": steps, "items": items}),
    )
    .unwrap_or_default()
}

fn transport() -> Value {
    json!({"key": "transport", "kind": "choice", "required": true, "label_zh": "运输方式", "label_en": "Transport",
      "choices": [{"value": "air", "zh": "空运", "en": "Air"}, {"value": "sea", "zh": "海运", "en": "Sea"},
                  {"value": "road", "zh": "陆运", "en": "Road"}, {"value": "courier", "zh": "快件", "en": "Express courier"}]})
}

fn licence() -> Value {
    doc("licence", "营业执照", "Business licence", true, &["pdf", "jpeg", "png", "ofd"])
}

pub fn services() -> Vec<Seed> {
    let purpose = || field("purpose", "textarea", true, "用途说明", "Purpose of use");
    let project = || field("project", "text", true, "研发项目", "R&D project");
    vec![
        (
            "special_item_import",
            Flow::Goods,
            "特殊物品进口审批",
            "Special-item import approval",
            "微生物、人体组织、生物制品、血液及其制品等特殊物品进口的卫生检疫审批与通关。",
            "Health-quarantine approval and clearance of imported special items: micro-organisms, human tissue, biological products, blood products.",
            false,
            spec(
                vec![
                    purpose(),
                    project(),
                    field("arrival", "date", false, "预计到货日期", "Expected arrival"),
                    transport(),
                    field("port", "text", false, "入境口岸", "Port of entry"),
                ],
                vec![
                    licence(),
                    doc(
                        "description",
                        "特殊物品描述性材料",
                        "Description of the special items",
                        true,
                        &["pdf", "docx"],
                    ),
                    doc("risk", "风险评估报告", "Risk assessment report", true, &["pdf"]),
                    doc(
                        "contract",
                        "进口合同或发票",
                        "Import contract or invoice",
                        false,
                        &["pdf", "jpeg", "png"],
                    ),
                    doc("ethics", "伦理审查批件", "Ethics committee approval", false, &["pdf"]),
                ],
                &[
                    ("submitted", 1),
                    ("review", 3),
                    ("filed", 20),
                    ("arrived", 2),
                    ("inspection", 3),
                    ("released", 1),
                ],
                true,
            ),
        ),
        (
            "whitelist",
            Flow::Approval,
            "研发用物品白名单申请",
            "R&D white-list application",
            "将研发用物品纳入白名单（企业与物品一一对应，有效期12个月），在额度内分批进口。",
            "Put R&D materials on the white list (one enterprise, one item, valid 12 months) and import them in batches within the approved quantity.",
            true,
            spec(
                vec![
                    purpose(),
                    project(),
                    field(
                        "annual_need",
                        "textarea",
                        false,
                        "年度用量测算",
                        "Annual quantity estimate",
                    ),
                ],
                vec![
                    licence(),
                    doc(
                        "rd_plan",
                        "研发项目说明",
                        "R&D project description",
                        true,
                        &["pdf", "docx"],
                    ),
                    doc("msds", "安全数据单", "Safety data sheet", false, &["pdf"]),
                ],
                &[("submitted", 1), ("review", 5), ("filed", 15)],
                true,
            ),
        ),
        (
            "customs_declaration",
            Flow::Goods,
            "报关申报辅助",
            "Customs declaration support",
            "协助企业准备报关单证、申报与查验。",
            "Help with customs documents, the declaration and the inspection.",
            false,
            spec(
                vec![
                    field("bill", "text", false, "提单或运单号", "Bill of lading or waybill"),
                    transport(),
                ],
                vec![
                    doc(
                        "invoice",
                        "商业发票",
                        "Commercial invoice",
                        true,
                        &["pdf", "jpeg", "png", "xlsx"],
                    ),
                    doc("packing", "装箱单", "Packing list", true, &["pdf", "xlsx"]),
                ],
                &[("submitted", 1), ("review", 2), ("arrived", 2), ("inspection", 3)],
                true,
            ),
        ),
        (
            "bonded_warehousing",
            Flow::Goods,
            "保税仓储",
            "Bonded warehousing",
            "研发物品入保税仓储存、分批出库。",
            "Store R&D goods in the bonded warehouse and release them in batches.",
            false,
            spec(
                vec![
                    field("from", "date", true, "入库日期", "Storage from"),
                    field("until", "date", false, "预计出库日期", "Storage until"),
                ],
                vec![doc(
                    "invoice",
                    "商业发票",
                    "Commercial invoice",
                    true,
                    &["pdf", "jpeg", "png", "xlsx"],
                )],
                &[("submitted", 1), ("review", 2)],
                true,
            ),
        ),
        (
            "cold_chain_delivery",
            Flow::Goods,
            "冷链配送",
            "Cold-chain delivery",
            "按温区（2–8 °C、−20 °C 等）安排冷链运输和温度记录。",
            "Cold-chain transport in the goods' temperature range (2–8 °C, −20 °C…) with a temperature record.",
            false,
            spec(
                vec![
                    field("pickup", "text", true, "提货地点", "Pick-up place"),
                    field("deliver_to", "text", true, "送达地点", "Deliver to"),
                    field("when", "date", true, "送达日期", "Delivery date"),
                ],
                vec![doc("temperature", "温度记录", "Temperature record", false, &["pdf", "xlsx"])],
                &[("submitted", 1), ("review", 1), ("released", 1)],
                true,
            ),
        ),
        (
            "policy_consultation",
            Flow::Consultation,
            "政策咨询",
            "Policy consultation",
            "进出口、特殊物品和研发用物品政策咨询。",
            "Questions about import-export, special-item and R&D-materials policy.",
            false,
            spec(
                vec![field("question", "textarea", true, "问题", "Question")],
                vec![],
                &[("submitted", 3)],
                false,
            ),
        ),
        (
            "tech_consultation",
            Flow::Consultation,
            "科技创新咨询",
            "Technology innovation consultation",
            "科技创新服务平台：项目申报、成果转化、知识产权等咨询，企业不出园区即能办理有关事务。",
            "The technology innovation service platform: project applications, technology transfer, intellectual property — enterprises complete the handling of relevant affairs within the park.",
            false,
            spec(
                vec![
                    field("topic", "text", true, "主题", "Topic"),
                    field("question", "textarea", true, "问题", "Question"),
                ],
                vec![],
                &[("submitted", 5)],
                false,
            ),
        ),
    ]
}

pub fn categories() -> Vec<Category> {
    let c = |code: &str, zh: &str, en: &str, special: bool| Category {
        code: code.into(),
        name_zh: zh.into(),
        name_en: en.into(),
        special,
        risk_class: String::new(),
    };
    vec![
        c("microorganism", "微生物", "Micro-organisms", true),
        c("human_tissue", "人体组织", "Human tissue", true),
        c("biological_product", "生物制品", "Biological products", true),
        c("blood_product", "血液及其制品", "Blood and blood products", true),
        c("reagent", "研发试剂", "R&D reagents", false),
        c("equipment", "研发设备及耗材", "R&D equipment and consumables", false),
        c("other", "其他", "Other", false),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_seeded_form_passes_its_own_check() {
        let s = services();
        assert_eq!(s.len(), 7);
        for (code, flow, .., spec) in s {
            assert_eq!(spec.check(flow), Ok(()), "{code}");
            assert!(!spec.steps.is_empty(), "{code} has SLAs");
        }
    }
}
