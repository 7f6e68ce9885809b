-- Issue 16: the transaction-number guess throttle (intake.Guesses), shared
-- by every process and kept over a restart: refusals counted per keyed
-- address and per keyed number (hashes, never the address or the number)
-- in fixed windows that began at window_start (ms).
CREATE TABLE guess_counts (
    key          TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    n            INTEGER NOT NULL
);
