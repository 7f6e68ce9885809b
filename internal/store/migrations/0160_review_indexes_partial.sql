-- Issue 17: what each review writes. Every index of reviews costs each
-- review a dirtied page (a WAL frame on SQLite), but a review without a
-- hall, workstation or staff member (every review of the online channels)
-- or with a comment too short to print (text_print '') is never looked up
-- by that index: every query that reads one filters it by equality
-- (docs/developing.md, "Indexes of reviews"), which implies IS NOT NULL,
-- and the same-text burst asks for text_print <> '' in so many words. So
-- these indexes leave those rows out and serve the same queries.
--
-- The held queue read every review from the first on SQLite: ordered by
-- id, its planner preferred the ids to reviews_held on created_at. Keyed
-- by id, the partial index gives both the order and the few held rows.
--
-- Each index is built again here: on a large database the upgrade takes
-- as long as one scan of reviews per index.
DROP INDEX reviews_district;
CREATE INDEX reviews_district ON reviews (district, created_at) WHERE district IS NOT NULL;
DROP INDEX reviews_hall;
CREATE INDEX reviews_hall ON reviews (hall, created_at) WHERE hall IS NOT NULL;
DROP INDEX reviews_workstation;
CREATE INDEX reviews_workstation ON reviews (workstation, created_at) WHERE workstation IS NOT NULL;
DROP INDEX reviews_staff;
CREATE INDEX reviews_staff ON reviews (staff, created_at) WHERE staff IS NOT NULL;
DROP INDEX reviews_text_print;
CREATE INDEX reviews_text_print ON reviews (text_print, created_at) WHERE text_print <> '';
DROP INDEX reviews_held;
CREATE INDEX reviews_held ON reviews (id) WHERE held IS NOT NULL;
