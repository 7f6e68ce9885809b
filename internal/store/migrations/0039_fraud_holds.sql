-- Floods and fraud. A review whose detectors score it over the threshold
-- is stored but held out of the index, the statistics, the rollups, the
-- alerts and the reports, like an excluded one: held names the reasons,
-- NULL when it counts. Nothing is deleted; a supervisor releases (held
-- back to NULL) or rejects (held stays, the decision is kept).
ALTER TABLE reviews ADD COLUMN held TEXT;
-- A keyed hash of the client's network (IPv4 /32, IPv6 /64), counted for
-- the per-address limit and the address velocity, like client_mark.
ALTER TABLE reviews ADD COLUMN net_mark TEXT NOT NULL DEFAULT '';
-- A hash of the comment reduced to its letters, for bursts of the same or
-- near-same text; '' for comments too short to tell anything.
ALTER TABLE reviews ADD COLUMN text_print TEXT NOT NULL DEFAULT '';
CREATE INDEX reviews_net_mark ON reviews (net_mark, created_at);
CREATE INDEX reviews_text_print ON reviews (text_print, created_at);
CREATE INDEX reviews_held ON reviews (created_at) WHERE held IS NOT NULL;

-- The work order of a held review is suspected: out of the operator's
-- queue, in the supervisor's suspected queue until released or rejected.
ALTER TABLE work_orders ADD COLUMN suspected BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE work_orders ADD COLUMN suspect_decision TEXT NOT NULL DEFAULT '';
CREATE INDEX work_orders_suspected ON work_orders (suspected, state);

-- Networks staff accounts signed in from lately, as net marks: a review
-- from one of them rating that staff member or unit is suspect.
CREATE TABLE staff_networks (
    net_mark TEXT NOT NULL,
    user_id  BIGINT NOT NULL,
    staff    TEXT NOT NULL DEFAULT '',
    unit     TEXT NOT NULL DEFAULT '',
    seen_at  BIGINT NOT NULL,
    PRIMARY KEY (net_mark, user_id)
);
