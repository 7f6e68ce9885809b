-- Rollups for the rest of the index's scopes and for the pairs that pages
-- and reports ask for (rollupAxes in internal/store/rollups.go), filled here
-- from the reviews already stored; intake keeps them from now on. The day
-- is the city's (Asia/Shanghai): SQLite has no zones, and a fixed +8 hours
-- is that zone on every date since 1991.
INSERT INTO review_rollups (axis, code, day, dimension_set, shard,
    stars1, stars2, stars3, stars4, stars5,
    tag1, tag2, tag3, tag4, tag5,
    sum1, cnt1, sum2, cnt2, sum3,
    cnt3, sum4, cnt4, sum5, cnt5,
    sum6, cnt6)
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
    COALESCE(SUM(a.score6), 0), COUNT(a.score6)
FROM (
    SELECT x.axis,
        CASE x.axis
            WHEN 'stage' THEN r.stage
            WHEN 'hall' THEN r.hall
            WHEN 'window' THEN r.window_code
            WHEN 'workstation' THEN r.workstation
            WHEN 'staff' THEN r.staff
            WHEN 'unit+item' THEN r.unit || '|' || r.item
            WHEN 'item+stage' THEN r.item || '|' || r.stage
            WHEN 'unit+channel' THEN r.unit || '|' || r.channel
            WHEN 'district+channel' THEN r.district || '|' || r.channel
        END AS code,
        {{if .Postgres}}CAST(to_char(to_timestamp(r.created_at / 1000.0) AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') AS INTEGER){{else}}CAST(strftime('%Y%m%d', r.created_at / 1000 + 28800, 'unixepoch') AS INTEGER){{end}} AS day,
        r.dimension_set, r.stars, r.tags, r.score1, r.score2, r.score3, r.score4, r.score5, r.score6
    FROM reviews r CROSS JOIN (SELECT 'stage' AS axis UNION ALL SELECT 'hall' UNION ALL SELECT 'window' UNION ALL SELECT 'workstation' UNION ALL SELECT 'staff' UNION ALL SELECT 'unit+item' UNION ALL SELECT 'item+stage' UNION ALL SELECT 'unit+channel' UNION ALL SELECT 'district+channel') x
    WHERE r.excluded IS NULL
) a
WHERE a.code IS NOT NULL AND a.code <> ''
GROUP BY a.axis, a.code, a.day, a.dimension_set;

-- A scope's ranking reads one axis over a span of days, every member.
CREATE INDEX IF NOT EXISTS review_rollups_day ON review_rollups (axis, day);
