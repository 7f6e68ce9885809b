-- Order rollups (issues 17 and 18): the work-order figures of the index
-- (index.OrderCounts: orders due, replied and contacted on time, rectified,
-- causes, appeals upheld, re-dispatched, undispatched late, days to close)
-- per member and due day, and per member and month, so that a period that
-- is not a standard one reads its orders from here and not every order of
-- the period. counts is the JSON of index.OrderCounts, as the order counts
-- of that member and day stand once every event of its orders has passed;
-- axis and code are those of review_rollups ('all'/'city' for the city,
-- 'unit' the unit the order is with).
--
-- order_rollup_days says, for each due day, whether its rows may be read:
-- not while dirty (a write changed an order due that day since the rows
-- were built), and, for a count as of an instant, only if changed (the
-- last instant a write or a rebuild touched the day, or an event of its
-- orders) is not after it. Rows are rebuilt from the orders themselves,
-- deterministically (orderrollups.go); the Go part of this migration
-- builds every day up to yesterday.
CREATE TABLE order_rollups (
    axis   TEXT NOT NULL,
    code   TEXT NOT NULL,
    day    INTEGER NOT NULL, -- the orders' due day, yyyymmdd
    counts TEXT NOT NULL,
    PRIMARY KEY (axis, code, day)
){{if not .Postgres}} WITHOUT ROWID{{end}};

CREATE TABLE order_rollups_monthly (
    axis   TEXT NOT NULL,
    code   TEXT NOT NULL,
    day    INTEGER NOT NULL, -- the month's first day, yyyymm01
    counts TEXT NOT NULL,
    PRIMARY KEY (axis, code, day)
){{if not .Postgres}} WITHOUT ROWID{{end}};

CREATE TABLE order_rollup_days (
    day     INTEGER PRIMARY KEY, -- yyyymmdd
    changed BIGINT NOT NULL,     -- milliseconds
    dirty   BOOLEAN NOT NULL
);
