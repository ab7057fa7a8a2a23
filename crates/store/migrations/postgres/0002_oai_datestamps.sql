-- OAI-PMH datestamps: the second of each case's last change (see the SQLite file).
ALTER TABLE cases ADD COLUMN changed_s BIGINT NOT NULL DEFAULT 0;
CREATE INDEX cases_oai ON cases (changed_s, id) WHERE published_at IS NOT NULL;
