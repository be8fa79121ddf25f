//! Migrations: portable DDL under `migrations/`, compiled into the binary and
//! applied with sqlx's migrator to whichever backend is connected.

use std::borrow::Cow;

use sqlx::SqlSafeStr;
use sqlx::migrate::{Migration, MigrationType, Migrator};

use super::Db;

/// (version, description, SQL) in order; the same list runs on both backends.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "foundation", include_str!("../../migrations/0001_foundation.sql")),
    (2, "venues", include_str!("../../migrations/0002_venues.sql")),
    (3, "visits", include_str!("../../migrations/0003_visits.sql")),
    (4, "events", include_str!("../../migrations/0004_events.sql")),
    (5, "rate_keys", include_str!("../../migrations/0005_rate_keys.sql")),
    (6, "secret_links", include_str!("../../migrations/0006_secret_links.sql")),
    (7, "zone_names", include_str!("../../migrations/0007_zone_names.sql")),
    (8, "booking_center_time", include_str!("../../migrations/0008_booking_center_time.sql")),
    (9, "hall", include_str!("../../migrations/0009_hall.sql")),
    (10, "matchmaking", include_str!("../../migrations/0010_matchmaking.sql")),
    (11, "glossary", include_str!("../../migrations/0011_glossary.sql")),
    (12, "news", include_str!("../../migrations/0012_news.sql")),
    (13, "signage", include_str!("../../migrations/0013_signage.sql")),
    (14, "enterprises", include_str!("../../migrations/0014_enterprises.sql")),
];

pub async fn run_migrations(db: &Db) -> Result<(), sqlx::migrate::MigrateError> {
    let migrations = MIGRATIONS
        .iter()
        .map(|(version, description, sql)| {
            Migration::new(
                *version,
                Cow::Borrowed(*description),
                MigrationType::Simple,
                sql.into_sql_str(),
                false,
            )
        })
        .collect();
    Migrator::with_migrations(migrations).run(&db.pool).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_migration_file_is_listed_in_order() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .expect("migrations folder")
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .filter(|n| n.ends_with(".sql"))
            .collect();
        files.sort();
        assert_eq!(files.len(), super::MIGRATIONS.len(), "{files:?}");
        for (file, (version, description, _)) in files.iter().zip(super::MIGRATIONS) {
            assert_eq!(file, &format!("{version:04}_{description}.sql"));
        }
    }
}
