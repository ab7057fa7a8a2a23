-- Events of the learning loops (issue #11): the record as JSON in `data`,
-- with the columns lists filter and sort on; the cases each agenda presents
-- (for "presented at"); registrations with the waiting list; private
-- calendar-feed tokens; and action items agreed at an event.
CREATE TABLE events (
    id          TEXT COLLATE "C" PRIMARY KEY,
    series      TEXT COLLATE "C",
    edition     BIGINT,
    kind        TEXT NOT NULL,
    level       TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('scheduled', 'cancelled')),
    -- the place's country code, or NULL
    country     TEXT,
    -- participating countries and the place's, as ",ID,PH," for LIKE filters
    countries   TEXT NOT NULL,
    -- instants in UTC, RFC 3339 (they sort as text)
    starts_at   TEXT NOT NULL,
    ends_at     TEXT NOT NULL,
    version     BIGINT NOT NULL,
    created_by  TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    data        TEXT NOT NULL
);
CREATE INDEX events_starts ON events (starts_at, id);
CREATE INDEX events_series ON events (series, starts_at);

-- Cases presented at an event: a local case (case_id set) or another
-- node's global identifier (case_ref only).
CREATE TABLE event_cases (
    event_id  TEXT COLLATE "C" NOT NULL REFERENCES events(id),
    case_ref  TEXT COLLATE "C" NOT NULL,
    case_id   TEXT COLLATE "C",
    PRIMARY KEY (event_id, case_ref)
);
CREATE INDEX event_cases_case ON event_cases (case_id);

CREATE TABLE event_registrations (
    event_id    TEXT COLLATE "C" NOT NULL REFERENCES events(id),
    account_id  TEXT COLLATE "C" NOT NULL REFERENCES accounts(id),
    state       TEXT NOT NULL CHECK (state IN ('registered', 'waiting', 'cancelled')),
    -- when the account (last) asked for a place: the waiting list's order
    asked_at    TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (event_id, account_id)
);
CREATE INDEX event_registrations_account ON event_registrations (account_id, state);

-- One private calendar feed per account: the SHA-256 of its secret token.
CREATE TABLE calendar_tokens (
    account_id  TEXT COLLATE "C" PRIMARY KEY REFERENCES accounts(id),
    token_hash  TEXT COLLATE "C" NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);

CREATE TABLE action_items (
    id          TEXT COLLATE "C" PRIMARY KEY,
    event_id    TEXT COLLATE "C" NOT NULL REFERENCES events(id),
    what        TEXT NOT NULL,
    owner_org   TEXT COLLATE "C" NOT NULL REFERENCES organisations(id),
    due_on      TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('open', 'done', 'dropped')),
    -- linked case references, JSON array
    cases       TEXT NOT NULL,
    version     BIGINT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX action_items_owner ON action_items (owner_org, status);
CREATE INDEX action_items_event ON action_items (event_id);
