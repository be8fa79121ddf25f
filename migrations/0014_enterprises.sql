-- Enterprise services: the settled enterprises and their people, the
-- service catalogue with versioned forms, requests (items, steps, messages,
-- documents), the R&D white list and its ledger, the center's own working
-- days, and webhooks with their outbox.

CREATE TABLE enterprise (
    id          TEXT PRIMARY KEY,
    center_id   TEXT NOT NULL REFERENCES center (id),
    -- 统一社会信用代码, GB 32100 (18 characters, check character verified).
    uscc        TEXT NOT NULL,
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    address_zh  TEXT NOT NULL DEFAULT '',
    address_en  TEXT NOT NULL DEFAULT '',
    settled     BIGINT NOT NULL DEFAULT 0,
    -- YYYY-MM-DD
    settled_on  TEXT,
    version     BIGINT NOT NULL DEFAULT 1,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    CONSTRAINT enterprise_uscc_key UNIQUE (center_id, uscc),
    CONSTRAINT enterprise_settled_check CHECK (settled IN (0, 1))
);
CREATE INDEX enterprise_center_idx ON enterprise (center_id, name_zh, id);

CREATE TABLE enterprise_contact (
    enterprise_id TEXT NOT NULL REFERENCES enterprise (id) ON DELETE CASCADE,
    position      BIGINT NOT NULL,
    name          TEXT NOT NULL,
    title         TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (enterprise_id, position)
);

-- An enterprise user belongs to one enterprise.
CREATE TABLE enterprise_member (
    user_id       TEXT PRIMARY KEY REFERENCES app_user (id) ON DELETE CASCADE,
    enterprise_id TEXT NOT NULL REFERENCES enterprise (id)
);
CREATE INDEX enterprise_member_idx ON enterprise_member (enterprise_id);

-- Item categories are data (the special-item rules change): biological
-- products, micro-organisms, human tissue, blood products, reagents…
CREATE TABLE item_category (
    center_id  TEXT NOT NULL REFERENCES center (id),
    code       TEXT NOT NULL,
    name_zh    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    -- 特殊物品 (needs customs health-quarantine approval)
    special    BIGINT NOT NULL DEFAULT 0,
    -- A, B, C, D (the risk class of special items), or empty
    risk_class TEXT NOT NULL DEFAULT '',
    position   BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (center_id, code)
);

CREATE TABLE service_type (
    id          TEXT PRIMARY KEY,
    center_id   TEXT NOT NULL REFERENCES center (id),
    code        TEXT NOT NULL,
    -- goods, approval, consultation
    flow        TEXT NOT NULL,
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    summary_zh  TEXT NOT NULL DEFAULT '',
    summary_en  TEXT NOT NULL DEFAULT '',
    -- A white-list application makes ledger entries when approved.
    whitelist   BIGINT NOT NULL DEFAULT 0,
    active      BIGINT NOT NULL DEFAULT 1,
    -- The form version new requests are filed under.
    form_version BIGINT NOT NULL DEFAULT 1,
    position    BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    CONSTRAINT service_type_code_key UNIQUE (center_id, code)
);

-- Each saved form is a new version; a request keeps the one it was filed under.
CREATE TABLE service_form (
    service_type_id TEXT NOT NULL REFERENCES service_type (id),
    version         BIGINT NOT NULL,
    -- JSON: fields, documents, steps (SLA per step in working days), items
    spec            TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    created_by      TEXT,
    PRIMARY KEY (service_type_id, version)
);

-- The center's own working-day calendar on top of the national table:
-- closed on a working day, or open on a day off.
CREATE TABLE center_day (
    center_id TEXT NOT NULL REFERENCES center (id),
    -- YYYY-MM-DD
    day       TEXT NOT NULL,
    closed    BIGINT NOT NULL,
    note_zh   TEXT NOT NULL DEFAULT '',
    note_en   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (center_id, day)
);

CREATE TABLE service_request (
    id              TEXT PRIMARY KEY,
    center_id       TEXT NOT NULL REFERENCES center (id),
    -- ES-2026-001
    reference       TEXT NOT NULL,
    enterprise_id   TEXT NOT NULL REFERENCES enterprise (id),
    service_type_id TEXT NOT NULL REFERENCES service_type (id),
    form_version    BIGINT NOT NULL,
    flow            TEXT NOT NULL,
    status          TEXT NOT NULL,
    title           TEXT NOT NULL,
    -- JSON object: the form's answers
    answers         TEXT NOT NULL DEFAULT '{}',
    -- The filer's language (zh-CN, en)
    lang            TEXT NOT NULL,
    officer_id      TEXT REFERENCES app_user (id),
    created_by      TEXT REFERENCES app_user (id),
    -- The SLA clock of the current step (working days).
    clock_sla       BIGINT,
    clock_used      BIGINT NOT NULL DEFAULT 0,
    -- YYYY-MM-DD the clock's current run began (NULL: paused or none)
    clock_since     TEXT,
    -- YYYY-MM-DD the step is due (NULL: paused or none)
    due_day         TEXT,
    submitted_at    BIGINT,
    closed_at       BIGINT,
    version         BIGINT NOT NULL DEFAULT 1,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    CONSTRAINT service_request_reference_key UNIQUE (center_id, reference)
);
-- The queue walks requests by due day (none last), then id: this index
-- gives that order, so a page reads its 50 rows, not all 20,000.
CREATE INDEX service_request_due_idx ON service_request (center_id, (COALESCE(due_day, '9999-12-31')), id);
CREATE INDEX service_request_center_idx ON service_request (center_id, status, id);
CREATE INDEX service_request_enterprise_idx ON service_request (enterprise_id, id);

CREATE TABLE request_item (
    request_id TEXT NOT NULL REFERENCES service_request (id) ON DELETE CASCADE,
    position   BIGINT NOT NULL,
    name_zh    TEXT NOT NULL DEFAULT '',
    name_en    TEXT NOT NULL DEFAULT '',
    category   TEXT NOT NULL,
    -- 10 digits
    hs_code    TEXT NOT NULL,
    spec       TEXT NOT NULL DEFAULT '',
    -- thousandths of the unit
    quantity   BIGINT NOT NULL,
    unit       TEXT NOT NULL,
    -- ambient, c2_8, minus20, c2_20, c15_25, c10_30
    regime     TEXT NOT NULL,
    PRIMARY KEY (request_id, position)
);

-- Every move of a request: who, when, why, the authority's reference and
-- validity, and the working days spent in the step it left.
CREATE TABLE request_step (
    id            TEXT PRIMARY KEY,
    request_id    TEXT NOT NULL REFERENCES service_request (id) ON DELETE CASCADE,
    center_id     TEXT NOT NULL REFERENCES center (id),
    service_type_id TEXT NOT NULL,
    seq           BIGINT NOT NULL,
    move          TEXT NOT NULL,
    from_status   TEXT NOT NULL,
    to_status     TEXT NOT NULL,
    at            BIGINT NOT NULL,
    by_user       TEXT,
    note          TEXT NOT NULL DEFAULT '',
    authority_ref TEXT NOT NULL DEFAULT '',
    valid_from    TEXT,
    valid_until   TEXT,
    -- working days in from_status (this run), and its SLA
    days          BIGINT NOT NULL DEFAULT 0,
    sla_days      BIGINT,
    -- checklist keys the officer asks for (comma-separated)
    asked         TEXT NOT NULL DEFAULT '',
    CONSTRAINT request_step_seq_key UNIQUE (request_id, seq)
);
CREATE INDEX request_step_figures_idx ON request_step (center_id, at);

CREATE TABLE request_message (
    id          TEXT PRIMARY KEY,
    request_id  TEXT NOT NULL REFERENCES service_request (id) ON DELETE CASCADE,
    author_id   TEXT REFERENCES app_user (id),
    -- enterprise, center
    side        TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX request_message_idx ON request_message (request_id, created_at, id);

-- A document handed in against the checklist; the file is kept under its
-- SHA-256 (local folder or object storage); a newer one of a key replaces
-- the older in the checklist, both stay listed.
CREATE TABLE request_document (
    id          TEXT PRIMARY KEY,
    request_id  TEXT NOT NULL REFERENCES service_request (id) ON DELETE CASCADE,
    doc_key     TEXT NOT NULL,
    file_key    TEXT NOT NULL,
    filename    TEXT NOT NULL,
    -- pdf, jpeg, png, docx, xlsx, ofd (read from the content)
    doc_type    TEXT NOT NULL,
    size        BIGINT NOT NULL,
    uploaded_by TEXT REFERENCES app_user (id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX request_document_idx ON request_document (request_id, doc_key, created_at);

-- Sichuan's R&D-materials white list: one enterprise and one item, valid
-- 12 months, with quantities in thousandths that never go below zero.
CREATE TABLE whitelist_entry (
    id            TEXT PRIMARY KEY,
    center_id     TEXT NOT NULL REFERENCES center (id),
    enterprise_id TEXT NOT NULL REFERENCES enterprise (id),
    request_id    TEXT NOT NULL REFERENCES service_request (id),
    name_zh       TEXT NOT NULL DEFAULT '',
    name_en       TEXT NOT NULL DEFAULT '',
    hs_code       TEXT NOT NULL,
    spec          TEXT NOT NULL DEFAULT '',
    unit          TEXT NOT NULL,
    approved      BIGINT NOT NULL,
    imported      BIGINT NOT NULL DEFAULT 0,
    used          BIGINT NOT NULL DEFAULT 0,
    destroyed     BIGINT NOT NULL DEFAULT 0,
    valid_from    TEXT NOT NULL,
    valid_until   TEXT NOT NULL,
    -- when the 30-day expiry warning was sent
    warned_at     BIGINT,
    created_at    BIGINT NOT NULL,
    CONSTRAINT whitelist_import_check CHECK (imported >= 0 AND imported <= approved),
    CONSTRAINT whitelist_on_hand_check CHECK (used >= 0 AND destroyed >= 0 AND used + destroyed <= imported)
);
CREATE INDEX whitelist_enterprise_idx ON whitelist_entry (enterprise_id, valid_until);
CREATE INDEX whitelist_center_idx ON whitelist_entry (center_id, valid_until);

CREATE TABLE whitelist_usage (
    id         TEXT PRIMARY KEY,
    entry_id   TEXT NOT NULL REFERENCES whitelist_entry (id),
    -- imported, used, destroyed
    kind       TEXT NOT NULL,
    quantity   BIGINT NOT NULL,
    project    TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    at         BIGINT NOT NULL,
    by_user    TEXT REFERENCES app_user (id)
);
CREATE INDEX whitelist_usage_idx ON whitelist_usage (entry_id, at);

-- Webhooks: subscriptions of the center or of one enterprise, and the
-- outbox written in the same transaction as the change it tells of.
CREATE TABLE webhook_subscription (
    id            TEXT PRIMARY KEY,
    center_id     TEXT NOT NULL REFERENCES center (id),
    -- NULL: the center's own systems (every request of the center)
    enterprise_id TEXT REFERENCES enterprise (id),
    url           TEXT NOT NULL,
    -- the signing secret, sealed (sealed.rs)
    secret        TEXT NOT NULL,
    -- comma-separated event types
    events        TEXT NOT NULL,
    active        BIGINT NOT NULL DEFAULT 1,
    created_at    BIGINT NOT NULL,
    created_by    TEXT
);
CREATE INDEX webhook_subscription_idx ON webhook_subscription (center_id, enterprise_id);

CREATE TABLE webhook_outbox (
    id              TEXT PRIMARY KEY,
    subscription_id TEXT NOT NULL REFERENCES webhook_subscription (id) ON DELETE CASCADE,
    event_type      TEXT NOT NULL,
    payload         TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    next_at         BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    -- pending, delivered, failed
    status          TEXT NOT NULL,
    delivered_at    BIGINT,
    last_code       BIGINT,
    last_error      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX webhook_outbox_due_idx ON webhook_outbox (status, next_at);
CREATE INDEX webhook_outbox_sub_idx ON webhook_outbox (subscription_id, created_at);

CREATE TABLE webhook_attempt (
    id         TEXT PRIMARY KEY,
    outbox_id  TEXT NOT NULL REFERENCES webhook_outbox (id) ON DELETE CASCADE,
    at         BIGINT NOT NULL,
    code       BIGINT,
    error      TEXT NOT NULL DEFAULT '',
    ms         BIGINT NOT NULL
);
CREATE INDEX webhook_attempt_idx ON webhook_attempt (outbox_id, at);
