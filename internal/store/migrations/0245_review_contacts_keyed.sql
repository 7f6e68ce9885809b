-- Issue 17: what storing one review writes, on SQLite. review_contacts
-- was keyed `review BIGINT PRIMARY KEY`, which SQLite keeps as a rowid
-- table and beside it a unique index on review
-- (sqlite_autoindex_review_contacts_1): every contact was written twice,
-- and under honest traffic the index was about one of the 9 to 10 pages
-- a group commit wrote to the WAL (docs/developing.md). Only INTEGER
-- PRIMARY KEY makes the key the rowid itself. The table is rebuilt so on
-- SQLite; its readers find a contact by review as before, now by the
-- table's own key. PostgreSQL's table is unchanged.
{{if not .Postgres}}CREATE TABLE review_contacts_keyed (
    review INTEGER PRIMARY KEY,
    name   TEXT NOT NULL,
    phone  TEXT NOT NULL
);
INSERT INTO review_contacts_keyed (review, name, phone) SELECT review, name, phone FROM review_contacts ORDER BY review;
DROP TABLE review_contacts;
ALTER TABLE review_contacts_keyed RENAME TO review_contacts;
{{end}}
