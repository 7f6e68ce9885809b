-- Concentration alerts (issue 8): the rules as data an administrator
-- edits, seeded with index.DefaultRules; the alerts the scheduler raises,
-- once each by the finding's key; and the reviews each alert lists.
CREATE TABLE alert_rules (
    id          {{.Serial}},
    kind        TEXT NOT NULL,
    window_days INTEGER NOT NULL,
    threshold   {{if .Postgres}}DOUBLE PRECISION{{else}}REAL{{end}} NOT NULL,
    min_n       INTEGER NOT NULL DEFAULT 0,
    enabled     BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at  BIGINT NOT NULL
);
INSERT INTO alert_rules (kind, window_days, threshold, min_n, enabled, updated_at) VALUES
    ('unit_item', 7, 3, 0, TRUE, 0),
    ('workstation', 30, 2, 0, TRUE, 0),
    ('staff', 30, 2, 0, TRUE, 0),
    ('unit_bad_rate', 30, 2, 50, TRUE, 0),
    ('hall_tag', 7, 5, 0, TRUE, 0);

CREATE TABLE alerts (
    id               {{.Serial}},
    alert_key        TEXT NOT NULL UNIQUE,
    rule             BIGINT NOT NULL,
    kind             TEXT NOT NULL,
    group_codes      TEXT NOT NULL, -- the group's codes joined by |
    unit             TEXT NOT NULL,
    crossed_at       BIGINT NOT NULL,
    bad_count        INTEGER NOT NULL,
    n                INTEGER NOT NULL DEFAULT 0,
    rate             {{if .Postgres}}DOUBLE PRECISION{{else}}REAL{{end}} NOT NULL DEFAULT 0,
    city_rate        {{if .Postgres}}DOUBLE PRECISION{{else}}REAL{{end}} NOT NULL DEFAULT 0,
    state            TEXT NOT NULL,
    acknowledged_at  BIGINT,
    acknowledged_by  TEXT NOT NULL DEFAULT '',
    resolved_at      BIGINT,
    resolved_by      TEXT NOT NULL DEFAULT '',
    note             TEXT NOT NULL DEFAULT '',
    supervised_at    BIGINT,
    supervised_by    TEXT NOT NULL DEFAULT '',
    supervision_note TEXT NOT NULL DEFAULT '',
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX alerts_queue ON alerts (state, id);
CREATE INDEX alerts_unit ON alerts (unit, state, id);
-- The year-end assessment lists supervised alerts by unit.
CREATE INDEX alerts_supervised ON alerts (supervised_at);

CREATE TABLE alert_reviews (
    alert  BIGINT NOT NULL,
    review BIGINT NOT NULL,
    PRIMARY KEY (alert, review)
);
-- The sweep reads recent bad reviews by time (reviews_created serves the
-- range; this one lets it skip the good ones).
CREATE INDEX reviews_bad_created ON reviews (created_at) WHERE stars <= 2;
