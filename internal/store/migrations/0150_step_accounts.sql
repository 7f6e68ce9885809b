-- Issue 18: the 12345 operators' own figures (dispatches, late ones,
-- re-dispatches, causes reviewed) are counted per account, so each step
-- of an order's history keeps the login of the account that took it
-- ('' for the system, the citizen, or a step whose account is unknown).
-- It is never shown in the history: staff names are not shown across
-- units. Older steps take it from the audit trail, which names the actor
-- as "role:login", at the same time and for the same action.
ALTER TABLE work_order_steps ADD COLUMN account TEXT NOT NULL DEFAULT '';
UPDATE work_order_steps SET account = COALESCE((
    SELECT SUBSTR(l.actor, LENGTH(work_order_steps.actor) + 2) FROM audit_log l
    WHERE l.work_order = work_order_steps.work_order AND l.at = work_order_steps.at
      AND l.action = work_order_steps.action AND l.actor LIKE work_order_steps.actor || ':%'
    ORDER BY l.seq LIMIT 1), '');
CREATE INDEX work_order_steps_action_at ON work_order_steps (action, at);
