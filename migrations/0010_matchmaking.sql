-- Matchmaking: one-to-one meetings at an event. Staff switch it on per
-- event (meeting length, breaks, meeting windows inside the sessions,
-- numbered tables in the event's rooms); registered participants keep a
-- profile with offers and needs; meetings are requested, accepted and
-- placed at a slot and a table.

CREATE TABLE mm_setup (
    event_id         TEXT PRIMARY KEY REFERENCES event (id),
    center_id        TEXT NOT NULL REFERENCES center (id),
    meeting_minutes  BIGINT NOT NULL,
    break_minutes    BIGINT NOT NULL,
    -- 1: a request waits for the invitee's acceptance; 0: placed at once.
    needs_acceptance BIGINT NOT NULL DEFAULT 1,
    -- Live requests one person may have sent.
    request_limit    BIGINT NOT NULL DEFAULT 20,
    -- The meeting windows, a JSON list of [start, end] in milliseconds.
    windows          TEXT NOT NULL DEFAULT '[]',
    -- Bumped by every write that places or frees a meeting: the row lock
    -- that queues placements of one event.
    version          BIGINT NOT NULL DEFAULT 0,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    CONSTRAINT mm_setup_numbers_check CHECK (meeting_minutes > 0 AND break_minutes >= 0 AND request_limit > 0)
);

CREATE TABLE mm_table (
    id         TEXT PRIMARY KEY,
    event_id   TEXT NOT NULL REFERENCES event (id),
    number     BIGINT NOT NULL,
    room_id    TEXT REFERENCES room (id),
    seats      BIGINT NOT NULL,
    -- 0 once removed (its past meetings keep their table).
    active     BIGINT NOT NULL DEFAULT 1,
    CONSTRAINT mm_table_number_key UNIQUE (event_id, number),
    CONSTRAINT mm_table_seats_check CHECK (seats >= 2 AND seats <= 6)
);

CREATE TABLE mm_profile (
    id              TEXT PRIMARY KEY,
    event_id        TEXT NOT NULL REFERENCES event (id),
    center_id       TEXT NOT NULL REFERENCES center (id),
    participant_id  TEXT NOT NULL REFERENCES participant (id),
    -- The participant's registration (its ticket links open this profile).
    registration_id TEXT NOT NULL REFERENCES registration (id),
    name            TEXT NOT NULL DEFAULT '',
    organisation_zh TEXT NOT NULL DEFAULT '',
    organisation_en TEXT NOT NULL DEFAULT '',
    role_zh         TEXT NOT NULL DEFAULT '',
    role_en         TEXT NOT NULL DEFAULT '',
    about_zh        TEXT NOT NULL DEFAULT '',
    about_en        TEXT NOT NULL DEFAULT '',
    country         TEXT NOT NULL DEFAULT '',
    sector          TEXT NOT NULL DEFAULT '',
    -- Comma-separated BCP 47 tags.
    languages       TEXT NOT NULL DEFAULT '',
    -- Starts (ms) of the windows this person cannot meet in, comma-separated.
    away            TEXT NOT NULL DEFAULT '',
    -- 1: shown in the event's catalogue.
    listed          BIGINT NOT NULL DEFAULT 1,
    -- Live requests sent; guarded against the setup's request_limit.
    sent            BIGINT NOT NULL DEFAULT 0,
    email           TEXT NOT NULL DEFAULT '',
    lang            TEXT NOT NULL DEFAULT 'zh-CN',
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    CONSTRAINT mm_profile_participant_key UNIQUE (participant_id),
    CONSTRAINT mm_profile_sent_check CHECK (sent >= 0)
);
CREATE INDEX mm_profile_event_idx ON mm_profile (event_id, listed, name);

-- Offers and needs of a profile.
CREATE TABLE mm_entry (
    id         TEXT PRIMARY KEY,
    profile_id TEXT NOT NULL REFERENCES mm_profile (id),
    event_id   TEXT NOT NULL REFERENCES event (id),
    position   BIGINT NOT NULL,
    -- offer, need
    side       TEXT NOT NULL,
    -- product, service, partnership, investment, research
    topic      TEXT NOT NULL,
    text_zh    TEXT NOT NULL DEFAULT '',
    text_en    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mm_entry_profile_idx ON mm_entry (profile_id, position);
CREATE INDEX mm_entry_event_idx ON mm_entry (event_id, side, topic);

CREATE TABLE mm_meeting (
    id           TEXT PRIMARY KEY,
    event_id     TEXT NOT NULL REFERENCES event (id),
    center_id    TEXT NOT NULL REFERENCES center (id),
    requester_id TEXT NOT NULL REFERENCES mm_profile (id),
    invitee_id   TEXT NOT NULL REFERENCES mm_profile (id),
    -- requested, accepted, declined, cancelled
    status       TEXT NOT NULL,
    message      TEXT NOT NULL DEFAULT '',
    reason       TEXT NOT NULL DEFAULT '',
    -- Booked directly by staff (VIP delegations).
    by_staff     BIGINT NOT NULL DEFAULT 0,
    -- Where and when, once placed.
    starts_at    BIGINT,
    ends_at      BIGINT,
    table_id     TEXT REFERENCES mm_table (id),
    -- The .ics SEQUENCE: bumped whenever time or table changes.
    sequence     BIGINT NOT NULL DEFAULT 0,
    -- both_present, requester_absent, invitee_absent, no_show
    attendance   TEXT NOT NULL DEFAULT '',
    late         BIGINT NOT NULL DEFAULT 0,
    accepted_at  BIGINT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    CONSTRAINT mm_meeting_people_check CHECK (requester_id <> invitee_id)
);
CREATE INDEX mm_meeting_event_idx ON mm_meeting (event_id, status, starts_at);
CREATE INDEX mm_meeting_requester_idx ON mm_meeting (requester_id, status);
CREATE INDEX mm_meeting_invitee_idx ON mm_meeting (invitee_id, status);

-- What a placed meeting holds: its two people and its table at its start.
-- The primary key is the invariant: one person or one table never holds
-- two meetings at one slot (slots of an event never overlap, and the
-- setup's slots cannot change while meetings are placed).
CREATE TABLE mm_hold (
    owner_id   TEXT NOT NULL,
    starts_at  BIGINT NOT NULL,
    event_id   TEXT NOT NULL REFERENCES event (id),
    meeting_id TEXT NOT NULL REFERENCES mm_meeting (id),
    -- person, table
    kind       TEXT NOT NULL,
    PRIMARY KEY (owner_id, starts_at)
);
CREATE INDEX mm_hold_event_idx ON mm_hold (event_id, kind, starts_at);
CREATE INDEX mm_hold_meeting_idx ON mm_hold (meeting_id);

-- What each side says a meeting led to.
CREATE TABLE mm_outcome (
    meeting_id  TEXT NOT NULL REFERENCES mm_meeting (id),
    profile_id  TEXT NOT NULL REFERENCES mm_profile (id),
    -- Comma-separated outcome codes.
    outcomes    TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (meeting_id, profile_id)
);

-- Interpreters are assigned to matchmaking meetings too, with the same
-- conflict rules as itinerary items: the assignment's item is no longer
-- only an itinerary item (no foreign key), says what it is (item_kind:
-- itinerary or meeting) and keeps a label in both languages. The table is
-- rebuilt (SQLite cannot drop a constraint), its rows and indexes kept.
CREATE TABLE interpreter_assignment_next (
    id             TEXT PRIMARY KEY,
    center_id      TEXT NOT NULL REFERENCES center (id),
    interpreter_id TEXT NOT NULL REFERENCES interpreter (id),
    item_id        TEXT NOT NULL,
    item_kind      TEXT NOT NULL DEFAULT 'itinerary',
    title_zh       TEXT NOT NULL DEFAULT '',
    title_en       TEXT NOT NULL DEFAULT '',
    language       TEXT NOT NULL,
    starts_at      BIGINT NOT NULL,
    ends_at        BIGINT NOT NULL,
    status         TEXT NOT NULL,
    reason         TEXT NOT NULL DEFAULT '',
    created_by     TEXT,
    created_at     BIGINT NOT NULL,
    decided_at     BIGINT
);
INSERT INTO interpreter_assignment_next (id, center_id, interpreter_id, item_id, language, starts_at,
    ends_at, status, reason, created_by, created_at, decided_at)
SELECT id, center_id, interpreter_id, item_id, language, starts_at, ends_at, status, reason,
    created_by, created_at, decided_at
FROM interpreter_assignment;
DROP TABLE interpreter_assignment;
ALTER TABLE interpreter_assignment_next RENAME TO interpreter_assignment;
CREATE INDEX assignment_interpreter_idx ON interpreter_assignment (interpreter_id, starts_at);
CREATE INDEX assignment_item_idx ON interpreter_assignment (item_id);
CREATE INDEX assignment_center_idx ON interpreter_assignment (center_id, starts_at, ends_at, status, interpreter_id);
