//! Short human references per center and year (`V-2026-031`): what people
//! quote on the phone. One counter row per (center, kind, year), bumped in the
//! caller's write transaction so two writers never get the same number.

use sqlx::Row as _;

use super::Tx;

/// The next reference `PREFIX-YEAR-NNN` for this center, kind and year.
pub async fn next_reference(
    tx: &mut Tx,
    center_id: &str,
    prefix: &str,
    year: i32,
) -> Result<String, sqlx::Error> {
    let row = sqlx::query(
        "INSERT INTO ref_counter (center_id, kind, year, last_value) VALUES ($1, $2, $3, 1)
         ON CONFLICT (center_id, kind, year) DO UPDATE SET last_value = ref_counter.last_value + 1
         RETURNING last_value",
    )
    .bind(center_id)
    .bind(prefix)
    .bind(i64::from(year))
    .fetch_one(&mut **tx)
    .await?;
    let n: i64 = row.try_get("last_value")?;
    Ok(format!("{prefix}-{year}-{n:03}"))
}
