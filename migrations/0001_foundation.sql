-- Foundation: centers and their zones, accounts, sessions, API tokens,
-- login throttling, the audit log and human-reference counters.
-- Portable subset (STACK.md §2): TEXT ids (UUIDv7 made in Rust), BIGINT for
-- integers, 0/1 flags and epoch-millisecond instants; no BOOLEAN/TIMESTAMP.

CREATE TABLE center (
    id               TEXT PRIMARY KEY,
    slug             TEXT NOT NULL,
    name_zh          TEXT NOT NULL,
    name_en          TEXT NOT NULL,
    short_name_zh    TEXT NOT NULL DEFAULT '',
    short_name_en    TEXT NOT NULL DEFAULT '',
    intro_zh         TEXT NOT NULL DEFAULT '',
    intro_en         TEXT NOT NULL DEFAULT '',
    address_zh       TEXT NOT NULL DEFAULT '',
    address_en       TEXT NOT NULL DEFAULT '',
    opening_hours_zh TEXT NOT NULL DEFAULT '',
    opening_hours_en TEXT NOT NULL DEFAULT '',
    phone            TEXT NOT NULL DEFAULT '',
    email            TEXT NOT NULL DEFAULT '',
    -- IANA name; instants are shown in it.
    timezone         TEXT NOT NULL DEFAULT 'Asia/Shanghai',
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    CONSTRAINT center_slug_key UNIQUE (slug)
);

-- The functional zones (功能区) of a center; codes are stable identifiers.
CREATE TABLE zone (
    id             TEXT PRIMARY KEY,
    center_id      TEXT NOT NULL REFERENCES center (id),
    code           TEXT NOT NULL,
    name_zh        TEXT NOT NULL,
    name_en        TEXT NOT NULL,
    description_zh TEXT NOT NULL DEFAULT '',
    description_en TEXT NOT NULL DEFAULT '',
    position       BIGINT NOT NULL DEFAULT 0,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    CONSTRAINT zone_center_code_key UNIQUE (center_id, code)
);

-- "user" is reserved in PostgreSQL, hence app_user. Oversight users have no
-- center of their own: oversight_scope lists the centers they see.
CREATE TABLE app_user (
    id             TEXT PRIMARY KEY,
    center_id      TEXT REFERENCES center (id),
    email          TEXT NOT NULL,
    display_name   TEXT NOT NULL,
    role           TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    active         BIGINT NOT NULL DEFAULT 1,
    preferred_lang TEXT NOT NULL DEFAULT 'zh-CN',
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    CONSTRAINT app_user_email_key UNIQUE (email),
    CONSTRAINT app_user_role_check
        CHECK (role IN ('admin', 'staff', 'interpreter', 'enterprise', 'oversight')),
    CONSTRAINT app_user_active_check CHECK (active IN (0, 1)),
    CONSTRAINT app_user_center_check CHECK (role = 'oversight' OR center_id IS NOT NULL)
);
CREATE INDEX app_user_center_idx ON app_user (center_id);

CREATE TABLE oversight_scope (
    user_id   TEXT NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    center_id TEXT NOT NULL REFERENCES center (id),
    PRIMARY KEY (user_id, center_id)
);

-- Browser sessions. The cookie holds a random token; only its SHA-256 is
-- stored, so a copy of the database cannot be replayed as a login.
CREATE TABLE user_session (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX user_session_user_idx ON user_session (user_id);
CREATE INDEX user_session_expires_idx ON user_session (expires_at);

-- Bearer tokens for the API; the token is shown once, only its hash is kept.
CREATE TABLE api_token (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    revoked_at   BIGINT,
    CONSTRAINT api_token_hash_key UNIQUE (token_hash)
);

-- Failed logins, counted per account and per client address in a window.
CREATE TABLE login_failure (
    id        TEXT PRIMARY KEY,
    email     TEXT NOT NULL,
    client_ip TEXT NOT NULL,
    at        BIGINT NOT NULL
);
CREATE INDEX login_failure_email_idx ON login_failure (email, at);
CREATE INDEX login_failure_ip_idx ON login_failure (client_ip, at);

-- Every change of state, written in the transaction that made it.
CREATE TABLE audit_log (
    id          TEXT PRIMARY KEY,
    center_id   TEXT,
    actor_id    TEXT,
    actor_label TEXT NOT NULL,
    at          BIGINT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    action      TEXT NOT NULL,
    -- JSON: the fields that changed, before and after.
    summary     TEXT NOT NULL,
    client_ip   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_center_at_idx ON audit_log (center_id, at);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id);

-- Counters behind human references such as V-2026-031.
CREATE TABLE ref_counter (
    center_id  TEXT NOT NULL REFERENCES center (id),
    kind       TEXT NOT NULL,
    year       BIGINT NOT NULL,
    last_value BIGINT NOT NULL,
    PRIMARY KEY (center_id, kind, year)
);
