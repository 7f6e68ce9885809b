package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/index"
)

// Operators is every 12345 operator's own figures over the days from to
// to (index.Operators): from the steps operators took in the period.
func (s *Store) Operators(ctx context.Context, from, to time.Time) ([]index.Operator, error) {
	return s.OperatorsAt(ctx, from, to, s.Now())
}

// OperatorsAt is Operators as they stood at at: the steps taken by then,
// and at as now (GET /api/v1/operators publishes it as computed_at).
func (s *Store) OperatorsAt(ctx context.Context, from, to, at time.Time) ([]index.Operator, error) {
	start, end := calendar.Midnight(from), calendar.Midnight(to).AddDate(0, 0, 1)
	rows, err := s.query(ctx, `SELECT s.account, s.action, s.at, o.created_at, o.contact_due, o.contacted_at,
			CASE WHEN o.cause_contest = 'changed' THEN 1 ELSE 0 END,
			CASE WHEN s.action = 'dispatch' AND s.id = (SELECT MIN(f.id) FROM work_order_steps f
				WHERE f.work_order = s.work_order AND f.action = 'dispatch') THEN 1 ELSE 0 END
		FROM work_order_steps s JOIN work_orders o ON o.id = s.work_order
		WHERE s.action IN ('dispatch', 'redispatch', 'follow_up', 'cause') AND s.at >= ? AND s.at < ? AND s.at <= ?
		  AND s.actor = ? AND s.account <> ''`, millis(start), millis(end), millis(at), string(account.Operator))
	if err != nil {
		return nil, fmt.Errorf("operators' steps: %w", err)
	}
	var steps []index.OperatorStep
	for rows.Next() {
		var st index.OperatorStep
		var at, created int64
		var due, contacted sql.NullInt64
		var changed, first int
		if err := rows.Scan(&st.Account, &st.Action, &at, &created, &due, &contacted, &changed, &first); err != nil {
			rows.Close()
			return nil, fmt.Errorf("operators' steps: %w", err)
		}
		st.At, st.Created, st.ContactDue, st.Contacted = time.UnixMilli(at), time.UnixMilli(created), optTime(due), optTime(contacted)
		st.CauseChanged, st.FirstDispatch = changed == 1, first == 1
		steps = append(steps, st)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("operators' steps: %w", err)
	}
	users, err := s.Users(ctx)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, u := range users {
		if u.Role == account.Operator {
			names[u.Login] = u.DisplayName
		}
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	return index.Operators(steps, names, cal, at), nil
}
