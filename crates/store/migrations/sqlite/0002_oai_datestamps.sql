-- OAI-PMH datestamps: the second of each case's last change, as an integer
-- (comparable and indexable, unlike RFC 3339 text with optional fractions).
-- Only cases that were ever published are served over OAI-PMH (published
-- ones as records, the rest as deleted records), hence the partial index.
ALTER TABLE cases ADD COLUMN changed_s INTEGER NOT NULL DEFAULT 0;
UPDATE cases SET changed_s = CAST(strftime('%s', updated_at) AS INTEGER);
CREATE INDEX cases_oai ON cases (changed_s, id) WHERE published_at IS NOT NULL;
