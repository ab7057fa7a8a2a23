-- Nominations between nodes, and where this node's cases are published elsewhere.
CREATE TABLE nominations (
    id             TEXT COLLATE "C" PRIMARY KEY,
    direction      TEXT NOT NULL CHECK (direction IN ('outgoing', 'incoming')),
    case_id        TEXT COLLATE "C" NOT NULL REFERENCES cases(id),
    node           TEXT COLLATE "C" NOT NULL,
    note           TEXT,
    state          TEXT NOT NULL CHECK (state IN ('nominated', 'accepted', 'declined', 'withdrawn')),
    decision_note  TEXT,
    created_by     TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    CONSTRAINT nominations_unique UNIQUE (direction, case_id, node)
);
CREATE INDEX nominations_node ON nominations (direction, node, state);

CREATE TABLE case_presence (
    case_id  TEXT COLLATE "C" NOT NULL REFERENCES cases(id),
    node     TEXT COLLATE "C" NOT NULL,
    state    TEXT NOT NULL CHECK (state IN ('published', 'withdrawn')),
    since    TEXT NOT NULL,
    PRIMARY KEY (case_id, node)
);
