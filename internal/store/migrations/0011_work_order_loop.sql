-- The closed loop on the work order: dispatch, deadlines, reply, follow-up,
-- supervision, reassignment and appeal. Times are Unix milliseconds.
ALTER TABLE work_orders ADD COLUMN unit TEXT;
ALTER TABLE work_orders ADD COLUMN complexity TEXT;
ALTER TABLE work_orders ADD COLUMN days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE work_orders ADD COLUMN dispatched_at BIGINT;
ALTER TABLE work_orders ADD COLUMN contact_due BIGINT;
ALTER TABLE work_orders ADD COLUMN contacted_at BIGINT;
ALTER TABLE work_orders ADD COLUMN due_at BIGINT;
ALTER TABLE work_orders ADD COLUMN overdue BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE work_orders ADD COLUMN due_soon_sent BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE work_orders ADD COLUMN findings TEXT NOT NULL DEFAULT '';
ALTER TABLE work_orders ADD COLUMN rectification TEXT NOT NULL DEFAULT '';
ALTER TABLE work_orders ADD COLUMN answer TEXT NOT NULL DEFAULT '';
ALTER TABLE work_orders ADD COLUMN replied_at BIGINT;
ALTER TABLE work_orders ADD COLUMN not_satisfied INTEGER NOT NULL DEFAULT 0;
ALTER TABLE work_orders ADD COLUMN follow_up_note TEXT NOT NULL DEFAULT '';
ALTER TABLE work_orders ADD COLUMN closed_at BIGINT;
ALTER TABLE work_orders ADD COLUMN supervised_at BIGINT;
ALTER TABLE work_orders ADD COLUMN assessment BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE work_orders ADD COLUMN reassign_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE work_orders ADD COLUMN appeal TEXT NOT NULL DEFAULT '';
ALTER TABLE work_orders ADD COLUMN appeal_ground TEXT NOT NULL DEFAULT '';
ALTER TABLE work_orders ADD COLUMN appeal_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE work_orders ADD COLUMN appeal_decision TEXT NOT NULL DEFAULT '';
ALTER TABLE work_orders ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
CREATE INDEX work_orders_unit ON work_orders (unit, state);
CREATE INDEX work_orders_due ON work_orders (state, due_at);
