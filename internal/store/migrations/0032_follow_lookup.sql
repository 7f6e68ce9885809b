-- Finding a work order again by its number and the reviewer's phone
-- (issue 11): the one live code per order (its keyed hash), the attempts
-- counted per address and per order number, and the further private
-- tokens a confirmed look-up issues (the first stays in work_orders).
CREATE TABLE follow_codes (
    work_order BIGINT PRIMARY KEY,
    code_hash  TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE follow_attempts (
    kind TEXT NOT NULL,
    key  TEXT NOT NULL,
    at   BIGINT NOT NULL
);
CREATE INDEX follow_attempts_key ON follow_attempts (kind, key, at);
CREATE INDEX follow_attempts_at ON follow_attempts (at);
CREATE TABLE follow_tokens (
    token_hash TEXT PRIMARY KEY,
    work_order BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
