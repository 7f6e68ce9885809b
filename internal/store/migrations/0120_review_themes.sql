-- Issue 18: the complaint themes (差评主题) of bad reviews, one row a review
-- and theme, so that the pages and the 通报 count themes per unit, hall and
-- item over a period without reading comments. The scheduler classifies bad
-- reviews (internal/theme) as they come and, on its first tick after this
-- migration, every earlier one. A row with theme '' records a bad review
-- classified without a theme, so that it is not classified again.
CREATE TABLE review_themes (
    review     BIGINT NOT NULL,
    created_at BIGINT NOT NULL, -- the review's
    unit       TEXT NOT NULL,
    hall       TEXT NOT NULL,
    item       TEXT NOT NULL,
    theme      TEXT NOT NULL,
    PRIMARY KEY (review, theme)
);
CREATE INDEX review_themes_unit ON review_themes (unit, created_at);
CREATE INDEX review_themes_hall ON review_themes (hall, created_at);
CREATE INDEX review_themes_item ON review_themes (item, created_at);
CREATE INDEX review_themes_created ON review_themes (created_at);
