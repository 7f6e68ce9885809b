-- Issue 18: definitions take effect from a day, so that old periods keep
-- the definition they were published under. A period is computed under
-- the newest active definition whose effective_from (a day, yyyymmdd, in
-- the city's zone) is on or before the period's last day. Version 1 has
-- always been in force; version 2 (R, F and T shrunk toward the city's
-- rates with a prior of 20 orders, the city's rates without orders due)
-- from 1 December 2026.
ALTER TABLE index_definitions ADD COLUMN effective_from INTEGER NOT NULL DEFAULT 0;
INSERT INTO index_definitions (version, definition, active, created_at, effective_from) VALUES (2,
    '{"version":2,"satisfied_stars":[3,4,5],"good_stars":[4,5],"weights":{"stars":0.4,"not_bad":0.2,"rectification":0.2,"follow_up_satisfaction":0.1,"on_time_reply":0.1},"prior":30,"min_sample":30,"orders_to_parent":true,"order_prior":20}',
    TRUE, 0, 20261201);
