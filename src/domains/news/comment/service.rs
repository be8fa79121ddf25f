//! Comments: anyone may comment on a published article — through a
//! honeypot and a minimum fill time instead of third-party CAPTCHAs, and a
//! per-address limit — and every comment is held until a moderator
//! (`Perm::WriteNews`) approves or rejects it. A moderator may block the
//! address or e-mail a comment came from; what they send afterwards is
//! dropped without a word. The e-mail is never shown to anyone; it and the
//! address are purged after [`COMMENT_RETENTION_DAYS`]; a block keeps only
//! a hash of what it blocks, for [`BLOCK_DAYS`].

use serde_json::json;

pub use super::store::Block;
use super::store::{self, NewComment};
use crate::audit::Who;
use crate::db::new_id;
use crate::domains::news::model::{
    Article, BlockKind, COMMENT_RETENTION_DAYS, Comment, CommentInput, CommentStatus, Spam, spam,
};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::throttle;
use crate::write::Write;

/// Days a block lasts (it keeps a hash of the address or e-mail).
pub const BLOCK_DAYS: i64 = 365;

/// Comments one address may send per hour.
pub const PER_ADDRESS: throttle::Limit =
    throttle::Limit { kind: "news_comment", max: 5, window_secs: 3600 };

/// A comment to post: the form as sent, and where it came from.
pub struct Posted<'a> {
    pub input: CommentInput,
    pub honeypot: &'a str,
    /// When the form was made (ms), as the form says.
    pub started_ms: Option<i64>,
    pub client_ip: &'a str,
    pub lang: Lang,
}

/// Posts a comment on a public article: held for moderation. A program
/// (the honeypot filled) and a blocked sender are told the same as anyone
/// ("held") and nothing is kept; sent too fast is a 422 asking for a
/// moment; past the per-address limit, 429.
pub async fn post(state: &AppState, who: &Who, a: &Article, p: Posted<'_>) -> AppResult<()> {
    // The audit log keeps no commenter's address: it is never purged.
    let who = Who { client_ip: String::new(), ..who.clone() };
    let mut w = Write::begin(state, &who).await?;
    let now = w.now();
    // The limit first: a program trying again and again is slowed too.
    throttle::hit(&mut w, PER_ADDRESS, p.client_ip, now).await?;
    match spam(p.honeypot, p.started_ms, now.millis()) {
        Spam::Honeypot => {
            w.commit().await?;
            return Ok(());
        }
        Spam::TooFast => {
            w.commit().await?;
            return Err(AppError::invalid("body", "news-comment-too-fast"));
        }
        Spam::No => {}
    }
    let (address, email) =
        (block_key(BlockKind::Address, p.client_ip), block_key(BlockKind::Email, &p.input.email));
    if store::blocked(&mut w, &a.center_id, &address, &email).await? {
        // The limit's count is kept: a blocked sender is slowed down too.
        w.commit().await?;
        return Ok(());
    }
    let id = new_id();
    let c = NewComment {
        id: &id,
        center_id: &a.center_id,
        article_id: &a.id,
        lang: p.lang.tag(),
        client_ip: p.client_ip,
        now: now.millis(),
        purge_at: now.millis() + COMMENT_RETENTION_DAYS * 86_400_000,
    };
    store::insert(&mut w, &c, &p.input).await?;
    w.audit(Some(&a.center_id), "news_comment", &id, "post", json!({"article": a.id})).await?;
    w.commit().await?;
    Ok(())
}

/// How a blocked address or e-mail is kept: a SHA-256 of the kind and the
/// value, so the list of blocks shows nobody's address (empty for none).
pub fn block_key(kind: BlockKind, value: &str) -> String {
    use sha2::{Digest, Sha256};
    let value = value.trim().to_lowercase();
    if value.is_empty() {
        return String::new();
    }
    hex::encode(Sha256::digest(format!("{}:{value}", kind.code())))
}

/// An article's approved comments, oldest first, a page at a time.
pub async fn approved(
    state: &AppState,
    article_id: &str,
    after_id: &str,
    limit: i64,
) -> AppResult<Vec<Comment>> {
    Ok(store::approved(&state.db, article_id, after_id, limit).await?)
}

/// The moderation queue (or the decided ones), oldest first.
pub async fn page(
    state: &AppState,
    center_id: &str,
    status: CommentStatus,
    after_id: &str,
    limit: i64,
) -> AppResult<Vec<Comment>> {
    Ok(store::page(&state.db, center_id, status, after_id, limit).await?)
}

pub async fn held_count(state: &AppState, center_id: &str) -> AppResult<i64> {
    Ok(store::held_count(&state.db, center_id).await?)
}

/// Approves or rejects a comment; an approved one may still be rejected
/// (taken down), a rejected one approved. 409 if it is already so, or was
/// decided by someone else meanwhile.
pub async fn decide(
    state: &AppState,
    who: &Who,
    user_id: &str,
    center_id: &str,
    id: &str,
    to: CommentStatus,
) -> AppResult<Comment> {
    if to == CommentStatus::Held {
        return Err(AppError::invalid("decision", "field-invalid-choice"));
    }
    let mut w = Write::begin(state, who).await?;
    let now = w.now().millis();
    let c = store::get(&mut w, center_id, id).await?.ok_or(AppError::NotFound)?;
    if c.status == to || !store::decide(&mut w, id, c.status, to, user_id, now).await? {
        return Err(AppError::Conflict {
            key: "news-comment-decided",
            conflicts: json!({"current_status": c.status.code()}),
        });
    }
    w.audit(Some(center_id), "news_comment", id, to.code(), json!({"from": c.status.code()}))
        .await?;
    w.commit().await?;
    Ok(Comment { status: to, ..c })
}

/// Blocks the address or e-mail a comment came from, and rejects what is
/// still held from it. 422 when the comment gave none (or it was purged).
pub async fn block(
    state: &AppState,
    who: &Who,
    user_id: &str,
    center_id: &str,
    comment_id: &str,
    kind: BlockKind,
) -> AppResult<u64> {
    let mut w = Write::begin(state, who).await?;
    let now = w.now().millis();
    let c = store::get(&mut w, center_id, comment_id).await?.ok_or(AppError::NotFound)?;
    let value = store::contact(&mut w, comment_id, kind).await?;
    if value.is_empty() {
        return Err(AppError::invalid("kind", "news-block-nothing"));
    }
    let block = store::NewBlock {
        id: &new_id(),
        center_id,
        kind,
        key: &block_key(kind, &value),
        label: &c.name,
        by: user_id,
        now,
        expires_at: now + BLOCK_DAYS * 86_400_000,
    };
    store::insert_block(&mut w, &block).await?;
    let rejected = store::reject_held_from(&mut w, center_id, kind, &value, user_id, now).await?;
    // The value itself is not written to the log: it is personal data.
    w.audit(
        Some(center_id),
        "news_comment",
        comment_id,
        "block",
        json!({"kind": kind.code(), "rejected": rejected}),
    )
    .await?;
    w.commit().await?;
    Ok(rejected)
}

pub async fn blocks(
    state: &AppState,
    center_id: &str,
    after_id: &str,
    limit: i64,
) -> AppResult<Vec<Block>> {
    Ok(store::blocks(&state.db, center_id, after_id, limit).await?)
}

/// Lifts a block.
pub async fn unblock(state: &AppState, who: &Who, center_id: &str, id: &str) -> AppResult<()> {
    let mut w = Write::begin(state, who).await?;
    if !store::delete_block(&mut w, center_id, id).await? {
        return Err(AppError::NotFound);
    }
    w.audit(Some(center_id), "news_block", id, "delete", json!({})).await?;
    w.commit().await?;
    Ok(())
}

/// Forgets commenters' e-mails and addresses past their retention date;
/// how many comments were purged.
pub async fn purge_expired(state: &AppState, who: &Who) -> AppResult<u64> {
    let mut w = Write::begin(state, who).await?;
    let now = w.now().millis();
    let n = store::purge(&mut w, now).await?;
    store::purge_blocks(&mut w, now).await?;
    if n > 0 {
        w.audit(None, "news_comment", "-", "purge", json!({"comments": n})).await?;
    }
    w.commit().await?;
    Ok(n)
}
