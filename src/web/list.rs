//! A list as every list of the API answers it (DESIGN.md §4):
//! `{"items": [...], "next_cursor": ...}`, the cursor `null` on the last page.

use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct List<T: ToSchema> {
    pub items: Vec<T>,
    /// Pass as `cursor` for the next page; `null` when this is the last.
    pub next_cursor: Option<String>,
}

impl<T: ToSchema> List<T> {
    /// A list that is never long enough to page (bounded by the domain).
    pub fn whole(items: Vec<T>) -> List<T> {
        List { items, next_cursor: None }
    }

    /// A page from rows read with `limit + 1`: the extra row only says that
    /// there is a next page, which starts after the last row kept.
    pub fn page<R>(
        mut rows: Vec<R>,
        limit: usize,
        cursor_of: impl Fn(&R) -> String,
        item: impl FnMut(R) -> T,
    ) -> List<T> {
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next_cursor = if more { rows.last().map(cursor_of) } else { None };
        List { items: rows.into_iter().map(item).collect(), next_cursor }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_says_where_the_next_one_starts() {
        let p = List::page(vec![1_i64, 2, 3], 2, |n| n.to_string(), |n| n * 10);
        assert_eq!(p.items, vec![10, 20]);
        assert_eq!(p.next_cursor.as_deref(), Some("2"));
        let last = List::page(vec![1_i64, 2], 2, |n| n.to_string(), |n| n);
        assert_eq!(last.next_cursor, None);
        assert_eq!(List::whole(vec![7_i64]).items, vec![7]);
    }
}
