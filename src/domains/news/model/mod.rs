//! News: articles with Chinese and English side by side, their editorial
//! workflow, credits, slugs, the safe Markdown they are written in, the
//! "may be out of date" rule and the side-by-side diff of two versions.
//! No I/O.

use crate::codes;
use crate::error::FieldError;
use crate::i18n::Lang;

mod comment;
mod page;
mod text;

pub use comment::*;
pub use page::*;
pub use text::*;

codes!(
    pub enum ArticleStatus, "news-status" {
        Draft = "draft",
        /// Submitted: the reviewer adds or checks the other language.
        Review = "review",
        /// The senior editor has reviewed and proofread it.
        Approved = "approved",
        /// Public from `published_at` (scheduled until then).
        Published = "published",
        /// Taken off the public site.
        Withdrawn = "withdrawn",
    }
);

codes!(
    pub enum Step, "news-step" {
        /// Draft → review.
        Submit = "submit",
        /// Review or approved → draft (back to the writer).
        Return = "return",
        /// Review → approved (the senior editor).
        Approve = "approve",
        /// Approved → published, now or at a time (the senior editor).
        Publish = "publish",
        /// Published → withdrawn (the senior editor).
        Withdraw = "withdraw",
        /// Withdrawn → draft.
        Redraft = "redraft",
        /// Both languages read again after one changed: clears "may be out
        /// of date" (the senior editor), whatever the status.
        Confirm = "confirm",
    }
);

impl Step {
    /// Whether only the senior editor may take this step.
    pub fn needs_editor(self) -> bool {
        matches!(self, Step::Approve | Step::Publish | Step::Withdraw | Step::Confirm)
    }

    /// The status this step leads to from `from`, if it may be taken there.
    /// `Confirm` keeps the status.
    pub fn from(self, from: ArticleStatus) -> Option<ArticleStatus> {
        use ArticleStatus::*;
        match (self, from) {
            (Step::Submit, Draft) => Some(Review),
            (Step::Return, Review | Approved) => Some(Draft),
            (Step::Approve, Review) => Some(Approved),
            (Step::Publish, Approved) => Some(Published),
            (Step::Withdraw, Published) => Some(Withdrawn),
            (Step::Redraft, Withdrawn) => Some(Draft),
            (Step::Confirm, s) => Some(s),
            _ => None,
        }
    }
}

impl ArticleStatus {
    /// The workflow steps possible from here (`Confirm` aside).
    pub fn steps(self) -> Vec<Step> {
        Step::ALL
            .iter()
            .copied()
            .filter(|s| *s != Step::Confirm && s.from(self).is_some())
            .collect()
    }
}

/// Title, 1–200 characters per language.
pub const MAX_TITLE: usize = 200;
/// Summary per language.
pub const MAX_SUMMARY: usize = 1000;
/// Body per language (Markdown).
pub const MAX_BODY: usize = 50_000;
/// Tags per article, and characters per tag.
pub const MAX_TAGS: usize = 10;
pub const MAX_TAG: usize = 40;
/// Source and typesetter credits.
pub const MAX_CREDIT: usize = 100;
/// A slug, in characters.
pub const MAX_SLUG: usize = 80;

/// One language's texts of an article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Side {
    pub title: String,
    pub summary: String,
    pub body: String,
}

impl Side {
    pub fn is_empty(&self) -> bool {
        self.title.is_empty() && self.summary.is_empty() && self.body.is_empty()
    }
}

/// Both languages' texts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Texts {
    pub zh: Side,
    pub en: Side,
}

impl Texts {
    pub fn side(&self, lang: Lang) -> &Side {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// An article as written (validated, trimmed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleInput {
    pub texts: Texts,
    /// Empty: made from the title.
    pub slug_zh: String,
    pub slug_en: String,
    pub tags: Vec<String>,
    pub zone_id: Option<String>,
    pub event_id: Option<String>,
    pub source: String,
    pub typesetter: String,
    /// The senior editor's decision (none: leave as it is).
    pub chinese_only: Option<bool>,
}

/// A kept picture as a record names it: its key (the SHA-256 it is kept
/// under) and size in pixels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cover {
    pub key: String,
    pub width: i64,
    pub height: i64,
}

impl Cover {
    pub fn href(&self) -> String {
        format!("/media/{}.jpg", self.key)
    }
}

/// Alt text of a cover, per language, in characters.
pub const MAX_ALT: usize = 200;

/// The alt texts of a new cover: both languages required.
pub fn cover_alt(zh: &str, en: &str) -> Result<(String, String), Vec<FieldError>> {
    let mut e = vec![];
    let zh = line(&mut e, "alt_zh", zh, MAX_ALT);
    let en = line(&mut e, "alt_en", en, MAX_ALT);
    for (field, v) in [("alt_zh", &zh), ("alt_en", &en)] {
        if v.is_empty() && !e.iter().any(|f| f.field == field) {
            e.push(FieldError::new(field, "news-alt-required"));
        }
    }
    if e.is_empty() { Ok((zh, en)) } else { Err(e) }
}

/// An article as kept.
#[derive(Debug, Clone)]
pub struct Article {
    pub id: String,
    pub center_id: String,
    pub status: ArticleStatus,
    pub slug_zh: String,
    pub slug_en: String,
    pub texts: Texts,
    pub tags: Vec<String>,
    pub zone_id: Option<String>,
    pub event_id: Option<String>,
    /// The cover picture and its alt text in both languages.
    pub cover: Option<Cover>,
    pub cover_alt_zh: String,
    pub cover_alt_en: String,
    pub source: String,
    pub typesetter: String,
    /// Who approved it (审核校对), as named then.
    pub editor_name: String,
    pub chinese_only: bool,
    /// The Chinese may be out of date (the English changed after approval).
    pub zh_stale: bool,
    /// The English may be out of date (the Chinese changed after approval).
    pub en_stale: bool,
    pub approved_once: bool,
    pub published_at: Option<i64>,
    pub version: i64,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Article {
    /// Public now: published, and its time has come.
    pub fn is_public(&self, now_ms: i64) -> bool {
        self.status == ArticleStatus::Published && self.published_at.is_some_and(|t| t <= now_ms)
    }

    /// Whether this language has no text of its own (shown in the other).
    pub fn lacks(&self, lang: Lang) -> bool {
        self.texts.side(lang).title.is_empty()
    }

    /// The slug of the page in `lang`.
    pub fn slug(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.slug_zh,
            Lang::En => &self.slug_en,
        }
    }

    /// The public address of the page in `lang`.
    pub fn href(&self, lang: Lang) -> String {
        format!("/news/{}/{}", lang_segment(lang), self.slug(lang))
    }
}

/// The language's part of a public address (`/news/zh/…`, `/news/en/…`).
pub fn lang_segment(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh",
        Lang::En => "en",
    }
}

/// The language a public address names.
pub fn segment_lang(s: &str) -> Option<Lang> {
    match s {
        "zh" => Some(Lang::Zh),
        "en" => Some(Lang::En),
        _ => None,
    }
}

/// One saved version of an article's texts.
#[derive(Debug, Clone)]
pub struct Revision {
    pub n: i64,
    pub texts: Texts,
    pub by_name: String,
    pub at: i64,
}

/// The raw fields as sent, before checking.
#[derive(Debug, Clone, Default)]
pub struct RawArticle<'a> {
    pub title_zh: &'a str,
    pub title_en: &'a str,
    pub summary_zh: &'a str,
    pub summary_en: &'a str,
    pub body_zh: &'a str,
    pub body_en: &'a str,
    pub slug_zh: &'a str,
    pub slug_en: &'a str,
    pub tags: Vec<String>,
    pub zone_id: &'a str,
    pub event_id: &'a str,
    pub source: &'a str,
    pub typesetter: &'a str,
    pub chinese_only: Option<bool>,
}

fn text(errors: &mut Vec<FieldError>, field: &str, value: &str, max: usize) -> String {
    if value.chars().count() > max {
        errors.push(FieldError::new(field, "field-too-long").with("max", max));
    } else if value.chars().any(|c| {
        (c.is_control() && !matches!(c, '\n' | '\r' | '\t')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    }) {
        // Not even in a body: XML (the feeds) cannot carry them.
        errors.push(FieldError::new(field, "field-invalid"));
    }
    value.trim().to_string()
}

fn line(errors: &mut Vec<FieldError>, field: &str, value: &str, max: usize) -> String {
    if value.chars().any(char::is_control) {
        errors.push(FieldError::new(field, "field-invalid"));
    }
    text(errors, field, value, max)
}

/// A slug as typed: lower-case letters and digits in words joined by `-`.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars().count() <= MAX_SLUG
        && s.split('-').all(|w| {
            !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

impl ArticleInput {
    /// All field errors at once. A draft may miss either language (and the
    /// summary and body); a title in at least one is required.
    pub fn parse(raw: &RawArticle) -> Result<ArticleInput, Vec<FieldError>> {
        let mut e = vec![];
        let side =
            |e: &mut Vec<FieldError>, lang: &str, title: &str, summary: &str, body: &str| Side {
                title: line(e, &format!("title_{lang}"), title, MAX_TITLE),
                summary: text(e, &format!("summary_{lang}"), summary, MAX_SUMMARY),
                body: text(e, &format!("body_{lang}"), body, MAX_BODY),
            };
        let zh = side(&mut e, "zh", raw.title_zh, raw.summary_zh, raw.body_zh);
        let en = side(&mut e, "en", raw.title_en, raw.summary_en, raw.body_en);
        if zh.title.is_empty()
            && en.title.is_empty()
            && !e.iter().any(|f| f.field.starts_with("title"))
        {
            e.push(FieldError::new("title_zh", "news-title-required"));
        }
        let mut slugs = vec![];
        for (field, s) in [("slug_zh", raw.slug_zh), ("slug_en", raw.slug_en)] {
            let s = s.trim();
            if !s.is_empty() && !is_slug(s) {
                e.push(FieldError::new(field, "news-slug-invalid").with("max", MAX_SLUG));
            }
            slugs.push(s.to_string());
        }
        if raw.tags.len() > MAX_TAGS {
            e.push(FieldError::new("tags", "news-tags-too-many").with("max", MAX_TAGS));
        }
        let mut tags: Vec<String> = vec![];
        for t in raw.tags.iter().take(MAX_TAGS + 1) {
            let t = line(&mut e, "tags", t, MAX_TAG);
            if !t.is_empty() && !tags.contains(&t) {
                tags.push(t);
            }
        }
        let id = |e: &mut Vec<FieldError>, field: &str, v: &str| {
            let v = v.trim();
            if v.is_empty() {
                None
            } else {
                if v.len() > 64 || !v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                    e.push(FieldError::new(field, "field-invalid-choice"));
                }
                Some(v.to_string())
            }
        };
        let zone_id = id(&mut e, "zone_id", raw.zone_id);
        let event_id = id(&mut e, "event_id", raw.event_id);
        let source = line(&mut e, "source", raw.source, MAX_CREDIT);
        let typesetter = line(&mut e, "typesetter", raw.typesetter, MAX_CREDIT);
        if !e.is_empty() {
            return Err(e);
        }
        let [slug_zh, slug_en]: [String; 2] = slugs.try_into().unwrap_or_default();
        Ok(ArticleInput {
            texts: Texts { zh, en },
            slug_zh,
            slug_en,
            tags,
            zone_id,
            event_id,
            source,
            typesetter,
            chinese_only: raw.chinese_only,
        })
    }
}

/// What is missing before an article may be approved or published: every
/// Chinese text, and every English one unless it is published Chinese only.
pub fn missing(texts: &Texts, chinese_only: bool) -> Vec<FieldError> {
    let mut errors = vec![];
    let mut need = |field: &str, value: &str| {
        if value.is_empty() {
            errors.push(FieldError::new(field, "news-needed-to-publish"));
        }
    };
    need("title_zh", &texts.zh.title);
    need("summary_zh", &texts.zh.summary);
    need("body_zh", &texts.zh.body);
    if !chinese_only {
        need("title_en", &texts.en.title);
        need("summary_en", &texts.en.summary);
        need("body_en", &texts.en.body);
    }
    errors
}

/// The "may be out of date" flags after a save: once an article has been
/// approved, changing one language flags the other until it is changed too
/// or the senior editor confirms both (`Step::Confirm`). A language changed
/// in this save is not out of date. Returns `(zh_stale, en_stale)`.
pub fn stale_after(
    before: &Texts,
    after: &Texts,
    approved_once: bool,
    was: (bool, bool),
    chinese_only: bool,
) -> (bool, bool) {
    if !approved_once {
        return (false, false);
    }
    let zh_changed = before.zh != after.zh;
    let en_changed = before.en != after.en;
    // A language that was out of date and is changed is catching up: it
    // clears its own flag without flagging the other.
    let zh = !zh_changed && (was.0 || (en_changed && !was.1));
    let en = !en_changed && !chinese_only && (was.1 || (zh_changed && !was.0));
    (zh, en)
}

/// A slug made from a title: ASCII words as they are, Chinese characters as
/// their pinyin without tones, everything else a word break; at most
/// [`MAX_SLUG`] characters, cut at a word. Empty when nothing is left.
pub fn slugify(title: &str) -> String {
    use pinyin::ToPinyin;
    let mut words: Vec<String> = vec![];
    let mut word = String::new();
    for (ch, py) in title.chars().zip(title.to_pinyin()) {
        if let Some(p) = py {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            words.push(p.plain().to_string());
        } else if ch.is_ascii_alphanumeric() {
            word.push(ch.to_ascii_lowercase());
        } else if ch == '\'' || ch == '’' {
            // "Center's" → "centers"
        } else if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    let mut slug = String::new();
    for w in words {
        let w: String = w.chars().take(MAX_SLUG).collect();
        let extra = if slug.is_empty() { w.len() } else { w.len() + 1 };
        if slug.len() + extra > MAX_SLUG {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&w);
    }
    slug
}

/// The slug with a number to tell it from one that is taken (`-2`, `-3`…),
/// still within [`MAX_SLUG`].
pub fn numbered(slug: &str, n: u32) -> String {
    let suffix = format!("-{n}");
    let mut base: String = slug.chars().take(MAX_SLUG - suffix.len()).collect();
    while base.ends_with('-') {
        base.pop();
    }
    format!("{base}{suffix}")
}

/// Tags as typed in one field: split at commas (either width) and new lines.
pub fn split_tags(s: &str) -> Vec<String> {
    s.split([',', '，', '、', '\n'])
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(title: &str, body: &str) -> Side {
        Side { title: title.into(), summary: "s".into(), body: body.into() }
    }

    #[test]
    fn the_workflow_goes_one_way_with_returns() {
        use ArticleStatus::*;
        assert_eq!(Step::Submit.from(Draft), Some(Review));
        assert_eq!(Step::Approve.from(Review), Some(Approved));
        assert_eq!(Step::Publish.from(Approved), Some(Published));
        assert_eq!(Step::Withdraw.from(Published), Some(Withdrawn));
        assert_eq!(Step::Redraft.from(Withdrawn), Some(Draft));
        assert_eq!(Step::Return.from(Approved), Some(Draft));
        // No skipping review, no publishing a draft, no approving twice.
        assert_eq!(Step::Approve.from(Draft), None);
        assert_eq!(Step::Publish.from(Review), None);
        assert_eq!(Step::Publish.from(Draft), None);
        assert_eq!(Step::Approve.from(Approved), None);
        assert_eq!(Draft.steps(), vec![Step::Submit]);
        assert_eq!(Review.steps(), vec![Step::Return, Step::Approve]);
        assert!(Step::Approve.needs_editor() && !Step::Submit.needs_editor());
    }

    #[test]
    fn one_language_changed_after_approval_flags_the_other() {
        let before = Texts { zh: side("标题", "正文"), en: side("Title", "Body") };
        let mut zh_edit = before.clone();
        zh_edit.zh.body = "正文（更新）".into();
        // Not yet approved: nothing is flagged.
        assert_eq!(stale_after(&before, &zh_edit, false, (false, false), false), (false, false));
        // Approved once: the English may be out of date.
        assert_eq!(stale_after(&before, &zh_edit, true, (false, false), false), (false, true));
        // The English then changed too: nothing is out of date any more.
        let mut en_edit = zh_edit.clone();
        en_edit.en.body = "Body (updated)".into();
        assert_eq!(stale_after(&zh_edit, &en_edit, true, (false, true), false), (false, false));
        // Both changed in one save: neither flagged.
        assert_eq!(stale_after(&before, &en_edit, true, (false, false), false), (false, false));
        // The Chinese catching up with a changed English clears its flag
        // and flags nothing.
        let mut zh_again = en_edit.clone();
        zh_again.zh.title = "新标题".into();
        assert_eq!(stale_after(&en_edit, &zh_again, true, (true, false), false), (false, false));
        // A save touching neither keeps the flags.
        assert_eq!(stale_after(&before, &before, true, (true, false), false), (true, false));
        // Chinese only: the English is never "out of date".
        assert_eq!(stale_after(&before, &zh_edit, true, (false, false), true), (false, false));
    }

    #[test]
    fn publishing_needs_both_languages_or_the_chinese_only_decision() {
        let texts = Texts { zh: side("标题", "正文"), en: Side::default() };
        let fields: Vec<String> = missing(&texts, false).into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["title_en", "summary_en", "body_en"]);
        assert!(missing(&texts, true).is_empty());
        let none = Texts::default();
        assert_eq!(missing(&none, true).len(), 3);
    }

    #[test]
    fn slugs_come_from_titles_in_either_language() {
        assert_eq!(
            slugify("Tri-medical Innovation Center opens its hall to citizens"),
            "tri-medical-innovation-center-opens-its-hall-to-citizens"
        );
        // Pinyin takes each character's commonest reading (都 is "dou" in
        // 成都): the English title is preferred where there is one.
        assert_eq!(slugify("三医创新中心"), "san-yi-chuang-xin-zhong-xin");
        assert_eq!(slugify("2026 中国（温江）Expo"), "2026-zhong-guo-wen-jiang-expo");
        assert_eq!(slugify("The Center's day"), "the-centers-day");
        assert_eq!(slugify("!!!"), "");
        let long = slugify(&"word ".repeat(40));
        assert!(long.len() <= MAX_SLUG && !long.ends_with('-') && is_slug(&long), "{long}");
        assert_eq!(numbered("a-b", 2), "a-b-2");
        assert!(numbered(&long, 12).len() <= MAX_SLUG && is_slug(&numbered(&long, 12)));
        assert!(
            is_slug("a-1") && !is_slug("A") && !is_slug("a--b") && !is_slug("-a") && !is_slug("中")
        );
    }

    #[test]
    fn input_is_checked_all_at_once() {
        let long = "x".repeat(MAX_TITLE + 1);
        let raw = RawArticle {
            title_zh: &long,
            slug_en: "Not A Slug",
            tags: (0..11).map(|i| i.to_string()).collect(),
            zone_id: "'; drop",
            source: "a\u{7}b",
            ..RawArticle::default()
        };
        let fields: Vec<String> =
            ArticleInput::parse(&raw).unwrap_err().into_iter().map(|e| e.field).collect();
        for f in ["title_zh", "slug_en", "tags", "zone_id", "source"] {
            assert!(fields.iter().any(|x| x == f), "{f} in {fields:?}");
        }
        let ok = RawArticle {
            title_en: " Hello ",
            tags: split_tags("biomedicine， trade,trade\nexpo"),
            ..RawArticle::default()
        };
        let a = ArticleInput::parse(&ok).unwrap();
        assert_eq!(a.texts.en.title, "Hello");
        assert_eq!(a.tags, ["biomedicine", "trade", "expo"]);
        let empty = RawArticle::default();
        assert_eq!(ArticleInput::parse(&empty).unwrap_err()[0].key, "news-title-required");
    }
}
