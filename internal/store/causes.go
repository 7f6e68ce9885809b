package store

import (
	"context"
	"fmt"

	"github.com/haocha/haocha/internal/workorder"
)

// Causes returns the list of causes of unsatisfied answers, in the order
// the forms offer them.
func (s *Store) Causes(ctx context.Context) ([]workorder.Cause, error) {
	rows, err := s.query(ctx, `SELECT code, at_fault FROM unsatisfied_causes ORDER BY position, code`)
	if err != nil {
		return nil, fmt.Errorf("causes: %w", err)
	}
	defer rows.Close()
	var out []workorder.Cause
	for rows.Next() {
		var c workorder.Cause
		if err := rows.Scan(&c.Code, &c.AtFault); err != nil {
			return nil, fmt.Errorf("causes: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
