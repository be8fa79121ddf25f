use crate::clock::Instant;
use crate::db::code;
use crate::db::{Db, Row, Tx, pair};
use crate::domains::visits::model::{OutcomeKind, OutcomeStatus};
use crate::domains::visits::records::Outcome;
use sqlx::Row as _;

macro_rules! outcome_sql {
    ($tail:literal) => {
        concat!(
            "SELECT x.*, o.name_zh AS org_zh, o.name_en AS org_en, COALESCE(u.display_name, '') AS owner_name
             FROM outcome x JOIN organisation o ON o.id = x.organisation_id LEFT JOIN app_user u ON u.id = x.owner_id ",
            $tail
        )
    };
}

pub(in crate::domains::visits) fn outcome_from(r: &Row) -> Result<Outcome, sqlx::Error> {
    Ok(Outcome {
        id: r.try_get("id")?,
        organisation_id: r.try_get("organisation_id")?,
        organisation_name: pair(r, "org_zh", "org_en")?,
        visit_id: r.try_get("visit_id")?,
        kind: code(r, "kind", OutcomeKind::parse)?,
        title: pair(r, "title_zh", "title_en")?,
        parties: r.try_get("parties")?,
        signed_on: r.try_get("signed_on")?,
        document_ref: r.try_get("document_ref")?,
        owner_id: r.try_get("owner_id")?,
        owner_name: r.try_get("owner_name")?,
        next_action: r.try_get("next_action")?,
        next_action_on: r.try_get("next_action_on")?,
        status: code(r, "status", OutcomeStatus::parse)?,
    })
}

pub async fn insert_outcome(
    tx: &mut Tx,
    center_id: &str,
    o: &Outcome,
    now: Instant,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO outcome (id, center_id, organisation_id, visit_id, kind, title_zh, title_en, parties,
         signed_on, document_ref, owner_id, next_action, next_action_on, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)",
    )
    .bind(&o.id)
    .bind(center_id)
    .bind(&o.organisation_id)
    .bind(&o.visit_id)
    .bind(o.kind.code())
    .bind(&o.title.zh)
    .bind(&o.title.en)
    .bind(&o.parties)
    .bind(&o.signed_on)
    .bind(&o.document_ref)
    .bind(&o.owner_id)
    .bind(&o.next_action)
    .bind(&o.next_action_on)
    .bind(o.status.code())
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn update_outcome(tx: &mut Tx, o: &Outcome, now: Instant) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE outcome SET status = $2, signed_on = $3, document_ref = $4, next_action = $5,
         next_action_on = $6, owner_id = $7, updated_at = $8 WHERE id = $1",
    )
    .bind(&o.id)
    .bind(o.status.code())
    .bind(&o.signed_on)
    .bind(&o.document_ref)
    .bind(&o.next_action)
    .bind(&o.next_action_on)
    .bind(&o.owner_id)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Outcomes of a center, optionally of one visit or organisation.
pub async fn outcomes(
    db: &Db,
    center_id: &str,
    visit_id: &str,
    organisation_id: &str,
) -> Result<Vec<Outcome>, sqlx::Error> {
    sqlx::query(outcome_sql!(
        "WHERE x.center_id = $1 AND ($2 = '' OR x.visit_id = $2) AND ($3 = '' OR x.organisation_id = $3)
         ORDER BY x.id DESC LIMIT 500"
    ))
    .bind(center_id)
    .bind(visit_id)
    .bind(organisation_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(outcome_from)
    .collect()
}

/// A page of a center's outcomes, newest first, before `before_id` (empty:
/// from the newest).
pub async fn outcomes_page(
    db: &Db,
    center_id: &str,
    before_id: &str,
    limit: i64,
) -> Result<Vec<Outcome>, sqlx::Error> {
    sqlx::query(outcome_sql!(
        "WHERE x.center_id = $1 AND ($2 = '' OR x.id < $2) ORDER BY x.id DESC LIMIT $3"
    ))
    .bind(center_id)
    .bind(before_id)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(outcome_from)
    .collect()
}

pub async fn outcome(db: &Db, id: &str) -> Result<Option<Outcome>, sqlx::Error> {
    sqlx::query(outcome_sql!("WHERE x.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .as_ref()
        .map(outcome_from)
        .transpose()
}

/// Live outcomes whose next action is due on or before `today`.
pub async fn followups_due(
    db: &Db,
    center_id: &str,
    today: &str,
) -> Result<Vec<Outcome>, sqlx::Error> {
    sqlx::query(outcome_sql!(
        "WHERE x.center_id = $1 AND x.status IN ('proposed', 'signed', 'in_progress')
         AND x.next_action_on <> '' AND x.next_action_on <= $2 ORDER BY x.next_action_on LIMIT 50"
    ))
    .bind(center_id)
    .bind(today)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(outcome_from)
    .collect()
}

/// Live outcomes due on or before `today` whose owner was not yet reminded
/// of that date, across centers: (id, center, owner, title, next action).
pub async fn reminders_due(db: &Db, today: &str) -> Result<Vec<Outcome>, sqlx::Error> {
    sqlx::query(outcome_sql!(
        "WHERE x.status IN ('proposed', 'signed', 'in_progress') AND x.next_action_on <> ''
         AND x.next_action_on <= $1 AND x.reminded_on <> x.next_action_on AND x.owner_id IS NOT NULL LIMIT 500"
    ))
    .bind(today)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(outcome_from)
    .collect()
}

pub async fn mark_reminded(tx: &mut Tx, id: &str, on: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE outcome SET reminded_on = $2 WHERE id = $1")
        .bind(id)
        .bind(on)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
