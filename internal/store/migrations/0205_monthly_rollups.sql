-- Month rollups beside the day rollups (issue 17): review_rollups_monthly
-- holds, for each row of review_rollups, the sums of its calendar month,
-- keyed by the month's first day (yyyymm01) in the column day; and
-- review_rollups_unverified_monthly those of review_rollups_unverified.
-- A period of any length then reads its whole months here and only the
-- odd days at its ends from the day rollups: a year is 12 rows per
-- member, dimension set and shard, not 365. Every writer of the day
-- rollups writes the month rows with them (rollupRows.stmts and
-- flushBulk in internal/store), so both stay sums of the same reviews.
-- Filled here from the day rollups as they stand; rows still pending in
-- rollup_deltas reach both when folded. WITHOUT ROWID on SQLite: a
-- member's months are read in key order from one place.
CREATE TABLE review_rollups_monthly (
    axis          TEXT NOT NULL,
    code          TEXT NOT NULL,
    day           INTEGER NOT NULL, -- the month's first day, yyyymm01
    dimension_set BIGINT NOT NULL,
    shard         INTEGER NOT NULL,
    stars1 BIGINT NOT NULL, stars2 BIGINT NOT NULL, stars3 BIGINT NOT NULL, stars4 BIGINT NOT NULL, stars5 BIGINT NOT NULL,
    tag1 BIGINT NOT NULL, tag2 BIGINT NOT NULL, tag3 BIGINT NOT NULL, tag4 BIGINT NOT NULL, tag5 BIGINT NOT NULL,
    sum1 BIGINT NOT NULL, cnt1 BIGINT NOT NULL, sum2 BIGINT NOT NULL, cnt2 BIGINT NOT NULL,
    sum3 BIGINT NOT NULL, cnt3 BIGINT NOT NULL, sum4 BIGINT NOT NULL, cnt4 BIGINT NOT NULL,
    sum5 BIGINT NOT NULL, cnt5 BIGINT NOT NULL, sum6 BIGINT NOT NULL, cnt6 BIGINT NOT NULL,
    default1 BIGINT NOT NULL, default2 BIGINT NOT NULL, default3 BIGINT NOT NULL, default4 BIGINT NOT NULL,
    default5 BIGINT NOT NULL, linked BIGINT NOT NULL,
    PRIMARY KEY (axis, code, day, dimension_set, shard)
){{if not .Postgres}} WITHOUT ROWID{{end}};

INSERT INTO review_rollups_monthly (axis, code, day, dimension_set, shard,
    stars1, stars2, stars3, stars4, stars5, tag1, tag2, tag3, tag4, tag5, sum1, cnt1, sum2, cnt2, sum3, cnt3, sum4, cnt4, sum5, cnt5, sum6, cnt6, default1, default2, default3, default4, default5, linked)
SELECT axis, code, day / 100 * 100 + 1, dimension_set, shard,
    SUM(stars1), SUM(stars2), SUM(stars3), SUM(stars4), SUM(stars5), SUM(tag1), SUM(tag2), SUM(tag3), SUM(tag4), SUM(tag5), SUM(sum1), SUM(cnt1), SUM(sum2), SUM(cnt2), SUM(sum3), SUM(cnt3), SUM(sum4), SUM(cnt4), SUM(sum5), SUM(cnt5), SUM(sum6), SUM(cnt6), SUM(default1), SUM(default2), SUM(default3), SUM(default4), SUM(default5), SUM(linked)
FROM review_rollups
GROUP BY axis, code, day / 100 * 100 + 1, dimension_set, shard;

CREATE TABLE review_rollups_unverified_monthly (
    axis          TEXT NOT NULL,
    code          TEXT NOT NULL,
    day           INTEGER NOT NULL, -- the month's first day, yyyymm01
    dimension_set BIGINT NOT NULL,
    shard         INTEGER NOT NULL,
    stars1 BIGINT NOT NULL, stars2 BIGINT NOT NULL, stars3 BIGINT NOT NULL, stars4 BIGINT NOT NULL, stars5 BIGINT NOT NULL,
    tag1 BIGINT NOT NULL, tag2 BIGINT NOT NULL, tag3 BIGINT NOT NULL, tag4 BIGINT NOT NULL, tag5 BIGINT NOT NULL,
    sum1 BIGINT NOT NULL, cnt1 BIGINT NOT NULL, sum2 BIGINT NOT NULL, cnt2 BIGINT NOT NULL,
    sum3 BIGINT NOT NULL, cnt3 BIGINT NOT NULL, sum4 BIGINT NOT NULL, cnt4 BIGINT NOT NULL,
    sum5 BIGINT NOT NULL, cnt5 BIGINT NOT NULL, sum6 BIGINT NOT NULL, cnt6 BIGINT NOT NULL,
    default1 BIGINT NOT NULL, default2 BIGINT NOT NULL, default3 BIGINT NOT NULL, default4 BIGINT NOT NULL,
    default5 BIGINT NOT NULL, linked BIGINT NOT NULL,
    PRIMARY KEY (axis, code, day, dimension_set, shard)
){{if not .Postgres}} WITHOUT ROWID{{end}};

INSERT INTO review_rollups_unverified_monthly (axis, code, day, dimension_set, shard,
    stars1, stars2, stars3, stars4, stars5, tag1, tag2, tag3, tag4, tag5, sum1, cnt1, sum2, cnt2, sum3, cnt3, sum4, cnt4, sum5, cnt5, sum6, cnt6, default1, default2, default3, default4, default5, linked)
SELECT axis, code, day / 100 * 100 + 1, dimension_set, shard,
    SUM(stars1), SUM(stars2), SUM(stars3), SUM(stars4), SUM(stars5), SUM(tag1), SUM(tag2), SUM(tag3), SUM(tag4), SUM(tag5), SUM(sum1), SUM(cnt1), SUM(sum2), SUM(cnt2), SUM(sum3), SUM(cnt3), SUM(sum4), SUM(cnt4), SUM(sum5), SUM(cnt5), SUM(sum6), SUM(cnt6), SUM(default1), SUM(default2), SUM(default3), SUM(default4), SUM(default5), SUM(linked)
FROM review_rollups_unverified
GROUP BY axis, code, day / 100 * 100 + 1, dimension_set, shard;

-- The index reads a scope's every member over a span of months.
CREATE INDEX review_rollups_monthly_day ON review_rollups_monthly (axis, day);
CREATE INDEX review_rollups_unverified_monthly_day ON review_rollups_unverified_monthly (axis, day);
