-- Follow-up reviews (追评): one per transaction and stage, after the first.
-- reviews.follows is the first review a follow-up follows; superseded, on
-- the first, the follow-up that replaced it in the index (the latest
-- opinion counts; nothing is deleted). NULL otherwise.
ALTER TABLE reviews ADD COLUMN follows BIGINT;
ALTER TABLE reviews ADD COLUMN superseded BIGINT;

-- The one-follow-up rule, in a table of its own as review_transactions is,
-- so that it holds where reviews are partitioned.
CREATE TABLE review_followups (
    txn     TEXT NOT NULL,
    stage   TEXT NOT NULL,
    review  BIGINT NOT NULL,
    follows BIGINT NOT NULL,
    PRIMARY KEY (txn, stage)
);
CREATE INDEX review_followups_follows ON review_followups (follows);
