-- Issue 18: the cause review of unsatisfied answers (不满意原因审查). The
-- list of causes is data: a code (its words are in the catalogue under
-- cause.code.<code>) and whether it puts the unit at fault. An order keeps
-- its cause with the at-fault judgement as recorded, the unit's one
-- contest and the supervisor's decision. Orders without a cause count in
-- the figures as before.
CREATE TABLE unsatisfied_causes (
    code TEXT PRIMARY KEY,
    at_fault BOOLEAN NOT NULL,
    position INTEGER NOT NULL
);
INSERT INTO unsatisfied_causes (code, at_fault, position) VALUES
    ('careless', TRUE, 1),
    ('passed_buck', TRUE, 2),
    ('late', TRUE, 3),
    ('off_point', TRUE, 4),
    ('unreasonable', FALSE, 5),
    ('unreachable', FALSE, 6),
    ('duplicate', FALSE, 7),
    ('outside_remit', FALSE, 8);
ALTER TABLE work_orders ADD COLUMN cause TEXT NOT NULL DEFAULT '';
ALTER TABLE work_orders ADD COLUMN cause_at_fault BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE work_orders ADD COLUMN cause_note TEXT NOT NULL DEFAULT '';
ALTER TABLE work_orders ADD COLUMN cause_contest TEXT NOT NULL DEFAULT '';
ALTER TABLE work_orders ADD COLUMN cause_contest_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE work_orders ADD COLUMN cause_decision TEXT NOT NULL DEFAULT '';
