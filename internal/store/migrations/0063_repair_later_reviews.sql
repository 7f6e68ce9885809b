-- Repair of 0052. As released (0052_follow_ups.sql) it created the
-- one-later-review table as review_followups; the file was then changed in
-- place to create review_later, so a database that ran the released file
-- never got review_later. This creates it where it is missing; the Go part
-- of this migration moves the rows of review_followups into it and drops
-- that table. On a database made with today's 0052 it does nothing.
CREATE TABLE IF NOT EXISTS review_later (
    txn     TEXT NOT NULL,
    stage   TEXT NOT NULL,
    review  BIGINT NOT NULL,
    follows BIGINT NOT NULL,
    PRIMARY KEY (txn, stage)
);
CREATE INDEX IF NOT EXISTS review_later_follows ON review_later (follows);
