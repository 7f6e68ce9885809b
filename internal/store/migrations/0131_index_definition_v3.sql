-- Issues 16 and 18: definition version 3 (index.V3). Halls, windows,
-- workstations and staff are judged on reviews bound to a service event
-- (verification transaction or presence) only; the other scopes count an
-- unverified review at unverified_weight, 0; an order the 12345 centre has
-- not dispatched yet counts for no member but the centre. In force for
-- periods ending on or after 6 December 2026, the day it was released:
-- periods published before keep version 2, and the demo's current periods
-- (the last 30 days, this month, this year, all ending today or later)
-- show version 3.
INSERT INTO index_definitions (version, definition, active, created_at, effective_from) VALUES (3,
    '{"version":3,"satisfied_stars":[3,4,5],"good_stars":[4,5],"weights":{"stars":0.4,"not_bad":0.2,"rectification":0.2,"follow_up_satisfaction":0.1,"on_time_reply":0.1},"prior":30,"min_sample":30,"orders_to_parent":true,"order_prior":20,"verified_scopes":["hall","window","workstation","staff"],"unverified_weight":0,"orders_after_dispatch":true}',
    TRUE, 0, 20261206);
