package store

// The units each integration account may report transactions for.

import (
	"context"
	"fmt"

	"github.com/haocha/haocha/internal/apperr"
)

// BindIntegrationUnits lets integration account user report for units,
// besides those it may already; an unknown unit is refused by name.
func (s *Store) BindIntegrationUnits(ctx context.Context, user int64, units []string) error {
	return s.inTx(ctx, func(t tx) error {
		for _, u := range units {
			var n int
			if err := t.queryRow(ctx, "SELECT COUNT(*) FROM units WHERE code = ?", u).Scan(&n); err != nil {
				return fmt.Errorf("bind units: %w", err)
			}
			if n == 0 {
				return apperr.Invalidf("unit", "no unit %s", u)
			}
			if _, err := t.exec(ctx, "INSERT INTO integration_units (user_id, unit) VALUES (?, ?) ON CONFLICT DO NOTHING",
				user, u); err != nil {
				return fmt.Errorf("bind units: %w", err)
			}
		}
		return nil
	})
}

// IntegrationUnits lists the units integration account user may report
// for, in code order; none when it is bound to none.
func (s *Store) IntegrationUnits(ctx context.Context, user int64) ([]string, error) {
	rows, err := s.query(ctx, "SELECT unit FROM integration_units WHERE user_id = ? ORDER BY unit", user)
	if err != nil {
		return nil, fmt.Errorf("integration units: %w", err)
	}
	defer rows.Close()
	units := []string{}
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return nil, fmt.Errorf("integration units: %w", err)
		}
		units = append(units, u)
	}
	return units, rows.Err()
}
