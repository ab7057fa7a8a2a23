-- A case belongs to an organisation as well as to its author (issue #11):
-- the organisation its author worked for when the case was started. Every
-- contributor of that organisation may edit its drafts, so a case outlives
-- a staff rotation. Cases started before this migration have none (their
-- author alone keeps them), as their record says.
ALTER TABLE cases ADD COLUMN owner_org TEXT COLLATE "C";
CREATE INDEX cases_owner_org ON cases (owner_org, id);
