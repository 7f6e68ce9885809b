-- A supervisor's decision on a held review: released (back into the index
-- and the operator's queue) or rejected (held for good). One a review.
CREATE TABLE held_decisions (
    review     BIGINT PRIMARY KEY,
    decision   TEXT NOT NULL CHECK (decision IN ('release', 'reject')),
    reason     TEXT NOT NULL,
    decided_at BIGINT NOT NULL
);
