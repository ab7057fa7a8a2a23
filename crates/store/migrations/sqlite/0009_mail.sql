-- E-mail: an outbox that the sender drains, and each account's choice of how
-- often it gets mail.
--
-- A message is written to the outbox in the transaction of what caused it, so
-- nothing is lost while the mail server is down or the node restarts. A sender
-- claims due messages under a lease (holder, lease_until_ms), so several
-- instances never send the same one; it marks a message sent as soon as the
-- server has accepted it, and reschedules a refused one with back-off
-- (next_attempt_ms, attempts) until it gives up (state 'failed').
CREATE TABLE mail_outbox (
    id               TEXT PRIMARY KEY,
    account_id       TEXT,
    to_address       TEXT NOT NULL,
    kind             TEXT NOT NULL,
    subject          TEXT NOT NULL,
    text_body        TEXT NOT NULL,
    html_body        TEXT,
    unsubscribe_url  TEXT,
    state            TEXT NOT NULL DEFAULT 'queued',
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms  INTEGER NOT NULL,
    holder           TEXT,
    lease_until_ms   INTEGER,
    last_error       TEXT,
    created_at       TEXT NOT NULL,
    sent_at          TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (state, next_attempt_ms);

-- How often an account wants mail (immediately, daily, weekly, never); an
-- account without a row has the node's default. The unsubscribe token is the
-- secret of the one-click unsubscribe link in every message (RFC 8058). A
-- digest covers the unread notifications after last_digest_seq (a change-log
-- position), so none is left out or sent twice.
CREATE TABLE mail_preferences (
    account_id         TEXT PRIMARY KEY,
    frequency          TEXT NOT NULL,
    unsubscribe_token  TEXT NOT NULL UNIQUE,
    last_digest_at     TEXT,
    last_digest_seq    INTEGER NOT NULL DEFAULT 0,
    updated_at         TEXT NOT NULL
);
