-- The audit trail: append-only, each row carrying the hash of the one
-- before it, so that an edited or deleted row breaks the chain. seq is
-- assigned by the writer, one more than the last, under a lock.
CREATE TABLE audit_log (
    seq        BIGINT PRIMARY KEY,
    at         BIGINT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    work_order BIGINT,
    from_state TEXT NOT NULL DEFAULT '',
    to_state   TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE INDEX audit_log_order ON audit_log (work_order, seq);
