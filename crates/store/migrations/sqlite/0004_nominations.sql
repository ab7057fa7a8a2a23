-- Nominations between nodes. Outgoing: a curator here nominated a case to an
-- upstream node. Incoming: a downstream node's nomination, harvested here,
-- waiting in the curators' queue as a submitted copy (`case_id`).
CREATE TABLE nominations (
    id             TEXT PRIMARY KEY,
    direction      TEXT NOT NULL CHECK (direction IN ('outgoing', 'incoming')),
    case_id        TEXT NOT NULL REFERENCES cases(id),
    -- outgoing: the upstream node; incoming: the nominating node
    node           TEXT NOT NULL,
    note           TEXT,
    state          TEXT NOT NULL CHECK (state IN ('nominated', 'accepted', 'declined', 'withdrawn')),
    decision_note  TEXT,
    created_by     TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    CONSTRAINT nominations_unique UNIQUE (direction, case_id, node)
);
CREATE INDEX nominations_node ON nominations (direction, node, state);

-- Where this node's cases are published elsewhere, learnt by harvesting
-- those nodes (their copies keep this node's identifiers).
CREATE TABLE case_presence (
    case_id  TEXT NOT NULL REFERENCES cases(id),
    node     TEXT NOT NULL,
    state    TEXT NOT NULL CHECK (state IN ('published', 'withdrawn')),
    since    TEXT NOT NULL,
    PRIMARY KEY (case_id, node)
);
