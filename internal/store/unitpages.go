package store

import (
	"context"
	"fmt"

	"github.com/haocha/haocha/internal/catalog"
)

// UnitPage is a page of the list of units: of one kind (all when empty),
// after the unit of AfterKind and AfterCode in the list's order (districts
// first, then by code; the first page when AfterCode is empty), at most
// Limit of them (all when 0).
type UnitPage struct {
	Kind                 catalog.UnitKind
	AfterKind, AfterCode string
	Limit                int
}

// UnitsPage reads one page of the list Units gives whole.
func (s *Store) UnitsPage(ctx context.Context, p UnitPage) ([]catalog.Unit, error) {
	q := "SELECT " + unitColumns + " FROM units WHERE (? = '' OR kind = ?)"
	args := []any{p.Kind, p.Kind}
	if p.AfterCode != "" {
		// The order is kind DESC, code: later rows have a smaller kind, or
		// the same kind and a larger code.
		q += " AND (kind < ? OR (kind = ? AND code > ?))"
		args = append(args, p.AfterKind, p.AfterKind, p.AfterCode)
	}
	q += " ORDER BY kind DESC, code"
	if p.Limit > 0 {
		q, args = q+" LIMIT ?", append(args, p.Limit)
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list units: %w", err)
	}
	defer rows.Close()
	var out []catalog.Unit
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}
