-- The daily push of the national 好差评 exchange (internal/national): one
-- row per day to send, kept until the endpoint acknowledged it, so that a
-- push not yet acknowledged is tried again after a restart.
CREATE TABLE national_pushes (
    day             TEXT PRIMARY KEY,          -- YYYY-MM-DD, the city's zone
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    manifest_sha256 TEXT NOT NULL DEFAULT '',  -- of the manifest acknowledged
    pushed_at       BIGINT                     -- NULL until acknowledged
);
CREATE INDEX national_pushes_pending ON national_pushes (next_attempt_at) WHERE pushed_at IS NULL;

-- The export takes the transactions reported on its day.
CREATE INDEX transactions_reported ON transactions (reported_at);
