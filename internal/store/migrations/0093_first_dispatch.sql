-- Issue 18: an order's first dispatch, kept through re-dispatches, so that
-- a re-dispatched order still counts in undispatched_late when the 12345
-- operator dispatched it late the first time. Older orders take it from
-- their first dispatch step, or from dispatched_at while in round 1.
ALTER TABLE work_orders ADD COLUMN first_dispatched_at BIGINT;
UPDATE work_orders SET first_dispatched_at = COALESCE(
    (SELECT MIN(s.at) FROM work_order_steps s WHERE s.work_order = work_orders.id AND s.action = 'dispatch'),
    CASE WHEN round = 1 THEN dispatched_at END);
