//! The glossary's terms and the checker: which English renderings of the
//! center's official terms a bilingual text must use, and where it strays.
//! No I/O: the checker is built from terms and run on (Chinese, English)
//! pairs, in one pass over each side (`aho-corasick`, however many terms).

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::codes;
use crate::error::FieldError;

codes!(
    pub enum TermStatus, "glossary-status" {
        /// Checked: texts must use it.
        Approved = "approved",
        /// Suggested, not yet enforced.
        Proposed = "proposed",
        /// An old rendering: English using it is told the approved one.
        Deprecated = "deprecated",
    }
);

codes!(
    pub enum FindingKind, "glossary-finding" {
        /// The English uses a forbidden variant of a term.
        Forbidden = "forbidden",
        /// The English has the term in a case that is not the approved one.
        Case = "case",
        /// The Chinese names the term; the English lacks its rendering.
        Missing = "missing",
    }
);

codes!(
    pub enum FindingStatus, "glossary-finding-status" {
        Open = "open",
        /// Fixed by the one-click fix (an edit by hand makes it disappear
        /// at the next check instead).
        Fixed = "fixed",
        /// Judged right as written (a quotation, a name of another body):
        /// the same finding in the same text is not raised again.
        Dismissed = "dismissed",
    }
);

/// Longest term on either side, in characters.
pub const MAX_TERM_CHARS: usize = 200;
/// Forbidden variants one term may list.
pub const MAX_VARIANTS: usize = 20;
/// Source and notes, in characters.
pub const MAX_NOTE_CHARS: usize = 2000;

/// A term as the checker needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub id: String,
    pub zh: String,
    pub en: String,
    pub status: TermStatus,
    /// English forms never to be used for it ("Chengdu Medical city").
    pub variants: Vec<String>,
}

/// A validated term as typed (trimmed, variants one per line, de-duplicated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermInput {
    pub zh: String,
    pub en: String,
    pub status: TermStatus,
    pub variants: Vec<String>,
    pub source: String,
    pub notes: String,
}

impl TermInput {
    /// All field errors at once. Lengths are counted on the text as sent
    /// (the API document's limits), then it is trimmed; `variants` are
    /// de-duplicated, blank ones dropped.
    pub fn parse(
        zh: &str,
        en: &str,
        status: TermStatus,
        variants: &[String],
        source: &str,
        notes: &str,
    ) -> Result<TermInput, Vec<FieldError>> {
        let mut errors = vec![];
        for (field, text) in [("zh", zh), ("en", en)] {
            if text.chars().count() > MAX_TERM_CHARS {
                errors.push(FieldError::new(field, "field-too-long"));
            } else if text.trim().is_empty() {
                errors.push(FieldError::new(field, "field-required"));
            } else if text.chars().any(char::is_control) {
                errors.push(FieldError::new(field, "field-invalid"));
            }
        }
        let (zh, en) = (zh.trim(), en.trim());
        let mut list: Vec<String> = vec![];
        if variants.len() > MAX_VARIANTS {
            errors.push(
                FieldError::new("variants", "glossary-variants-too-many").with("max", MAX_VARIANTS),
            );
        }
        for v in variants.iter().take(MAX_VARIANTS + 1) {
            if v.chars().count() > MAX_TERM_CHARS || v.chars().any(char::is_control) {
                errors.push(FieldError::new("variants", "field-invalid"));
                break;
            }
            let v = v.trim();
            // A variant inside the approved English would flag every right
            // text (and its fix would repeat words).
            if !v.is_empty() && !en.is_empty() && en.contains(v) {
                errors.push(FieldError::new("variants", "glossary-variant-is-term"));
                break;
            }
            if !v.is_empty() && !list.iter().any(|l| l == v) {
                list.push(v.to_string());
            }
        }
        for (field, text) in [("source", source), ("notes", notes)] {
            if text.chars().count() > MAX_NOTE_CHARS {
                errors.push(FieldError::new(field, "field-too-long"));
            } else if text.contains('\0') {
                errors.push(FieldError::new(field, "field-invalid"));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(TermInput {
            zh: zh.to_string(),
            en: en.to_string(),
            status,
            variants: list,
            source: source.trim().to_string(),
            notes: notes.trim().to_string(),
        })
    }
}

/// Variants as typed in a text area: one per line.
pub fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

/// What the checker found in one text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: FindingKind,
    pub term_id: String,
    /// The term's Chinese and its approved English.
    pub zh: String,
    pub expected: String,
    /// The English as found (empty for `Missing`).
    pub found: String,
    /// Where `found` is in the English, in bytes (none for `Missing`).
    pub at: Option<Range<usize>>,
}

impl Finding {
    /// The English with this finding fixed, if the fix is a replacement
    /// (`Missing` has none: where the rendering belongs is a translator's
    /// call). `None` too if the text no longer holds `found` there.
    pub fn fix(&self, en: &str) -> Option<String> {
        let at = self.at.clone()?;
        if en.get(at.clone())? != self.found {
            return None;
        }
        let mut out = String::with_capacity(en.len() + self.expected.len());
        out.push_str(&en[..at.start]);
        out.push_str(&styled_like(&self.expected, &self.found));
        out.push_str(&en[at.end..]);
        Some(out)
    }
}

/// `expected`, capitalised when the found text began a sentence or title
/// with a capital the approved form does not have.
fn styled_like(expected: &str, found: &str) -> String {
    let starts_upper = found.chars().next().is_some_and(char::is_uppercase);
    let mut chars = expected.chars();
    match chars.next() {
        Some(first) if starts_upper && first.is_lowercase() => {
            first.to_uppercase().chain(chars).collect()
        }
        _ => expected.to_string(),
    }
}

/// The checker: built once from a glossary, run on any number of texts.
pub struct Checker {
    /// Approved terms only; the automata's pattern ids index into it.
    terms: Vec<Term>,
    zh: Option<AhoCorasick>,
    zh_of: Vec<usize>,
    en: Option<AhoCorasick>,
    en_of: Vec<usize>,
    bad: Option<AhoCorasick>,
    /// Per forbidden pattern: the term it stands for.
    bad_of: Vec<usize>,
}

/// Full-width brackets and spaces read as their ASCII forms in Chinese, so
/// 三医创新中心（三期） is the term 三医创新中心(三期).
fn fold_zh(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '\u{3000}' => ' ',
            c => c,
        })
        .collect()
}

fn build(patterns: &[String], case_insensitive: bool) -> Option<AhoCorasick> {
    if patterns.is_empty() {
        return None;
    }
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .ascii_case_insensitive(case_insensitive)
        .build(patterns)
        .ok()
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

/// The match stands alone: no letter or digit touches it on either side.
fn whole_word(text: &str, at: &Range<usize>) -> bool {
    let before = text[..at.start].chars().next_back();
    let after = text[at.end..].chars().next();
    !before.is_some_and(is_word) && !after.is_some_and(is_word)
}

/// The approved form, or it in capitals (a sign), or with first letters
/// raised at a sentence start or in a title ("City Promotion Hall",
/// "Exhibition Hall of the …"). A capital of the approved form is never
/// lowered ("Chengdu Medical city"), and only first letters are raised
/// ("Tri-Medical" is not "Tri-medical").
fn acceptable_case(found: &str, approved: &str) -> bool {
    if found == approved || found == approved.to_uppercase() {
        return true;
    }
    let (f, a): (Vec<&str>, Vec<&str>) =
        (found.split(' ').collect(), approved.split(' ').collect());
    if f.len() != a.len()
        || !f.iter().zip(&a).all(|(fw, aw)| fw == aw || *fw == styled_like(aw, fw))
    {
        return false;
    }
    // Raised: the first word only (a sentence), or every word but the small
    // ones (a title).
    let raised = |i: usize| f[i] != a[i];
    let sentence = (1..a.len()).all(|i| !raised(i));
    let title = (0..a.len()).all(|i| {
        let lower = a[i].chars().next().is_some_and(char::is_lowercase);
        raised(i) || !lower || SMALL_WORDS.contains(&a[i])
    });
    sentence || title
}

/// Words a title leaves in lower case.
const SMALL_WORDS: &[&str] =
    &["a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"];

impl Checker {
    pub fn new(terms: &[Term]) -> Checker {
        let approved: Vec<Term> =
            terms.iter().filter(|t| t.status == TermStatus::Approved).cloned().collect();
        let (mut zh_patterns, mut zh_of) = (vec![], vec![]);
        let (mut en_patterns, mut en_of) = (vec![], vec![]);
        let (mut bad_patterns, mut bad_of) = (vec![], vec![]);
        for (i, t) in approved.iter().enumerate() {
            zh_patterns.push(fold_zh(&t.zh));
            zh_of.push(i);
            en_patterns.push(t.en.clone());
            en_of.push(i);
            for v in &t.variants {
                bad_patterns.push(v.clone());
                bad_of.push(i);
            }
        }
        // A deprecated rendering of an approved term's Chinese is forbidden.
        for d in terms.iter().filter(|t| t.status == TermStatus::Deprecated) {
            if let Some(i) =
                approved.iter().position(|t| fold_zh(&t.zh) == fold_zh(&d.zh) && t.en != d.en)
            {
                bad_patterns.push(d.en.clone());
                bad_of.push(i);
            }
        }
        Checker {
            zh: build(&zh_patterns, false),
            en: build(&en_patterns, true),
            bad: build(&bad_patterns, false),
            terms: approved,
            zh_of,
            en_of,
            bad_of,
        }
    }

    /// Terms the checker enforces.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    fn finding(
        &self,
        kind: FindingKind,
        term: usize,
        found: &str,
        at: Option<Range<usize>>,
    ) -> Finding {
        let t = &self.terms[term];
        Finding {
            kind,
            term_id: t.id.clone(),
            zh: t.zh.clone(),
            expected: t.en.clone(),
            found: found.to_string(),
            at,
        }
    }

    /// Everything wrong with one pair, in the order it appears in the
    /// English, `Missing` last. An empty English is not checked for
    /// renderings (a draft may lack it; publishing asks for both sides).
    pub fn check(&self, zh: &str, en: &str) -> Vec<Finding> {
        let mut findings = vec![];
        // Terms the English mentions, rightly or not.
        let mut mentioned = vec![false; self.terms.len()];
        let mut taken: Vec<Range<usize>> = vec![];
        if let Some(bad) = &self.bad {
            for m in bad.find_iter(en) {
                let at = m.range();
                if !whole_word(en, &at) {
                    continue;
                }
                let term = self.bad_of[m.pattern().as_usize()];
                mentioned[term] = true;
                findings.push(self.finding(
                    FindingKind::Forbidden,
                    term,
                    &en[at.clone()],
                    Some(at.clone()),
                ));
                taken.push(at);
            }
        }
        if let Some(good) = &self.en {
            for m in good.find_iter(en) {
                let at = m.range();
                if !whole_word(en, &at)
                    || taken.iter().any(|t| t.start < at.end && at.start < t.end)
                {
                    continue;
                }
                let term = self.en_of[m.pattern().as_usize()];
                mentioned[term] = true;
                let found = &en[at.clone()];
                if !acceptable_case(found, &self.terms[term].en) {
                    findings.push(self.finding(FindingKind::Case, term, found, Some(at)));
                }
            }
        }
        findings.sort_by_key(|f| f.at.as_ref().map(|a| a.start));
        if en.trim().is_empty() {
            return findings;
        }
        if let Some(zh_ac) = &self.zh {
            let folded = fold_zh(zh);
            let mut seen = vec![false; self.terms.len()];
            for m in zh_ac.find_iter(&folded) {
                let term = self.zh_of[m.pattern().as_usize()];
                if !mentioned[term] && !seen[term] {
                    seen[term] = true;
                    findings.push(self.finding(FindingKind::Missing, term, "", None));
                }
            }
        }
        findings
    }
}

/// The official terms every center may start from (`seed.tsv`: where they
/// come from is said there and in each term's source).
pub fn seed() -> Vec<TermInput> {
    include_str!("seed.tsv")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            let (zh, en, variants, source) =
                (cols.first()?, cols.get(1)?, cols.get(2)?, cols.get(3)?);
            TermInput::parse(
                zh,
                en,
                TermStatus::Approved,
                &lines(&variants.replace('|', "\n")),
                source,
                "",
            )
            .ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(id: &str, zh: &str, en: &str, variants: &[&str]) -> Term {
        Term {
            id: id.into(),
            zh: zh.into(),
            en: en.into(),
            status: TermStatus::Approved,
            variants: variants.iter().map(|v| v.to_string()).collect(),
        }
    }

    fn glossary() -> Vec<Term> {
        vec![
            term("tmic", "三医创新中心(三期)", "Tri-medical Innovation Center (Phase III)", &[]),
            term(
                "tmic-short",
                "三医创新中心",
                "Tri-medical Innovation Center",
                &["Tri-Medical innovation centre", "Sanyi Innovation Center"],
            ),
            term("cmc", "成都医学城", "Chengdu Medical City", &["Chengdu Medical city"]),
            term("wj", "温江区", "Wenjiang District", &[]),
            term(
                "iec",
                "对外交流中心",
                "International Exchange Center",
                &["Foreign Exchange Centre"],
            ),
            term("zone-city", "城市推介", "city promotion", &[]),
            Term { status: TermStatus::Proposed, ..term("p", "沙龙", "salon", &[]) },
            Term {
                status: TermStatus::Deprecated,
                ..term("old", "成都医学城", "Chengdu Medicine City", &[])
            },
        ]
    }

    fn kinds(found: &[Finding]) -> Vec<(FindingKind, &str, &str)> {
        found.iter().map(|f| (f.kind, f.term_id.as_str(), f.found.as_str())).collect()
    }

    // The release's own sentence, as published: nothing to find.
    #[test]
    fn the_release_sentence_passes() {
        let c = Checker::new(&glossary());
        let zh = "对外交流中心位于温江区成都医学城三医创新中心（三期）";
        let en = "The International Exchange Center is located in the Tri-medical Innovation Center (Phase III) of Chengdu Medical City, Wenjiang District.";
        assert_eq!(c.check(zh, en), vec![]);
    }

    #[test]
    fn a_forbidden_variant_is_found_with_its_place_and_fix() {
        let c = Checker::new(&glossary());
        let zh = "三医创新中心对外交流中心举办推介会";
        let en = "The Tri-Medical innovation centre hosted a promotion at its International Exchange Center.";
        let found = c.check(zh, en);
        assert_eq!(
            kinds(&found),
            [(FindingKind::Forbidden, "tmic-short", "Tri-Medical innovation centre")]
        );
        assert_eq!(found[0].at, Some(4..33));
        assert_eq!(found[0].expected, "Tri-medical Innovation Center");
        assert_eq!(
            found[0].fix(en).as_deref(),
            Some(
                "The Tri-medical Innovation Center hosted a promotion at its International Exchange Center."
            )
        );
        // Once fixed, the text is clean.
        assert_eq!(c.check(zh, &found[0].fix(en).unwrap_or_default()), vec![]);
    }

    #[test]
    fn a_wrong_case_is_found_but_sentence_and_title_case_are_fine() {
        let c = Checker::new(&glossary());
        let found = c.check("成都医学城", "Welcome to chengdu medical city");
        assert_eq!(kinds(&found), [(FindingKind::Case, "cmc", "chengdu medical city")]);
        assert_eq!(
            found[0].fix("Welcome to chengdu medical city").as_deref(),
            Some("Welcome to Chengdu Medical City")
        );
        // The listed variant is reported once, as forbidden, not also as case.
        assert_eq!(
            kinds(&c.check("", "In Chengdu Medical city")),
            [(FindingKind::Forbidden, "cmc", "Chengdu Medical city")]
        );
        assert_eq!(c.check("城市推介", "City promotion"), vec![]);
        assert_eq!(c.check("城市推介", "The City Promotion zone"), vec![]);
        assert_eq!(c.check("城市推介", "CITY PROMOTION"), vec![]);
        assert_eq!(
            kinds(&c.check("城市推介", "city Promotion")),
            [(FindingKind::Case, "zone-city", "city Promotion")]
        );
        // Title case raises first letters of small words too; it never lowers one.
        let hall = term(
            "hall",
            "三医科技展馆",
            "exhibition hall of the Tri-medical Innovation Center",
            &[],
        );
        let c2 = Checker::new(&[hall]);
        assert_eq!(
            c2.check("三医科技展馆", "Exhibition Hall of the Tri-medical Innovation Center"),
            vec![]
        );
        assert_eq!(
            c2.check("三医科技展馆", "Exhibition Hall Of The Tri-medical Innovation Center"),
            vec![]
        );
        assert_eq!(
            c2.check("三医科技展馆", "exhibition hall of the tri-medical Innovation Center").len(),
            1
        );
        assert_eq!(
            c2.check("三医科技展馆", "exhibition hall of the Tri-Medical Innovation Center").len(),
            1
        );
        // A fix keeps the capital that began the sentence.
        let f = &c.check("城市推介", "CIty promotion is open")[0];
        assert_eq!(f.fix("CIty promotion is open").as_deref(), Some("City promotion is open"));
    }

    #[test]
    fn a_term_named_in_chinese_but_not_rendered_is_missing() {
        let c = Checker::new(&glossary());
        let found =
            c.check("欢迎来到温江区对外交流中心", "Welcome to the exchange centre of Wenjiang.");
        assert_eq!(
            kinds(&found),
            [(FindingKind::Missing, "wj", ""), (FindingKind::Missing, "iec", "")]
        );
        assert_eq!(found[0].fix("anything"), None);
        // No English yet: a draft, not a finding.
        assert_eq!(c.check("欢迎来到温江区", "  "), vec![]);
        // Reported once however often the Chinese says it.
        assert_eq!(c.check("温江区，温江区", "Wenjiang").len(), 1);
    }

    #[test]
    fn the_longest_term_wins_and_words_stand_alone() {
        let c = Checker::new(&glossary());
        // 三医创新中心(三期) is one term, not also 三医创新中心.
        let found = c.check("三医创新中心(三期)", "Tri-medical Innovation Center");
        assert_eq!(kinds(&found), [(FindingKind::Missing, "tmic", "")]);
        // Inside a longer word is not the term.
        assert_eq!(c.check("", "the Chengdu Medical cityscape"), vec![]);
    }

    #[test]
    fn proposed_terms_are_not_enforced_and_deprecated_ones_are_forbidden() {
        let c = Checker::new(&glossary());
        assert_eq!(c.len(), 6);
        assert_eq!(c.check("沙龙", "A meetup"), vec![]);
        let found = c.check("成都医学城", "Chengdu Medicine City");
        assert_eq!(kinds(&found), [(FindingKind::Forbidden, "cmc", "Chengdu Medicine City")]);
        assert_eq!(found[0].expected, "Chengdu Medical City");
    }

    #[test]
    fn multibyte_text_around_a_match_is_safe() {
        let c = Checker::new(&glossary());
        let en = "«Chengdu Medical city»—成都";
        let found = c.check("", en);
        assert_eq!(found[0].fix(en).as_deref(), Some("«Chengdu Medical City»—成都"));
        // A stale finding does not rewrite a text that changed.
        assert_eq!(found[0].fix("Chengdu"), None);
        assert!(Checker::new(&[]).check("温江区", "x").is_empty());
    }

    #[test]
    fn input_is_checked() {
        let typed = lines("Wenjiang district\n\n Wenjiang district \n");
        let ok =
            TermInput::parse(" 温江区 ", "Wenjiang District", TermStatus::Approved, &typed, "", "");
        assert_eq!(
            ok.map(|t| (t.zh, t.variants)),
            Ok(("温江区".to_string(), vec!["Wenjiang district".to_string()]))
        );
        let bad = TermInput::parse(" ", "x", TermStatus::Approved, &["x".to_string()], "", "")
            .err()
            .unwrap_or_default();
        let fields: Vec<&str> = bad.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["zh", "variants"]);
        // Nor may a variant sit inside the approved form.
        let inside = TermInput::parse(
            "成都医学城",
            "Chengdu Medical City",
            TermStatus::Approved,
            &["Medical City".to_string()],
            "",
            "",
        );
        assert!(inside.is_err());
        // Limits count what was sent, spaces included.
        let long = format!(" {} ", "x".repeat(MAX_TERM_CHARS - 1));
        assert!(TermInput::parse(&long, "x", TermStatus::Approved, &[], "", "").is_err());
        let many: Vec<String> = (0..=MAX_VARIANTS).map(|i| format!("v{i}")).collect();
        assert!(TermInput::parse("温江", "Wenjiang", TermStatus::Approved, &many, "", "").is_err());
    }

    #[test]
    fn the_seed_reads_whole_and_checks_the_release() {
        let seed = seed();
        assert_eq!(
            seed.len(),
            include_str!("seed.tsv")
                .lines()
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .count()
        );
        let terms: Vec<Term> = seed
            .iter()
            .enumerate()
            .map(|(i, t)| Term {
                id: i.to_string(),
                zh: t.zh.clone(),
                en: t.en.clone(),
                status: t.status,
                variants: t.variants.clone(),
            })
            .collect();
        let c = Checker::new(&terms);
        // From the release: "已接待外国驻华使领馆、外国地方政府、国际商会组织、国外企业代表团等参访来宾".
        let zh = "已接待外国驻华使领馆、外国地方政府、国际商会组织、国外企业代表团等参访来宾";
        let en = "It has received visitors from foreign embassies and consulates in China, foreign governments (local), international business associations and foreign corporate delegations.";
        assert_eq!(c.check(zh, en), vec![]);
        let wrong = "It has received visitors from foreign embassies and consulates in China and the Tri-Medical innovation centre.";
        let found = c.check(zh, wrong);
        assert_eq!(found[0].kind, FindingKind::Forbidden);
        assert_eq!(found[0].expected, "Tri-medical Innovation Center");
        assert_eq!(found.iter().filter(|f| f.kind == FindingKind::Missing).count(), 3);
    }
}
