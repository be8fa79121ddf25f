//! News: articles with Chinese and English side by side, their editorial
//! workflow, credits, slugs, the safe Markdown they are written in, the
//! "may be out of date" rule and the side-by-side diff of two versions.
//! No I/O.

use std::collections::HashSet;

use crate::codes;
use crate::error::FieldError;
use crate::i18n::Lang;

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

/// Markdown as authors write it, rendered to HTML that is safe to put on a
/// page: raw HTML in the source is shown as text (never passed through),
/// headings start at level 2 (the page has its `h1`), images are not
/// allowed (the cover is the article's picture), links get
/// `rel="noopener noreferrer nofollow"` and only http, https and mailto
/// schemes; what remains is cleaned once more by an allow-list sanitizer.
pub fn render_markdown(md: &str) -> String {
    use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
    fn lower(level: HeadingLevel) -> HeadingLevel {
        match level {
            HeadingLevel::H1 => HeadingLevel::H2,
            HeadingLevel::H2 => HeadingLevel::H3,
            HeadingLevel::H3 => HeadingLevel::H4,
            HeadingLevel::H4 => HeadingLevel::H5,
            _ => HeadingLevel::H6,
        }
    }
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(md, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Heading { level, id, classes, attrs }) => {
            Event::Start(Tag::Heading { level: lower(level), id, classes, attrs })
        }
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(lower(level))),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    let schemes: HashSet<&str> = ["http", "https", "mailto"].into_iter().collect();
    ammonia::Builder::default()
        .rm_tags(["img"])
        .url_schemes(schemes)
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&out)
        .to_string()
}

codes!(
    pub enum CommentStatus, "news-comment-status" {
        /// Waiting for a moderator.
        Held = "held",
        Approved = "approved",
        Rejected = "rejected",
    }
);

codes!(
    pub enum BlockKind, "news-block-kind" {
        /// The client address a comment came from.
        Address = "address",
        Email = "email",
    }
);

/// A commenter's name, in characters.
pub const MAX_COMMENT_NAME: usize = 80;
/// A comment, in characters.
pub const MAX_COMMENT: usize = 2000;
/// Seconds a person needs at least between opening the page and sending a
/// comment; faster is a program. (A cached page may be a few seconds old,
/// so the effective minimum is a little less.)
pub const MIN_FILL_SECS: i64 = 8;
/// Days a commenter's e-mail and address are kept.
pub const COMMENT_RETENTION_DAYS: i64 = 180;

/// A comment as kept (what moderators see: never the e-mail itself).
#[derive(Debug, Clone)]
pub struct Comment {
    pub id: String,
    pub article_id: String,
    pub status: CommentStatus,
    pub lang: String,
    pub name: String,
    pub body: String,
    pub has_email: bool,
    pub has_address: bool,
    pub created_at: i64,
}

/// A comment as sent, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentInput {
    pub name: String,
    /// Lower-cased; empty when not given.
    pub email: String,
    pub body: String,
}

/// What the anti-spam checks make of a comment form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spam {
    /// A person, it seems.
    No,
    /// The hidden field was filled: a program. Dropped without a word.
    Honeypot,
    /// Sent too soon after the page was made (or with no time at all).
    TooFast,
}

/// The honeypot (a field people never see) and the time the form was made
/// (ms) against now.
pub fn spam(honeypot: &str, started_ms: Option<i64>, now_ms: i64) -> Spam {
    if !honeypot.is_empty() {
        return Spam::Honeypot;
    }
    match started_ms {
        Some(t) if t <= now_ms && now_ms - t >= MIN_FILL_SECS * 1000 => Spam::No,
        _ => Spam::TooFast,
    }
}

impl CommentInput {
    /// All field errors at once: a name and a text are required; the e-mail
    /// is optional but must look like one; plain text (no control
    /// characters but line breaks).
    pub fn parse(name: &str, email: &str, body: &str) -> Result<CommentInput, Vec<FieldError>> {
        let mut e = vec![];
        let name = line(&mut e, "name", name, MAX_COMMENT_NAME);
        if name.is_empty() && !e.iter().any(|f| f.field == "name") {
            e.push(FieldError::new("name", "field-required"));
        }
        let body = text(&mut e, "body", body, MAX_COMMENT);
        if body.is_empty() && !e.iter().any(|f| f.field == "body") {
            e.push(FieldError::new("body", "field-required"));
        }
        let email = email.trim();
        if !email.is_empty() && !crate::validate::looks_like_email(email) {
            e.push(FieldError::new("email", "field-invalid-email"));
        }
        if !e.is_empty() {
            return Err(e);
        }
        Ok(CommentInput { name, email: crate::validate::normalize_email(email), body })
    }
}

codes!(
    pub enum PageKey, "news-page-key" {
        About = "about",
        Zones = "zones",
        Contact = "contact",
        /// The privacy notice.
        Privacy = "privacy",
        /// The accessibility statement.
        Accessibility = "accessibility",
    }
);

/// One of the site's own pages, both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitePage {
    pub key: PageKey,
    /// None: not yet written (the default text is shown).
    pub id: Option<String>,
    pub title_zh: String,
    pub title_en: String,
    pub body_zh: String,
    pub body_en: String,
    pub version: i64,
    pub updated_at: i64,
}

/// A site page as typed: both languages required.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageInput {
    pub title_zh: String,
    pub title_en: String,
    pub body_zh: String,
    pub body_en: String,
}

impl PageInput {
    pub fn parse(
        title_zh: &str,
        title_en: &str,
        body_zh: &str,
        body_en: &str,
    ) -> Result<PageInput, Vec<FieldError>> {
        let mut e = vec![];
        let need = |e: &mut Vec<FieldError>, field: &str, v: String| {
            if v.is_empty() && !e.iter().any(|f: &FieldError| f.field == field) {
                e.push(FieldError::new(field, "field-required"));
            }
            v
        };
        let t_zh = line(&mut e, "title_zh", title_zh, MAX_TITLE);
        let t_en = line(&mut e, "title_en", title_en, MAX_TITLE);
        let b_zh = text(&mut e, "body_zh", body_zh, MAX_BODY);
        let b_en = text(&mut e, "body_en", body_en, MAX_BODY);
        let input = PageInput {
            title_zh: need(&mut e, "title_zh", t_zh),
            title_en: need(&mut e, "title_en", t_en),
            body_zh: need(&mut e, "body_zh", b_zh),
            body_en: need(&mut e, "body_en", b_en),
        };
        if e.is_empty() { Ok(input) } else { Err(e) }
    }
}

/// How a row of a side-by-side diff changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Same,
    Removed,
    Added,
    Changed,
}

impl Change {
    pub fn code(self) -> &'static str {
        match self {
            Change::Same => "same",
            Change::Removed => "removed",
            Change::Added => "added",
            Change::Changed => "changed",
        }
    }
}

/// One row of a side-by-side diff: the old line and the new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffRow {
    pub change: Change,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// A line-by-line side-by-side diff: unchanged lines face each other,
/// replaced lines are paired, removed and added ones face a gap.
pub fn diff(old: &str, new: &str) -> Vec<DiffRow> {
    use similar::{DiffTag, TextDiff};
    // A deadline: a body of many different short lines must not make the
    // diff quadratic (past it, the rest is shown as replaced).
    let d =
        TextDiff::configure().timeout(std::time::Duration::from_millis(200)).diff_lines(old, new);
    let (olds, news) = (d.old_slices(), d.new_slices());
    let line = |s: &str| s.trim_end_matches(['\n', '\r']).to_string();
    let mut rows = vec![];
    for op in d.ops() {
        let (tag, o, n) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => rows.extend(o.map(|i| DiffRow {
                change: Change::Same,
                old: Some(line(olds[i])),
                new: Some(line(olds[i])),
            })),
            DiffTag::Delete => rows.extend(o.map(|i| DiffRow {
                change: Change::Removed,
                old: Some(line(olds[i])),
                new: None,
            })),
            DiffTag::Insert => rows.extend(n.map(|i| DiffRow {
                change: Change::Added,
                old: None,
                new: Some(line(news[i])),
            })),
            DiffTag::Replace => {
                let (o, n): (Vec<usize>, Vec<usize>) = (o.collect(), n.collect());
                for k in 0..o.len().max(n.len()) {
                    let old = o.get(k).map(|&i| line(olds[i]));
                    let new = n.get(k).map(|&i| line(news[i]));
                    let change = match (&old, &new) {
                        (Some(_), Some(_)) => Change::Changed,
                        (Some(_), None) => Change::Removed,
                        _ => Change::Added,
                    };
                    rows.push(DiffRow { change, old, new });
                }
            }
        }
    }
    rows
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
    fn markdown_never_lets_author_html_through() {
        let html = render_markdown(
            "# Title\n\nHello <script>alert(1)</script> **bold** [x](javascript:alert(1)) [ok](https://example.org)\n\n<img src=x onerror=alert(1)>\n\n![pic](https://example.org/a.png)",
        );
        assert!(html.contains("<h2>Title</h2>"), "{html}");
        assert!(html.contains("<strong>bold</strong>"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "raw HTML shown as text: {html}");
        assert!(html.contains(r#"href="https://example.org""#), "{html}");
        assert!(html.contains("nofollow"), "{html}");
    }

    #[test]
    fn the_diff_pairs_changed_lines_side_by_side() {
        let rows = diff("a\nb\nc\n", "a\nB\nc\nd\n");
        let changes: Vec<Change> = rows.iter().map(|r| r.change).collect();
        assert_eq!(changes, [Change::Same, Change::Changed, Change::Same, Change::Added]);
        assert_eq!(rows[1].old.as_deref(), Some("b"));
        assert_eq!(rows[1].new.as_deref(), Some("B"));
        assert_eq!(rows[3].old, None);
        assert!(diff("", "").is_empty());
        assert_eq!(diff("x", "").len(), 1);
    }

    #[test]
    fn the_spam_checks_need_an_empty_honeypot_and_a_moment() {
        let now = 1_000_000;
        assert_eq!(spam("", Some(now - 9_000), now), Spam::No);
        assert_eq!(spam("http://spam.example", Some(now - 60_000), now), Spam::Honeypot);
        assert_eq!(spam("", Some(now - 2_000), now), Spam::TooFast);
        assert_eq!(spam("", None, now), Spam::TooFast);
        assert_eq!(spam("", Some(now + 60_000), now), Spam::TooFast, "a time to come is forged");
        let ok =
            CommentInput::parse(" Anna ", " Anna@Example.org ", "Great visit!\nThanks.").unwrap();
        assert_eq!((ok.name.as_str(), ok.email.as_str()), ("Anna", "anna@example.org"));
        let bad =
            CommentInput::parse("", "not-an-email", &"x".repeat(MAX_COMMENT + 1)).unwrap_err();
        let fields: Vec<&str> = bad.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "body", "email"]);
        assert!(CommentInput::parse("A", "", "a\u{1}b").is_err());
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
