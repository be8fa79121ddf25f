-- The exhibition hall: its opening calendar and rules (one hall per center),
-- time slots with capacity in people, a per-day allowance for groups,
-- reservations of individuals, families and groups with a ticket, walk-ins
-- at the door. Slot and day rows are made when first needed; their `taken`
-- is only ever changed by a guarded UPDATE (`seats`).

CREATE TABLE hall (
    center_id          TEXT PRIMARY KEY REFERENCES center (id),
    name_zh            TEXT NOT NULL DEFAULT '',
    name_en            TEXT NOT NULL DEFAULT '',
    -- Taking reservations at all (0: the public page says bookings are closed).
    open               BIGINT NOT NULL DEFAULT 1 CHECK (open IN (0, 1)),
    slot_minutes       BIGINT NOT NULL CHECK (slot_minutes BETWEEN 15 AND 480),
    slot_capacity      BIGINT NOT NULL CHECK (slot_capacity BETWEEN 1 AND 10000),
    -- People in group reservations per day.
    group_day_cap      BIGINT NOT NULL CHECK (group_day_cap >= 0),
    horizon_days       BIGINT NOT NULL CHECK (horizon_days BETWEEN 1 AND 366),
    cancel_hours       BIGINT NOT NULL CHECK (cancel_hours >= 0),
    arrive_before_min  BIGINT NOT NULL CHECK (arrive_before_min >= 0),
    arrive_after_min   BIGINT NOT NULL CHECK (arrive_after_min >= 0),
    -- Largest individual/family party, largest group.
    max_party          BIGINT NOT NULL CHECK (max_party >= 1),
    max_group          BIGINT NOT NULL CHECK (max_group >= 1),
    -- People one contact or ID may bring in a day, and reservations a day.
    max_day_people     BIGINT NOT NULL CHECK (max_day_people >= 1),
    max_day_bookings   BIGINT NOT NULL CHECK (max_day_bookings >= 1),
    strike_limit       BIGINT NOT NULL CHECK (strike_limit >= 1),
    strike_window_days BIGINT NOT NULL CHECK (strike_window_days >= 1),
    cooloff_days       BIGINT NOT NULL CHECK (cooloff_days >= 1),
    real_name          BIGINT NOT NULL DEFAULT 0 CHECK (real_name IN (0, 1)),
    retention_days     BIGINT NOT NULL CHECK (retention_days >= 1),
    -- The first six digits of local resident ID numbers (the city), for the
    -- "local" origin: '5101' for Chengdu.
    local_prefix       TEXT NOT NULL DEFAULT '',
    updated_at         BIGINT NOT NULL
);

-- Weekly hours: one row per open weekday (1 = Monday … 7 = Sunday), 'HH:MM'.
CREATE TABLE hall_hours (
    center_id TEXT NOT NULL REFERENCES center (id),
    weekday   BIGINT NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    opens     TEXT NOT NULL,
    closes    TEXT NOT NULL,
    PRIMARY KEY (center_id, weekday)
);

-- A dated exception: closed (opens = '') or open with these hours.
CREATE TABLE hall_exception (
    center_id TEXT NOT NULL REFERENCES center (id),
    day       TEXT NOT NULL,
    opens     TEXT NOT NULL DEFAULT '',
    closes    TEXT NOT NULL DEFAULT '',
    note_zh   TEXT NOT NULL DEFAULT '',
    note_en   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (center_id, day)
);

CREATE TABLE hall_slot (
    id        TEXT PRIMARY KEY,
    center_id TEXT NOT NULL REFERENCES center (id),
    day       TEXT NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at   BIGINT NOT NULL,
    capacity  BIGINT NOT NULL,
    -- People holding places: live reservations and walk-ins.
    taken     BIGINT NOT NULL DEFAULT 0 CHECK (taken >= 0),
    CONSTRAINT hall_slot_start_key UNIQUE (center_id, starts_at),
    CONSTRAINT hall_slot_span_check CHECK (ends_at > starts_at)
);
CREATE INDEX hall_slot_day_idx ON hall_slot (center_id, day);

CREATE TABLE hall_day (
    id        TEXT PRIMARY KEY,
    center_id TEXT NOT NULL REFERENCES center (id),
    day       TEXT NOT NULL,
    capacity  BIGINT NOT NULL,
    taken     BIGINT NOT NULL DEFAULT 0 CHECK (taken >= 0),
    CONSTRAINT hall_day_key UNIQUE (center_id, day)
);

CREATE TABLE hall_reservation (
    id              TEXT PRIMARY KEY,
    center_id       TEXT NOT NULL REFERENCES center (id),
    reference       TEXT NOT NULL,
    slot_id         TEXT NOT NULL REFERENCES hall_slot (id),
    day             TEXT NOT NULL,
    starts_at       BIGINT NOT NULL,
    -- individual, group
    kind            TEXT NOT NULL,
    -- confirmed, admitted, no_show, cancelled
    status          TEXT NOT NULL,
    status_reason   TEXT NOT NULL DEFAULT '',
    people          BIGINT NOT NULL CHECK (people >= 1),
    -- Heads that came (set at the door).
    admitted        BIGINT NOT NULL DEFAULT 0,
    organisation    TEXT NOT NULL DEFAULT '',
    contact_name    TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL DEFAULT '',
    -- The phone's digits or the e-mail, for the per-contact rules.
    contact_key     TEXT NOT NULL DEFAULT '',
    -- Member names of a group, one per line.
    members         TEXT NOT NULL DEFAULT '',
    tour            BIGINT NOT NULL DEFAULT 0 CHECK (tour IN (0, 1)),
    tour_lang       TEXT NOT NULL DEFAULT '',
    -- local, other_province, hk_macao_taiwan, foreign, or '' (not given)
    origin          TEXT NOT NULL DEFAULT '',
    -- Real-name booking: the document type, its number sealed (`sealed`), a
    -- keyed digest for the per-ID rules, and the number as shown (masked).
    id_type         TEXT NOT NULL DEFAULT '',
    id_sealed       TEXT NOT NULL DEFAULT '',
    id_digest       TEXT NOT NULL DEFAULT '',
    id_masked       TEXT NOT NULL DEFAULT '',
    lang            TEXT NOT NULL DEFAULT 'zh-CN',
    consent_at      BIGINT,
    retention_until TEXT NOT NULL DEFAULT '',
    purged_at       BIGINT,
    ticket_code     TEXT NOT NULL,
    admitted_at     BIGINT,
    admitted_by     TEXT,
    admitted_device TEXT NOT NULL DEFAULT '',
    reminded_at     BIGINT,
    -- Entered by staff from the paper register (no ticket was used).
    recorded        BIGINT NOT NULL DEFAULT 0 CHECK (recorded IN (0, 1)),
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    CONSTRAINT hall_reservation_reference_key UNIQUE (center_id, reference),
    CONSTRAINT hall_reservation_ticket_key UNIQUE (ticket_code),
    CONSTRAINT hall_reservation_admitted_check CHECK (admitted >= 0)
);
CREATE INDEX hall_reservation_day_idx ON hall_reservation (center_id, day, starts_at);
CREATE INDEX hall_reservation_slot_idx ON hall_reservation (slot_id, status);
CREATE INDEX hall_reservation_contact_idx ON hall_reservation (center_id, contact_key, day);
CREATE INDEX hall_reservation_id_idx ON hall_reservation (center_id, id_digest, day);

CREATE TABLE hall_walkin (
    id          TEXT PRIMARY KEY,
    center_id   TEXT NOT NULL REFERENCES center (id),
    slot_id     TEXT NOT NULL REFERENCES hall_slot (id),
    day         TEXT NOT NULL,
    heads       BIGINT NOT NULL CHECK (heads >= 1),
    origin      TEXT NOT NULL DEFAULT '',
    recorded_by TEXT,
    at          BIGINT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX hall_walkin_day_idx ON hall_walkin (center_id, day);

-- "Tell me if places free up": an e-mail per full slot, sent once when a
-- cancellation or a smaller party leaves room for the party asked for.
-- Places are not held: the first to book them has them.
CREATE TABLE hall_watch (
    id          TEXT PRIMARY KEY,
    center_id   TEXT NOT NULL REFERENCES center (id),
    starts_at   BIGINT NOT NULL,
    slot_key    TEXT NOT NULL,
    email       TEXT NOT NULL,
    people      BIGINT NOT NULL CHECK (people >= 1),
    lang        TEXT NOT NULL DEFAULT 'zh-CN',
    created_at  BIGINT NOT NULL,
    notified_at BIGINT,
    CONSTRAINT hall_watch_key UNIQUE (center_id, starts_at, email)
);
CREATE INDEX hall_watch_slot_idx ON hall_watch (center_id, starts_at, notified_at);
