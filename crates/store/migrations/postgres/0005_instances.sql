-- State that several instances of one node share through the database.
--
-- Failed sign-ins, one row each, so the limiter counts across instances
-- (round-robin cannot spread attempts over them).
CREATE TABLE sign_in_failures (
    key    TEXT COLLATE "C" NOT NULL,
    at_ms  BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_key ON sign_in_failures (key, at_ms);
CREATE INDEX sign_in_failures_at ON sign_in_failures (at_ms);

-- Background jobs (scheduled harvests, later mail and reminders): a job runs
-- on the instance that claims it, under a lease it renews while it works; when
-- that instance dies the lease runs out and another claims the job.
CREATE TABLE jobs (
    name              TEXT COLLATE "C" PRIMARY KEY,
    due_at_ms         BIGINT NOT NULL,
    holder            TEXT,
    lease_until_ms    BIGINT,
    attempts          BIGINT NOT NULL DEFAULT 0,
    runs              BIGINT NOT NULL DEFAULT 0,
    last_started_at   TEXT,
    last_finished_at  TEXT,
    last_error        TEXT
);
