-- What this node harvests, and how the last harvest of each source went.
CREATE TABLE harvest_sources (
    source              TEXT COLLATE "C" PRIMARY KEY,
    base_url            TEXT NOT NULL,
    last_response_date  TEXT,
    last_attempt_at     TEXT,
    last_success_at     TEXT,
    last_error          TEXT,
    records_seen        BIGINT NOT NULL DEFAULT 0,
    created             BIGINT NOT NULL DEFAULT 0,
    updated             BIGINT NOT NULL DEFAULT 0,
    withdrawn           BIGINT NOT NULL DEFAULT 0,
    rejected            BIGINT NOT NULL DEFAULT 0
);
