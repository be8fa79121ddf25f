//! The site's pages: read (as written, or the default text), and saved by
//! the senior editor (`Perm::PublishNews`) with the version they were read
//! at; each save is audited and checked against the glossary.

use serde_json::json;

use super::store;
use crate::audit::Who;
use crate::auth::{CurrentUser, Perm, allows};
use crate::bilingual::Place;
use crate::db::new_id;
use crate::domains::glossary::finding::service as glossary;
use crate::domains::news::model::{PageInput, PageKey, SitePage};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::write::Write;

/// The program's text for a page not yet written: its Fluent keys
/// `news-page-key-<key>` (title) and `news-page-default-<key>` (Markdown).
pub fn default_page(key: PageKey) -> SitePage {
    let body = format!("news-page-default-{}", key.code());
    SitePage {
        key,
        id: None,
        title_zh: Lang::Zh.t(&key.label_key()),
        title_en: Lang::En.t(&key.label_key()),
        body_zh: Lang::Zh.t(&body),
        body_en: Lang::En.t(&body),
        version: 0,
        updated_at: 0,
    }
}

/// The page as written, or its default text.
pub async fn get(state: &AppState, center_id: &str, key: PageKey) -> AppResult<SitePage> {
    Ok(store::get(&state.db, center_id, key).await?.unwrap_or_else(|| default_page(key)))
}

/// The key of a written page by its id (the glossary's findings name ids).
pub async fn key_of(state: &AppState, center_id: &str, id: &str) -> AppResult<PageKey> {
    store::key_of(&state.db, center_id, id).await?.ok_or(AppError::NotFound)
}

pub fn may_edit(user: &CurrentUser) -> bool {
    allows(Some(user.role), Perm::PublishNews)
}

/// Saves a page. `version` is what the editor read (0: the default text);
/// 409 if someone saved since.
pub async fn save(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    center_id: &str,
    key: PageKey,
    version: i64,
    input: PageInput,
) -> AppResult<SitePage> {
    if !may_edit(user) {
        return Err(AppError::Forbidden);
    }
    let checker = glossary::checker(state, center_id).await?;
    let mut w = Write::begin(state, who).await?;
    let now = w.now().millis();
    let saved = if version == 0 {
        store::insert(&mut w, &new_id(), center_id, key, &input, &user.id, now).await?
    } else {
        store::update(&mut w, center_id, key, version, &input, &user.id, now).await?
    };
    if !saved {
        return Err(AppError::Conflict { key: "news-saved-meanwhile", conflicts: json!({}) });
    }
    w.audit(Some(center_id), "site_page", key.code(), "update", json!({"version": version + 1}))
        .await?;
    if let Some(id) = store::id_in(&mut w, center_id, key).await? {
        glossary::recheck(&mut w, &checker, center_id, Place::Page, &id).await?;
    }
    w.commit().await?;
    get(state, center_id, key).await
}
