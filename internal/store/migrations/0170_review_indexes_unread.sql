-- Issue 17: what storing one review writes. Each index of reviews costs
-- every review it holds a dirtied page, on SQLite a WAL frame of its own
-- in nearly every group (docs/developing.md, "Indexes of reviews"). Three
-- served no page any longer, only /api/v1/stats filters that the rollups
-- do not pair, which now read their period through reviews_created, as a
-- stage with a channel always did:
--
-- reviews_item: an item with a channel (the item alone, with a unit or a
-- stage, is a rollup; with a district, hall or workstation, that index).
-- It was written by every review.
DROP INDEX reviews_item;
-- reviews_staff: a staff member with a channel, stage or item; the
-- demo's busiest staff member is read from the staff rollups.
DROP INDEX reviews_staff;
-- reviews_district kept a district and a stage; the unverified-district
-- burst, its one reader in service, asks for unverified reviews only, so
-- the index keeps only those (kiosk reviews without a proven visit), not
-- every review made in a hall.
DROP INDEX reviews_district;
CREATE INDEX reviews_unverified_district ON reviews (district, created_at)
    WHERE verification = 'unverified' AND district IS NOT NULL;
