-- The glossary: the center's official Chinese-English terms, and what the
-- checker found in the center's bilingual texts.

CREATE TABLE glossary_term (
    id         TEXT PRIMARY KEY,
    center_id  TEXT NOT NULL REFERENCES center (id),
    zh         TEXT NOT NULL,
    en         TEXT NOT NULL,
    -- approved, proposed, deprecated
    status     TEXT NOT NULL,
    -- Forbidden English variants, one per line.
    variants   TEXT NOT NULL DEFAULT '',
    -- The standard, notice or document the term comes from.
    source     TEXT NOT NULL DEFAULT '',
    notes      TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT glossary_term_pair_key UNIQUE (center_id, zh, en)
);

CREATE INDEX glossary_term_en_idx ON glossary_term (center_id, en);

CREATE TABLE glossary_finding (
    id         TEXT PRIMARY KEY,
    center_id  TEXT NOT NULL REFERENCES center (id),
    -- bilingual::Place: center, zone, room, event…
    place      TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    field      TEXT NOT NULL,
    -- The record's name when found (the queue says where without a join).
    label_zh   TEXT NOT NULL DEFAULT '',
    label_en   TEXT NOT NULL DEFAULT '',
    term_id    TEXT NOT NULL REFERENCES glossary_term (id),
    -- forbidden, case, missing
    kind       TEXT NOT NULL,
    found      TEXT NOT NULL DEFAULT '',
    expected   TEXT NOT NULL,
    -- Byte range of `found` in the English; -1 when nothing is there (missing).
    at_start   BIGINT NOT NULL,
    at_end     BIGINT NOT NULL,
    -- open, fixed, dismissed
    status     TEXT NOT NULL,
    found_at   BIGINT NOT NULL,
    decided_at BIGINT,
    decided_by TEXT
);

CREATE INDEX glossary_finding_queue_idx ON glossary_finding (center_id, status, id);
CREATE INDEX glossary_finding_text_idx ON glossary_finding (center_id, place, record_id, field);
