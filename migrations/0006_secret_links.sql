-- Secret links (door displays, room and personal calendar feeds, tickets,
-- event invitations) kept as hashes, like sessions and API tokens: a link
-- holds a random secret; only its SHA-256 is stored here. A subject may have
-- several live links of one purpose (a ticket link in each e-mail); renewing
-- a display, feed or invitation link replaces them all.
--
-- The secrets these columns held before (room.display_token,
-- registration.manage_token, event.invitation_code, calendar_feed.token) are
-- moved here, hashed, when the server starts (`links::adopt_legacy`); the
-- columns then hold 'link:' and the row's id, never a secret.
CREATE TABLE secret_link (
    purpose    TEXT NOT NULL,
    hash       TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (purpose, hash)
);
CREATE INDEX secret_link_subject_idx ON secret_link (purpose, subject_id);
