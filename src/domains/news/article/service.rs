//! Articles: drafting in either language, the editorial workflow by role,
//! the senior editor's decisions, revisions, the "may be out of date" flags,
//! and what the public site reads. Writers (`Perm::WriteNews`: staff,
//! translators, admins) draft, edit and submit; the senior editor
//! (`Perm::PublishNews`) approves, publishes, withdraws and decides that an
//! article goes out in Chinese only. Every save is a revision; every step is
//! audited; every save re-checks the article against the glossary.

use serde_json::json;

use super::store::{self, Saved};
use crate::audit::Who;
use crate::auth::{CurrentUser, Perm, allows};
use crate::bilingual::Place;
use crate::clock::Instant;
use crate::db::{new_id, unique_violation};
use crate::domains::accounts::service as accounts;
use crate::domains::centers::service as centers;
use crate::domains::events::event::service as events;
use crate::domains::glossary::finding::service as glossary;
use crate::domains::news::model::{
    Article, ArticleInput, ArticleStatus, Cover, Revision, Step, missing, numbered, slugify,
    stale_after,
};
use crate::error::{AppError, AppResult};
use crate::i18n::{Bilingual, Lang};
use crate::notify::Message;
use crate::state::AppState;
use crate::write::Write;

/// Whether the user drafts and edits articles.
pub fn may_write(user: &CurrentUser) -> bool {
    allows(Some(user.role), Perm::WriteNews)
}

/// Whether the user is a senior editor: approves, publishes, withdraws.
pub fn is_editor(user: &CurrentUser) -> bool {
    allows(Some(user.role), Perm::PublishNews)
}

/// A page of the center's articles, newest first.
pub async fn page(
    state: &AppState,
    center_id: &str,
    status: Option<ArticleStatus>,
    words: &str,
    before_id: &str,
    limit: i64,
) -> AppResult<Vec<Article>> {
    crate::validate::search_words(words)?;
    Ok(store::page(&state.db, center_id, status, words, before_id, limit).await?)
}

pub async fn get(state: &AppState, center_id: &str, id: &str) -> AppResult<Article> {
    store::get(&state.db, center_id, id).await?.ok_or(AppError::NotFound)
}

/// The related zone and event must be the center's own.
async fn check_links(state: &AppState, center_id: &str, input: &ArticleInput) -> AppResult<()> {
    let mut errors = vec![];
    if let Some(zone) = &input.zone_id {
        let zones = centers::zones(state, center_id).await?;
        if !zones.iter().any(|z| &z.id == zone) {
            errors.push(crate::error::FieldError::new("zone_id", "field-invalid-choice"));
        }
    }
    if let Some(event) = &input.event_id {
        let ours = match events::get(state, event).await {
            Ok(e) => e.center_id == center_id,
            Err(AppError::NotFound) => false,
            Err(e) => return Err(e),
        };
        if !ours {
            errors.push(crate::error::FieldError::new("event_id", "field-invalid-choice"));
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(AppError::Invalid(errors)) }
}

/// The slug for one language as saved: as typed (refused if another
/// article has it); else the one it has; else none yet.
async fn slug_for(
    w: &mut Write,
    center_id: &str,
    id: &str,
    lang: Lang,
    typed: &str,
    current: &str,
) -> AppResult<Option<String>> {
    if !typed.is_empty() {
        if store::slug_taken(w, center_id, lang, typed, id).await? {
            return Err(AppError::invalid(&format!("slug_{}", lang_code(lang)), "news-slug-taken"));
        }
        return Ok(Some(typed.to_string()));
    }
    Ok((!current.is_empty()).then(|| current.to_string()))
}

/// The slug made when an article without one is first published: from the
/// English title if there is one (pinyin cannot tell 成都's 都 from 都市's),
/// else the Chinese in pinyin; numbered if taken.
async fn made_slug(
    w: &mut Write,
    center_id: &str,
    id: &str,
    lang: Lang,
    texts: &crate::domains::news::model::Texts,
) -> AppResult<String> {
    let title = Lang::En.pick_either(&texts.zh.title, &texts.en.title);
    let mut base = slugify(title);
    if base.is_empty() {
        base = "article".into();
    }
    let mut slug = base.clone();
    let mut n = 2;
    while store::slug_taken(w, center_id, lang, &slug, id).await? {
        slug = numbered(&base, n);
        n += 1;
    }
    Ok(slug)
}

fn lang_code(lang: Lang) -> &'static str {
    crate::domains::news::model::lang_segment(lang)
}

fn slug_refused(e: sqlx::Error) -> AppError {
    match unique_violation(&e, store::UNIQUE) {
        Some(c) if c.contains("slug_zh") => AppError::invalid("slug_zh", "news-slug-taken"),
        Some(_) => AppError::invalid("slug_en", "news-slug-taken"),
        None => e.into(),
    }
}

/// Re-checks the article's texts against the glossary, in the save's write.
async fn recheck(
    w: &mut Write,
    checker: &crate::domains::glossary::model::Checker,
    center_id: &str,
    id: &str,
) -> AppResult<()> {
    glossary::recheck(w, checker, center_id, Place::Article, id).await?;
    Ok(())
}

/// A new draft.
pub async fn create(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    center_id: &str,
    input: ArticleInput,
) -> AppResult<Article> {
    if !may_write(user) {
        return Err(AppError::Forbidden);
    }
    if input.chinese_only == Some(true) && !is_editor(user) {
        return Err(AppError::Forbidden);
    }
    check_links(state, center_id, &input).await?;
    let checker = glossary::checker(state, center_id).await?;
    let id = new_id();
    let mut w = Write::begin(state, who).await?;
    let now = w.now().millis();
    let slug_zh = slug_for(&mut w, center_id, &id, Lang::Zh, &input.slug_zh, "").await?;
    let slug_en = slug_for(&mut w, center_id, &id, Lang::En, &input.slug_en, "").await?;
    let saved = Saved {
        slug_zh: slug_zh.as_deref(),
        slug_en: slug_en.as_deref(),
        chinese_only: input.chinese_only.unwrap_or(false),
        stale: (false, false),
        now,
    };
    store::insert(&mut w, &id, center_id, &input, &saved, &user.id).await.map_err(slug_refused)?;
    store::insert_revision(&mut w, &id, 1, &input.texts, "create", &user.display_name, now).await?;
    w.audit(
        Some(center_id),
        "news_article",
        &id,
        "create",
        json!({
            "title_zh": input.texts.zh.title, "title_en": input.texts.en.title,
        }),
    )
    .await?;
    recheck(&mut w, &checker, center_id, &id).await?;
    w.commit().await?;
    get(state, center_id, &id).await
}

/// Saves an edit. With `version`, refused (409) if someone saved since that
/// version was read; a language changed after approval flags the other.
pub async fn update(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    center_id: &str,
    id: &str,
    version: Option<i64>,
    input: ArticleInput,
) -> AppResult<Article> {
    if !may_write(user) {
        return Err(AppError::Forbidden);
    }
    check_links(state, center_id, &input).await?;
    let checker = glossary::checker(state, center_id).await?;
    let mut w = Write::begin(state, who).await?;
    let now = w.now().millis();
    let before = store::get_in(&mut w, center_id, id).await?.ok_or(AppError::NotFound)?;
    if version.is_some_and(|v| v != before.version) {
        return Err(AppError::Conflict {
            key: "news-saved-meanwhile",
            conflicts: json!({"version": before.version, "by_version": version}),
        });
    }
    let chinese_only = input.chinese_only.unwrap_or(before.chinese_only);
    let editor = is_editor(user);
    if chinese_only != before.chinese_only && !editor {
        return Err(AppError::Forbidden);
    }
    // What is public under the senior editor's name changes only by them;
    // and it keeps what publishing needed.
    if before.status == ArticleStatus::Published {
        if !editor {
            return Err(AppError::Conflict {
                key: "news-published-needs-editor",
                conflicts: json!({"current_status": before.status.code()}),
            });
        }
        let gaps = missing(&input.texts, chinese_only);
        if !gaps.is_empty() {
            return Err(AppError::Invalid(gaps));
        }
    }
    // A writer's change to an approved article goes back to review.
    let status = if before.status == ArticleStatus::Approved && !editor {
        ArticleStatus::Review
    } else {
        before.status
    };
    let slug_zh =
        slug_for(&mut w, center_id, id, Lang::Zh, &input.slug_zh, &before.slug_zh).await?;
    let slug_en =
        slug_for(&mut w, center_id, id, Lang::En, &input.slug_en, &before.slug_en).await?;
    let stale = stale_after(
        &before.texts,
        &input.texts,
        before.approved_once,
        (before.zh_stale, before.en_stale),
        chinese_only,
    );
    let saved = Saved {
        slug_zh: slug_zh.as_deref(),
        slug_en: slug_en.as_deref(),
        chinese_only,
        stale,
        now,
    };
    if !store::update(&mut w, id, before.version, status, &input, &saved)
        .await
        .map_err(slug_refused)?
    {
        return Err(AppError::Conflict { key: "news-saved-meanwhile", conflicts: json!({}) });
    }
    if before.texts != input.texts {
        let n = before.version + 1;
        store::insert_revision(&mut w, id, n, &input.texts, "edit", &user.display_name, now)
            .await?;
    }
    w.audit(
        Some(center_id),
        "news_article",
        id,
        "update",
        json!({
            "version": before.version + 1,
            "zh_changed": before.texts.zh != input.texts.zh,
            "en_changed": before.texts.en != input.texts.en,
            "chinese_only": chinese_only,
        "status": status.code(),
            "may_be_out_of_date": {"zh": stale.0, "en": stale.1},
        }),
    )
    .await?;
    recheck(&mut w, &checker, center_id, id).await?;
    w.commit().await?;
    get(state, center_id, id).await
}

/// Sets the cover picture (kept by `images::keep`, with its alt text in
/// both languages) or removes it (`None`), on `version` (409 if saved
/// since); a published article's cover changes by the senior editor only.
#[allow(clippy::too_many_arguments)]
pub async fn set_cover(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    center_id: &str,
    id: &str,
    version: i64,
    cover: Option<Cover>,
    alt: (String, String),
) -> AppResult<Article> {
    if !may_write(user) {
        return Err(AppError::Forbidden);
    }
    let mut w = Write::begin(state, who).await?;
    let now = w.now().millis();
    let a = store::get_in(&mut w, center_id, id).await?.ok_or(AppError::NotFound)?;
    if a.status == ArticleStatus::Published && !is_editor(user) {
        return Err(AppError::Conflict {
            key: "news-published-needs-editor",
            conflicts: json!({"current_status": a.status.code()}),
        });
    }
    // As with the texts: a writer's change to an approved article goes back to review.
    let status = if a.status == ArticleStatus::Approved && !is_editor(user) {
        ArticleStatus::Review
    } else {
        a.status
    };
    if !store::set_cover(&mut w, id, version, cover.as_ref(), (&alt.0, &alt.1), status, now).await?
    {
        return Err(AppError::Conflict {
            key: "news-saved-meanwhile",
            conflicts: json!({"version": a.version, "by_version": version}),
        });
    }
    let what =
        json!({"cover": cover.as_ref().map(|c| c.key.clone()), "alt_zh": alt.0, "alt_en": alt.1});
    w.audit(Some(center_id), "news_article", id, "cover", what).await?;
    w.commit().await?;
    get(state, center_id, id).await
}

/// The steps this user may take on the article now.
pub fn steps_for(user: &CurrentUser, a: &Article) -> Vec<Step> {
    let mut steps: Vec<Step> = a
        .status
        .steps()
        .into_iter()
        .filter(|s| if s.needs_editor() { is_editor(user) } else { may_write(user) })
        .collect();
    if (a.zh_stale || a.en_stale) && is_editor(user) {
        steps.push(Step::Confirm);
    }
    steps
}

/// Moves the article along its workflow. A step not possible from its
/// status is 409 with the steps that are; approving and publishing need
/// both languages (or the Chinese-only decision), else 422 naming what is
/// missing. `at` schedules publication (now when absent).
#[allow(clippy::too_many_arguments)]
pub async fn take_step(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    center_id: &str,
    id: &str,
    step: Step,
    at: Option<Instant>,
    version: Option<i64>,
) -> AppResult<Article> {
    if !may_write(user) || (step.needs_editor() && !is_editor(user)) {
        return Err(AppError::Forbidden);
    }
    let mut w = Write::begin(state, who).await?;
    let now = w.now();
    let a = store::get_in(&mut w, center_id, id).await?.ok_or(AppError::NotFound)?;
    // A step is taken on the text the person read (the page sends its version).
    if version.is_some_and(|v| v != a.version) {
        return Err(AppError::Conflict {
            key: "news-saved-meanwhile",
            conflicts: json!({"version": a.version, "by_version": version}),
        });
    }
    let to = match step.from(a.status) {
        Some(to) if step != Step::Confirm || a.zh_stale || a.en_stale => to,
        _ => {
            let allowed: Vec<&str> = steps_for(user, &a).iter().map(|s| s.code()).collect();
            return Err(AppError::Conflict {
                key: "news-step-not-allowed",
                conflicts: json!({"current_status": a.status.code(), "allowed_steps": allowed}),
            });
        }
    };
    if matches!(step, Step::Approve | Step::Publish) {
        let gaps = missing(&a.texts, a.chinese_only);
        if !gaps.is_empty() {
            return Err(AppError::Invalid(gaps));
        }
    }
    let publish_at = at.unwrap_or(now).millis();
    let editor = if step == Step::Approve { user.display_name.as_str() } else { &a.editor_name };
    let mut slugs = (a.slug_zh.clone(), a.slug_en.clone());
    if step == Step::Publish {
        if slugs.0.is_empty() {
            slugs.0 = made_slug(&mut w, center_id, id, Lang::Zh, &a.texts).await?;
        }
        if slugs.1.is_empty() {
            slugs.1 = made_slug(&mut w, center_id, id, Lang::En, &a.texts).await?;
        }
    }
    let slugs = (slugs.0.as_str(), slugs.1.as_str());
    if !store::step(&mut w, id, a.status, step, to, editor, publish_at, slugs, now.millis())
        .await
        .map_err(slug_refused)?
    {
        return Err(AppError::Conflict {
            key: "news-step-not-allowed",
            conflicts: json!({"current_status": a.status.code(), "allowed_steps": []}),
        });
    }
    let mut summary = json!({"from": a.status.code(), "to": to.code()});
    if step == Step::Publish {
        summary["published_at"] = json!(Instant(publish_at).rfc3339_in(&jiff::tz::TimeZone::UTC));
    }
    w.audit(Some(center_id), "news_article", id, step.code(), summary).await?;
    tell(state, &mut w, user, center_id, &a, step).await?;
    w.commit().await?;
    get(state, center_id, id).await
}

/// Who hears of a step: the senior editors when an article is submitted;
/// its author when it is returned, approved or published (unless they took
/// the step themselves).
async fn tell(
    state: &AppState,
    w: &mut Write,
    user: &CurrentUser,
    center_id: &str,
    a: &Article,
    step: Step,
) -> AppResult<()> {
    let to: Vec<String> = match step {
        Step::Submit => accounts::users_in(state, center_id)
            .await?
            .into_iter()
            .filter(|u| u.active && allows(Some(u.role), Perm::PublishNews) && u.id != user.id)
            .map(|u| u.id)
            .collect(),
        Step::Return | Step::Approve | Step::Publish if a.created_by != user.id => {
            vec![a.created_by.clone()]
        }
        _ => vec![],
    };
    let title = Bilingual::new(
        Lang::Zh.pick_either(&a.texts.zh.title, &a.texts.en.title),
        Lang::En.pick_either(&a.texts.zh.title, &a.texts.en.title),
    );
    for user_id in to {
        let message = Message {
            kind: "news_step".into(),
            subject_id: a.id.clone(),
            key: format!("notify-news-{}", step.code()),
            args: vec![
                ("title".into(), title.clone()),
                ("by".into(), Bilingual::new(user.display_name.clone(), user.display_name.clone())),
            ],
            reason: String::new(),
            link: format!("/news/articles/{}", a.id),
        };
        w.notify(&user_id, &message).await?;
    }
    Ok(())
}

/// A page of the article's revisions, the newest first.
pub async fn revisions(
    state: &AppState,
    center_id: &str,
    id: &str,
    before: i64,
    limit: i64,
) -> AppResult<Vec<Revision>> {
    let a = get(state, center_id, id).await?;
    Ok(store::revisions(&state.db, &a.id, before, limit).await?)
}

/// Revision `n` and the one before it (none for the first).
pub async fn revision_pair(
    state: &AppState,
    center_id: &str,
    id: &str,
    n: i64,
) -> AppResult<(Option<Revision>, Revision)> {
    let a = get(state, center_id, id).await?;
    let this = store::revision_n(&state.db, &a.id, n).await?.ok_or(AppError::NotFound)?;
    let before = store::revisions(&state.db, &a.id, n, 1).await?.into_iter().next();
    Ok((before, this))
}

/// Public articles, the latest first, before `(published_at, id)`.
pub async fn public_page(
    state: &AppState,
    center_id: &str,
    before: (i64, &str),
    limit: i64,
) -> AppResult<Vec<Article>> {
    let now = state.clock.now().millis();
    Ok(store::public_page(&state.db, center_id, now, before, limit).await?)
}

/// The addresses of public articles (slugs zh/en) with when each last
/// changed, the latest published first: the sitemap's.
pub async fn public_links(
    state: &AppState,
    center_id: &str,
    limit: i64,
) -> AppResult<Vec<((String, String), i64)>> {
    let now = state.clock.now().millis();
    Ok(store::public_links(&state.db, center_id, now, limit).await?)
}

/// A public article by its slug in one language.
pub async fn public_by_slug(
    state: &AppState,
    center_id: &str,
    lang: Lang,
    slug: &str,
) -> AppResult<Article> {
    let now = state.clock.now().millis();
    store::public_by_slug(&state.db, center_id, lang, slug, now).await?.ok_or(AppError::NotFound)
}
