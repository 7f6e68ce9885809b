-- Versioned definitions of the evaluation index (评价指数): which stars
-- count as satisfied and good, the weights, the prior and the minimum
-- sample, as JSON that internal/index reads. A new version is a new row;
-- scores always name the version they were computed under.
CREATE TABLE index_definitions (
    version    INTEGER PRIMARY KEY,
    definition TEXT NOT NULL,
    active     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL
);
INSERT INTO index_definitions (version, definition, active, created_at) VALUES (1,
    '{"version":1,"satisfied_stars":[3,4,5],"good_stars":[4,5],"weights":{"stars":0.4,"not_bad":0.2,"rectification":0.2,"follow_up_satisfaction":0.1,"on_time_reply":0.1},"prior":30,"min_sample":30}',
    TRUE, 0);
-- Orders are placed in a period by their due time.
CREATE INDEX work_orders_due_at ON work_orders (due_at);
