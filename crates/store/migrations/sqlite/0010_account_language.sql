-- Each account's language (en, id) for what the node writes to it: mail and
-- digests. NULL: the node's first language.
ALTER TABLE accounts ADD COLUMN language TEXT;
