-- Issue 16: opening hours per hall, as data. Screening holds window
-- reviews that come in numbers while their hall is closed; until now one
-- fixed 8:00-20:00 for every hall. day_kind is 'workday' (a working day
-- by the calendar, make-up Saturdays included), 'saturday' (a Saturday
-- off that is no holiday) or 'rest' (Sunday, a public holiday); a hall
-- without a row for a kind is closed on such days. The rows of hall ''
-- are the hours of every hall that has none of its own: the old fixed
-- hours, so that nothing changes until a hall is given its own.
CREATE TABLE hall_hours (
    hall     TEXT NOT NULL,
    day_kind TEXT NOT NULL,
    opens    INTEGER NOT NULL, -- minutes after midnight, the city's time
    closes   INTEGER NOT NULL,
    PRIMARY KEY (hall, day_kind)
);
INSERT INTO hall_hours (hall, day_kind, opens, closes) VALUES
    ('', 'workday', 480, 1200), ('', 'saturday', 480, 1200), ('', 'rest', 480, 1200);
