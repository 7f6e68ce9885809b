-- Working-day exceptions added by administrators (later years); the shipped
-- official schedules live in the binary. A stored day wins over a shipped one.
CREATE TABLE calendar_days (
    day         TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name        TEXT NOT NULL DEFAULT '',
    imported_at BIGINT NOT NULL
);
