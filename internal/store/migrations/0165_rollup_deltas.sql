-- The day rollups (review_rollups, review_rollups_unverified) are no
-- longer written by every transaction that counts a review in or out:
-- each writes what it adds as one row here instead (rollupDeltas in
-- internal/store/rollups.go, the reviews counted and their weights), and
-- a folder adds the pending rows to the rollups and deletes them in one
-- transaction, once a second and whenever a reader needs them (fold.go).
-- A row here is part of the rollups until it is folded: a process gone
-- before folding leaves its rows to the next fold, of any process.
CREATE TABLE rollup_deltas (
    id     {{.Serial}},
    deltas {{if .Postgres}}BYTEA{{else}}BLOB{{end}} NOT NULL
);
