-- The demo's labelled fraud mix (haocha demo --attack): which reviews were
-- synthetic attacks of which kind and which were honest, so that the
-- detectors' recall and false positives can be measured. Demo data only.
CREATE TABLE demo_labels (
    review BIGINT PRIMARY KEY,
    kind   TEXT NOT NULL
);
