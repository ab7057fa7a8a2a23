-- Lumbung's initial schema.
--
-- Every record keeps its whole current state as JSON in `data` (what the API
-- serves), plus plain columns for the fields that lists filter and sort on.
-- Every change writes the record, a row in its revisions and a row in the
-- change log in one transaction.

CREATE TABLE organisations (
    id          TEXT PRIMARY KEY,
    org_type    TEXT NOT NULL,
    country     TEXT,
    parent_id   TEXT REFERENCES organisations(id),
    version     INTEGER NOT NULL CHECK (version >= 1),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    data        TEXT NOT NULL
);

CREATE TABLE accounts (
    id              TEXT PRIMARY KEY,
    email           TEXT NOT NULL COLLATE NOCASE,
    name            TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('reader', 'contributor', 'curator', 'delegate', 'admin')),
    organisation_id TEXT REFERENCES organisations(id),
    password_hash   TEXT,
    disabled        INTEGER NOT NULL DEFAULT 0,
    version         INTEGER NOT NULL CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CONSTRAINT accounts_email_unique UNIQUE (email)
);

-- API tokens and browser sessions are stored as SHA-256 hashes only.
CREATE TABLE api_tokens (
    token_hash   TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    label        TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_used_at TEXT
);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE cases (
    id                  TEXT PRIMARY KEY,
    status              TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'published', 'archived')),
    country             TEXT,
    level_of_government TEXT,
    lifecycle_stage     TEXT,
    year_launched       INTEGER,
    operating_status    TEXT,
    completeness        INTEGER NOT NULL CHECK (completeness BETWEEN 0 AND 100),
    created_by          TEXT,
    source_url          TEXT,
    origin_identifier   TEXT,
    version             INTEGER NOT NULL CHECK (version >= 1),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    published_at        TEXT,
    data                TEXT NOT NULL,
    CONSTRAINT cases_origin_unique UNIQUE (origin_identifier)
);
CREATE INDEX cases_status ON cases (status, id);
CREATE INDEX cases_country ON cases (country, id);
CREATE INDEX cases_level ON cases (level_of_government, id);
CREATE INDEX cases_stage ON cases (lifecycle_stage, id);
CREATE INDEX cases_year ON cases (year_launched, id);
CREATE INDEX cases_created_by ON cases (created_by, id);
CREATE INDEX cases_source_url ON cases (source_url);

-- Multi-valued classification (sector, facet, sdg, organisation, tag) for filtering.
CREATE TABLE case_terms (
    field    TEXT NOT NULL,
    value    TEXT NOT NULL,
    case_id  TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    PRIMARY KEY (field, value, case_id)
) WITHOUT ROWID;
CREATE INDEX case_terms_case ON case_terms (case_id);

-- Every saved state of every case: the full record as it was after the change.
CREATE TABLE case_revisions (
    case_id     TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    action      TEXT NOT NULL,
    actor_id    TEXT,
    comment     TEXT,
    created_at  TEXT NOT NULL,
    data        TEXT NOT NULL,
    PRIMARY KEY (case_id, version)
);

-- The append-only, ordered change log that derived views (search index,
-- OAI-PMH, feeds, notifications) follow from saved cursors.
CREATE TABLE change_log (
    seq        INTEGER PRIMARY KEY,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    action     TEXT NOT NULL,
    version    INTEGER NOT NULL,
    actor_id   TEXT,
    at         TEXT NOT NULL
);
CREATE INDEX change_log_entity ON change_log (entity, entity_id, seq);

-- Where each derived view has got to in the change log.
CREATE TABLE cursors (
    name  TEXT PRIMARY KEY,
    seq   INTEGER NOT NULL
);

-- Node-wide settings and identity (node id, created at).
CREATE TABLE node_meta (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
