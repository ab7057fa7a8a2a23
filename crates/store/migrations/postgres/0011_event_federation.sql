-- Events travel over OAI-PMH (issue #11): the second of each event's last
-- change (its datestamp; action items move it too), and the global
-- identifier of a harvested copy of another node's event.
ALTER TABLE events ADD COLUMN changed_s BIGINT NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN origin_identifier TEXT COLLATE "C";
UPDATE events SET changed_s = CAST(EXTRACT(EPOCH FROM CAST(updated_at AS timestamptz)) AS BIGINT);
CREATE INDEX events_changed ON events (changed_s, id);
CREATE UNIQUE INDEX events_origin ON events (origin_identifier);
