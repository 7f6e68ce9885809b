-- Issue 17: the boards of the standard periods as a server last computed
-- them, so that the next start serves them (stale, with their true
-- computed_at) from its first request while it computes them again,
-- rather than make the first visitors wait or keep the readiness check
-- at "warming" for minutes at 10M reviews. One row per board (or an
-- axis's theme counts), replaced when computed again; body is
-- internal/board's encoding (gob), computed_at the instant the board
-- counts as of, in milliseconds.
CREATE TABLE stored_boards (
    board_key   TEXT PRIMARY KEY,
    computed_at BIGINT NOT NULL,
    body        {{if .Postgres}}BYTEA{{else}}BLOB{{end}} NOT NULL
);
