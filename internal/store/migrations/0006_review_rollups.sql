-- Rollups of reviews per day along one axis of the stats filters, kept in
-- the same transaction as every review, so statistics over years of
-- reviews read a few hundred rows instead of millions. A rollup row is
-- split into shards (each transaction adds to one, at random) so that concurrent writers on
-- PostgreSQL do not queue on one hot row per day.
CREATE TABLE review_rollups (
    axis          TEXT NOT NULL,    -- all, unit, item, district, channel
    code          TEXT NOT NULL,    -- the unit, item, ... code; '' for all
    day           INTEGER NOT NULL, -- yyyymmdd in the city's zone
    dimension_set BIGINT NOT NULL,
    shard         INTEGER NOT NULL,
    stars1 BIGINT NOT NULL, stars2 BIGINT NOT NULL, stars3 BIGINT NOT NULL, stars4 BIGINT NOT NULL, stars5 BIGINT NOT NULL,
    tag1 BIGINT NOT NULL, tag2 BIGINT NOT NULL, tag3 BIGINT NOT NULL, tag4 BIGINT NOT NULL, tag5 BIGINT NOT NULL,
    sum1 BIGINT NOT NULL, cnt1 BIGINT NOT NULL, sum2 BIGINT NOT NULL, cnt2 BIGINT NOT NULL,
    sum3 BIGINT NOT NULL, cnt3 BIGINT NOT NULL, sum4 BIGINT NOT NULL, cnt4 BIGINT NOT NULL,
    sum5 BIGINT NOT NULL, cnt5 BIGINT NOT NULL, sum6 BIGINT NOT NULL, cnt6 BIGINT NOT NULL,
    PRIMARY KEY (axis, code, day, dimension_set, shard)
);
