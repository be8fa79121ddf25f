-- One row per (kind, key) a rate limit counts: each hit first upserts its
-- row, which on PostgreSQL takes the row's lock until the hit's transaction
-- ends, so concurrent hits for one address count one after another (on
-- SQLite writers already take turns). Without it, READ COMMITTED let
-- parallel hits all see the same count and all pass.
CREATE TABLE rate_key (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    touched_at BIGINT NOT NULL,
    PRIMARY KEY (kind, key)
);
