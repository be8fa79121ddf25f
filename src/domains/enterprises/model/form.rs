//! What a service asks for: its form (field rows), its document checklist
//! and the SLA of each step, kept as one versioned spec; and the check of a
//! request's answers against the version it was filed under.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::flow::{Flow, Status};
use crate::codes;
use crate::error::FieldError;
use crate::validate::{required_text, text};

/// Field rows of one form.
pub const MAX_FIELDS: usize = 40;
/// Documents on one checklist.
pub const MAX_DOCUMENTS: usize = 20;
/// Choices of one field.
pub const MAX_CHOICES: usize = 30;
/// One answer, in characters.
pub const MAX_ANSWER: usize = 4000;
/// SLA of one step, in working days.
pub const MAX_SLA_DAYS: i64 = 250;

codes!(
    pub enum FieldKind, "form-field-kind" {
        Text = "text",
        Textarea = "textarea",
        Number = "number",
        Date = "date",
        Choice = "choice",
        YesNo = "yes_no",
    }
);

codes!(
    /// What a document may be, read from its content (never its name).
    pub enum DocType, "doc-type" {
        Pdf = "pdf",
        Jpeg = "jpeg",
        Png = "png",
        /// Office Open XML: Word.
        Docx = "docx",
        /// Office Open XML: Excel.
        Xlsx = "xlsx",
        /// OFD (GB/T 33190), China's own fixed-layout documents.
        Ofd = "ofd",
    }
);

impl DocType {
    pub fn media_type(self) -> &'static str {
        match self {
            DocType::Pdf => "application/pdf",
            DocType::Jpeg => "image/jpeg",
            DocType::Png => "image/png",
            DocType::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            DocType::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            DocType::Ofd => "application/ofd",
        }
    }

    pub fn extension(self) -> &'static str {
        self.code()
    }

    /// The type of a file from its first bytes (never its name): PDF,
    /// JPEG, PNG, Word and Excel (OOXML), OFD (a zip holding `OFD.xml`).
    pub fn sniff(head: &[u8]) -> Option<DocType> {
        let kind = infer::get(head)?;
        match kind.mime_type() {
            "application/pdf" => Some(DocType::Pdf),
            "image/jpeg" => Some(DocType::Jpeg),
            "image/png" => Some(DocType::Png),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => {
                Some(DocType::Docx)
            }
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => {
                Some(DocType::Xlsx)
            }
            "application/zip" if head.windows(7).any(|w| w == b"OFD.xml") => Some(DocType::Ofd),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ChoiceSpec {
    #[schema(max_length = 100)]
    pub value: String,
    #[schema(max_length = 200)]
    pub zh: String,
    #[schema(max_length = 200)]
    pub en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FieldSpec {
    /// The answer's name (`purpose`): lower-case letters, digits, `_`.
    #[schema(max_length = 40)]
    pub key: String,
    #[schema(schema_with = FieldKind::openapi)]
    pub kind: String,
    pub required: bool,
    #[schema(max_length = 200)]
    pub label_zh: String,
    #[schema(max_length = 200)]
    pub label_en: String,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub help_zh: String,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub help_en: String,
    #[serde(default)]
    #[schema(max_items = 30)]
    pub choices: Vec<ChoiceSpec>,
}

impl FieldSpec {
    pub fn kind(&self) -> FieldKind {
        FieldKind::parse(&self.kind).unwrap_or(FieldKind::Text)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DocSpec {
    #[schema(max_length = 40)]
    pub key: String,
    #[schema(max_length = 200)]
    pub label_zh: String,
    #[schema(max_length = 200)]
    pub label_en: String,
    pub mandatory: bool,
    /// Accepted types: pdf, jpeg, png, docx, xlsx, ofd.
    #[schema(max_items = 6)]
    pub types: Vec<String>,
}

impl DocSpec {
    pub fn accepts(&self, t: DocType) -> bool {
        self.types.iter().any(|c| c == t.code())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StepSla {
    /// A status of the service's flow (submitted, review, filed…).
    #[schema(max_length = 40)]
    pub status: String,
    /// Working days, 1–250.
    pub sla_days: i64,
}

/// One version of a service's form, checklist and step SLAs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, utoipa::ToSchema)]
pub struct FormSpec {
    #[serde(default)]
    #[schema(max_items = 40)]
    pub fields: Vec<FieldSpec>,
    #[serde(default)]
    #[schema(max_items = 20)]
    pub documents: Vec<DocSpec>,
    #[serde(default)]
    #[schema(max_items = 16)]
    pub steps: Vec<StepSla>,
    /// Whether requests list goods (item lines).
    #[serde(default)]
    pub items: bool,
}

fn key_ok(k: &str) -> bool {
    !k.is_empty()
        && k.len() <= 40
        && k.starts_with(|c: char| c.is_ascii_lowercase())
        && k.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl FormSpec {
    /// The SLA of a step on this form, in working days.
    pub fn sla(&self, status: Status) -> Option<i64> {
        self.steps.iter().find(|s| s.status == status.code()).map(|s| s.sla_days)
    }

    /// Checks a spec as an admin wrote it: every field named once with a
    /// key, both labels and a kind; choice fields with choices; documents
    /// with at least one type; SLAs on steps of the service's flow, 1–250.
    pub fn check(&self, flow: Flow) -> Result<(), Vec<FieldError>> {
        let mut e = vec![];
        if self.fields.len() > MAX_FIELDS {
            e.push(FieldError::new("fields", "field-too-many").with("max", MAX_FIELDS));
        }
        if self.documents.len() > MAX_DOCUMENTS {
            e.push(FieldError::new("documents", "field-too-many").with("max", MAX_DOCUMENTS));
        }
        let mut seen = std::collections::HashSet::new();
        for (i, f) in self.fields.iter().enumerate().take(MAX_FIELDS) {
            let at = |x: &str| format!("fields.{i}.{x}");
            if !key_ok(&f.key) {
                e.push(FieldError::new(at("key"), "form-key-invalid"));
            } else if !seen.insert(f.key.clone()) {
                e.push(FieldError::new(at("key"), "form-key-repeated"));
            }
            if FieldKind::exact(&f.kind).is_none() {
                e.push(FieldError::new(at("kind"), "field-invalid-choice"));
            }
            required_text(&mut e, &at("label_zh"), &f.label_zh, 200);
            required_text(&mut e, &at("label_en"), &f.label_en, 200);
            text(&mut e, &at("help_zh"), &f.help_zh, 500);
            text(&mut e, &at("help_en"), &f.help_en, 500);
            if f.kind() == FieldKind::Choice && f.choices.is_empty() {
                e.push(FieldError::new(at("choices"), "form-choices-needed"));
            }
            if f.choices.len() > MAX_CHOICES {
                e.push(FieldError::new(at("choices"), "field-too-many").with("max", MAX_CHOICES));
            }
            for c in &f.choices {
                if c.value.is_empty()
                    || c.value.chars().count() > 100
                    || c.zh.chars().count() > 200
                    || c.en.chars().count() > 200
                    || c.zh.trim().is_empty()
                    || c.en.trim().is_empty()
                {
                    e.push(FieldError::new(at("choices"), "form-choice-invalid"));
                    break;
                }
            }
        }
        let mut seen = std::collections::HashSet::new();
        for (i, d) in self.documents.iter().enumerate().take(MAX_DOCUMENTS) {
            let at = |x: &str| format!("documents.{i}.{x}");
            if !key_ok(&d.key) {
                e.push(FieldError::new(at("key"), "form-key-invalid"));
            } else if !seen.insert(d.key.clone()) {
                e.push(FieldError::new(at("key"), "form-key-repeated"));
            }
            required_text(&mut e, &at("label_zh"), &d.label_zh, 200);
            required_text(&mut e, &at("label_en"), &d.label_en, 200);
            if d.types.is_empty() || d.types.iter().any(|t| DocType::exact(t).is_none()) {
                e.push(FieldError::new(at("types"), "form-doc-types"));
            }
        }
        if self.steps.len() > 16 {
            e.push(FieldError::new("steps", "field-too-many").with("max", 16));
        }
        let mut seen = std::collections::HashSet::new();
        for (i, s) in self.steps.iter().enumerate().take(16) {
            let on_flow = Status::exact(&s.status).is_some_and(|st| {
                Status::ALL
                    .iter()
                    .any(|from| from.moves(flow).iter().any(|m| m.to(flow, *from) == Some(st)))
            });
            if !on_flow
                || matches!(
                    Status::exact(&s.status),
                    Some(Status::Closed | Status::Withdrawn | Status::Supplement)
                )
            {
                e.push(FieldError::new(format!("steps.{i}.status"), "field-invalid-choice"));
            } else if !seen.insert(s.status.clone()) {
                e.push(FieldError::new(format!("steps.{i}.status"), "form-key-repeated"));
            }
            if !(1..=MAX_SLA_DAYS).contains(&s.sla_days) {
                e.push(
                    FieldError::new(format!("steps.{i}.sla_days"), "field-out-of-range")
                        .with("min", 1)
                        .with("max", MAX_SLA_DAYS),
                );
            }
        }
        if e.is_empty() { Ok(()) } else { Err(e) }
    }

    /// Checks a request's answers: each known field by its kind, required
    /// ones present; unknown keys refused. Errors name `values.<key>`.
    pub fn answers(
        &self,
        given: &BTreeMap<String, String>,
    ) -> Result<BTreeMap<String, String>, Vec<FieldError>> {
        let mut e = vec![];
        let mut out = BTreeMap::new();
        for k in given.keys() {
            if !self.fields.iter().any(|f| &f.key == k) {
                e.push(FieldError::new(
                    format!("values.{}", k.chars().take(40).collect::<String>()),
                    "form-unknown-field",
                ));
            }
        }
        for f in &self.fields {
            let field = format!("values.{}", f.key);
            let v = text(
                &mut e,
                &field,
                given.get(&f.key).map(String::as_str).unwrap_or(""),
                MAX_ANSWER,
            );
            if v.is_empty() {
                if f.required {
                    e.push(FieldError::new(field, "field-required"));
                }
                continue;
            }
            let ok = match f.kind() {
                FieldKind::Text => v.chars().count() <= 200 && !v.contains('\n'),
                FieldKind::Textarea => true,
                FieldKind::Number => v.parse::<f64>().is_ok_and(|n| n.is_finite()),
                FieldKind::Date => crate::time::parse_day(&field, &v, false).is_ok(),
                FieldKind::Choice => f.choices.iter().any(|c| c.value == v),
                FieldKind::YesNo => v == "yes" || v == "no",
            };
            if !ok {
                e.push(FieldError::new(
                    field,
                    format!("form-invalid-{}", f.kind().code().replace('_', "-")),
                ));
                continue;
            }
            out.insert(f.key.clone(), v);
        }
        if e.is_empty() { Ok(out) } else { Err(e) }
    }

    /// The mandatory documents not among `have` (checklist keys).
    pub fn missing<'a>(&'a self, have: &[String]) -> Vec<&'a DocSpec> {
        self.documents.iter().filter(|d| d.mandatory && !have.contains(&d.key)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> FormSpec {
        serde_json::from_value(serde_json::json!({
            "fields": [
                {"key": "purpose", "kind": "textarea", "required": true, "label_zh": "用途", "label_en": "Purpose"},
                {"key": "project", "kind": "text", "required": false, "label_zh": "项目", "label_en": "Project"},
                {"key": "arrival", "kind": "date", "required": false, "label_zh": "预计到货", "label_en": "Expected arrival"},
                {"key": "mode", "kind": "choice", "required": true, "label_zh": "运输方式", "label_en": "Mode",
                 "choices": [{"value": "air", "zh": "空运", "en": "Air"}, {"value": "sea", "zh": "海运", "en": "Sea"}]},
                {"key": "value", "kind": "number", "required": false, "label_zh": "货值", "label_en": "Value"}
            ],
            "documents": [
                {"key": "license", "label_zh": "营业执照", "label_en": "Business licence", "mandatory": true, "types": ["pdf", "jpeg"]},
                {"key": "msds", "label_zh": "安全数据单", "label_en": "Safety data sheet", "mandatory": false, "types": ["pdf"]}
            ],
            "steps": [{"status": "review", "sla_days": 3}, {"status": "filed", "sla_days": 20}],
            "items": true
        }))
        .unwrap()
    }

    #[test]
    fn answers_are_checked_by_kind_and_required_ones_named() {
        let s = spec();
        assert_eq!(s.check(Flow::Goods), Ok(()));
        let ok: BTreeMap<String, String> =
            [("purpose", " R&D of an antibody "), ("mode", "air"), ("value", "1200.5")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
        let got = s.answers(&ok).unwrap();
        assert_eq!(got["purpose"], "R&D of an antibody");
        let bad: BTreeMap<String, String> =
            [("mode", "rail"), ("arrival", "31/12/2026"), ("value", "NaN"), ("colour", "red")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
        let fields: Vec<String> = s
            .answers(&bad)
            .unwrap_err()
            .into_iter()
            .map(|e| format!("{} {}", e.field, e.key))
            .collect();
        assert_eq!(
            fields,
            [
                "values.colour form-unknown-field",
                "values.purpose field-required",
                "values.arrival form-invalid-date",
                "values.mode form-invalid-choice",
                "values.value form-invalid-number"
            ]
        );
    }

    #[test]
    fn a_documents_type_is_read_from_its_content() {
        assert_eq!(DocType::sniff(b"%PDF-1.7\n%\xe2\xe3"), Some(DocType::Pdf));
        assert_eq!(DocType::sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some(DocType::Png));
        assert_eq!(DocType::sniff(b"\xff\xd8\xff\xe0\0\x10JFIF\0"), Some(DocType::Jpeg));
        // A script named report.pdf is still a script.
        assert_eq!(DocType::sniff(b"#!/bin/sh\nrm -rf /\n"), None);
        assert_eq!(DocType::sniff(b"<html><script>alert(1)</script>"), None);
        assert_eq!(DocType::sniff(b"MZ\x90\0\x03\0\0\0"), None, "a Windows program");
    }

    #[test]
    fn a_spec_with_holes_is_refused_row_by_row() {
        let mut s = spec();
        s.fields[1].key = "purpose".into();
        s.fields[3].choices.clear();
        s.documents[0].types = vec!["exe".into()];
        s.steps.push(StepSla { status: "shipment_booked".into(), sla_days: 0 });
        let e: Vec<String> =
            s.check(Flow::Approval).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(
            e,
            [
                "fields.1.key",
                "fields.3.choices",
                "documents.0.types",
                "steps.2.status",
                "steps.2.sla_days"
            ]
        );
        assert_eq!(s.sla(Status::Review), Some(3));
        assert_eq!(
            s.missing(&["msds".into()]).iter().map(|d| d.key.as_str()).collect::<Vec<_>>(),
            ["license"]
        );
    }
}
