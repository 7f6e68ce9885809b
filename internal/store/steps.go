package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/workorder"
)

// addStep appends one step to an order's history, inside t.
func (s *Store) addStep(ctx context.Context, t tx, order int64, st workorder.Step) error {
	args := []any{order, st.Round, string(st.Action), millis(st.At), string(st.Actor), st.Unit, string(st.Complexity), st.Days,
		optMillis(st.Due), st.Note, st.Reply.Findings, st.Reply.Rectification, st.Reply.Answer, st.Satisfied, st.Reason}
	cols, marks := "", ""
	if st.Account != "" {
		// Only a step with an account names the column: the history
		// rebuilt by migration 54 predates it (migration 150 fills it in).
		cols, marks, args = ", account", ", ?", append(args, st.Account)
	}
	_, err := t.exec(ctx, `INSERT INTO work_order_steps (work_order, round, action, at, actor, unit, complexity, days, due_at,
			note, findings, rectification, answer, satisfied, reason`+cols+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?`+marks+`)`, args...)
	if err != nil {
		return fmt.Errorf("add step to work order %d: %w", order, err)
	}
	return nil
}

// Steps returns an order's history, oldest first.
func (s *Store) Steps(ctx context.Context, order int64) ([]workorder.Step, error) {
	rows, err := s.query(ctx, `SELECT round, action, at, actor, unit, complexity, days, due_at,
			note, findings, rectification, answer, satisfied, reason
		FROM work_order_steps WHERE work_order = ? ORDER BY id`, order)
	if err != nil {
		return nil, fmt.Errorf("steps of work order %d: %w", order, err)
	}
	defer rows.Close()
	var out []workorder.Step
	for rows.Next() {
		var st workorder.Step
		var action, actor, complexity string
		var at int64
		var due sql.NullInt64
		if err := rows.Scan(&st.Round, &action, &at, &actor, &st.Unit, &complexity, &st.Days, &due,
			&st.Note, &st.Reply.Findings, &st.Reply.Rectification, &st.Reply.Answer, &st.Satisfied, &st.Reason); err != nil {
			return nil, err
		}
		st.Action, st.Actor, st.Complexity = workorder.Action(action), account.Role(actor), workorder.Complexity(complexity)
		st.At, st.Due = fromMillis(at), optTime(due)
		out = append(out, st)
	}
	return out, rows.Err()
}

// backfillSteps rebuilds the history of the orders that predate it from
// their audit rows, inside the migration's transaction. The reply text of
// those times was kept only for the current round, on the order: it goes
// to that round's last reply; an earlier round's reply shows without text.
func (s *Store) backfillSteps(ctx context.Context, t tx) error {
	// The columns are named here, not taken from orderColumns: a later
	// migration's column does not exist yet when this one runs.
	rows, err := t.query(ctx, `SELECT id, round, due_at, findings, rectification, answer, replied_at
		FROM work_orders WHERE state <> 'new' ORDER BY id`)
	if err != nil {
		return fmt.Errorf("orders to backfill: %w", err)
	}
	var orders []*workorder.Order
	for rows.Next() {
		var o workorder.Order
		var due, replied sql.NullInt64
		if err := rows.Scan(&o.ID, &o.Round, &due, &o.Reply.Findings, &o.Reply.Rectification, &o.Reply.Answer, &replied); err != nil {
			rows.Close()
			return err
		}
		o.Due, o.RepliedAt = optTime(due), optTime(replied)
		orders = append(orders, &o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, o := range orders {
		arows, err := t.query(ctx, `SELECT seq, at, actor, action, COALESCE(work_order, 0), from_state, to_state, note, prev_hash, hash
			FROM audit_log WHERE work_order = ? ORDER BY seq`, o.ID)
		if err != nil {
			return fmt.Errorf("audit of work order %d: %w", o.ID, err)
		}
		trail, err := scanAudit(arows)
		if err != nil {
			return err
		}
		steps := workorder.StepsFromAudit(trail)
		fillCurrentRound(o, steps)
		for _, st := range steps {
			if err := s.addStep(ctx, t, o.ID, st); err != nil {
				return err
			}
		}
	}
	return nil
}

// fillCurrentRound gives the current round's last dispatch its due time
// and its last reply the text the order still holds.
func fillCurrentRound(o *workorder.Order, steps []workorder.Step) {
	dispatch, reply := -1, -1
	for i, st := range steps {
		if st.Round != o.Round {
			continue
		}
		switch st.Action {
		case workorder.ActDispatch, workorder.ActRedispatch, workorder.ActDecideReassign:
			dispatch = i
		case workorder.ActReply:
			reply = i
		}
	}
	if dispatch >= 0 {
		steps[dispatch].Due = o.Due
	}
	if reply >= 0 && !o.RepliedAt.IsZero() {
		steps[reply].Reply = o.Reply
	}
}
