-- The sign registry: every bilingual sign of the center at its place, its
-- class (DB5101/T 211: function/facility, warning, prohibition,
-- direction/instruction, information), its texts, and where it stands
-- between drafting and the audit walk.

CREATE TABLE sign (
    id            TEXT PRIMARY KEY,
    center_id     TEXT NOT NULL REFERENCES center (id),
    -- SG-2026-001
    reference     TEXT NOT NULL,
    zone_id       TEXT REFERENCES zone (id),
    room_id       TEXT REFERENCES room (id),
    floor         TEXT NOT NULL DEFAULT '',
    -- function, warning, prohibition, direction, information
    class         TEXT NOT NULL,
    -- a4, a3, door
    size          TEXT NOT NULL,
    text_zh       TEXT NOT NULL,
    text_en       TEXT NOT NULL DEFAULT '',
    -- The standard (and clause) the wording follows.
    standard_ref  TEXT NOT NULL DEFAULT '',
    -- draft, translated, reviewed, installed, audited, needs_fix
    status        TEXT NOT NULL,
    -- What the last audit found wrong (needs_fix).
    finding       TEXT NOT NULL DEFAULT '',
    -- The photo of the sign as installed (images: its SHA-256).
    photo_key     TEXT,
    audited_at    BIGINT,
    version       BIGINT NOT NULL DEFAULT 1,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    CONSTRAINT sign_reference_key UNIQUE (center_id, reference)
);

CREATE INDEX sign_center_idx ON sign (center_id, status, id);
CREATE INDEX sign_zone_idx ON sign (center_id, zone_id, id);
