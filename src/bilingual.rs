//! Bilingual texts wherever they are kept, as the glossary reads and fixes
//! them: every record kind with Chinese and English side by side is a
//! [`Place`], which names its table, its text fields, who may change them and
//! where a person edits them. One mechanism for every domain (like
//! `seats::Pool`): a new kind of record with bilingual texts adds a variant
//! here and its texts are checked, listed and fixable with no more code.
//!
//! Reading is paged by id; a fix is one guarded UPDATE that changes the
//! English only if it is still the one the fix was computed from, so a fix
//! never overwrites an edit made since. Every place's table has `updated_at`.

use sqlx::Row as _;

use crate::auth::Perm;
use crate::codes;
use crate::db::{Db, Row, Tx};
use crate::i18n::Bilingual;

codes!(
    pub enum Place, "bilingual-place" {
        Center = "center",
        Zone = "zone",
        Room = "room",
        Event = "event",
        Article = "article",
        Page = "page",
        Sign = "sign",
        Visit = "visit",
    }
);

/// One text field of one record: its Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub place: Place,
    pub record_id: String,
    pub field: &'static str,
    /// The record's name, to say where the text is.
    pub label: Bilingual,
    pub zh: String,
    pub en: String,
}

impl Place {
    fn table(self) -> &'static str {
        match self {
            Place::Center => "center",
            Place::Zone => "zone",
            Place::Room => "room",
            Place::Event => "event",
            Place::Article => "news_article",
            Place::Page => "site_page",
            Place::Sign => "sign",
            Place::Visit => "visit",
        }
    }

    /// The column naming the center the record belongs to.
    fn center_column(self) -> &'static str {
        match self {
            Place::Center => "id",
            _ => "center_id",
        }
    }

    /// The text fields (each a `<field>_zh` / `<field>_en` column pair); the
    /// first names the record.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            Place::Center => &["name", "short_name", "intro", "address", "opening_hours"],
            Place::Zone => &["name", "description"],
            Place::Room => &["name", "description", "location"],
            Place::Event => &["title", "summary", "description"],
            Place::Article => &["title", "summary", "body"],
            Place::Page => &["title", "body"],
            Place::Sign => &["text"],
            Place::Visit => &["title"],
        }
    }

    /// The field as this place spells it, if it has it.
    pub fn field(self, name: &str) -> Option<&'static str> {
        self.fields().iter().copied().find(|f| *f == name)
    }

    /// Whether the record counts its saves (`version`): a fix moves it on
    /// too, so an editor's form opened before the fix cannot save over it.
    fn versioned(self) -> bool {
        matches!(self, Place::Article | Place::Page | Place::Sign)
    }

    /// Who may change these texts (and so apply a fix to them).
    pub fn perm(self) -> Perm {
        match self {
            Place::Center | Place::Zone => Perm::ManageCenter,
            Place::Room => Perm::ManageRooms,
            Place::Event => Perm::ManageEvents,
            Place::Article => Perm::WriteNews,
            Place::Page => Perm::PublishNews,
            Place::Sign => Perm::ManageSigns,
            Place::Visit => Perm::ManageVisits,
        }
    }

    /// The page where a person edits the record.
    pub fn edit_href(self, record_id: &str) -> String {
        match self {
            Place::Center => "/admin/settings".into(),
            Place::Zone => "/admin/zones".into(),
            Place::Room => format!("/venues/rooms/{record_id}/edit"),
            Place::Event => format!("/events/{record_id}/edit"),
            Place::Article => format!("/news/articles/{record_id}"),
            Place::Page => format!("/news/pages/{record_id}"),
            Place::Sign => format!("/signs/{record_id}"),
            Place::Visit => format!("/visits/{record_id}"),
        }
    }

    fn columns(self) -> String {
        self.fields().iter().map(|f| format!("{f}_zh, {f}_en")).collect::<Vec<_>>().join(", ")
    }

    /// `SELECT id, <texts> FROM <table> WHERE <center> = $1 AND <rest>`.
    fn select(self, rest: &str) -> String {
        format!(
            "SELECT id, {} FROM {} WHERE {} = $1 AND {rest}",
            self.columns(),
            self.table(),
            self.center_column()
        )
    }

    fn texts_of(self, r: &Row) -> Result<Vec<Text>, sqlx::Error> {
        let id: String = r.try_get("id")?;
        let name = self.fields()[0];
        let label = Bilingual {
            zh: r.try_get(format!("{name}_zh").as_str())?,
            en: r.try_get(format!("{name}_en").as_str())?,
        };
        self.fields()
            .iter()
            .map(|f| {
                Ok(Text {
                    place: self,
                    record_id: id.clone(),
                    field: f,
                    label: label.clone(),
                    zh: r.try_get(format!("{f}_zh").as_str())?,
                    en: r.try_get(format!("{f}_en").as_str())?,
                })
            })
            .collect()
    }
}

/// The texts of up to `limit` records of one place after `after_id` (by id),
/// with the last id read: the next page starts there.
pub async fn texts(
    db: &Db,
    center_id: &str,
    place: Place,
    after_id: &str,
    limit: i64,
) -> Result<(Vec<Text>, Option<String>), sqlx::Error> {
    let sql = place.select("id > $2 ORDER BY id LIMIT $3");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(center_id)
        .bind(after_id)
        .bind(limit)
        .fetch_all(&db.pool)
        .await?;
    let last = match rows.last() {
        Some(r) => Some(r.try_get::<String, _>("id")?),
        None => None,
    };
    let mut out = vec![];
    for r in &rows {
        out.extend(place.texts_of(r)?);
    }
    Ok((out, last))
}

/// Every text of one record of the center, read inside a write (none if
/// there is no such record).
pub async fn record_texts(
    tx: &mut Tx,
    center_id: &str,
    place: Place,
    record_id: &str,
) -> Result<Vec<Text>, sqlx::Error> {
    let sql = place.select("id = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(center_id)
        .bind(record_id)
        .fetch_optional(&mut **tx)
        .await?;
    match row {
        Some(r) => place.texts_of(&r),
        None => Ok(vec![]),
    }
}

/// One field of one record of the center, read inside a write.
pub async fn text(
    tx: &mut Tx,
    center_id: &str,
    place: Place,
    record_id: &str,
    field: &str,
) -> Result<Option<Text>, sqlx::Error> {
    let Some(field) = place.field(field) else {
        return Ok(None);
    };
    let sql = place.select("id = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(center_id)
        .bind(record_id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(match row {
        Some(r) => place.texts_of(&r)?.into_iter().find(|t| t.field == field),
        None => None,
    })
}

/// What became of a replacement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replaced {
    Done,
    /// The English changed since (or the record is gone): nothing written.
    Stale,
    /// The new English is another record's name where names are unique
    /// (rooms): nothing written, and the transaction must end.
    NameTaken,
}

/// Names that must be unique, as the database reports their clash.
const UNIQUE: &[(&str, &str)] = &[("room_center_name_key", "room.center_id, room.name_en")];

/// Sets the English of one field if it is still `old`.
#[allow(clippy::too_many_arguments)]
pub async fn replace_en(
    tx: &mut Tx,
    center_id: &str,
    place: Place,
    record_id: &str,
    field: &str,
    old: &str,
    new: &str,
    now: crate::clock::Instant,
) -> Result<Replaced, sqlx::Error> {
    let Some(field) = place.field(field) else {
        return Ok(Replaced::Stale);
    };
    let sql = format!(
        "UPDATE {} SET {field}_en = $1, updated_at = $5{} WHERE {} = $2 AND id = $3 AND {field}_en = $4",
        place.table(),
        if place.versioned() { ", version = version + 1" } else { "" },
        place.center_column()
    );
    let done = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(new)
        .bind(center_id)
        .bind(record_id)
        .bind(old)
        .bind(now.millis())
        .execute(&mut **tx)
        .await;
    match done {
        Ok(d) if d.rows_affected() == 1 => Ok(Replaced::Done),
        Ok(_) => Ok(Replaced::Stale),
        Err(e) if crate::db::unique_violation(&e, UNIQUE).is_some() => Ok(Replaced::NameTaken),
        Err(e) => Err(e),
    }
}
