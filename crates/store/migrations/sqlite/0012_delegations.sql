-- Delegations (issue #11): the country a delegate account represents on a
-- regional or international node (ISO 3166-1 alpha-2). A delegate submits,
-- edits and nominates that country's cases only.
ALTER TABLE accounts ADD COLUMN delegation TEXT;
