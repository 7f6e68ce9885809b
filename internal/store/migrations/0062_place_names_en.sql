-- English names of windows and workstations, so that English pages need not
-- show "3号窗口". Optional: empty means the Chinese name serves. The Go part
-- of this migration fills the names written in the usual pattern.
ALTER TABLE windows ADD COLUMN name_en TEXT NOT NULL DEFAULT '';
ALTER TABLE workstations ADD COLUMN name_en TEXT NOT NULL DEFAULT '';
