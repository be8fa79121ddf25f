//! Events: vocabularies, the lifecycle, the registration form and its
//! answers, ticket codes, and the waiting-list rule that understands groups.
//! No I/O.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::codes;
use crate::error::FieldError;
use crate::i18n::Bilingual;

codes!(
    pub enum EventKind, "event-kind" {
        InternationalPromotion = "international_promotion",
        HkMacaoPromotion = "hk_macao_promotion",
        Exchange = "exchange",
        Salon = "salon",
        Training = "training",
        Matchmaking = "matchmaking",
        IndustryExchange = "industry_exchange",
        ThematicActivity = "thematic_activity",
    }
);

codes!(
    pub enum Visibility, "event-visibility" {
        Public = "public",
        Invitation = "invitation",
        Internal = "internal",
    }
);

codes!(
    pub enum EventStatus, "event-status" {
        Planned = "planned",
        RegistrationOpen = "registration_open",
        Held = "held",
        Reported = "reported",
        Cancelled = "cancelled",
    }
);

impl EventStatus {
    pub fn next(self) -> &'static [EventStatus] {
        use EventStatus::*;
        match self {
            Planned => &[RegistrationOpen, Held, Cancelled],
            RegistrationOpen => &[Planned, Held, Cancelled],
            Held => &[Reported],
            Reported | Cancelled => &[],
        }
    }

    pub fn can_become(self, to: EventStatus) -> bool {
        self.next().contains(&to)
    }
}

codes!(
    pub enum RegStatus, "registration-status" {
        Confirmed = "confirmed",
        Waitlisted = "waitlisted",
        Pending = "pending",
        Cancelled = "cancelled",
        Rejected = "rejected",
        Expired = "expired",
    }
);

impl RegStatus {
    /// Confirmed and pending registrations hold seats.
    pub fn holds_seats(self) -> bool {
        matches!(self, RegStatus::Confirmed | RegStatus::Pending)
    }

    pub fn is_live(self) -> bool {
        matches!(self, RegStatus::Confirmed | RegStatus::Pending | RegStatus::Waitlisted)
    }
}

codes!(
    /// How freed seats go to the waiting list.
    pub enum WaitlistPolicy, "waitlist-policy" {
        /// In order; a group that does not fit stops the line (nobody jumps it).
        Strict = "strict",
        /// In order, but any entry that fits is promoted (small groups may pass a big one).
        FirstFit = "first_fit",
    }
);

/// A waiting entry as the promotion rule sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    /// Seats per ticket category.
    pub seats: BTreeMap<String, i64>,
}

impl Waiting {
    pub fn total(&self) -> i64 {
        self.seats.values().sum()
    }
}

/// Which waiting entries (indexes, in line order) get the freed seats.
/// `free` is the event's free seats; `category_free` the free seats of each
/// category with a quota (absent: no quota of its own).
pub fn promote(
    policy: WaitlistPolicy,
    mut free: i64,
    category_free: &BTreeMap<String, i64>,
    line: &[Waiting],
) -> Vec<usize> {
    let mut cat = category_free.clone();
    let mut out = vec![];
    for (i, w) in line.iter().enumerate() {
        let fits = w.total() <= free
            && w.seats.iter().all(|(c, n)| cat.get(c).is_none_or(|left| n <= left));
        if fits {
            free -= w.total();
            for (c, n) in &w.seats {
                if let Some(left) = cat.get_mut(c) {
                    *left -= n;
                }
            }
            out.push(i);
        } else if policy == WaitlistPolicy::Strict {
            break;
        }
        if free == 0 {
            break;
        }
    }
    out
}

codes!(
    pub enum QuestionKind, "question-kind" {
        Text = "text",
        Choice = "choice",
        Multiple = "multiple",
        YesNo = "yes_no",
        Country = "country",
        Language = "language",
    }
);

/// One choice of a choice question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Choice {
    pub code: String,
    pub label_zh: String,
    pub label_en: String,
}

/// A question of an event's registration form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Question {
    /// Short id, the key of the answer (`company`, `diet`…).
    pub id: String,
    /// text, choice, multiple, yes_no, country, language.
    pub kind: String,
    pub label_zh: String,
    pub label_en: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub choices: Vec<Choice>,
}

impl Question {
    pub fn label(&self) -> Bilingual {
        Bilingual::new(self.label_zh.clone(), self.label_en.clone())
    }
}

/// Checks a form as built by staff.
pub fn check_form(form: &[Question]) -> Vec<FieldError> {
    let mut errors = vec![];
    let mut seen = vec![];
    for (i, q) in form.iter().enumerate() {
        let field = format!("form[{i}]");
        let id_ok = !q.id.is_empty()
            && q.id.len() <= 40
            && q.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !id_ok || seen.contains(&q.id) {
            errors.push(FieldError::new(format!("{field}.id"), "event-question-id"));
        }
        seen.push(q.id.clone());
        let kind = QuestionKind::parse(&q.kind);
        if kind.is_none() {
            errors.push(FieldError::new(format!("{field}.kind"), "field-invalid-choice"));
        }
        if q.label_zh.trim().is_empty() || q.label_en.trim().is_empty() {
            errors.push(FieldError::new(format!("{field}.label"), "field-required"));
        }
        if matches!(kind, Some(QuestionKind::Choice | QuestionKind::Multiple))
            && q.choices.is_empty()
        {
            errors.push(FieldError::new(format!("{field}.choices"), "field-required"));
        }
    }
    if form.len() > 30 {
        errors.push(FieldError::new("form", "field-too-long"));
    }
    errors
}

/// Checks answers against the form; returns them normalised (only known
/// questions, strings or lists of strings).
pub fn check_answers(
    form: &[Question],
    answers: &serde_json::Map<String, serde_json::Value>,
) -> Result<serde_json::Map<String, serde_json::Value>, Vec<FieldError>> {
    use serde_json::Value;
    let mut out = serde_json::Map::new();
    let mut errors = vec![];
    for q in form {
        let field = format!("answers.{}", q.id);
        let v = answers.get(&q.id).cloned().unwrap_or(Value::Null);
        let empty = match &v {
            Value::Null => true,
            Value::String(s) => s.trim().is_empty(),
            Value::Array(a) => a.is_empty(),
            _ => false,
        };
        if empty {
            if q.required {
                errors.push(FieldError::new(field, "field-required"));
            }
            continue;
        }
        let one = |v: &Value| v.as_str().map(|s| s.trim().to_string());
        let codes = |q: &Question| q.choices.iter().map(|c| c.code.clone()).collect::<Vec<_>>();
        let ok: Option<Value> = match QuestionKind::parse(&q.kind) {
            Some(QuestionKind::Text) => {
                one(&v).filter(|s| s.chars().count() <= 2000).map(Value::String)
            }
            Some(QuestionKind::Choice) => {
                one(&v).filter(|s| codes(q).contains(s)).map(Value::String)
            }
            Some(QuestionKind::Multiple) => {
                let list: Option<Vec<String>> = match &v {
                    Value::Array(a) => a.iter().map(one).collect(),
                    Value::String(s) => Some(vec![s.trim().to_string()]),
                    _ => None,
                };
                list.filter(|l| l.iter().all(|s| codes(q).contains(s)))
                    .map(|l| Value::Array(l.into_iter().map(Value::String).collect()))
            }
            Some(QuestionKind::YesNo) => match &v {
                Value::Bool(b) => Some(Value::Bool(*b)),
                Value::String(s) if matches!(s.as_str(), "yes" | "true" | "1") => {
                    Some(Value::Bool(true))
                }
                Value::String(s) if matches!(s.as_str(), "no" | "false" | "0") => {
                    Some(Value::Bool(false))
                }
                _ => None,
            },
            Some(QuestionKind::Country) => one(&v)
                .and_then(|s| crate::reference::countries::country(&s))
                .map(|c| Value::String(c.code.to_string())),
            Some(QuestionKind::Language) => one(&v)
                .and_then(|s| crate::reference::languages::language_tag(&s))
                .map(Value::String),
            None => None,
        };
        match ok {
            Some(v) => {
                out.insert(q.id.clone(), v);
            }
            None => errors.push(FieldError::new(field, "field-invalid")),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn w(pairs: &[(&str, i64)]) -> Waiting {
        Waiting { seats: pairs.iter().map(|(c, n)| (c.to_string(), *n)).collect() }
    }

    #[test]
    fn strict_order_never_lets_a_small_group_jump_the_line() {
        let line = [w(&[("g", 3)]), w(&[("g", 1)]), w(&[("g", 1)])];
        assert_eq!(
            promote(WaitlistPolicy::Strict, 2, &BTreeMap::new(), &line),
            Vec::<usize>::new()
        );
        assert_eq!(promote(WaitlistPolicy::FirstFit, 2, &BTreeMap::new(), &line), vec![1, 2]);
        assert_eq!(promote(WaitlistPolicy::Strict, 4, &BTreeMap::new(), &line), vec![0, 1]);
    }

    #[test]
    fn category_quotas_bound_promotion() {
        let quotas: BTreeMap<String, i64> = [("media".to_string(), 1)].into();
        let line = [w(&[("media", 2)]), w(&[("media", 1)]), w(&[("guest", 2)])];
        assert_eq!(promote(WaitlistPolicy::FirstFit, 10, &quotas, &line), vec![1, 2]);
        assert_eq!(promote(WaitlistPolicy::Strict, 10, &quotas, &line), Vec::<usize>::new());
    }

    #[test]
    fn lifecycle() {
        use EventStatus::*;
        assert!(Planned.can_become(RegistrationOpen));
        assert!(RegistrationOpen.can_become(Held));
        assert!(Held.can_become(Reported));
        assert!(!Reported.can_become(Cancelled));
        assert!(!Held.can_become(RegistrationOpen));
    }

    #[test]
    fn answers_follow_the_form() {
        let form: Vec<Question> = serde_json::from_value(serde_json::json!([
            {"id": "company", "kind": "text", "label_zh": "单位", "label_en": "Company", "required": true},
            {"id": "track", "kind": "choice", "label_zh": "分会场", "label_en": "Track",
             "choices": [{"code": "a", "label_zh": "甲", "label_en": "A"}]},
            {"id": "lunch", "kind": "yes_no", "label_zh": "午餐", "label_en": "Lunch"},
            {"id": "from", "kind": "country", "label_zh": "国家", "label_en": "Country"},
            {"id": "topics", "kind": "multiple", "label_zh": "议题", "label_en": "Topics",
             "choices": [{"code": "x", "label_zh": "X", "label_en": "X"}, {"code": "y", "label_zh": "Y", "label_en": "Y"}]}
        ]))
        .unwrap();
        assert!(check_form(&form).is_empty());
        let ok = serde_json::json!({"company": " ACME ", "track": "a", "lunch": "yes", "from": "hk", "topics": ["x", "y"], "extra": 1});
        let out = check_answers(&form, ok.as_object().unwrap()).unwrap();
        assert_eq!(out["company"], "ACME");
        assert_eq!(out["from"], "HK");
        assert_eq!(out["lunch"], true);
        assert!(!out.contains_key("extra"));
        let bad = serde_json::json!({"track": "z", "from": "XX", "topics": ["q"]});
        let errs = check_answers(&form, bad.as_object().unwrap()).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["answers.company", "answers.track", "answers.from", "answers.topics"]);
    }

    proptest! {
        #[test]
        fn promotion_never_overfills(
            free in 0i64..20,
            quota in proptest::option::of(0i64..10),
            line in proptest::collection::vec((1i64..6, proptest::bool::ANY), 0..12),
            strict in proptest::bool::ANY,
        ) {
            let waiting: Vec<Waiting> = line
                .iter()
                .map(|(n, media)| w(&[(if *media { "media" } else { "guest" }, *n)]))
                .collect();
            let quotas: BTreeMap<String, i64> = quota.map(|q| ("media".to_string(), q)).into_iter().collect();
            let policy = if strict { WaitlistPolicy::Strict } else { WaitlistPolicy::FirstFit };
            let chosen = promote(policy, free, &quotas, &waiting);
            let seats: i64 = chosen.iter().map(|i| waiting[*i].total()).sum();
            prop_assert!(seats <= free);
            if let Some(q) = quota {
                let media: i64 = chosen.iter().map(|i| waiting[*i].seats.get("media").copied().unwrap_or(0)).sum();
                prop_assert!(media <= q);
            }
            prop_assert!(chosen.windows(2).all(|p| p[0] < p[1]));
            if strict {
                // A prefix of the line.
                prop_assert!(chosen.iter().enumerate().all(|(k, i)| k == *i));
            }
        }
    }
}
