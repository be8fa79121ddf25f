//! Text as the news shows it: safe Markdown, and the side-by-side diff of
//! two versions. No I/O.

use std::collections::HashSet;

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
}
