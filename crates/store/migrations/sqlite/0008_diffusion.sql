-- Replication links: a case (`case_id`, local or a harvested copy) records
-- that it replicates, adapts, scales up or was inspired by another case,
-- named by its global identifier `oai:<node>:case/<id>` (and, when that case
-- is on this node, by its local id too). The source's "adopted by" list is
-- the links whose target_identifier is the source's global identifier.
CREATE TABLE case_links (
    id                 TEXT PRIMARY KEY,
    case_id            TEXT NOT NULL REFERENCES cases(id),
    kind               TEXT NOT NULL CHECK (kind IN ('replicates', 'adapts', 'scales_up', 'inspired_by')),
    target_identifier  TEXT NOT NULL,
    target_case_id     TEXT,
    target_url         TEXT,
    target_title       TEXT,
    changes            TEXT,
    country            TEXT,
    region             TEXT,
    year               INTEGER,
    -- 'local' (recorded here) or 'harvested' (carried by a harvested record)
    source             TEXT NOT NULL CHECK (source IN ('local', 'harvested')),
    created_by         TEXT,
    created_at         TEXT NOT NULL,
    CONSTRAINT case_links_unique UNIQUE (case_id, target_identifier)
);
CREATE INDEX case_links_target ON case_links (target_identifier);

-- Living cases: check-ins. A check-in falls due (state 'due') when a
-- published case's schedule says so; its owner answers it ('answered'). One
-- row per case and due date: the scheduler may run on any instance, any
-- number of times, and still marks each due check-in once.
CREATE TABLE case_checkins (
    id               TEXT PRIMARY KEY,
    case_id          TEXT NOT NULL REFERENCES cases(id),
    due_on           TEXT NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('due', 'answered')),
    answer           TEXT CHECK (answer IN ('still_running', 'scaled_up', 'changed', 'discontinued')),
    what_changed     TEXT,
    discontinued_on  TEXT,
    reason           TEXT CHECK (reason IN ('funding_ended', 'political_change', 'legal_barrier', 'technology', 'low_uptake', 'replaced', 'other')),
    lessons          TEXT,
    answered_by      TEXT,
    answered_at      TEXT,
    created_at       TEXT NOT NULL,
    CONSTRAINT case_checkins_due UNIQUE (case_id, due_on)
);
CREATE INDEX case_checkins_state ON case_checkins (state, due_on);

-- A case's own check-in interval (the node's setting applies otherwise).
CREATE TABLE checkin_schedules (
    case_id          TEXT PRIMARY KEY REFERENCES cases(id),
    interval_months  INTEGER NOT NULL CHECK (interval_months BETWEEN 1 AND 60)
);
