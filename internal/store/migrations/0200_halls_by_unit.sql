-- Issue 17: a unit's page lists the windows and workstations of the
-- halls it runs (store.Places by unit), a district's page its halls. With
-- no index of halls by unit, SQLite's planner read every workstation of
-- the city and looked up its window and hall (5,000 rows for 300, a third
-- of the page's time); from the unit's halls it follows windows_hall and
-- workstations_window instead.
CREATE INDEX halls_unit ON halls (unit);
CREATE INDEX halls_district ON halls (district);
