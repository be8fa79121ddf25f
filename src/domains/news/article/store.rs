//! SQL for articles and their revisions.

use sqlx::Row as _;

use crate::db::{Db, Row, Tx, code, contains_pattern};
use crate::domains::news::model::{
    Article, ArticleInput, ArticleStatus, Cover, Revision, Side, Step, Texts,
};
use crate::i18n::Lang;

/// Slugs are unique per center and language.
pub const UNIQUE: &[(&str, &str)] = &[
    ("news_article_slug_zh_key", "news_article.center_id, news_article.slug_zh"),
    ("news_article_slug_en_key", "news_article.center_id, news_article.slug_en"),
];

fn flag(r: &Row, col: &str) -> Result<bool, sqlx::Error> {
    Ok(r.try_get::<i64, _>(col)? != 0)
}

fn texts(r: &Row) -> Result<Texts, sqlx::Error> {
    Ok(Texts {
        zh: Side {
            title: r.try_get("title_zh")?,
            summary: r.try_get("summary_zh")?,
            body: r.try_get("body_zh")?,
        },
        en: Side {
            title: r.try_get("title_en")?,
            summary: r.try_get("summary_en")?,
            body: r.try_get("body_en")?,
        },
    })
}

fn article(r: &Row) -> Result<Article, sqlx::Error> {
    let tags: String = r.try_get("tags")?;
    Ok(Article {
        id: r.try_get("id")?,
        center_id: r.try_get("center_id")?,
        status: code(r, "status", ArticleStatus::parse)?,
        slug_zh: r.try_get::<Option<String>, _>("slug_zh")?.unwrap_or_default(),
        slug_en: r.try_get::<Option<String>, _>("slug_en")?.unwrap_or_default(),
        texts: texts(r)?,
        tags: tags.lines().filter(|l| !l.is_empty()).map(str::to_string).collect(),
        zone_id: r.try_get("zone_id")?,
        event_id: r.try_get("event_id")?,
        cover: match r.try_get::<Option<String>, _>("cover_key")? {
            Some(key) => {
                Some(Cover { key, width: r.try_get("cover_w")?, height: r.try_get("cover_h")? })
            }
            None => None,
        },
        cover_alt_zh: r.try_get("cover_alt_zh")?,
        cover_alt_en: r.try_get("cover_alt_en")?,
        source: r.try_get("source")?,
        typesetter: r.try_get("typesetter")?,
        editor_name: r.try_get("editor_name")?,
        chinese_only: flag(r, "chinese_only")?,
        zh_stale: flag(r, "zh_stale")?,
        en_stale: flag(r, "en_stale")?,
        approved_once: flag(r, "approved_once")?,
        published_at: r.try_get("published_at")?,
        version: r.try_get("version")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

pub async fn get(db: &Db, center_id: &str, id: &str) -> Result<Option<Article>, sqlx::Error> {
    let row = sqlx::query("SELECT * FROM news_article WHERE center_id = $1 AND id = $2")
        .bind(center_id)
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(article).transpose()
}

/// The article as it is inside a write.
pub async fn get_in(
    tx: &mut Tx,
    center_id: &str,
    id: &str,
) -> Result<Option<Article>, sqlx::Error> {
    let row = sqlx::query("SELECT * FROM news_article WHERE center_id = $1 AND id = $2")
        .bind(center_id)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    row.as_ref().map(article).transpose()
}

/// A public article by its slug in one language (published, its time come).
pub async fn public_by_slug(
    db: &Db,
    center_id: &str,
    lang: Lang,
    slug: &str,
    now: i64,
) -> Result<Option<Article>, sqlx::Error> {
    let sql = match lang {
        Lang::Zh => {
            "SELECT * FROM news_article WHERE center_id = $1 AND slug_zh = $2
               AND status = 'published' AND published_at <= $3"
        }
        Lang::En => {
            "SELECT * FROM news_article WHERE center_id = $1 AND slug_en = $2
               AND status = 'published' AND published_at <= $3"
        }
    };
    let row =
        sqlx::query(sql).bind(center_id).bind(slug).bind(now).fetch_optional(&db.pool).await?;
    row.as_ref().map(article).transpose()
}

/// A page of the center's articles, newest first, filtered by status and
/// words in either language's title.
pub async fn page(
    db: &Db,
    center_id: &str,
    status: Option<ArticleStatus>,
    words: &str,
    before_id: &str,
    limit: i64,
) -> Result<Vec<Article>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT * FROM news_article WHERE center_id = $1 AND ($2 = '' OR id < $2)
           AND ($3 = '' OR status = $3)
           AND ($4 = '' OR LOWER(title_zh) LIKE $5 ESCAPE '\\' OR LOWER(title_en) LIKE $5 ESCAPE '\\')
         ORDER BY id DESC LIMIT $6",
    )
    .bind(center_id)
    .bind(before_id)
    .bind(status.map(|s| s.code()).unwrap_or(""))
    .bind(words.trim())
    .bind(contains_pattern(words))
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(article).collect()
}

/// A page of public articles, the latest published first, before the
/// cursor `(published_at, id)`.
pub async fn public_page(
    db: &Db,
    center_id: &str,
    now: i64,
    before: (i64, &str),
    limit: i64,
) -> Result<Vec<Article>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT * FROM news_article WHERE center_id = $1 AND status = 'published' AND published_at <= $2
           AND (published_at < $3 OR (published_at = $3 AND id < $4))
         ORDER BY published_at DESC, id DESC LIMIT $5",
    )
    .bind(center_id)
    .bind(now)
    .bind(before.0)
    .bind(before.1)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(article).collect()
}

/// Slugs and last change of public articles, latest published first.
pub async fn public_links(
    db: &Db,
    center_id: &str,
    now: i64,
    limit: i64,
) -> Result<Vec<((String, String), i64)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT slug_zh, slug_en, updated_at FROM news_article
         WHERE center_id = $1 AND status = 'published' AND published_at <= $2
         ORDER BY published_at DESC, id DESC LIMIT $3",
    )
    .bind(center_id)
    .bind(now)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let zh: Option<String> = r.try_get("slug_zh")?;
            let en: Option<String> = r.try_get("slug_en")?;
            Ok(((zh.unwrap_or_default(), en.unwrap_or_default()), r.try_get("updated_at")?))
        })
        .collect()
}

/// Whether another article of the center has this slug in this language.
pub async fn slug_taken(
    tx: &mut Tx,
    center_id: &str,
    lang: Lang,
    slug: &str,
    except_id: &str,
) -> Result<bool, sqlx::Error> {
    let sql = match lang {
        Lang::Zh => {
            "SELECT COUNT(*) AS n FROM news_article WHERE center_id = $1 AND slug_zh = $2 AND id <> $3"
        }
        Lang::En => {
            "SELECT COUNT(*) AS n FROM news_article WHERE center_id = $1 AND slug_en = $2 AND id <> $3"
        }
    };
    let n: i64 = sqlx::query(sql)
        .bind(center_id)
        .bind(slug)
        .bind(except_id)
        .fetch_one(&mut **tx)
        .await?
        .try_get("n")?;
    Ok(n > 0)
}

/// What a save writes besides the input.
pub struct Saved<'a> {
    /// None: not yet chosen (made when first published).
    pub slug_zh: Option<&'a str>,
    pub slug_en: Option<&'a str>,
    pub chinese_only: bool,
    pub stale: (bool, bool),
    pub now: i64,
}

pub async fn insert(
    tx: &mut Tx,
    id: &str,
    center_id: &str,
    input: &ArticleInput,
    s: &Saved<'_>,
    created_by: &str,
) -> Result<(), sqlx::Error> {
    let t = &input.texts;
    sqlx::query(
        "INSERT INTO news_article (id, center_id, status, slug_zh, slug_en, title_zh, title_en, summary_zh, summary_en,
           body_zh, body_en, tags, zone_id, event_id, source, typesetter, chinese_only, version, created_by, created_at, updated_at)
         VALUES ($1, $2, 'draft', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 1, $17, $18, $18)",
    )
    .bind(id)
    .bind(center_id)
    .bind(s.slug_zh)
    .bind(s.slug_en)
    .bind(&t.zh.title)
    .bind(&t.en.title)
    .bind(&t.zh.summary)
    .bind(&t.en.summary)
    .bind(&t.zh.body)
    .bind(&t.en.body)
    .bind(input.tags.join("\n"))
    .bind(&input.zone_id)
    .bind(&input.event_id)
    .bind(&input.source)
    .bind(&input.typesetter)
    .bind(i64::from(s.chinese_only))
    .bind(created_by)
    .bind(s.now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Saves new texts and details if the article is still at `version`; the
/// version moves on by one. False if someone saved in between.
pub async fn update(
    tx: &mut Tx,
    id: &str,
    version: i64,
    status: ArticleStatus,
    input: &ArticleInput,
    s: &Saved<'_>,
) -> Result<bool, sqlx::Error> {
    let t = &input.texts;
    let done = sqlx::query(
        "UPDATE news_article SET slug_zh = $3, slug_en = $4, title_zh = $5, title_en = $6, summary_zh = $7,
           summary_en = $8, body_zh = $9, body_en = $10, tags = $11, zone_id = $12, event_id = $13, source = $14,
           typesetter = $15, chinese_only = $16, zh_stale = $17, en_stale = $18, version = version + 1, updated_at = $19,
           status = $20
         WHERE id = $1 AND version = $2",
    )
    .bind(id)
    .bind(version)
    .bind(s.slug_zh)
    .bind(s.slug_en)
    .bind(&t.zh.title)
    .bind(&t.en.title)
    .bind(&t.zh.summary)
    .bind(&t.en.summary)
    .bind(&t.zh.body)
    .bind(&t.en.body)
    .bind(input.tags.join("\n"))
    .bind(&input.zone_id)
    .bind(&input.event_id)
    .bind(&input.source)
    .bind(&input.typesetter)
    .bind(i64::from(s.chinese_only))
    .bind(i64::from(s.stale.0))
    .bind(i64::from(s.stale.1))
    .bind(s.now)
    .bind(status.code())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets (or removes) the cover if the article is still at `version`; the
/// version moves on. False if someone saved in between.
pub async fn set_cover(
    tx: &mut Tx,
    id: &str,
    version: i64,
    cover: Option<&Cover>,
    alt: (&str, &str),
    status: ArticleStatus,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE news_article SET cover_key = $3, cover_w = $4, cover_h = $5, cover_alt_zh = $6, cover_alt_en = $7,
           version = version + 1, updated_at = $8, status = $9
         WHERE id = $1 AND version = $2",
    )
    .bind(id)
    .bind(version)
    .bind(cover.map(|c| c.key.as_str()))
    .bind(cover.map(|c| c.width).unwrap_or(0))
    .bind(cover.map(|c| c.height).unwrap_or(0))
    .bind(alt.0)
    .bind(alt.1)
    .bind(now)
    .bind(status.code())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Takes a workflow step if the article is still in `from`: the status
/// moves; approving names the senior editor and clears the "may be out of
/// date" flags; publishing sets the time; confirming clears the flags.
/// False if the status changed meanwhile.
#[allow(clippy::too_many_arguments)]
pub async fn step(
    tx: &mut Tx,
    id: &str,
    from: ArticleStatus,
    step: Step,
    to: ArticleStatus,
    editor_name: &str,
    publish_at: i64,
    slugs: (&str, &str),
    now: i64,
) -> Result<bool, sqlx::Error> {
    let q = match step {
        Step::Approve => sqlx::query(
            "UPDATE news_article SET status = $3, updated_at = $4, editor_name = $5, approved_once = 1,
               zh_stale = 0, en_stale = 0 WHERE id = $1 AND status = $2",
        )
        .bind(id)
        .bind(from.code())
        .bind(to.code())
        .bind(now)
        .bind(editor_name),
        Step::Publish => sqlx::query(
            "UPDATE news_article SET status = $3, updated_at = $4, published_at = $5, slug_zh = $6, slug_en = $7
             WHERE id = $1 AND status = $2",
        )
        .bind(id)
        .bind(from.code())
        .bind(to.code())
        .bind(now)
        .bind(publish_at)
        .bind(slugs.0)
        .bind(slugs.1),
        Step::Confirm => sqlx::query(
            "UPDATE news_article SET status = $3, updated_at = $4, zh_stale = 0, en_stale = 0
             WHERE id = $1 AND status = $2",
        )
        .bind(id)
        .bind(from.code())
        .bind(to.code())
        .bind(now),
        _ => sqlx::query("UPDATE news_article SET status = $3, updated_at = $4 WHERE id = $1 AND status = $2")
            .bind(id)
            .bind(from.code())
            .bind(to.code())
            .bind(now),
    };
    Ok(q.execute(&mut **tx).await?.rows_affected() == 1)
}

pub async fn insert_revision(
    tx: &mut Tx,
    article_id: &str,
    n: i64,
    t: &Texts,
    action: &str,
    by_name: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO news_revision (article_id, n, title_zh, title_en, summary_zh, summary_en, body_zh, body_en,
           action, by_name, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(article_id)
    .bind(n)
    .bind(&t.zh.title)
    .bind(&t.en.title)
    .bind(&t.zh.summary)
    .bind(&t.en.summary)
    .bind(&t.zh.body)
    .bind(&t.en.body)
    .bind(action)
    .bind(by_name)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn revision(r: &Row) -> Result<Revision, sqlx::Error> {
    Ok(Revision {
        n: r.try_get("n")?,
        texts: texts(r)?,
        by_name: r.try_get("by_name")?,
        at: r.try_get("at")?,
    })
}

/// A page of the article's revisions, the newest first, before number `before`.
pub async fn revisions(
    db: &Db,
    article_id: &str,
    before: i64,
    limit: i64,
) -> Result<Vec<Revision>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT * FROM news_revision WHERE article_id = $1 AND n < $2 ORDER BY n DESC LIMIT $3",
    )
    .bind(article_id)
    .bind(before)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(revision).collect()
}

pub async fn revision_n(
    db: &Db,
    article_id: &str,
    n: i64,
) -> Result<Option<Revision>, sqlx::Error> {
    let row = sqlx::query("SELECT * FROM news_revision WHERE article_id = $1 AND n = $2")
        .bind(article_id)
        .bind(n)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(revision).transpose()
}
