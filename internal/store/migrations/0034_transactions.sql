-- Transactions (办件) reported by business systems, the integration
-- accounts that report them and the units each may report for.

-- The integration role joins the roles an account may have. SQLite cannot
-- change a CHECK in place: the table is rebuilt, its rows put back before
-- commit, so the deferred references of sessions and tokens hold again.
{{if .Postgres}}ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('operator', 'handler', 'supervisor', 'staff', 'admin', 'integration'));
{{else}}PRAGMA defer_foreign_keys = ON;
CREATE TABLE users_before_integration AS SELECT * FROM users;
DROP TABLE users;
CREATE TABLE users (
    id            {{.Serial}},
    login         TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL CHECK (role IN ('operator', 'handler', 'supervisor', 'staff', 'admin', 'integration')),
    unit          TEXT REFERENCES units (code),
    staff         TEXT REFERENCES staff (code),
    password_hash TEXT NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until  BIGINT NOT NULL DEFAULT 0,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    BIGINT NOT NULL
);
INSERT INTO users SELECT * FROM users_before_integration;
DROP TABLE users_before_integration;
{{end}}
-- The units an integration account may report transactions for.
CREATE TABLE integration_units (
    user_id BIGINT NOT NULL REFERENCES users (id),
    unit    TEXT NOT NULL REFERENCES units (code),
    PRIMARY KEY (user_id, unit)
);

-- One row per transaction number. stages is the stage codes separated by
-- spaces, in the order reported. outcome is NULL while the rating window
-- is open, then rated, unrated or default (see internal/transaction).
CREATE TABLE transactions (
    number           TEXT PRIMARY KEY,
    item             TEXT NOT NULL,
    stages           TEXT NOT NULL,
    unit             TEXT NOT NULL,
    district         TEXT,
    hall             TEXT,
    window_code      TEXT,
    workstation      TEXT,
    channel          TEXT NOT NULL,
    staff            TEXT,
    applicant_kind   TEXT NOT NULL,
    accepted_at      BIGINT NOT NULL,
    finished_at      BIGINT NOT NULL,
    rating_closes_at BIGINT NOT NULL,
    reported_at      BIGINT NOT NULL,
    reported_by      BIGINT NOT NULL DEFAULT 0,
    outcome          TEXT CHECK (outcome IN ('rated', 'unrated', 'default'))
);
CREATE INDEX transactions_open ON transactions (rating_closes_at) WHERE outcome IS NULL;
CREATE INDEX transactions_closes ON transactions (rating_closes_at);

-- The applicant's phone, for the rating invitation: personal data, kept
-- apart from the transaction and written and read through one pair of
-- functions (transactionphones.go) so that it can be sealed like the rest.
CREATE TABLE transaction_phones (
    txn   TEXT PRIMARY KEY,
    phone TEXT NOT NULL
);
