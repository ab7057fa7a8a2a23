-- What this node harvests, and how the last harvest of each source went.
-- `source` is a configured peer id, or the OAI base URL of a one-off harvest.
CREATE TABLE harvest_sources (
    source              TEXT PRIMARY KEY,
    base_url            TEXT NOT NULL,
    last_response_date  TEXT,
    last_attempt_at     TEXT,
    last_success_at     TEXT,
    last_error          TEXT,
    records_seen        INTEGER NOT NULL DEFAULT 0,
    created             INTEGER NOT NULL DEFAULT 0,
    updated             INTEGER NOT NULL DEFAULT 0,
    withdrawn           INTEGER NOT NULL DEFAULT 0,
    rejected            INTEGER NOT NULL DEFAULT 0
);
