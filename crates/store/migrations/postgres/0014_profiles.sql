-- Public profiles (issue #11), opt-in: an account that makes its profile
-- public is listed on /members with its name, organisation and expertise.
-- An e-mail address is never shown.
CREATE TABLE profiles (
    account_id TEXT COLLATE "C" PRIMARY KEY REFERENCES accounts (id),
    public     BIGINT NOT NULL DEFAULT 0,
    expertise  TEXT,
    updated_at TEXT NOT NULL
);
