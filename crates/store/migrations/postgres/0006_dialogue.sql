-- Dialogue (issue #10): handles, rooms and their members, threads, posts with
-- their edit history and human translations, flags, moderation decisions and
-- appeals (the audit log), subscriptions, notifications, private feed tokens.

-- Each account's @handle, made at first use from its e-mail (3–30 of a-z 0-9 _).
CREATE TABLE account_handles (
    account_id  TEXT COLLATE "C" PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    handle      TEXT COLLATE "C" NOT NULL,
    CONSTRAINT account_handles_unique UNIQUE (handle)
);

CREATE TABLE rooms (
    slug         TEXT COLLATE "C" PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('public', 'members', 'private')),
    title        TEXT NOT NULL,
    description  TEXT NOT NULL,
    created_by   TEXT,
    version      BIGINT NOT NULL CHECK (version >= 1),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

CREATE TABLE room_members (
    room_slug   TEXT COLLATE "C" NOT NULL REFERENCES rooms(slug) ON DELETE CASCADE,
    account_id  TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    state       TEXT NOT NULL CHECK (state IN ('requested', 'invited', 'member', 'moderator')),
    invited_by  TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (room_slug, account_id)
);
CREATE INDEX room_members_account ON room_members (account_id);

-- A thread is in a room, or on a case (its one discussion, or a question to its owners).
CREATE TABLE threads (
    id            TEXT COLLATE "C" PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('room', 'case', 'ask')),
    room_slug     TEXT COLLATE "C" REFERENCES rooms(slug),
    case_id       TEXT COLLATE "C" REFERENCES cases(id),
    title         TEXT NOT NULL,
    created_by    TEXT,
    locked        BIGINT NOT NULL DEFAULT 0,
    answered      BIGINT NOT NULL DEFAULT 0,
    post_count    BIGINT NOT NULL DEFAULT 0,
    last_post_at  TEXT NOT NULL,
    version       BIGINT NOT NULL CHECK (version >= 1),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX threads_room ON threads (room_slug, last_post_at);
CREATE INDEX threads_case ON threads (case_id, kind);
CREATE UNIQUE INDEX threads_case_discussion ON threads (case_id) WHERE kind = 'case';

-- Posts are numbered within their thread (`position`, from 1) so pages are ranges.
CREATE TABLE posts (
    id             TEXT COLLATE "C" PRIMARY KEY,
    thread_id      TEXT COLLATE "C" NOT NULL REFERENCES threads(id),
    position       BIGINT NOT NULL,
    author_id      TEXT COLLATE "C" NOT NULL,
    reply_to       TEXT COLLATE "C",
    quote_of       TEXT COLLATE "C",
    language       TEXT NOT NULL,
    body           TEXT NOT NULL,
    version        BIGINT NOT NULL CHECK (version >= 1),
    created_at     TEXT NOT NULL,
    created_ms     BIGINT NOT NULL,
    updated_at     TEXT NOT NULL,
    -- 'automatic' (flags) or 'moderator'; NULL while visible.
    hidden_by      TEXT CHECK (hidden_by IN ('automatic', 'moderator')),
    hidden_reason  TEXT,
    CONSTRAINT posts_position_unique UNIQUE (thread_id, position)
);
CREATE INDEX posts_author ON posts (author_id, created_ms);

-- Every saved state of every post (version 1 is the original).
CREATE TABLE post_revisions (
    post_id     TEXT COLLATE "C" NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    version     BIGINT NOT NULL,
    language    TEXT NOT NULL,
    body        TEXT NOT NULL,
    edited_by   TEXT,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (post_id, version)
);

-- A human translation of a post into another language, by a member.
CREATE TABLE post_translations (
    post_id     TEXT COLLATE "C" NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    language    TEXT COLLATE "C" NOT NULL,
    body        TEXT NOT NULL,
    author_id   TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (post_id, language)
);

CREATE TABLE post_flags (
    post_id     TEXT COLLATE "C" NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    account_id  TEXT COLLATE "C" NOT NULL,
    reason      TEXT NOT NULL CHECK (reason IN ('spam', 'offensive', 'off_topic', 'other')),
    note        TEXT,
    created_at  TEXT NOT NULL,
    reviewed    BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (post_id, account_id)
);

-- Every moderation action (the audit log): hide, restore, lock, unlock,
-- suspend; `moderator_id` NULL when the node acted on its own (flags).
CREATE TABLE moderation_actions (
    id            TEXT COLLATE "C" PRIMARY KEY,
    action        TEXT NOT NULL CHECK (action IN ('hide', 'restore', 'lock', 'unlock', 'suspend')),
    post_id       TEXT COLLATE "C",
    thread_id     TEXT COLLATE "C",
    subject_id    TEXT COLLATE "C",
    moderator_id  TEXT,
    reason        TEXT NOT NULL,
    until         TEXT,
    created_at    TEXT NOT NULL
);
CREATE INDEX moderation_actions_subject ON moderation_actions (subject_id, action);
CREATE INDEX moderation_actions_post ON moderation_actions (post_id);

-- One appeal per decision, by the account it was about.
CREATE TABLE appeals (
    action_id      TEXT COLLATE "C" PRIMARY KEY REFERENCES moderation_actions(id),
    account_id     TEXT NOT NULL,
    body           TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('open', 'upheld', 'overturned')),
    created_at     TEXT NOT NULL,
    decided_by     TEXT,
    decided_at     TEXT,
    decision_note  TEXT
);

-- What an account follows: case:ID, room:SLUG, thread:ID, sector:CODE, country:CC.
CREATE TABLE subscriptions (
    account_id  TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    target      TEXT COLLATE "C" NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('watching', 'normal', 'muted')),
    created_at  TEXT NOT NULL,
    PRIMARY KEY (account_id, target)
);
CREATE INDEX subscriptions_target ON subscriptions (target, level);

-- Inbox entries, made by the notification follower of the change log: one
-- per (account, change, kind), so a replayed change makes none twice.
CREATE TABLE notifications (
    id          TEXT COLLATE "C" PRIMARY KEY,
    account_id  TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    change_seq  BIGINT NOT NULL,
    thread_id   TEXT,
    post_id     TEXT,
    case_id     TEXT,
    actor_id    TEXT,
    created_at  TEXT NOT NULL,
    read_at     TEXT,
    CONSTRAINT notifications_once UNIQUE (account_id, change_seq, kind)
);
CREATE INDEX notifications_unread ON notifications (account_id, read_at);

-- The secret of each account's private Atom feed (SHA-256 only); revoking deletes it.
CREATE TABLE feed_tokens (
    token_hash  TEXT COLLATE "C" PRIMARY KEY,
    account_id  TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    CONSTRAINT feed_tokens_account UNIQUE (account_id)
);
