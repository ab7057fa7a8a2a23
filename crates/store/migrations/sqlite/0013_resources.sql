-- Resources and collections (issue #11). A resource is a guide, toolkit,
-- training material, report, video or dataset: the record as JSON in
-- `data`, a link or an uploaded file (stored under the data folder by its
-- SHA-256, named in `sha256`); the cases and events it serves are listed
-- in resource_links so case and event pages find theirs.
CREATE TABLE resources (
    id            TEXT PRIMARY KEY,
    resource_type TEXT NOT NULL,
    sha256        TEXT,
    version       INTEGER NOT NULL,
    created_by    TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    data          TEXT NOT NULL
);
CREATE INDEX resources_type ON resources (resource_type, updated_at);
CREATE INDEX resources_sha256 ON resources (sha256);

-- kind 'case' or 'event'; target is the local id.
CREATE TABLE resource_links (
    resource_id TEXT NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('case', 'event')),
    target      TEXT NOT NULL,
    PRIMARY KEY (resource_id, kind, target)
);
CREATE INDEX resource_links_target ON resource_links (kind, target);

-- Collections: curated, ordered lists of cases (the order is in `data`).
CREATE TABLE collections (
    id         TEXT PRIMARY KEY,
    version    INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    data       TEXT NOT NULL
);
