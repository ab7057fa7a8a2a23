-- Lumbung's initial schema (PostgreSQL; the SQLite file of the same number
-- creates the same tables and columns).
--
-- Every record keeps its whole current state as JSON in `data` (what the API
-- serves), plus plain columns for the fields that lists filter and sort on.
-- Every change writes the record, a row in its revisions and a row in the
-- change log in one transaction. Text keys compare byte by byte (COLLATE "C"),
-- as SQLite's do, so both backends list and page in the same order.

CREATE TABLE organisations (
    id          TEXT COLLATE "C" PRIMARY KEY,
    org_type    TEXT NOT NULL,
    country     TEXT,
    parent_id   TEXT COLLATE "C" REFERENCES organisations(id),
    version     BIGINT NOT NULL CHECK (version >= 1),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    data        TEXT NOT NULL
);

CREATE TABLE accounts (
    id              TEXT COLLATE "C" PRIMARY KEY,
    email           TEXT NOT NULL,
    name            TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('reader', 'contributor', 'curator', 'delegate', 'admin')),
    organisation_id TEXT COLLATE "C" REFERENCES organisations(id),
    password_hash   TEXT,
    disabled        BIGINT NOT NULL DEFAULT 0,
    version         BIGINT NOT NULL CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
-- E-mail addresses are unique whatever their case (SQLite: COLLATE NOCASE).
CREATE UNIQUE INDEX accounts_email_unique ON accounts (lower(email));

CREATE TABLE api_tokens (
    token_hash   TEXT COLLATE "C" PRIMARY KEY,
    account_id   TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    label        TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_used_at TEXT
);

CREATE TABLE sessions (
    token_hash  TEXT COLLATE "C" PRIMARY KEY,
    account_id  TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE cases (
    id                  TEXT COLLATE "C" PRIMARY KEY,
    status              TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'published', 'archived')),
    country             TEXT,
    level_of_government TEXT,
    lifecycle_stage     TEXT,
    year_launched       BIGINT,
    operating_status    TEXT,
    completeness        BIGINT NOT NULL CHECK (completeness BETWEEN 0 AND 100),
    created_by          TEXT COLLATE "C",
    source_url          TEXT,
    origin_identifier   TEXT COLLATE "C",
    version             BIGINT NOT NULL CHECK (version >= 1),
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

CREATE TABLE case_terms (
    field    TEXT COLLATE "C" NOT NULL,
    value    TEXT COLLATE "C" NOT NULL,
    case_id  TEXT COLLATE "C" NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    PRIMARY KEY (field, value, case_id)
);
CREATE INDEX case_terms_case ON case_terms (case_id);

CREATE TABLE case_revisions (
    case_id     TEXT COLLATE "C" NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    version     BIGINT NOT NULL,
    action      TEXT NOT NULL,
    actor_id    TEXT,
    comment     TEXT,
    created_at  TEXT NOT NULL,
    data        TEXT NOT NULL,
    PRIMARY KEY (case_id, version)
);

-- The append-only, ordered change log. Writers append under
-- `LOCK TABLE change_log IN EXCLUSIVE MODE` at the end of their transaction,
-- numbering on from max(seq): see ARCHITECTURE.md, "The change log".
CREATE TABLE change_log (
    seq        BIGINT PRIMARY KEY,
    entity     TEXT NOT NULL,
    entity_id  TEXT COLLATE "C" NOT NULL,
    action     TEXT NOT NULL,
    version    BIGINT NOT NULL,
    actor_id   TEXT,
    at         TEXT NOT NULL
);
CREATE INDEX change_log_entity ON change_log (entity, entity_id, seq);

CREATE TABLE cursors (
    name  TEXT COLLATE "C" PRIMARY KEY,
    seq   BIGINT NOT NULL
);

CREATE TABLE node_meta (
    key    TEXT COLLATE "C" PRIMARY KEY,
    value  TEXT NOT NULL
);
