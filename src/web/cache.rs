//! Things read often and changed seldom, kept for a moment: whole pages as
//! the public sees them, and who is behind a session or API token.
//!
//! A page everybody gets alike (no account, no query string) is rendered
//! once per language and served from memory for [`FRESH_FOR`] (then made
//! again by one visitor while the others get the page of a moment ago);
//! only the visitor's CSRF token is put in on the way out. Any state-changing request
//! this process serves empties the cache ([`PageCache::clear`], from the
//! context middleware), so a visitor never sees an earlier state than a
//! write they made; writes by another instance, or by a background job, show
//! within [`FRESH_FOR`]. Callers (accounts) are cleared by the account
//! changes themselves.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::response::{Html, IntoResponse, Response};

use super::page::PageCtx;
use crate::error::AppResult;

/// How long a cached page is served before it is made again.
pub const FRESH_FOR: Duration = Duration::from_secs(2);
/// Beyond this many entries a cache starts afresh (a bound, not a policy).
const MAX_ENTRIES: usize = 1024;
/// Stands for the visitor's CSRF token in a cached page: as long as a real
/// one (64 hex digits), never one, and drawn afresh by each process — so no
/// text an author or a reader writes into a page can be it (the page is cut
/// wherever it appears).
static TOKEN_MARK: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| format!("mark{}", &crate::auth::secret::random_token()[4..]));

struct Entry<V> {
    made: Instant,
    value: V,
    /// When a caller was sent to make the stale value again.
    claimed: Option<Instant>,
}

/// Values kept for [`FRESH_FOR`] under a key; [`Recent::clear`] forgets
/// them all, and a value made while a clear happened is not kept.
pub struct Recent<V> {
    entries: Mutex<HashMap<String, Entry<V>>>,
    epoch: AtomicU64,
}

impl<V> Default for Recent<V> {
    fn default() -> Self {
        Recent { entries: Mutex::new(HashMap::new()), epoch: AtomicU64::new(0) }
    }
}

impl<V: Clone> Recent<V> {
    /// The value if it is fresh.
    pub fn get(&self, key: &str) -> Option<V> {
        let entries = self.lock();
        entries.get(key).filter(|e| e.made.elapsed() < FRESH_FOR).map(|e| e.value.clone())
    }

    /// The value if it is fresh; once it has gone stale, `None` for the
    /// first caller (who makes it again) and the stale value for the others
    /// meanwhile — so a crowd arriving as a page expires makes it once.
    /// A claim not honoured within [`FRESH_FOR`] passes to the next caller.
    /// Past twice [`FRESH_FOR`] a value is expired, and expired means gone:
    /// it is never served again, whatever happened to the claim.
    pub fn get_or_claim(&self, key: &str) -> Option<V> {
        let mut entries = self.lock();
        let entry = entries.get_mut(key)?;
        let age = entry.made.elapsed();
        if age < FRESH_FOR {
            return Some(entry.value.clone());
        }
        if age >= 2 * FRESH_FOR {
            entries.remove(key);
            return None;
        }
        match entry.claimed {
            Some(at) if at.elapsed() < FRESH_FOR => Some(entry.value.clone()),
            _ => {
                entry.claimed = Some(Instant::now());
                None
            }
        }
    }

    /// The fresh value, or the one `make` reads, kept when it is `Some`.
    pub async fn get_or_read<E, F, Fut>(&self, key: &str, make: F) -> Result<Option<V>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Option<V>, E>>,
    {
        if let Some(v) = self.get(key) {
            return Ok(Some(v));
        }
        let epoch = self.epoch();
        let value = make().await?;
        if let Some(v) = &value {
            self.put(key.to_string(), v.clone(), epoch);
        }
        Ok(value)
    }

    /// The clears so far: take it before making a value, give it to `put`.
    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Acquire)
    }

    /// Keeps `value` unless a clear happened since `epoch`.
    pub fn put(&self, key: String, value: V, epoch: u64) {
        let mut entries = self.lock();
        if self.epoch.load(Ordering::Acquire) == epoch {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert(key, Entry { made: Instant::now(), value, claimed: None });
        }
    }

    /// Forgets one value (its maker failed: nothing stale stands in for it).
    pub fn forget(&self, key: &str) {
        self.lock().remove(key);
    }

    pub fn clear(&self) {
        let mut entries = self.lock();
        self.epoch.fetch_add(1, Ordering::AcqRel);
        entries.clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry<V>>> {
        // A panic while holding the lock leaves nothing half-done worth keeping.
        self.entries.lock().unwrap_or_else(|poisoned| {
            let mut entries = poisoned.into_inner();
            entries.clear();
            entries
        })
    }
}

/// Whole public pages, cut where the visitor's CSRF token goes; and public
/// documents that are not pages (feeds, the sitemap), whole.
#[derive(Default)]
pub struct PageCache(Recent<Arc<Vec<String>>>, Recent<Arc<String>>);

impl PageCache {
    /// The page for `ctx` under `key`: from the cache when the caller is the
    /// anonymous public asking without a query string, else made by `make`.
    /// `make` gets the context to render with and returns the HTML.
    pub async fn public<F, Fut>(&self, ctx: PageCtx, key: &str, make: F) -> AppResult<Response>
    where
        F: FnOnce(PageCtx) -> Fut,
        Fut: Future<Output = AppResult<String>>,
    {
        let shared = ctx.0.actor.user().is_none() && ctx.0.query.is_empty();
        if !shared {
            return Ok(Html(make(ctx).await?).into_response());
        }
        let key = format!("{key}|{}", ctx.lang().tag());
        let token = ctx.0.csrf_token.clone();
        if let Some(parts) = self.0.get_or_claim(&key) {
            return Ok(Html(parts.join(&token)).into_response());
        }
        let epoch = self.0.epoch();
        let mut marked = ctx;
        marked.0.csrf_token = TOKEN_MARK.clone();
        let html = match make(marked).await {
            Ok(html) => html,
            Err(e) => {
                // The page cannot be made now (an event made internal or
                // cancelled elsewhere, a failing database): the stale copy
                // must not go on standing in for it.
                self.0.forget(&key);
                return Err(e);
            }
        };
        let parts: Vec<String> = html.split(TOKEN_MARK.as_str()).map(str::to_string).collect();
        let page = parts.join(&token);
        self.0.put(key, Arc::new(parts), epoch);
        Ok(Html(page).into_response())
    }

    /// A public document (the same for everyone: a feed, the sitemap) under
    /// `key`, made by `make` when it is not fresh.
    pub async fn document<F, Fut>(&self, key: &str, make: F) -> AppResult<Arc<String>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = AppResult<String>>,
    {
        let made =
            self.1.get_or_read(key, || async { make().await.map(|d| Some(Arc::new(d))) }).await?;
        made.ok_or_else(|| crate::error::AppError::internal("a document made as nothing"))
    }

    /// Forgets every page and document: called after each state-changing request.
    pub fn clear(&self) {
        self.0.clear();
        self.1.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Actor;
    use crate::error::AppError;
    use crate::i18n::Lang;
    use crate::web::ReqCtx;

    fn ctx(query: &str, token: &str) -> PageCtx {
        PageCtx(ReqCtx {
            lang: Lang::En,
            actor: Actor::Anonymous,
            csrf_token: token.into(),
            client_ip: "127.0.0.1".into(),
            path: "/events/x".into(),
            query: query.into(),
            is_api: false,
            secure: false,
            bad_credentials: false,
            pending_approvals: 0,
            back: None,
        })
    }

    async fn body(r: Response) -> String {
        let bytes = axum::body::to_bytes(r.into_body(), usize::MAX).await.unwrap();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    fn page(n: usize) -> impl FnOnce(PageCtx) -> std::future::Ready<AppResult<String>> {
        move |c: PageCtx| {
            std::future::ready(Ok(format!("<p>{n}</p><input value=\"{}\">", c.csrf())))
        }
    }

    #[test]
    fn a_stale_value_is_made_again_by_one_caller_while_others_get_it() {
        let recent: Recent<u32> = Recent::default();
        recent.put("k".into(), 1, recent.epoch());
        {
            let mut entries = recent.lock();
            entries.get_mut("k").unwrap().made = Instant::now() - FRESH_FOR;
        }
        assert_eq!(recent.get("k"), None, "stale is not fresh");
        assert_eq!(recent.get_or_claim("k"), None, "the first caller makes it");
        assert_eq!(recent.get_or_claim("k"), Some(1), "the others get the stale value");
        recent.put("k".into(), 2, recent.epoch());
        assert_eq!(recent.get_or_claim("k"), Some(2));
        // A value made across a clear is not kept.
        let epoch = recent.epoch();
        recent.clear();
        recent.put("k".into(), 3, epoch);
        assert_eq!(recent.get_or_claim("k"), None);
    }

    #[test]
    fn an_expired_value_is_gone() {
        let recent: Recent<u32> = Recent::default();
        recent.put("k".into(), 1, recent.epoch());
        recent.lock().get_mut("k").unwrap().made = Instant::now() - 2 * FRESH_FOR;
        assert_eq!(recent.get_or_claim("k"), None);
        assert_eq!(recent.get_or_claim("k"), None, "not served to the next caller either");
    }

    #[tokio::test]
    async fn a_page_that_cannot_be_made_again_is_not_served_stale() {
        let cache = PageCache::default();
        body(cache.public(ctx("", "aaa"), "k", page(1)).await.unwrap()).await;
        cache.0.lock().values_mut().for_each(|e| e.made = Instant::now() - FRESH_FOR);
        let gone = |_: PageCtx| std::future::ready(Err::<String, _>(AppError::NotFound));
        assert!(cache.public(ctx("", "bbb"), "k", gone).await.is_err(), "the maker's answer");
        // Others do not get the stale page meanwhile: it is made again.
        let next = body(cache.public(ctx("", "ccc"), "k", page(2)).await.unwrap()).await;
        assert_eq!(next, "<p>2</p><input value=\"ccc\">");
    }

    #[tokio::test]
    async fn the_public_gets_the_cached_page_with_its_own_token() {
        let cache = PageCache::default();
        let first = body(cache.public(ctx("", "aaa"), "k", page(1)).await.unwrap()).await;
        assert_eq!(first, "<p>1</p><input value=\"aaa\">");
        // Made once: the second maker is not asked.
        let second = body(cache.public(ctx("", "bbb"), "k", page(2)).await.unwrap()).await;
        assert_eq!(second, "<p>1</p><input value=\"bbb\">");
        // A query string, or a write, means a fresh page.
        let asked = body(cache.public(ctx("people=2", "ccc"), "k", page(3)).await.unwrap()).await;
        assert_eq!(asked, "<p>3</p><input value=\"ccc\">");
        cache.clear();
        let after = body(cache.public(ctx("", "ddd"), "k", page(4)).await.unwrap()).await;
        assert_eq!(after, "<p>4</p><input value=\"ddd\">");
    }
}
