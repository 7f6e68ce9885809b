-- The index counts find the work orders due in a period: those with a due
-- time in it, and those not yet dispatched (no due time) opened in it or
-- the month before. With (due_at) alone the second half read every
-- undispatched order and its row for each board; (due_at, created_at)
-- makes both halves a range. It serves every query the old index did.
CREATE INDEX work_orders_due_created ON work_orders (due_at, created_at);
DROP INDEX work_orders_due_at;
