-- A unit's request that the 12345 operator call the reviewer, who sees the
-- number the unit is not shown. Open until the operator marks it done.
CREATE TABLE call_requests (
    id           {{.Serial}},
    work_order   BIGINT NOT NULL REFERENCES work_orders (id),
    unit         TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    requested_at BIGINT NOT NULL,
    requested_by TEXT NOT NULL,
    done_at      BIGINT,
    done_by      TEXT NOT NULL DEFAULT '',
    reached      BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX call_requests_order ON call_requests (work_order, id);
CREATE INDEX call_requests_open ON call_requests (done_at, requested_at);
