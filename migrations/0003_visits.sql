-- Delegation visits: counterpart organisations, visits and their history,
-- members (personal data with a retention date), itinerary items (rooms via
-- venue bookings), interpreters and their assignments, the plan checklist,
-- seating plans, the gift register and outcomes.

CREATE TABLE organisation (
    id            TEXT PRIMARY KEY,
    center_id     TEXT NOT NULL REFERENCES center (id),
    -- embassy_consulate, foreign_local_government, business_association,
    -- foreign_enterprise, hk_macao_org, international_org, domestic, other
    kind          TEXT NOT NULL,
    -- ISO 3166-1 alpha-2
    country       TEXT NOT NULL,
    name_zh       TEXT NOT NULL DEFAULT '',
    name_en       TEXT NOT NULL DEFAULT '',
    -- Lower-cased name used to find the organisation again.
    name_key      TEXT NOT NULL,
    contact_name  TEXT NOT NULL DEFAULT '',
    contact_email TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    notes         TEXT NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    CONSTRAINT organisation_center_name_key UNIQUE (center_id, name_key)
);
CREATE INDEX organisation_kind_idx ON organisation (center_id, kind);

CREATE TABLE visit (
    id              TEXT PRIMARY KEY,
    center_id       TEXT NOT NULL REFERENCES center (id),
    reference       TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisation (id),
    -- Copied from the organisation so that lists filter on one table.
    kind            TEXT NOT NULL,
    country         TEXT NOT NULL,
    status          TEXT NOT NULL,
    status_reason   TEXT NOT NULL DEFAULT '',
    title_zh        TEXT NOT NULL DEFAULT '',
    title_en        TEXT NOT NULL DEFAULT '',
    purpose         TEXT NOT NULL DEFAULT '',
    -- Dates as YYYY-MM-DD in the center's time zone.
    preferred_from  TEXT NOT NULL DEFAULT '',
    preferred_to    TEXT NOT NULL DEFAULT '',
    starts_on       TEXT NOT NULL DEFAULT '',
    ends_on         TEXT NOT NULL DEFAULT '',
    -- The year the visit counts in (of starts_on, else preferred_from).
    year            BIGINT NOT NULL,
    party_size      BIGINT NOT NULL DEFAULT 1,
    -- Comma-separated BCP 47 tags.
    languages       TEXT NOT NULL DEFAULT '',
    protocol_level  TEXT NOT NULL DEFAULT '',
    hosts           TEXT NOT NULL DEFAULT '',
    approval_ref    TEXT NOT NULL DEFAULT '',
    budget          TEXT NOT NULL DEFAULT '',
    summary         TEXT NOT NULL DEFAULT '',
    contact_name    TEXT NOT NULL DEFAULT '',
    contact_email   TEXT NOT NULL DEFAULT '',
    contact_phone   TEXT NOT NULL DEFAULT '',
    -- public (the request form) or staff.
    source          TEXT NOT NULL,
    consent_at      BIGINT,
    -- Personal data of the visit (members, contact) is purged after this date.
    retention_until TEXT NOT NULL DEFAULT '',
    purged_at       BIGINT,
    created_by      TEXT REFERENCES app_user (id),
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    CONSTRAINT visit_reference_key UNIQUE (center_id, reference),
    CONSTRAINT visit_party_check CHECK (party_size > 0)
);
CREATE INDEX visit_list_idx ON visit (center_id, year, kind, status);
CREATE INDEX visit_org_idx ON visit (organisation_id);
CREATE INDEX visit_retention_idx ON visit (retention_until);

-- Every change of a visit's status, with who and why (the audit log has it
-- too; this is the visit's own timeline).
CREATE TABLE visit_transition (
    id          TEXT PRIMARY KEY,
    visit_id    TEXT NOT NULL REFERENCES visit (id),
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    actor_id    TEXT,
    actor_label TEXT NOT NULL DEFAULT '',
    at          BIGINT NOT NULL
);
CREATE INDEX visit_transition_idx ON visit_transition (visit_id, at);

CREATE TABLE visit_member (
    id              TEXT PRIMARY KEY,
    visit_id        TEXT NOT NULL REFERENCES visit (id),
    position        BIGINT NOT NULL,
    surname         TEXT NOT NULL,
    given_name      TEXT NOT NULL DEFAULT '',
    name_zh         TEXT NOT NULL DEFAULT '',
    -- f, m, x or empty
    gender          TEXT NOT NULL DEFAULT '',
    title_zh        TEXT NOT NULL DEFAULT '',
    title_en        TEXT NOT NULL DEFAULT '',
    organisation    TEXT NOT NULL DEFAULT '',
    languages       TEXT NOT NULL DEFAULT '',
    dietary         TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    is_head         BIGINT NOT NULL DEFAULT 0,
    -- XChaCha20-Poly1305 under the configured data key: base64(nonce || ciphertext).
    passport_enc    TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX visit_member_idx ON visit_member (visit_id, position);

CREATE TABLE itinerary_item (
    id           TEXT PRIMARY KEY,
    center_id    TEXT NOT NULL REFERENCES center (id),
    visit_id     TEXT NOT NULL REFERENCES visit (id),
    -- arrival, meeting, talks, banquet, site_visit, signing, event, departure
    kind         TEXT NOT NULL,
    title_zh     TEXT NOT NULL DEFAULT '',
    title_en     TEXT NOT NULL DEFAULT '',
    starts_at    BIGINT NOT NULL,
    ends_at      BIGINT NOT NULL,
    room_id      TEXT REFERENCES room (id),
    booking_id   TEXT REFERENCES booking (id),
    -- Off-site places (airport, a factory) when there is no room.
    place_zh     TEXT NOT NULL DEFAULT '',
    place_en     TEXT NOT NULL DEFAULT '',
    participants TEXT NOT NULL DEFAULT '',
    notes        TEXT NOT NULL DEFAULT '',
    -- tentative, confirmed, cancelled (as in iCalendar)
    status       TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    CONSTRAINT itinerary_span_check CHECK (ends_at > starts_at)
);
CREATE INDEX itinerary_visit_idx ON itinerary_item (visit_id, starts_at);

CREATE TABLE interpreter (
    id           TEXT PRIMARY KEY,
    center_id    TEXT NOT NULL REFERENCES center (id),
    user_id      TEXT NOT NULL REFERENCES app_user (id),
    notes        TEXT NOT NULL DEFAULT '',
    active       BIGINT NOT NULL DEFAULT 1,
    -- Bumped at the start of every assignment write for this interpreter.
    lock_version BIGINT NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    CONSTRAINT interpreter_user_key UNIQUE (user_id)
);
CREATE INDEX interpreter_center_idx ON interpreter (center_id);

-- The languages an interpreter works in (besides Chinese), with a level:
-- 3 senior, 2 intermediate, 1 junior.
CREATE TABLE interpreter_language (
    interpreter_id TEXT NOT NULL REFERENCES interpreter (id),
    tag            TEXT NOT NULL,
    -- The primary language subtag, for matching en-GB against en.
    primary_tag    TEXT NOT NULL,
    level          BIGINT NOT NULL,
    PRIMARY KEY (interpreter_id, tag),
    CONSTRAINT interpreter_level_check CHECK (level BETWEEN 1 AND 3)
);
CREATE INDEX interpreter_language_idx ON interpreter_language (primary_tag);

CREATE TABLE interpreter_unavailability (
    id             TEXT PRIMARY KEY,
    interpreter_id TEXT NOT NULL REFERENCES interpreter (id),
    starts_at      BIGINT NOT NULL,
    ends_at        BIGINT NOT NULL,
    reason         TEXT NOT NULL DEFAULT '',
    created_at     BIGINT NOT NULL,
    CONSTRAINT unavailability_span_check CHECK (ends_at > starts_at)
);
CREATE INDEX unavailability_idx ON interpreter_unavailability (interpreter_id, starts_at);

CREATE TABLE interpreter_assignment (
    id             TEXT PRIMARY KEY,
    center_id      TEXT NOT NULL REFERENCES center (id),
    interpreter_id TEXT NOT NULL REFERENCES interpreter (id),
    item_id        TEXT NOT NULL REFERENCES itinerary_item (id),
    -- The language interpreted to and from Chinese (BCP 47).
    language       TEXT NOT NULL,
    -- Copied from the item; kept in step when the item moves.
    starts_at      BIGINT NOT NULL,
    ends_at        BIGINT NOT NULL,
    -- offered, accepted, declined, cancelled
    status         TEXT NOT NULL,
    reason         TEXT NOT NULL DEFAULT '',
    created_by     TEXT,
    created_at     BIGINT NOT NULL,
    decided_at     BIGINT
);
CREATE INDEX assignment_interpreter_idx ON interpreter_assignment (interpreter_id, starts_at);
CREATE INDEX assignment_item_idx ON interpreter_assignment (item_id);
-- Covers the suggestion's busy and workload queries (no table lookups).
CREATE INDEX assignment_center_idx ON interpreter_assignment (center_id, starts_at, ends_at, status, interpreter_id);

CREATE TABLE visit_task (
    id         TEXT PRIMARY KEY,
    visit_id   TEXT NOT NULL REFERENCES visit (id),
    center_id  TEXT NOT NULL REFERENCES center (id),
    -- interpretation, media, gifts, transport_lodging, materials, venue_setup, security
    area       TEXT NOT NULL,
    title      TEXT NOT NULL,
    owner_id   TEXT REFERENCES app_user (id),
    due_on     TEXT NOT NULL DEFAULT '',
    -- open, done, dropped
    status     TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX visit_task_idx ON visit_task (visit_id);
CREATE INDEX visit_task_due_idx ON visit_task (center_id, status, due_on);

-- A seating plan: ordered seats on the host and guest sides of one item.
CREATE TABLE seat (
    id         TEXT PRIMARY KEY,
    item_id    TEXT NOT NULL REFERENCES itinerary_item (id),
    -- host, guest
    side       TEXT NOT NULL,
    position   BIGINT NOT NULL,
    -- principal, interpreter
    role       TEXT NOT NULL DEFAULT 'principal',
    name_zh    TEXT NOT NULL DEFAULT '',
    -- The name in the guest's language (Latin script for most guests).
    name_other TEXT NOT NULL DEFAULT '',
    title_zh   TEXT NOT NULL DEFAULT '',
    title_other TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX seat_item_idx ON seat (item_id, side, position);

CREATE TABLE gift (
    id          TEXT PRIMARY KEY,
    center_id   TEXT NOT NULL REFERENCES center (id),
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    -- Value of one piece in fen (1/100 yuan).
    unit_value  BIGINT NOT NULL DEFAULT 0,
    stock       BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    CONSTRAINT gift_stock_check CHECK (stock >= 0)
);

-- Stock in (positive) and out (negative, given to an organisation on a visit).
CREATE TABLE gift_movement (
    id              TEXT PRIMARY KEY,
    center_id       TEXT NOT NULL REFERENCES center (id),
    gift_id         TEXT NOT NULL REFERENCES gift (id),
    quantity        BIGINT NOT NULL,
    visit_id        TEXT REFERENCES visit (id),
    organisation_id TEXT REFERENCES organisation (id),
    recipient       TEXT NOT NULL DEFAULT '',
    note            TEXT NOT NULL DEFAULT '',
    created_by      TEXT,
    at              BIGINT NOT NULL
);
CREATE INDEX gift_movement_idx ON gift_movement (gift_id, at);
CREATE INDEX gift_movement_org_idx ON gift_movement (organisation_id, gift_id);

CREATE TABLE outcome (
    id              TEXT PRIMARY KEY,
    center_id       TEXT NOT NULL REFERENCES center (id),
    organisation_id TEXT NOT NULL REFERENCES organisation (id),
    visit_id        TEXT REFERENCES visit (id),
    -- mou, agreement, letter_of_intent, project_lead, investment, return_visit
    kind            TEXT NOT NULL,
    title_zh        TEXT NOT NULL DEFAULT '',
    title_en        TEXT NOT NULL DEFAULT '',
    parties         TEXT NOT NULL DEFAULT '',
    signed_on       TEXT NOT NULL DEFAULT '',
    document_ref    TEXT NOT NULL DEFAULT '',
    owner_id        TEXT REFERENCES app_user (id),
    next_action     TEXT NOT NULL DEFAULT '',
    next_action_on  TEXT NOT NULL DEFAULT '',
    -- proposed, signed, in_progress, realised, dormant, terminated
    status          TEXT NOT NULL,
    -- The follow-up date its owner was last reminded of (once per date).
    reminded_on     TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX outcome_org_idx ON outcome (organisation_id);
CREATE INDEX outcome_follow_idx ON outcome (center_id, status, next_action_on);

-- Public forms (visit requests, later registrations) count submissions per
-- client address here to refuse floods (see src/throttle.rs).
CREATE TABLE rate_event (
    id    TEXT PRIMARY KEY,
    kind  TEXT NOT NULL,
    key   TEXT NOT NULL,
    at    BIGINT NOT NULL
);
CREATE INDEX rate_event_idx ON rate_event (kind, key, at);
