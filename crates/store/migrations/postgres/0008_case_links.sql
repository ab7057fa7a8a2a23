-- Replication links (see the SQLite migration of the same number).
CREATE TABLE case_links (
    id                 TEXT COLLATE "C" PRIMARY KEY,
    case_id            TEXT COLLATE "C" NOT NULL REFERENCES cases(id),
    kind               TEXT NOT NULL CHECK (kind IN ('replicates', 'adapts', 'scales_up', 'inspired_by')),
    target_identifier  TEXT COLLATE "C" NOT NULL,
    target_case_id     TEXT COLLATE "C",
    target_url         TEXT,
    target_title       TEXT,
    changes            TEXT,
    country            TEXT,
    region             TEXT,
    year               BIGINT,
    source             TEXT NOT NULL CHECK (source IN ('local', 'harvested')),
    created_by         TEXT,
    created_at         TEXT NOT NULL,
    CONSTRAINT case_links_unique UNIQUE (case_id, target_identifier)
);
CREATE INDEX case_links_target ON case_links (target_identifier);
