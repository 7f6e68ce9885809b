-- The order's history, one row per step (dispatch with the operator's note,
-- first contact, reply, follow-up, escalation), appended and never updated,
-- so that each round's reply outlives the next round. Orders older than
-- this table get their steps rebuilt from the audit trail (backfillSteps).
CREATE TABLE work_order_steps (
    id            {{.Serial}},
    work_order    BIGINT NOT NULL REFERENCES work_orders (id),
    round         INTEGER NOT NULL,
    action        TEXT NOT NULL,
    at            BIGINT NOT NULL,
    actor         TEXT NOT NULL DEFAULT '',
    unit          TEXT NOT NULL DEFAULT '',
    complexity    TEXT NOT NULL DEFAULT '',
    days          INTEGER NOT NULL DEFAULT 0,
    due_at        BIGINT,
    note          TEXT NOT NULL DEFAULT '',
    findings      TEXT NOT NULL DEFAULT '',
    rectification TEXT NOT NULL DEFAULT '',
    answer        TEXT NOT NULL DEFAULT '',
    satisfied     BOOLEAN NOT NULL DEFAULT FALSE,
    reason        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX work_order_steps_order ON work_order_steps (work_order, id);
