//! SQL for comments and blocks.

use sqlx::Row as _;

use crate::db::{Db, Row, Tx, code};
use crate::domains::news::model::{BlockKind, Comment, CommentInput, CommentStatus};

fn comment(r: &Row) -> Result<Comment, sqlx::Error> {
    Ok(Comment {
        id: r.try_get("id")?,
        article_id: r.try_get("article_id")?,
        status: code(r, "status", CommentStatus::parse)?,
        lang: r.try_get("lang")?,
        name: r.try_get("name")?,
        body: r.try_get("body")?,
        has_email: r.try_get::<Option<String>, _>("email")?.is_some_and(|e| !e.is_empty()),
        has_address: r.try_get::<Option<String>, _>("client_ip")?.is_some_and(|a| !a.is_empty()),
        created_at: r.try_get("created_at")?,
    })
}

/// What is stored besides the input.
pub struct NewComment<'a> {
    pub id: &'a str,
    pub center_id: &'a str,
    pub article_id: &'a str,
    pub lang: &'a str,
    pub client_ip: &'a str,
    pub now: i64,
    pub purge_at: i64,
}

pub async fn insert(
    tx: &mut Tx,
    c: &NewComment<'_>,
    input: &CommentInput,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO news_comment (id, center_id, article_id, status, lang, name, body, email, client_ip, created_at, purge_at)
         VALUES ($1, $2, $3, 'held', $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(c.id)
    .bind(c.center_id)
    .bind(c.article_id)
    .bind(c.lang)
    .bind(&input.name)
    .bind(&input.body)
    .bind((!input.email.is_empty()).then_some(input.email.as_str()))
    .bind(c.client_ip)
    .bind(c.now)
    .bind(c.purge_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Whether the address or the e-mail (each as its block key) is blocked
/// in the center.
pub async fn blocked(
    tx: &mut Tx,
    center_id: &str,
    address: &str,
    email: &str,
) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM news_block WHERE center_id = $1
           AND ((kind = 'address' AND value = $2 AND $2 <> '') OR (kind = 'email' AND value = $3 AND $3 <> ''))",
    )
    .bind(center_id)
    .bind(address)
    .bind(email)
    .fetch_one(&mut **tx)
    .await?
    .try_get("n")?;
    Ok(n > 0)
}

/// The approved comments of an article, oldest first, after `after_id`.
pub async fn approved(
    db: &Db,
    article_id: &str,
    after_id: &str,
    limit: i64,
) -> Result<Vec<Comment>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT * FROM news_comment WHERE article_id = $1 AND status = 'approved' AND id > $2 ORDER BY id LIMIT $3",
    )
    .bind(article_id)
    .bind(after_id)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(comment).collect()
}

/// A page of the center's comments in one status, oldest first.
pub async fn page(
    db: &Db,
    center_id: &str,
    status: CommentStatus,
    after_id: &str,
    limit: i64,
) -> Result<Vec<Comment>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT * FROM news_comment WHERE center_id = $1 AND status = $2 AND id > $3 ORDER BY id LIMIT $4",
    )
    .bind(center_id)
    .bind(status.code())
    .bind(after_id)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(comment).collect()
}

pub async fn held_count(db: &Db, center_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) AS n FROM news_comment WHERE center_id = $1 AND status = 'held'")
        .bind(center_id)
        .fetch_one(&db.pool)
        .await?
        .try_get("n")
}

pub async fn get(tx: &mut Tx, center_id: &str, id: &str) -> Result<Option<Comment>, sqlx::Error> {
    let row = sqlx::query("SELECT * FROM news_comment WHERE center_id = $1 AND id = $2")
        .bind(center_id)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    row.as_ref().map(comment).transpose()
}

/// The comment's address or e-mail, to block it (empty once purged).
pub async fn contact(tx: &mut Tx, id: &str, kind: BlockKind) -> Result<String, sqlx::Error> {
    let sql = match kind {
        BlockKind::Address => "SELECT COALESCE(client_ip, '') AS v FROM news_comment WHERE id = $1",
        BlockKind::Email => "SELECT COALESCE(email, '') AS v FROM news_comment WHERE id = $1",
    };
    sqlx::query(sql).bind(id).fetch_one(&mut **tx).await?.try_get("v")
}

/// Decides a comment if it is still in `from`; false if it moved meanwhile.
pub async fn decide(
    tx: &mut Tx,
    id: &str,
    from: CommentStatus,
    to: CommentStatus,
    by: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE news_comment SET status = $3, decided_at = $4, decided_by = $5 WHERE id = $1 AND status = $2",
    )
    .bind(id)
    .bind(from.code())
    .bind(to.code())
    .bind(now)
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Rejects every held comment from this address or e-mail (after a block).
pub async fn reject_held_from(
    tx: &mut Tx,
    center_id: &str,
    kind: BlockKind,
    value: &str,
    by: &str,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let sql = match kind {
        BlockKind::Address => {
            "UPDATE news_comment SET status = 'rejected', decided_at = $3, decided_by = $4
             WHERE center_id = $1 AND status = 'held' AND client_ip = $2"
        }
        BlockKind::Email => {
            "UPDATE news_comment SET status = 'rejected', decided_at = $3, decided_by = $4
             WHERE center_id = $1 AND status = 'held' AND email = $2"
        }
    };
    let done =
        sqlx::query(sql).bind(center_id).bind(value).bind(now).bind(by).execute(&mut **tx).await?;
    Ok(done.rows_affected())
}

/// A block as kept: never the address or e-mail itself.
#[derive(Debug, Clone)]
pub struct Block {
    pub id: String,
    pub kind: BlockKind,
    /// The name on the comment it was made from.
    pub label: String,
    pub created_at: i64,
    pub expires_at: i64,
}

fn block(r: &Row) -> Result<Block, sqlx::Error> {
    Ok(Block {
        id: r.try_get("id")?,
        kind: code(r, "kind", BlockKind::parse)?,
        label: r.try_get("label")?,
        created_at: r.try_get("created_at")?,
        expires_at: r.try_get("expires_at")?,
    })
}

/// A block to add.
pub struct NewBlock<'a> {
    pub id: &'a str,
    pub center_id: &'a str,
    pub kind: BlockKind,
    /// The hash of the address or e-mail (`service::block_key`).
    pub key: &'a str,
    pub label: &'a str,
    pub by: &'a str,
    pub now: i64,
    pub expires_at: i64,
}

/// Adds a block (a block the center has is renewed).
pub async fn insert_block(tx: &mut Tx, b: &NewBlock<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO news_block (id, center_id, kind, value, label, created_at, created_by, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (center_id, kind, value) DO UPDATE SET expires_at = excluded.expires_at",
    )
    .bind(b.id)
    .bind(b.center_id)
    .bind(b.kind.code())
    .bind(b.key)
    .bind(b.label)
    .bind(b.now)
    .bind(b.by)
    .bind(b.expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Forgets blocks past their time.
pub async fn purge_blocks(tx: &mut Tx, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM news_block WHERE expires_at <= $1")
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}

pub async fn blocks(
    db: &Db,
    center_id: &str,
    after_id: &str,
    limit: i64,
) -> Result<Vec<Block>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT * FROM news_block WHERE center_id = $1 AND id > $2 ORDER BY id LIMIT $3",
    )
    .bind(center_id)
    .bind(after_id)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(block).collect()
}

pub async fn delete_block(tx: &mut Tx, center_id: &str, id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM news_block WHERE center_id = $1 AND id = $2")
        .bind(center_id)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Forgets the e-mail and address of comments past their retention date.
pub async fn purge(tx: &mut Tx, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE news_comment SET email = NULL, client_ip = NULL
         WHERE purge_at <= $1 AND (email IS NOT NULL OR client_ip IS NOT NULL)",
    )
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}
