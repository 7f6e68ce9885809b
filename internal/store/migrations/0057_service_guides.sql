-- The service guide (办事指南) of an item, one row per language: what to
-- bring, who may apply, how long it takes, what it costs, where and when.
-- materials holds one material a line.
CREATE TABLE item_guides (
    item       TEXT NOT NULL REFERENCES items (code),
    lang       TEXT NOT NULL,
    materials  TEXT NOT NULL DEFAULT '',
    conditions TEXT NOT NULL DEFAULT '',
    time_limit TEXT NOT NULL DEFAULT '',
    fees       TEXT NOT NULL DEFAULT '',
    place      TEXT NOT NULL DEFAULT '',
    hours      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (item, lang)
);

-- A hall's opening hours, shown on its page.
ALTER TABLE halls ADD COLUMN hours TEXT NOT NULL DEFAULT '';
ALTER TABLE halls ADD COLUMN hours_en TEXT NOT NULL DEFAULT '';
