-- Rollups that tell reviews apart by origin, so the index reads its review
-- counts from them: default1..default5 count the default reviews (默认好评)
-- by stars (the citizen gave the rest), linked the reviews linked to a
-- reported transaction. Filled here from the reviews already stored (only
-- those not free, so a few), into shard 0 of each row; intake keeps them
-- from now on. The day as in 0037.
ALTER TABLE review_rollups ADD COLUMN default1 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE review_rollups ADD COLUMN default2 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE review_rollups ADD COLUMN default3 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE review_rollups ADD COLUMN default4 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE review_rollups ADD COLUMN default5 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE review_rollups ADD COLUMN linked BIGINT NOT NULL DEFAULT 0;

INSERT INTO review_rollups (axis, code, day, dimension_set, shard,
    stars1, stars2, stars3, stars4, stars5,
    tag1, tag2, tag3, tag4, tag5,
    sum1, cnt1, sum2, cnt2, sum3,
    cnt3, sum4, cnt4, sum5, cnt5,
    sum6, cnt6,
    default1, default2, default3, default4, default5, linked)
SELECT a.axis, a.code, a.day, a.dimension_set, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
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
            WHEN 'unit+item' THEN r.unit || '|' || r.item
            WHEN 'item+stage' THEN r.item || '|' || NULLIF(r.stage, '')
            WHEN 'unit+channel' THEN r.unit || '|' || r.channel
            WHEN 'district+channel' THEN NULLIF(r.district, '') || '|' || r.channel
        END AS code,
        {{if .Postgres}}CAST(to_char(to_timestamp(r.created_at / 1000.0) AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') AS INTEGER){{else}}CAST(strftime('%Y%m%d', r.created_at / 1000 + 28800, 'unixepoch') AS INTEGER){{end}} AS day,
        r.dimension_set, r.stars, r.origin
    FROM reviews r CROSS JOIN (SELECT 'all' AS axis UNION ALL SELECT 'channel' UNION ALL SELECT 'district' UNION ALL SELECT 'item'
        UNION ALL SELECT 'unit' UNION ALL SELECT 'stage' UNION ALL SELECT 'hall' UNION ALL SELECT 'window'
        UNION ALL SELECT 'workstation' UNION ALL SELECT 'staff' UNION ALL SELECT 'unit+item' UNION ALL SELECT 'item+stage'
        UNION ALL SELECT 'unit+channel' UNION ALL SELECT 'district+channel') x
    WHERE r.excluded IS NULL AND r.held IS NULL AND r.origin <> 'free'
) a
WHERE a.code IS NOT NULL
GROUP BY a.axis, a.code, a.day, a.dimension_set
ON CONFLICT (axis, code, day, dimension_set, shard) DO UPDATE SET
    default1 = excluded.default1, default2 = excluded.default2, default3 = excluded.default3,
    default4 = excluded.default4, default5 = excluded.default5, linked = excluded.linked;
