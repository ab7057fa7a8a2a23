-- Replication links: a case (`case_id`, local or a harvested copy) records
-- that it replicates, adapts, scales up or was inspired by another case,
-- named by its global identifier `oai:<node>:case/<id>` (and, when that case
-- is on this node, by its local id too). The source's "adopted by" list is
-- the links whose target_identifier is the source's global identifier.
CREATE TABLE case_links (
    id                 TEXT PRIMARY KEY,
    case_id            TEXT NOT NULL REFERENCES cases(id),
    kind               TEXT NOT NULL CHECK (kind IN ('replicates', 'adapts', 'scales_up', 'inspired_by')),
    target_identifier  TEXT NOT NULL,
    target_case_id     TEXT,
    target_url         TEXT,
    target_title       TEXT,
    changes            TEXT,
    country            TEXT,
    region             TEXT,
    year               INTEGER,
    -- 'local' (recorded here) or 'harvested' (carried by a harvested record)
    source             TEXT NOT NULL CHECK (source IN ('local', 'harvested')),
    created_by         TEXT,
    created_at         TEXT NOT NULL,
    CONSTRAINT case_links_unique UNIQUE (case_id, target_identifier)
);
CREATE INDEX case_links_target ON case_links (target_identifier);
