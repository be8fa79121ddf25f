-- News: articles with Chinese and English side by side, their workflow
-- (draft, review, approved, published, withdrawn), credits, and every saved
-- version (revisions) for the side-by-side diff.

CREATE TABLE news_article (
    id            TEXT PRIMARY KEY,
    center_id     TEXT NOT NULL REFERENCES center (id),
    -- draft, review, approved, published, withdrawn
    status        TEXT NOT NULL,
    -- The public addresses' last part; null until typed or first published
    -- (then made from the title), so a draft's title can still change it.
    slug_zh       TEXT,
    slug_en       TEXT,
    title_zh      TEXT NOT NULL DEFAULT '',
    title_en      TEXT NOT NULL DEFAULT '',
    summary_zh    TEXT NOT NULL DEFAULT '',
    summary_en    TEXT NOT NULL DEFAULT '',
    -- Markdown (a safe subset, rendered on the server).
    body_zh       TEXT NOT NULL DEFAULT '',
    body_en       TEXT NOT NULL DEFAULT '',
    -- Tags, one per line.
    tags          TEXT NOT NULL DEFAULT '',
    -- The cover picture (images: its SHA-256, size) and its alt text.
    cover_key     TEXT,
    cover_w       BIGINT NOT NULL DEFAULT 0,
    cover_h       BIGINT NOT NULL DEFAULT 0,
    cover_alt_zh  TEXT NOT NULL DEFAULT '',
    cover_alt_en  TEXT NOT NULL DEFAULT '',
    zone_id       TEXT REFERENCES zone (id),
    event_id      TEXT REFERENCES event (id),
    -- Credits: 来源 Source, 排版 Typesetting; the senior editor (审核校对)
    -- is whoever approved it, named as they were then.
    source        TEXT NOT NULL DEFAULT '',
    typesetter    TEXT NOT NULL DEFAULT '',
    editor_name   TEXT NOT NULL DEFAULT '',
    -- The senior editor's decision to publish without English (0/1).
    chinese_only  BIGINT NOT NULL DEFAULT 0 CHECK (chinese_only IN (0, 1)),
    -- One language changed after approval: the other may be out of date.
    zh_stale      BIGINT NOT NULL DEFAULT 0 CHECK (zh_stale IN (0, 1)),
    en_stale      BIGINT NOT NULL DEFAULT 0 CHECK (en_stale IN (0, 1)),
    -- Ever approved: from then on an edit of one language flags the other.
    approved_once BIGINT NOT NULL DEFAULT 0 CHECK (approved_once IN (0, 1)),
    -- When it is (or is to be) public; null until published.
    published_at  BIGINT,
    -- Saved versions so far (the newest revision's number).
    version       BIGINT NOT NULL DEFAULT 1,
    created_by    TEXT NOT NULL REFERENCES app_user (id),
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    CONSTRAINT news_article_slug_zh_key UNIQUE (center_id, slug_zh),
    CONSTRAINT news_article_slug_en_key UNIQUE (center_id, slug_en)
);

CREATE INDEX news_article_public_idx ON news_article (center_id, status, published_at);

CREATE TABLE news_revision (
    article_id  TEXT NOT NULL REFERENCES news_article (id),
    n           BIGINT NOT NULL,
    title_zh    TEXT NOT NULL,
    title_en    TEXT NOT NULL,
    summary_zh  TEXT NOT NULL,
    summary_en  TEXT NOT NULL,
    body_zh     TEXT NOT NULL,
    body_en     TEXT NOT NULL,
    -- What happened: saved, or a workflow step (submit, approve, …).
    action      TEXT NOT NULL,
    by_name     TEXT NOT NULL,
    at          BIGINT NOT NULL,
    PRIMARY KEY (article_id, n)
);

-- Readers' comments on published articles: held until a moderator decides.
-- The commenter's e-mail and address are never shown, and are purged after
-- the retention period (`purge_at`).
CREATE TABLE news_comment (
    id          TEXT PRIMARY KEY,
    center_id   TEXT NOT NULL REFERENCES center (id),
    article_id  TEXT NOT NULL REFERENCES news_article (id),
    -- held, approved, rejected
    status      TEXT NOT NULL,
    -- The page's language the comment was written on (zh-CN, en).
    lang        TEXT NOT NULL,
    name        TEXT NOT NULL,
    body        TEXT NOT NULL,
    -- Never shown; null once purged.
    email       TEXT,
    client_ip   TEXT,
    created_at  BIGINT NOT NULL,
    decided_at  BIGINT,
    decided_by  TEXT REFERENCES app_user (id),
    purge_at    BIGINT NOT NULL
);

CREATE INDEX news_comment_article_idx ON news_comment (article_id, status, created_at);
CREATE INDEX news_comment_queue_idx ON news_comment (center_id, status, id);
CREATE INDEX news_comment_purge_idx ON news_comment (purge_at);

-- Addresses and e-mails whose comments are dropped: kept as a SHA-256 of
-- kind and value (nobody's address is listed), until `expires_at`.
CREATE TABLE news_block (
    id          TEXT PRIMARY KEY,
    center_id   TEXT NOT NULL REFERENCES center (id),
    -- address or email
    kind        TEXT NOT NULL,
    value       TEXT NOT NULL,
    -- The name on the comment the block was made from.
    label       TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    created_by  TEXT NOT NULL REFERENCES app_user (id),
    expires_at  BIGINT NOT NULL,
    CONSTRAINT news_block_key UNIQUE (center_id, kind, value)
);

-- The public site's own pages (about, zones, contact, privacy notice,
-- accessibility statement), both languages side by side; a page not yet
-- written is shown from the program's default text.
CREATE TABLE site_page (
    id          TEXT PRIMARY KEY,
    center_id   TEXT NOT NULL REFERENCES center (id),
    -- about, zones, contact, privacy, accessibility
    page_key    TEXT NOT NULL,
    title_zh    TEXT NOT NULL,
    title_en    TEXT NOT NULL,
    -- Markdown, as articles.
    body_zh     TEXT NOT NULL,
    body_en     TEXT NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1,
    updated_by  TEXT REFERENCES app_user (id),
    updated_at  BIGINT NOT NULL,
    CONSTRAINT site_page_key UNIQUE (center_id, page_key)
);
