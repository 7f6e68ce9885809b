package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/audit"
	"github.com/haocha/haocha/internal/workorder"
)

// AddCallRequest stores a unit's request that the operator call the
// reviewer, with its audit row; a request already waiting is a conflict.
func (s *Store) AddCallRequest(ctx context.Context, actor account.Actor, c workorder.CallRequest) (workorder.CallRequest, error) {
	c.RequestedBy = actor.String()
	err := s.inTx(ctx, func(t tx) error {
		var n int
		if err := t.queryRow(ctx, "SELECT COUNT(*) FROM call_requests WHERE work_order = ? AND done_at IS NULL", c.Order).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return apperr.New(apperr.Conflict, "call_request", "a call request is already waiting for the 12345 operator")
		}
		err := t.queryRow(ctx, `INSERT INTO call_requests (work_order, unit, note, requested_at, requested_by)
			VALUES (?, ?, ?, ?, ?) RETURNING id`, c.Order, c.Unit, c.Note, millis(c.RequestedAt), c.RequestedBy).Scan(&c.ID)
		if err != nil {
			return fmt.Errorf("add call request: %w", err)
		}
		return s.appendAudit(ctx, t, orderAudit(actor, c.Order, c.RequestedAt, workorder.ActCallRequest, c.Note))
	})
	return c, err
}

// FinishCallRequest marks c done as the operator reported it, with its
// audit row.
func (s *Store) FinishCallRequest(ctx context.Context, actor account.Actor, c workorder.CallRequest) error {
	return s.inTx(ctx, func(t tx) error {
		res, err := t.exec(ctx, `UPDATE call_requests SET done_at = ?, done_by = ?, reached = ?, note = ?
			WHERE id = ? AND done_at IS NULL`, millis(c.DoneAt), actor.String(), c.Reached, c.Note, c.ID)
		if err != nil {
			return fmt.Errorf("finish call request %d: %w", c.ID, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "call_request", "the call was already marked done")
		}
		note := "not reached"
		if c.Reached {
			note = "reached"
		}
		return s.appendAudit(ctx, t, orderAudit(actor, c.Order, c.DoneAt, workorder.ActCallDone, note))
	})
}

// AuditOrder writes an audit row about an order that changes nothing of it.
func (s *Store) AuditOrder(ctx context.Context, actor account.Actor, o *workorder.Order, act workorder.Action, note string) error {
	return s.inTx(ctx, func(t tx) error {
		e := orderAudit(actor, o.ID, s.Now(), act, note)
		e.From, e.To = string(o.State), string(o.State)
		return s.appendAudit(ctx, t, e)
	})
}

func orderAudit(actor account.Actor, order int64, at time.Time, act workorder.Action, note string) audit.Entry {
	return audit.Entry{At: at, Actor: actor.String(), Action: string(act), WorkOrder: order, Note: note}
}

const callColumns = `c.id, c.work_order, o.number, c.unit, c.note, c.requested_at, c.requested_by, c.done_at, c.done_by, c.reached
	FROM call_requests c JOIN work_orders o ON o.id = c.work_order`

// CallRequests returns an order's call requests, oldest first.
func (s *Store) CallRequests(ctx context.Context, order int64) ([]workorder.CallRequest, error) {
	return s.callRows(ctx, "SELECT "+callColumns+" WHERE c.work_order = ? ORDER BY c.id", order)
}

// OpenCallRequests returns the calls the operators have yet to make,
// oldest first, at most limit.
func (s *Store) OpenCallRequests(ctx context.Context, limit int) ([]workorder.CallRequest, error) {
	return s.callRows(ctx, "SELECT "+callColumns+" WHERE c.done_at IS NULL ORDER BY c.requested_at, c.id LIMIT ?", limit)
}

func (s *Store) callRows(ctx context.Context, q string, args ...any) ([]workorder.CallRequest, error) {
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("call requests: %w", err)
	}
	defer rows.Close()
	var out []workorder.CallRequest
	for rows.Next() {
		var c workorder.CallRequest
		var requested int64
		var done sql.NullInt64
		if err := rows.Scan(&c.ID, &c.Order, &c.Number, &c.Unit, &c.Note, &requested, &c.RequestedBy, &done, &c.DoneBy, &c.Reached); err != nil {
			return nil, err
		}
		c.RequestedAt, c.DoneAt = fromMillis(requested), optTime(done)
		out = append(out, c)
	}
	return out, rows.Err()
}
