-- Leases let one of several server processes run the scheduler at a time;
-- the outbox holds notifications until a sink takes them.
CREATE TABLE leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE notifications (
    id         {{.Serial}},
    event      TEXT NOT NULL,
    work_order BIGINT NOT NULL,
    payload    TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    next_at    BIGINT NOT NULL,
    sent_at    BIGINT,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX notifications_pending ON notifications (sent_at, next_at);
