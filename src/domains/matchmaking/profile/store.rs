//! SQL for matchmaking profiles and their offers and needs.

use sqlx::Row as _;

use crate::db::{Db, Row, Tx, flag, known};
use crate::domains::matchmaking::model::{Sector, Side, Topic};
use crate::i18n::Bilingual;

#[derive(Debug, Clone)]
pub struct Profile {
    pub id: String,
    pub event_id: String,
    pub center_id: String,
    pub participant_id: String,
    pub registration_id: String,
    pub name: String,
    pub organisation: Bilingual,
    pub role: Bilingual,
    pub about: Bilingual,
    pub country: String,
    pub sector: Option<Sector>,
    pub languages: Vec<String>,
    /// Starts of the windows this person cannot meet in.
    pub away: Vec<i64>,
    pub listed: bool,
    pub sent: i64,
    pub email: String,
    pub lang: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub side: Side,
    pub topic: Topic,
    pub text: Bilingual,
}

/// The named unique constraints of profiles, with SQLite's column lists.
pub const UNIQUE: &[(&str, &str)] = &[("mm_profile_participant_key", "mm_profile.participant_id")];

fn split(s: &str) -> impl Iterator<Item = &str> {
    s.split(',').map(str::trim).filter(|t| !t.is_empty())
}

fn from_row(r: &Row) -> Result<Profile, sqlx::Error> {
    let s = |c: &str| -> Result<String, sqlx::Error> { r.try_get(c) };
    let sector = s("sector")?;
    let away = s("away")?;
    Ok(Profile {
        id: s("id")?,
        event_id: s("event_id")?,
        center_id: s("center_id")?,
        participant_id: s("participant_id")?,
        registration_id: s("registration_id")?,
        name: s("name")?,
        organisation: Bilingual::new(s("organisation_zh")?, s("organisation_en")?),
        role: Bilingual::new(s("role_zh")?, s("role_en")?),
        about: Bilingual::new(s("about_zh")?, s("about_en")?),
        country: s("country")?,
        sector: if sector.is_empty() {
            None
        } else {
            Some(known("sector", &sector, Sector::parse)?)
        },
        languages: split(&s("languages")?).map(str::to_string).collect(),
        away: split(&away).filter_map(|t| t.parse().ok()).collect(),
        listed: flag(r.try_get("listed")?),
        sent: r.try_get("sent")?,
        email: s("email")?,
        lang: s("lang")?,
        created_at: r.try_get("created_at")?,
    })
}

pub async fn by_id<'e, E>(conn: E, id: &str) -> Result<Option<Profile>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query("SELECT * FROM mm_profile WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(|r| from_row(&r))
        .transpose()
}

pub async fn by_participant(db: &Db, participant_id: &str) -> Result<Option<Profile>, sqlx::Error> {
    sqlx::query("SELECT * FROM mm_profile WHERE participant_id = $1")
        .bind(participant_id)
        .fetch_optional(&db.pool)
        .await?
        .map(|r| from_row(&r))
        .transpose()
}

/// Profiles by id (any order).
pub async fn by_ids<'e, E>(conn: E, ids: &[String]) -> Result<Vec<Profile>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!("SELECT * FROM mm_profile WHERE id IN ({})", marks.join(", "));
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for id in ids {
        q = q.bind(id);
    }
    q.fetch_all(conn).await?.iter().map(from_row).collect()
}

/// Every listed profile of an event whose registration still stands (the
/// suggestion rule reads them all; an event has at most its capacity of
/// participants). The catalogue shows the same people.
pub async fn listed(db: &Db, event_id: &str) -> Result<Vec<Profile>, sqlx::Error> {
    sqlx::query(
        "SELECT * FROM mm_profile p WHERE p.event_id = $1 AND p.listed = 1
         AND EXISTS (SELECT 1 FROM registration r WHERE r.id = p.registration_id AND r.status = 'confirmed')
         ORDER BY p.created_at, p.id",
    )
    .bind(event_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// What the catalogue filters on; empty strings filter nothing.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub sector: String,
    pub country: String,
    /// A topic of an offer or a need (`side` says which; empty: either).
    pub topic: String,
    pub side: String,
    /// A primary language subtag.
    pub language: String,
    pub text: String,
}

/// A page of an event's listed profiles, newest last, after the cursor.
pub async fn catalogue(
    db: &Db,
    event_id: &str,
    f: &Filter,
    after: &(i64, String),
    limit: i64,
) -> Result<Vec<Profile>, sqlx::Error> {
    let mut sql = String::from(
        "SELECT * FROM mm_profile p WHERE p.event_id = $1 AND p.listed = 1
         AND EXISTS (SELECT 1 FROM registration r WHERE r.id = p.registration_id AND r.status = 'confirmed')
         AND (p.created_at > $2 OR (p.created_at = $2 AND p.id > $3))",
    );
    let mut binds: Vec<String> = vec![];
    let mark = |binds: &mut Vec<String>, v: String| {
        binds.push(v);
        format!("${}", binds.len() + 3)
    };
    if !f.sector.is_empty() {
        let m = mark(&mut binds, f.sector.clone());
        sql.push_str(&format!(" AND p.sector = {m}"));
    }
    if !f.country.is_empty() {
        let m = mark(&mut binds, f.country.clone());
        sql.push_str(&format!(" AND p.country = {m}"));
    }
    if !f.language.is_empty() {
        let exact = mark(&mut binds, format!("%,{},%", f.language));
        let sub = mark(&mut binds, format!("%,{}-%", f.language));
        sql.push_str(&format!(
            " AND (',' || p.languages || ',' LIKE {exact} OR ',' || p.languages || ',' LIKE {sub})"
        ));
    }
    if !f.topic.is_empty() {
        let t = mark(&mut binds, f.topic.clone());
        let side = if f.side.is_empty() {
            String::new()
        } else {
            format!(" AND e.side = {}", mark(&mut binds, f.side.clone()))
        };
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM mm_entry e WHERE e.profile_id = p.id AND e.topic = {t}{side})"
        ));
    }
    if !f.text.is_empty() {
        let like = format!("%{}%", f.text.to_lowercase().replace(['%', '_', '\\'], ""));
        let m = mark(&mut binds, like);
        sql.push_str(&format!(
            " AND (LOWER(p.name) LIKE {m} OR LOWER(p.organisation_zh) LIKE {m} OR LOWER(p.organisation_en) LIKE {m}
               OR EXISTS (SELECT 1 FROM mm_entry e WHERE e.profile_id = p.id
                          AND (LOWER(e.text_zh) LIKE {m} OR LOWER(e.text_en) LIKE {m})))"
        ));
    }
    sql.push_str(&format!(" ORDER BY p.created_at, p.id LIMIT ${}", binds.len() + 4));
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(event_id).bind(after.0).bind(&after.1);
    for b in &binds {
        q = q.bind(b);
    }
    q = q.bind(limit + 1);
    q.fetch_all(&db.pool).await?.iter().map(from_row).collect()
}

/// The offers and needs of these profiles, in each one's order.
pub async fn entries(db: &Db, ids: &[String]) -> Result<Vec<(String, Entry)>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT * FROM mm_entry WHERE profile_id IN ({}) ORDER BY profile_id, position",
        marks.join(", ")
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for id in ids {
        q = q.bind(id);
    }
    let rows = q.fetch_all(&db.pool).await?;
    rows.iter()
        .map(|r| {
            let side: String = r.try_get("side")?;
            let topic: String = r.try_get("topic")?;
            Ok((
                r.try_get("profile_id")?,
                Entry {
                    side: known("side", &side, Side::parse)?,
                    topic: known("topic", &topic, Topic::parse)?,
                    text: Bilingual::new(
                        r.try_get::<String, _>("text_zh")?,
                        r.try_get::<String, _>("text_en")?,
                    ),
                },
            ))
        })
        .collect()
}

pub async fn upsert(tx: &mut Tx, p: &Profile, now: i64) -> Result<(), sqlx::Error> {
    let away: Vec<String> = p.away.iter().map(|a| a.to_string()).collect();
    sqlx::query(
        "INSERT INTO mm_profile (id, event_id, center_id, participant_id, name, organisation_zh,
             organisation_en, role_zh, role_en, about_zh, about_en, country, sector, languages, away,
             listed, email, lang, created_at, updated_at, registration_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19, $20)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name,
             organisation_zh = excluded.organisation_zh, organisation_en = excluded.organisation_en,
             role_zh = excluded.role_zh, role_en = excluded.role_en, about_zh = excluded.about_zh,
             about_en = excluded.about_en, country = excluded.country, sector = excluded.sector,
             languages = excluded.languages, away = excluded.away, listed = excluded.listed,
             lang = excluded.lang, email = excluded.email, updated_at = excluded.updated_at",
    )
    .bind(&p.id)
    .bind(&p.event_id)
    .bind(&p.center_id)
    .bind(&p.participant_id)
    .bind(&p.name)
    .bind(&p.organisation.zh)
    .bind(&p.organisation.en)
    .bind(&p.role.zh)
    .bind(&p.role.en)
    .bind(&p.about.zh)
    .bind(&p.about.en)
    .bind(&p.country)
    .bind(p.sector.map(|s| s.code()).unwrap_or(""))
    .bind(p.languages.join(","))
    .bind(away.join(","))
    .bind(p.listed as i64)
    .bind(&p.email)
    .bind(&p.lang)
    .bind(now)
    .bind(&p.registration_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn set_entries(
    tx: &mut Tx,
    profile_id: &str,
    event_id: &str,
    entries: &[Entry],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM mm_entry WHERE profile_id = $1")
        .bind(profile_id)
        .execute(&mut **tx)
        .await?;
    for (i, e) in entries.iter().enumerate() {
        sqlx::query(
            "INSERT INTO mm_entry (id, profile_id, event_id, position, side, topic, text_zh, text_en)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(crate::db::new_id())
        .bind(profile_id)
        .bind(event_id)
        .bind(i as i64)
        .bind(e.side.code())
        .bind(e.topic.code())
        .bind(&e.text.zh)
        .bind(&e.text.en)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// How many profiles an event has.
pub async fn count(db: &Db, event_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) AS n FROM mm_profile WHERE event_id = $1")
        .bind(event_id)
        .fetch_one(&db.pool)
        .await?
        .try_get("n")
}

/// Every profile of an event, by name (staff pick people to book).
pub async fn all_of(db: &Db, event_id: &str) -> Result<Vec<Profile>, sqlx::Error> {
    sqlx::query("SELECT * FROM mm_profile WHERE event_id = $1 ORDER BY name, id")
        .bind(event_id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(from_row)
        .collect()
}

/// Clears the personal data of matchmaking at events whose registrants'
/// data was purged (`event.purged_at`): names, e-mails, organisations,
/// roles, about texts, offers and needs, messages and outcome notes.
/// Countries, sectors, topics, states and counts stay for the figures.
/// Returns how many profiles were cleared.
pub async fn purge_purged_events(tx: &mut Tx) -> Result<u64, sqlx::Error> {
    let purged = "SELECT id FROM event WHERE purged_at IS NOT NULL";
    let done = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE mm_profile SET name = '', email = '', organisation_zh = '', organisation_en = '',
             role_zh = '', role_en = '', about_zh = '', about_en = '', listed = 0
         WHERE event_id IN ({purged}) AND (name <> '' OR email <> '' OR organisation_zh <> '' OR organisation_en <> '')"
    )))
    .execute(&mut **tx)
    .await?;
    for sql in [
        format!(
            "UPDATE mm_entry SET text_zh = '', text_en = '' WHERE event_id IN ({purged}) AND (text_zh <> '' OR text_en <> '')"
        ),
        format!(
            "UPDATE mm_meeting SET message = '', reason = '' WHERE event_id IN ({purged}) AND (message <> '' OR reason <> '')"
        ),
        format!(
            "UPDATE mm_outcome SET note = '' WHERE note <> '' AND meeting_id IN
             (SELECT id FROM mm_meeting WHERE event_id IN ({purged}))"
        ),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut **tx).await?;
    }
    Ok(done.rows_affected())
}
