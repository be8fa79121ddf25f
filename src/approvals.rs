//! The approval inbox every module shares: one row per thing awaiting an
//! admin's decision (a room request now; later visit requests, hall groups,
//! registrations). A module opens an entry in the transaction that creates the
//! request and closes it in the one that decides it; the inbox page lists
//! them and hands each decision back to the module named by `kind`.

use sqlx::Row as _;

use crate::auth::{Perm, Role, allows};
use crate::clock::Instant;
use crate::db::{Db, Tx, new_id};
use crate::i18n::Bilingual;
use crate::notify::Message;
use crate::write::Write;

/// Opens an entry (or opens it again), and tells everyone of the center who
/// sees the inbox (`Perm::SeeApprovals`) — in the app and by e-mail — except
/// the one who asked.
pub async fn open(
    tx: &mut Write,
    center_id: &str,
    kind: &str,
    subject_id: &str,
    title: &Bilingual,
    requested_by: &str,
    now: Instant,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO approval (id, center_id, kind, subject_id, title_zh, title_en, requested_by, requested_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (kind, subject_id) DO UPDATE SET status = 'pending', requested_at = excluded.requested_at",
    )
    .bind(new_id())
    .bind(center_id)
    .bind(kind)
    .bind(subject_id)
    .bind(&title.zh)
    .bind(&title.en)
    .bind(requested_by)
    .bind(now.millis())
    .execute(&mut ***tx)
    .await?;
    let users = sqlx::query("SELECT id, role FROM app_user WHERE center_id = $1 AND active = 1")
        .bind(center_id)
        .fetch_all(&mut ***tx)
        .await?;
    let message = Message {
        kind: "approval".into(),
        subject_id: subject_id.to_string(),
        key: "notify-approval".into(),
        args: vec![("title".into(), title.clone())],
        reason: String::new(),
        link: "/inbox".into(),
    };
    for u in users {
        let id: String = u.try_get("id")?;
        let role = Role::parse(&u.try_get::<String, _>("role")?);
        if id != requested_by && allows(role, Perm::SeeApprovals) {
            tx.notify(&id, &message).await?;
        }
    }
    Ok(())
}

/// Closes a pending entry as `approved`, `rejected` or `withdrawn`.
pub async fn close(
    tx: &mut Tx,
    kind: &str,
    subject_id: &str,
    decision: &str,
    decided_by: &str,
    reason: &str,
    now: Instant,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE approval SET status = $3, decided_by = $4, decided_at = $5, reason = $6
         WHERE kind = $1 AND subject_id = $2 AND status = 'pending'",
    )
    .bind(kind)
    .bind(subject_id)
    .bind(decision)
    .bind(decided_by)
    .bind(now.millis())
    .bind(reason)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct Pending {
    pub id: String,
    pub kind: String,
    pub subject_id: String,
    pub title: Bilingual,
    pub requested_by: String,
    pub requested_at: Instant,
}

/// Pending entries of a center, oldest first.
pub async fn pending(db: &Db, center_id: &str) -> Result<Vec<Pending>, sqlx::Error> {
    sqlx::query(
        "SELECT a.id, a.kind, a.subject_id, a.title_zh, a.title_en, a.requested_at,
                COALESCE(u.display_name, '') AS requested_by
         FROM approval a LEFT JOIN app_user u ON u.id = a.requested_by
         WHERE a.center_id = $1 AND a.status = 'pending' ORDER BY a.requested_at, a.id",
    )
    .bind(center_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        Ok(Pending {
            id: r.try_get("id")?,
            kind: r.try_get("kind")?,
            subject_id: r.try_get("subject_id")?,
            title: Bilingual { zh: r.try_get("title_zh")?, en: r.try_get("title_en")? },
            requested_by: r.try_get("requested_by")?,
            requested_at: Instant(r.try_get("requested_at")?),
        })
    })
    .collect()
}

pub async fn count_pending(db: &Db, center_id: &str) -> Result<i64, sqlx::Error> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM approval WHERE center_id = $1 AND status = 'pending'",
    )
    .bind(center_id)
    .fetch_one(&db.pool)
    .await?;
    row.try_get("n")
}
