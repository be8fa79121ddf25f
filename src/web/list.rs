//! A list as every list of the API answers it (DESIGN.md §4):
//! `{"items": [...], "next_cursor": ...}`, the cursor `null` on the last page.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{AppError, AppResult};

/// The most rows one page may hold.
pub const MAX_LIMIT: i64 = 200;
/// Rows per page unless `limit` says otherwise.
pub const DEFAULT_LIMIT: i64 = 50;

/// Paging of a list that can grow: where to start and how many.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// The `next_cursor` of the page before (empty: the first page).
    #[serde(default)]
    #[param(pattern = "^$|^-?[0-9]{1,18}~[0-9A-Za-z-]{1,64}$")]
    pub cursor: String,
    /// Rows per page, 1–200 (default 50).
    #[serde(default)]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

impl PageQuery {
    /// The page size, refused (422) outside 1–200.
    pub fn size(&self) -> AppResult<i64> {
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            Some(_) => Err(AppError::invalid("limit", "list-limit-range")),
        }
    }

    /// A keyset cursor of (sort key, id) as written by [`key_cursor`]; the
    /// first page starts before every row. A cursor not made here is 422.
    pub fn after(&self) -> AppResult<(i64, String)> {
        let c = self.cursor.trim();
        if c.is_empty() {
            return Ok((i64::MIN, String::new()));
        }
        c.split_once('~')
            .filter(|(k, _)| k.trim_start_matches('-').len() <= 18)
            .and_then(|(k, id)| Some((k.parse().ok()?, id.to_string())))
            .filter(|(_, id)| {
                !id.is_empty()
                    && id.len() <= 64
                    && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
            .ok_or_else(|| AppError::invalid("cursor", "list-cursor-invalid"))
    }
}

/// Rows read with `limit + 1` as a page: the rows kept, and the cursor of
/// the next page if the extra row says there is one. [`List::page`] uses
/// it; so does a list whose items are made by async work after paging.
pub fn split_page<R>(
    mut rows: Vec<R>,
    limit: usize,
    cursor_of: impl Fn(&R) -> String,
) -> (Vec<R>, Option<String>) {
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next_cursor = if more { rows.last().map(cursor_of) } else { None };
    (rows, next_cursor)
}

/// The cursor of a row sorted by (key, id).
pub fn key_cursor(key: i64, id: &str) -> String {
    format!("{key}~{id}")
}

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
        rows: Vec<R>,
        limit: usize,
        cursor_of: impl Fn(&R) -> String,
        item: impl FnMut(R) -> T,
    ) -> List<T> {
        let (rows, next_cursor) = split_page(rows, limit, cursor_of);
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
