-- Issue 16: the index counts unverified reviews apart (definition version
-- 3), so its day rollups tell them apart. review_rollups keeps counting
-- every review, so that periods under versions 1 and 2 keep their figures
-- to the byte; review_rollups_unverified counts, with the same columns, the
-- unverified reviews among them, on the single axes the index reads (the
-- pairs serve pages that do not tell levels apart). Filled here from the
-- reviews already stored that count (not held, excluded or superseded),
-- into shard 0; intake keeps it from now on. The day as in 0037.
CREATE TABLE review_rollups_unverified (
    axis          TEXT NOT NULL,
    code          TEXT NOT NULL,
    day           INTEGER NOT NULL,
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
);

INSERT INTO review_rollups_unverified (axis, code, day, dimension_set, shard,
    stars1, stars2, stars3, stars4, stars5,
    tag1, tag2, tag3, tag4, tag5,
    sum1, cnt1, sum2, cnt2, sum3,
    cnt3, sum4, cnt4, sum5, cnt5,
    sum6, cnt6,
    default1, default2, default3, default4, default5, linked)
SELECT a.axis, a.code, a.day, a.dimension_set, 0,
    SUM(CASE WHEN a.stars = 1 THEN 1 ELSE 0 END), SUM(CASE WHEN a.stars = 2 THEN 1 ELSE 0 END),
    SUM(CASE WHEN a.stars = 3 THEN 1 ELSE 0 END), SUM(CASE WHEN a.stars = 4 THEN 1 ELSE 0 END),
    SUM(CASE WHEN a.stars = 5 THEN 1 ELSE 0 END), SUM(CASE WHEN a.tags & 1 <> 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN a.tags & 2 <> 0 THEN 1 ELSE 0 END), SUM(CASE WHEN a.tags & 4 <> 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN a.tags & 8 <> 0 THEN 1 ELSE 0 END), SUM(CASE WHEN a.tags & 16 <> 0 THEN 1 ELSE 0 END),
    COALESCE(SUM(a.score1), 0), COUNT(a.score1),
    COALESCE(SUM(a.score2), 0), COUNT(a.score2),
    COALESCE(SUM(a.score3), 0), COUNT(a.score3),
    COALESCE(SUM(a.score4), 0), COUNT(a.score4),
    COALESCE(SUM(a.score5), 0), COUNT(a.score5),
    COALESCE(SUM(a.score6), 0), COUNT(a.score6),
    SUM(CASE WHEN a.origin = 'default' AND a.stars = 1 THEN 1 ELSE 0 END),
    SUM(CASE WHEN a.origin = 'default' AND a.stars = 2 THEN 1 ELSE 0 END),
    SUM(CASE WHEN a.origin = 'default' AND a.stars = 3 THEN 1 ELSE 0 END),
    SUM(CASE WHEN a.origin = 'default' AND a.stars = 4 THEN 1 ELSE 0 END),
    SUM(CASE WHEN a.origin = 'default' AND a.stars = 5 THEN 1 ELSE 0 END),
    SUM(CASE WHEN a.origin = 'transaction' THEN 1 ELSE 0 END)
FROM (
    SELECT x.axis,
        CASE x.axis
            WHEN 'all' THEN ''
            WHEN 'channel' THEN r.channel
            WHEN 'district' THEN COALESCE(r.district, '')
            WHEN 'item' THEN r.item
            WHEN 'unit' THEN r.unit
            WHEN 'stage' THEN NULLIF(r.stage, '')
            WHEN 'hall' THEN NULLIF(r.hall, '')
            WHEN 'window' THEN NULLIF(r.window_code, '')
            WHEN 'workstation' THEN NULLIF(r.workstation, '')
            WHEN 'staff' THEN NULLIF(r.staff, '')
        END AS code,
        {{if .Postgres}}CAST(to_char(to_timestamp(r.created_at / 1000.0) AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') AS INTEGER){{else}}CAST(strftime('%Y%m%d', r.created_at / 1000 + 28800, 'unixepoch') AS INTEGER){{end}} AS day,
        r.dimension_set, r.stars, r.tags, r.origin,
        r.score1, r.score2, r.score3, r.score4, r.score5, r.score6
    FROM reviews r CROSS JOIN (SELECT 'all' AS axis UNION ALL SELECT 'channel' UNION ALL SELECT 'district' UNION ALL SELECT 'item'
        UNION ALL SELECT 'unit' UNION ALL SELECT 'stage' UNION ALL SELECT 'hall' UNION ALL SELECT 'window'
        UNION ALL SELECT 'workstation' UNION ALL SELECT 'staff') x
    WHERE r.verification = 'unverified' AND r.excluded IS NULL AND r.held IS NULL AND r.superseded IS NULL
) a
WHERE a.code IS NOT NULL
GROUP BY a.axis, a.code, a.day, a.dimension_set;

CREATE INDEX IF NOT EXISTS review_rollups_unverified_day ON review_rollups_unverified (axis, day);
