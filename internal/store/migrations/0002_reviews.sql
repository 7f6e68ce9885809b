-- Reviews, the personal data of real-name reviewers kept apart from them,
-- and work orders born of bad reviews.
--
-- Times are Unix milliseconds (BIGINT) in both dialects; days are cut in
-- the city's zone by the code that builds the query.
--
-- On PostgreSQL, reviews are range-partitioned by month of created_at; the
-- server creates partitions ahead of time (partitions.go). The default
-- partition only catches rows that arrive before their month exists.
{{if .Postgres}}CREATE SEQUENCE reviews_id_seq;
{{end}}CREATE TABLE reviews (
    id            {{if .Postgres}}BIGINT NOT NULL DEFAULT nextval('reviews_id_seq'){{else}}INTEGER PRIMARY KEY{{end}},
    created_at    BIGINT NOT NULL,
    channel       TEXT NOT NULL,
    item          TEXT NOT NULL,
    stage         TEXT NOT NULL,
    unit          TEXT NOT NULL,
    district      TEXT,
    hall          TEXT,
    window_code   TEXT,
    workstation   TEXT,
    staff         TEXT,
    stars         INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
    dimension_set BIGINT NOT NULL,
    score1        INTEGER,
    score2        INTEGER,
    score3        INTEGER,
    score4        INTEGER,
    score5        INTEGER,
    score6        INTEGER,
    tags          INTEGER NOT NULL DEFAULT 0,
    comment       TEXT NOT NULL DEFAULT '',
    anonymous     BOOLEAN NOT NULL,
    reviewer_kind TEXT NOT NULL,
    txn           TEXT,
    client_mark   TEXT NOT NULL DEFAULT '',
    -- Why the review is held out of the evaluation index (upheld appeal,
    -- suspected fraud); NULL when it counts. Never deleted.
    excluded      TEXT{{if .Postgres}},
    PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);
CREATE TABLE reviews_default PARTITION OF reviews DEFAULT;
{{else}}
);
{{end}}
CREATE INDEX reviews_created ON reviews (created_at);
CREATE INDEX reviews_unit ON reviews (unit, created_at);
CREATE INDEX reviews_item ON reviews (item, stage, created_at);
CREATE INDEX reviews_district ON reviews (district, created_at);
CREATE INDEX reviews_hall ON reviews (hall, created_at);
CREATE INDEX reviews_workstation ON reviews (workstation, created_at);
CREATE INDEX reviews_staff ON reviews (staff, created_at);

-- One review per transaction and stage (一次一评). A table of its own so the
-- rule holds even where reviews are partitioned.
CREATE TABLE review_transactions (
    txn    TEXT NOT NULL,
    stage  TEXT NOT NULL,
    review BIGINT NOT NULL,
    PRIMARY KEY (txn, stage)
);

CREATE TABLE review_contacts (
    review BIGINT PRIMARY KEY,
    name   TEXT NOT NULL,
    phone  TEXT NOT NULL
);

CREATE TABLE work_orders (
    id         {{.Serial}},
    number     TEXT NOT NULL UNIQUE,
    review     BIGINT NOT NULL UNIQUE,
    state      TEXT NOT NULL,
    round      INTEGER NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    -- SHA-256 of the citizen's private follow-up token; the token itself
    -- is shown once, on the confirmation page.
    citizen_token TEXT NOT NULL UNIQUE
);
CREATE INDEX work_orders_state ON work_orders (state, created_at);
