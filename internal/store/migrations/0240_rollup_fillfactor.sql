-- Issue 17: what a fold writes on PostgreSQL. Each process's folds now
-- write one shard of the rollups (folder.shard in internal/store), so a
-- fold mostly adds to the rows the last fold wrote rather than making
-- new ones. An update that changes no indexed column and finds room on
-- its row's page is a HOT update: a new version beside the old, and no
-- entry in the table's two indexes. A fold updates a page's rows in one
-- transaction, before any old version is dead, so the new versions need
-- room beside the old: a third of each page of the day rollups (today's
-- busy rows are a share of their pages), half of each page of the month
-- rollups (a busy fold updates nearly every row of the month). This
-- applies to pages filled from now on; a row on a packed page moves,
-- once, to one with room. SQLite rewrites a row in place: nothing to do
-- there.
{{if .Postgres}}
ALTER TABLE review_rollups SET (fillfactor = 65);
ALTER TABLE review_rollups_unverified SET (fillfactor = 65);
ALTER TABLE review_rollups_monthly SET (fillfactor = 50);
ALTER TABLE review_rollups_unverified_monthly SET (fillfactor = 50);
{{end}}
