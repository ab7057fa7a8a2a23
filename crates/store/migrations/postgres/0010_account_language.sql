-- Each account's language (see the SQLite migration of the same number).
ALTER TABLE accounts ADD COLUMN language TEXT;
