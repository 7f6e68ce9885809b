-- The service catalogue: units, items and stages, halls, windows,
-- workstations and staff.
CREATE TABLE units (
    code     TEXT PRIMARY KEY,
    kind     TEXT NOT NULL CHECK (kind IN ('district', 'agency')),
    name_zh  TEXT NOT NULL,
    name_en  TEXT NOT NULL DEFAULT '',
    district TEXT REFERENCES units (code)
);

CREATE TABLE items (
    code    TEXT PRIMARY KEY,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    unit    TEXT NOT NULL REFERENCES units (code)
);
CREATE INDEX items_unit ON items (unit);

CREATE TABLE stages (
    item     TEXT NOT NULL REFERENCES items (code) ON DELETE CASCADE,
    code     TEXT NOT NULL,
    position INTEGER NOT NULL,
    name_zh  TEXT NOT NULL,
    name_en  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (item, code)
);

CREATE TABLE halls (
    code     TEXT PRIMARY KEY,
    name_zh  TEXT NOT NULL,
    name_en  TEXT NOT NULL DEFAULT '',
    unit     TEXT NOT NULL REFERENCES units (code),
    district TEXT REFERENCES units (code),
    address  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE windows (
    code TEXT PRIMARY KEY,
    hall TEXT NOT NULL REFERENCES halls (code),
    name TEXT NOT NULL
);
CREATE INDEX windows_hall ON windows (hall);

CREATE TABLE staff (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    unit TEXT NOT NULL REFERENCES units (code)
);

CREATE TABLE workstations (
    code        TEXT PRIMARY KEY,
    window_code TEXT NOT NULL REFERENCES windows (code),
    name        TEXT NOT NULL,
    staff       TEXT REFERENCES staff (code)
);
CREATE INDEX workstations_window ON workstations (window_code);

CREATE TABLE hall_items (
    hall TEXT NOT NULL REFERENCES halls (code),
    item TEXT NOT NULL REFERENCES items (code),
    PRIMARY KEY (hall, item)
);

-- Dimension sets are versioned data: a review keeps the set it was given
-- under, so a new set never rewrites history.
CREATE TABLE dimension_sets (
    id         {{.Serial}},
    name       TEXT NOT NULL,
    version    INTEGER NOT NULL,
    active     BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (name, version)
);

CREATE TABLE dimensions (
    dimension_set BIGINT NOT NULL REFERENCES dimension_sets (id),
    position      INTEGER NOT NULL CHECK (position BETWEEN 1 AND 6),
    code          TEXT NOT NULL,
    name_zh       TEXT NOT NULL,
    name_en       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (dimension_set, position),
    UNIQUE (dimension_set, code)
);

CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
