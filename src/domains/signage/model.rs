//! Signs: their classes (DB5101/T 211), sizes, the path from a draft to an
//! audited sign on the wall, and what a sign's texts must be. No I/O.

use crate::codes;
use crate::error::FieldError;

codes!(
    pub enum SignClass, "sign-class" {
        /// 功能设施: names a function or facility ("Reception 接待处").
        Function = "function",
        /// 警示警告: "Caution: wet floor".
        Warning = "warning",
        /// 限令禁止: "No smoking".
        Prohibition = "prohibition",
        /// 指示指令: directions and instructions.
        Direction = "direction",
        /// 说明提示: information.
        Information = "information",
    }
);

codes!(
    pub enum SignSize, "sign-size" {
        A4 = "a4",
        A3 = "a3",
        /// A door plate (200 × 80 mm).
        Door = "door",
    }
);

codes!(
    pub enum SignStatus, "sign-status" {
        Draft = "draft",
        /// The English is written.
        Translated = "translated",
        /// A translator checked it against the standard and the glossary.
        Reviewed = "reviewed",
        /// On the wall.
        Installed = "installed",
        /// Found right on the audit walk.
        Audited = "audited",
        /// Found wrong on the audit walk (with the finding).
        NeedsFix = "needs_fix",
    }
);

codes!(
    pub enum SignStep, "sign-step" {
        Translate = "translate",
        Review = "review",
        Install = "install",
        /// The audit walk's tick.
        Pass = "pass",
        /// The audit walk's flag (a finding is required).
        Flag = "flag",
        /// Back to the draft (after a finding, or to rewrite).
        Redraft = "redraft",
    }
);

impl SignStep {
    /// The status this step leads to from `from`, if it may be taken there.
    pub fn from(self, from: SignStatus) -> Option<SignStatus> {
        use SignStatus::*;
        match (self, from) {
            (SignStep::Translate, Draft) => Some(Translated),
            (SignStep::Review, Translated) => Some(Reviewed),
            (SignStep::Install, Reviewed) => Some(Installed),
            (SignStep::Pass, Installed | Audited | NeedsFix) => Some(Audited),
            (SignStep::Flag, Installed | Audited | NeedsFix) => Some(NeedsFix),
            (SignStep::Redraft, Translated | Reviewed | NeedsFix) => Some(Draft),
            _ => None,
        }
    }

    /// Only a translator (`Perm::ManageGlossary`) reviews.
    pub fn needs_translator(self) -> bool {
        self == SignStep::Review
    }
}

impl SignStatus {
    pub fn steps(self) -> Vec<SignStep> {
        SignStep::ALL.iter().copied().filter(|s| s.from(self).is_some()).collect()
    }

    /// The texts may change only before review (a reviewed or installed
    /// sign is redrafted first: its wording is what was checked).
    pub fn editable(self) -> bool {
        matches!(self, SignStatus::Draft | SignStatus::Translated)
    }
}

/// A sign's text, per language, in characters.
pub const MAX_SIGN_TEXT: usize = 200;
/// Floor, in characters.
pub const MAX_FLOOR: usize = 20;
/// Standard reference and finding, in characters.
pub const MAX_NOTE: usize = 1000;

/// A sign as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInput {
    pub zone_id: Option<String>,
    pub room_id: Option<String>,
    pub floor: String,
    pub class: SignClass,
    pub size: SignSize,
    pub text_zh: String,
    pub text_en: String,
    pub standard_ref: String,
}

fn short(e: &mut Vec<FieldError>, field: &str, v: &str, max: usize) -> String {
    if v.chars().count() > max {
        e.push(FieldError::new(field, "field-too-long"));
    } else if v.chars().any(|c| c.is_control() && c != '\n') {
        e.push(FieldError::new(field, "field-invalid"));
    }
    v.trim().to_string()
}

fn id(e: &mut Vec<FieldError>, field: &str, v: &str) -> Option<String> {
    let v = v.trim();
    if v.is_empty() {
        return None;
    }
    if v.len() > 64 || !v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        e.push(FieldError::new(field, "field-invalid-choice"));
    }
    Some(v.to_string())
}

impl SignInput {
    /// All field errors at once; the Chinese is required (Chinese first),
    /// the English may wait for the translator.
    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        zone_id: &str,
        room_id: &str,
        floor: &str,
        class: &str,
        size: &str,
        text_zh: &str,
        text_en: &str,
        standard_ref: &str,
    ) -> Result<SignInput, Vec<FieldError>> {
        let mut e = vec![];
        let zone_id = id(&mut e, "zone_id", zone_id);
        let room_id = id(&mut e, "room_id", room_id);
        let floor = short(&mut e, "floor", floor, MAX_FLOOR);
        let class = SignClass::exact(class);
        if class.is_none() {
            e.push(FieldError::new("class", "field-invalid-choice"));
        }
        let size = SignSize::exact(size);
        if size.is_none() {
            e.push(FieldError::new("size", "field-invalid-choice"));
        }
        let text_zh = short(&mut e, "text_zh", text_zh, MAX_SIGN_TEXT);
        if text_zh.is_empty() && !e.iter().any(|f| f.field == "text_zh") {
            e.push(FieldError::new("text_zh", "field-required"));
        }
        let text_en = short(&mut e, "text_en", text_en, MAX_SIGN_TEXT);
        let standard_ref = short(&mut e, "standard_ref", standard_ref, MAX_NOTE);
        match (class, size) {
            (Some(class), Some(size)) if e.is_empty() => Ok(SignInput {
                zone_id,
                room_id,
                floor,
                class,
                size,
                text_zh,
                text_en,
                standard_ref,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sign_goes_from_draft_to_the_wall_and_the_audit_walk() {
        use SignStatus::*;
        assert_eq!(SignStep::Translate.from(Draft), Some(Translated));
        assert_eq!(SignStep::Review.from(Translated), Some(Reviewed));
        assert_eq!(SignStep::Install.from(Reviewed), Some(Installed));
        assert_eq!(SignStep::Pass.from(Installed), Some(Audited));
        assert_eq!(SignStep::Flag.from(Audited), Some(NeedsFix));
        assert_eq!(SignStep::Redraft.from(NeedsFix), Some(Draft));
        // No installing what nobody reviewed, no audit of a draft.
        assert_eq!(SignStep::Install.from(Translated), None);
        assert_eq!(SignStep::Pass.from(Draft), None);
        assert_eq!(Installed.steps(), vec![SignStep::Pass, SignStep::Flag]);
        assert!(Draft.editable() && !Reviewed.editable() && !Installed.editable());
    }

    #[test]
    fn a_sign_needs_its_chinese_a_class_and_a_size() {
        let ok = SignInput::parse(
            "",
            "",
            "3F",
            "prohibition",
            "a4",
            " 禁止吸烟 ",
            "No Smoking",
            "DB5101/T 211—2025",
        )
        .unwrap();
        assert_eq!(
            (ok.text_zh.as_str(), ok.class, ok.size),
            ("禁止吸烟", SignClass::Prohibition, SignSize::A4)
        );
        let bad =
            SignInput::parse("'x", "", &"9".repeat(21), "nope", "a5", "", "", "").unwrap_err();
        let fields: Vec<&str> = bad.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["zone_id", "floor", "class", "size", "text_zh"]);
    }
}
