//! Secret links: the URLs that open something without a login — a room's
//! door display and calendar feed, a user's own calendar feed, a ticket, an
//! invitation-only event. A link carries a random secret; only its SHA-256
//! is stored (`secret_link`), so a copy of the database opens nothing. The
//! plain link exists where it is made: in the answer that makes it (shown
//! once) and in the e-mail that carries it.
//!
//! A subject may hold several live links of one purpose ([`mint`]: each
//! ticket e-mail carries its own); [`renew`] replaces them all with one, so
//! the old links stop working.

use sqlx::Row as _;

use crate::auth::secret::{digest, random_token};
use crate::clock::Instant;
use crate::db::{Db, Tx};

/// What a link opens; the stored code is `code()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// A room's door display.
    Display,
    /// A room's calendar feed (every booking: offered to room managers).
    RoomFeed,
    /// A user's feed of their own bookings.
    UserFeed,
    /// A registration's ticket page.
    Ticket,
    /// An invitation-only event.
    Invitation,
    /// An exhibition-hall reservation's page and ticket.
    HallTicket,
    /// One participant's matchmaking pages (sent to that participant, who
    /// may be one of a group: it opens nothing of the registration).
    Meet,
}

impl Purpose {
    pub fn code(self) -> &'static str {
        match self {
            Purpose::Display => "display",
            Purpose::RoomFeed => "room_feed",
            Purpose::UserFeed => "user_feed",
            Purpose::Ticket => "ticket",
            Purpose::Invitation => "invitation",
            Purpose::HallTicket => "hall_ticket",
            Purpose::Meet => "meet",
        }
    }
}

/// Longest secret looked up; longer input opens nothing and costs no query.
const MAX_SECRET: usize = 128;

/// Adds a link for `subject` beside any it has; returns the secret.
pub async fn mint(
    tx: &mut Tx,
    purpose: Purpose,
    subject: &str,
    now: Instant,
) -> Result<String, sqlx::Error> {
    let secret = random_token();
    store(tx, purpose, subject, &secret, now).await?;
    Ok(secret)
}

/// Replaces every link of `subject` for `purpose` with a new one.
pub async fn renew(
    tx: &mut Tx,
    purpose: Purpose,
    subject: &str,
    now: Instant,
) -> Result<String, sqlx::Error> {
    forget(tx, purpose, subject).await?;
    mint(tx, purpose, subject, now).await
}

/// Ends every link of `subject` for `purpose`.
pub async fn forget(tx: &mut Tx, purpose: Purpose, subject: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM secret_link WHERE purpose = $1 AND subject_id = $2")
        .bind(purpose.code())
        .bind(subject)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Keeps a given secret (hashed) as a link: for secrets made before links
/// were hashed, so their holders' links still work.
pub async fn store(
    tx: &mut Tx,
    purpose: Purpose,
    subject: &str,
    secret: &str,
    now: Instant,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO secret_link (hash, purpose, subject_id, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (purpose, hash) DO NOTHING",
    )
    .bind(digest(secret))
    .bind(purpose.code())
    .bind(subject)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The subject a secret opens, if it is a live link of that purpose.
pub async fn resolve(
    db: &Db,
    purpose: Purpose,
    secret: &str,
) -> Result<Option<String>, sqlx::Error> {
    let secret = secret.trim();
    if secret.is_empty() || secret.len() > MAX_SECRET {
        return Ok(None);
    }
    let row = sqlx::query("SELECT subject_id FROM secret_link WHERE hash = $1 AND purpose = $2")
        .bind(digest(secret))
        .bind(purpose.code())
        .fetch_optional(&db.pool)
        .await?;
    row.map(|r| r.try_get("subject_id")).transpose()
}

/// When the newest live link of `subject` was made, if it has one.
pub async fn made_at(
    db: &Db,
    purpose: Purpose,
    subject: &str,
) -> Result<Option<Instant>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT MAX(created_at) AS at FROM secret_link WHERE purpose = $1 AND subject_id = $2",
    )
    .bind(purpose.code())
    .bind(subject)
    .fetch_one(&db.pool)
    .await?;
    Ok(row.try_get::<Option<i64>, _>("at")?.map(Instant))
}

/// What a table's old secret column holds once its secret is a link: not a
/// secret, unique per row (the columns keep their UNIQUE constraints).
pub fn placeholder(id: &str) -> String {
    format!("link:{id}")
}

/// Moves the secrets stored in plain before links were hashed into
/// `secret_link` (hashed) and blanks their columns: door displays, ticket
/// links (not those of purged events), invitation codes and personal feeds.
/// A room's feed shared the display's secret, which every room page showed:
/// it is not kept, so the feed opens only with a link a room manager makes. Runs at every start; does nothing
/// once done.
pub async fn adopt_legacy(db: &Db, now: Instant) -> Result<u64, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let mut moved = 0;
    // (the query listing secrets still in plain, the update that blanks
    // one, the purposes it becomes): literal SQL, one set per table.
    let sets: [(&str, &str, &[Purpose]); 3] = [
        // The old shared secret keeps the door display only: it was shown on
        // every room page, so the room's feed (every booking's title) needs
        // a new link, made by a room manager.
        (
            "SELECT id, display_token AS secret, 0 AS gone FROM room WHERE display_token NOT LIKE 'link:%'",
            "UPDATE room SET display_token = $1 WHERE id = $2",
            &[Purpose::Display],
        ),
        // Tickets of purged events open nothing any more: blanked, not kept.
        (
            "SELECT r.id, r.manage_token AS secret, CASE WHEN e.purged_at IS NULL THEN 0 ELSE 1 END AS gone
             FROM registration r JOIN event e ON e.id = r.event_id WHERE r.manage_token NOT LIKE 'link:%'",
            "UPDATE registration SET manage_token = $1 WHERE id = $2",
            &[Purpose::Ticket],
        ),
        (
            "SELECT id, invitation_code AS secret, 0 AS gone FROM event WHERE invitation_code NOT LIKE 'link:%'",
            "UPDATE event SET invitation_code = $1 WHERE id = $2",
            &[Purpose::Invitation],
        ),
    ];
    for (select, update, purposes) in sets {
        let rows = sqlx::query(select).fetch_all(&mut *tx).await?;
        for r in rows {
            let id: String = r.try_get("id")?;
            let secret: String = r.try_get("secret")?;
            let gone: i64 = r.try_get("gone")?;
            for p in purposes.iter().filter(|_| gone == 0) {
                store(&mut tx, *p, &id, &secret, now).await?;
            }
            sqlx::query(update).bind(placeholder(&id)).bind(&id).execute(&mut *tx).await?;
            moved += 1;
        }
    }
    let feeds = sqlx::query("SELECT token, user_id FROM calendar_feed").fetch_all(&mut *tx).await?;
    for r in feeds {
        let user: String = r.try_get("user_id")?;
        store(&mut tx, Purpose::UserFeed, &user, &r.try_get::<String, _>("token")?, now).await?;
        moved += 1;
    }
    sqlx::query("DELETE FROM calendar_feed").execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(moved)
}
