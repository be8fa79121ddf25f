-- Venues: rooms in a center's zones, their blackout periods, bookings (one-off
-- and recurring series), the approval inbox shared by every module, in-app
-- notifications, and secret calendar-feed tokens.

CREATE TABLE room (
    id                TEXT PRIMARY KEY,
    center_id         TEXT NOT NULL REFERENCES center (id),
    zone_id           TEXT NOT NULL REFERENCES zone (id),
    name_zh           TEXT NOT NULL,
    name_en           TEXT NOT NULL,
    description_zh    TEXT NOT NULL DEFAULT '',
    description_en    TEXT NOT NULL DEFAULT '',
    location_zh       TEXT NOT NULL DEFAULT '',
    location_en       TEXT NOT NULL DEFAULT '',
    capacity          BIGINT NOT NULL,
    -- Comma-separated equipment codes (see venues::model::EQUIPMENT).
    equipment         TEXT NOT NULL DEFAULT '',
    bookable          BIGINT NOT NULL DEFAULT 1,
    requires_approval BIGINT NOT NULL DEFAULT 0,
    -- Seven HH:MM-HH:MM windows (or empty = closed), Monday first, '|'-separated.
    opening_hours     TEXT NOT NULL,
    min_minutes       BIGINT NOT NULL DEFAULT 30,
    max_minutes       BIGINT NOT NULL DEFAULT 480,
    max_advance_days  BIGINT NOT NULL DEFAULT 180,
    setup_minutes     BIGINT NOT NULL DEFAULT 0,
    teardown_minutes  BIGINT NOT NULL DEFAULT 0,
    -- Secret for the door display and the room's calendar feed.
    display_token     TEXT NOT NULL,
    -- Bumped at the start of every booking write for this room, so writers
    -- for one room queue up (a row lock on PostgreSQL).
    lock_version      BIGINT NOT NULL DEFAULT 0,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    CONSTRAINT room_capacity_check CHECK (capacity > 0),
    CONSTRAINT room_flags_check CHECK (bookable IN (0, 1) AND requires_approval IN (0, 1)),
    CONSTRAINT room_center_name_key UNIQUE (center_id, name_en),
    CONSTRAINT room_display_token_key UNIQUE (display_token)
);
CREATE INDEX room_zone_idx ON room (zone_id);

-- Maintenance, holidays: a room, or every room of a zone, is closed.
CREATE TABLE blackout (
    id         TEXT PRIMARY KEY,
    center_id  TEXT NOT NULL REFERENCES center (id),
    room_id    TEXT REFERENCES room (id),
    zone_id    TEXT REFERENCES zone (id),
    starts_at  BIGINT NOT NULL,
    ends_at    BIGINT NOT NULL,
    reason_zh  TEXT NOT NULL DEFAULT '',
    reason_en  TEXT NOT NULL DEFAULT '',
    created_by TEXT,
    created_at BIGINT NOT NULL,
    CONSTRAINT blackout_target_check CHECK (room_id IS NOT NULL OR zone_id IS NOT NULL),
    CONSTRAINT blackout_span_check CHECK (ends_at > starts_at)
);
CREATE INDEX blackout_room_idx ON blackout (room_id, starts_at);
CREATE INDEX blackout_zone_idx ON blackout (zone_id, starts_at);

-- A recurring request; its occurrences are rows of booking.
CREATE TABLE booking_series (
    id           TEXT PRIMARY KEY,
    center_id    TEXT NOT NULL REFERENCES center (id),
    room_id      TEXT NOT NULL REFERENCES room (id),
    -- RFC 5545 RRULE value, e.g. FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,WE;COUNT=10
    rrule        TEXT NOT NULL,
    first_start  BIGINT NOT NULL,
    created_at   BIGINT NOT NULL
);

CREATE TABLE booking (
    id              TEXT PRIMARY KEY,
    center_id       TEXT NOT NULL REFERENCES center (id),
    room_id         TEXT NOT NULL REFERENCES room (id),
    series_id       TEXT REFERENCES booking_series (id),
    -- For an occurrence of a series: where the rule put it (its iCalendar
    -- RECURRENCE-ID), even after it is moved.
    recurrence_start BIGINT,
    reference       TEXT NOT NULL,
    title_zh        TEXT NOT NULL,
    title_en        TEXT NOT NULL,
    organizer_id    TEXT NOT NULL REFERENCES app_user (id),
    attendees       BIGINT NOT NULL,
    -- What the booking is for: '' or e.g. 'visit', 'event' with purpose_id.
    purpose         TEXT NOT NULL DEFAULT '',
    purpose_id      TEXT NOT NULL DEFAULT '',
    starts_at       BIGINT NOT NULL,
    ends_at         BIGINT NOT NULL,
    -- The span the room is held, buffers included; overlaps are tested on it.
    block_start     BIGINT NOT NULL,
    block_end       BIGINT NOT NULL,
    status          TEXT NOT NULL,
    status_reason   TEXT NOT NULL DEFAULT '',
    decided_by      TEXT,
    decided_at      BIGINT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    CONSTRAINT booking_status_check CHECK (status IN ('requested', 'confirmed', 'rejected', 'cancelled')),
    CONSTRAINT booking_span_check CHECK (ends_at > starts_at AND block_start <= starts_at AND block_end >= ends_at),
    CONSTRAINT booking_attendees_check CHECK (attendees > 0)
);
CREATE INDEX booking_room_span_idx ON booking (room_id, block_start, block_end);
CREATE INDEX booking_series_idx ON booking (series_id);
CREATE INDEX booking_organizer_idx ON booking (organizer_id, starts_at);
CREATE INDEX booking_center_status_idx ON booking (center_id, status);

-- The approval inbox, for every module: one row per thing awaiting a decision.
CREATE TABLE approval (
    id           TEXT PRIMARY KEY,
    center_id    TEXT NOT NULL REFERENCES center (id),
    -- Which module decides it, e.g. 'booking'.
    kind         TEXT NOT NULL,
    subject_id   TEXT NOT NULL,
    title_zh     TEXT NOT NULL,
    title_en     TEXT NOT NULL,
    requested_by TEXT REFERENCES app_user (id),
    requested_at BIGINT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending',
    decided_by   TEXT,
    decided_at   BIGINT,
    reason       TEXT NOT NULL DEFAULT '',
    CONSTRAINT approval_status_check CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
    CONSTRAINT approval_subject_key UNIQUE (kind, subject_id)
);
CREATE INDEX approval_center_status_idx ON approval (center_id, status, requested_at);

-- In-app notifications; e-mail copies go out when SMTP is configured.
CREATE TABLE notification (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    subject_id TEXT NOT NULL DEFAULT '',
    title_zh   TEXT NOT NULL,
    title_en   TEXT NOT NULL,
    body_zh    TEXT NOT NULL DEFAULT '',
    body_en    TEXT NOT NULL DEFAULT '',
    link       TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    read_at    BIGINT
);
CREATE INDEX notification_user_idx ON notification (user_id, created_at);

-- Secret calendar-feed URLs for a user's own bookings.
CREATE TABLE calendar_feed (
    token      TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    CONSTRAINT calendar_feed_user_key UNIQUE (user_id)
);
