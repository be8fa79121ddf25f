-- Events: sessions in the center's rooms, ticket categories with quotas,
-- registrations (groups) with a waiting list, participants with tickets,
-- and the check-in log.

CREATE TABLE event (
    id                 TEXT PRIMARY KEY,
    center_id          TEXT NOT NULL REFERENCES center (id),
    reference          TEXT NOT NULL,
    -- international_promotion, hk_macao_promotion, exchange, salon, training,
    -- matchmaking, industry_exchange, thematic_activity
    kind               TEXT NOT NULL,
    title_zh           TEXT NOT NULL DEFAULT '',
    title_en           TEXT NOT NULL DEFAULT '',
    summary_zh         TEXT NOT NULL DEFAULT '',
    summary_en         TEXT NOT NULL DEFAULT '',
    description_zh     TEXT NOT NULL DEFAULT '',
    description_en     TEXT NOT NULL DEFAULT '',
    organizers         TEXT NOT NULL DEFAULT '',
    -- public, invitation, internal
    visibility         TEXT NOT NULL,
    -- Secret part of the invitation link for invitation-only events.
    invitation_code    TEXT NOT NULL,
    -- Comma-separated BCP 47 tags.
    languages          TEXT NOT NULL DEFAULT '',
    starts_at          BIGINT NOT NULL,
    ends_at            BIGINT NOT NULL,
    capacity           BIGINT NOT NULL,
    -- Seats held by confirmed and pending registrations. Every write that
    -- takes seats is a guarded UPDATE (taken + n <= capacity).
    taken              BIGINT NOT NULL DEFAULT 0,
    waitlist           BIGINT NOT NULL DEFAULT 1,
    -- strict (in order, never skipping) or first_fit
    waitlist_policy    TEXT NOT NULL DEFAULT 'strict',
    -- Hours a waiting entry stays valid (0: until the event starts).
    waitlist_hours     BIGINT NOT NULL DEFAULT 0,
    requires_approval  BIGINT NOT NULL DEFAULT 0,
    max_group          BIGINT NOT NULL DEFAULT 10,
    -- planned, registration_open, held, reported, cancelled
    status             TEXT NOT NULL,
    status_reason      TEXT NOT NULL DEFAULT '',
    -- The registration form: a JSON list of questions.
    form               TEXT NOT NULL DEFAULT '[]',
    -- Personal data of registrants is purged after this date.
    retention_until    TEXT NOT NULL DEFAULT '',
    purged_at          BIGINT,
    created_by         TEXT REFERENCES app_user (id),
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    CONSTRAINT event_reference_key UNIQUE (center_id, reference),
    CONSTRAINT event_invitation_key UNIQUE (invitation_code),
    CONSTRAINT event_capacity_check CHECK (capacity > 0 AND taken >= 0 AND taken <= capacity),
    CONSTRAINT event_span_check CHECK (ends_at > starts_at)
);
CREATE INDEX event_list_idx ON event (center_id, status, starts_at);

CREATE TABLE event_session (
    id         TEXT PRIMARY KEY,
    event_id   TEXT NOT NULL REFERENCES event (id),
    position   BIGINT NOT NULL,
    title_zh   TEXT NOT NULL DEFAULT '',
    title_en   TEXT NOT NULL DEFAULT '',
    starts_at  BIGINT NOT NULL,
    ends_at    BIGINT NOT NULL,
    room_id    TEXT REFERENCES room (id),
    booking_id TEXT REFERENCES booking (id),
    created_at BIGINT NOT NULL,
    CONSTRAINT event_session_span_check CHECK (ends_at > starts_at)
);
CREATE INDEX event_session_idx ON event_session (event_id, starts_at);

-- Ticket categories: their own quota inside the event's capacity.
CREATE TABLE ticket_category (
    id         TEXT PRIMARY KEY,
    event_id   TEXT NOT NULL REFERENCES event (id),
    code       TEXT NOT NULL,
    name_zh    TEXT NOT NULL DEFAULT '',
    name_en    TEXT NOT NULL DEFAULT '',
    -- NULL: no quota of its own (only the event's capacity).
    quota      BIGINT,
    taken      BIGINT NOT NULL DEFAULT 0,
    position   BIGINT NOT NULL,
    CONSTRAINT ticket_category_code_key UNIQUE (event_id, code),
    CONSTRAINT ticket_category_quota_check CHECK (taken >= 0 AND (quota IS NULL OR taken <= quota))
);

CREATE TABLE registration (
    id            TEXT PRIMARY KEY,
    event_id      TEXT NOT NULL REFERENCES event (id),
    center_id     TEXT NOT NULL REFERENCES center (id),
    reference     TEXT NOT NULL,
    -- confirmed, waitlisted, pending, cancelled, rejected, expired
    status        TEXT NOT NULL,
    status_reason TEXT NOT NULL DEFAULT '',
    seats         BIGINT NOT NULL,
    contact_name  TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    -- Answers to the event's form, JSON object by question id.
    answers       TEXT NOT NULL DEFAULT '{}',
    lang          TEXT NOT NULL DEFAULT 'zh-CN',
    consent_at    BIGINT,
    -- The holder's secret: their page and cancellation without an account.
    manage_token  TEXT NOT NULL,
    -- When the entry joined the waiting list (its place in line) and when it lapses.
    waiting_since BIGINT,
    expires_at    BIGINT,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    CONSTRAINT registration_reference_key UNIQUE (center_id, reference),
    CONSTRAINT registration_token_key UNIQUE (manage_token),
    CONSTRAINT registration_seats_check CHECK (seats > 0)
);
CREATE INDEX registration_event_idx ON registration (event_id, status, waiting_since);

CREATE TABLE participant (
    id              TEXT PRIMARY KEY,
    registration_id TEXT NOT NULL REFERENCES registration (id),
    event_id        TEXT NOT NULL REFERENCES event (id),
    position        BIGINT NOT NULL,
    name            TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL DEFAULT '',
    category_id     TEXT NOT NULL REFERENCES ticket_category (id),
    country         TEXT NOT NULL DEFAULT '',
    -- The ticket: an unguessable code, issued when the registration is confirmed.
    ticket_code     TEXT,
    checked_in_at   BIGINT,
    checked_in_by   TEXT,
    checked_in_device TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    CONSTRAINT participant_ticket_key UNIQUE (ticket_code)
);
CREATE INDEX participant_registration_idx ON participant (registration_id, position);
CREATE INDEX participant_event_idx ON participant (event_id, name);

-- Every check-in and undo, with the device, for the record and for sync.
CREATE TABLE checkin_log (
    id             TEXT PRIMARY KEY,
    event_id       TEXT NOT NULL REFERENCES event (id),
    participant_id TEXT NOT NULL REFERENCES participant (id),
    -- checkin, undo, duplicate
    action         TEXT NOT NULL,
    device         TEXT NOT NULL DEFAULT '',
    by_user        TEXT,
    -- When it happened on the device (offline check-ins sync later).
    at             BIGINT NOT NULL,
    recorded_at    BIGINT NOT NULL
);
CREATE INDEX checkin_log_event_idx ON checkin_log (event_id, recorded_at);
