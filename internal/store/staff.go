package store

// Window staff by unit, for the staff rankings that only staff roles see:
// staff names are personal, so ScopeNames leaves them out of public boards.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/haocha/haocha/internal/apperr"
)

// StaffNamesIn returns the names of a unit's staff by code.
func (s *Store) StaffNamesIn(ctx context.Context, unit string) (map[string]string, error) {
	rows, err := s.query(ctx, "SELECT code, name FROM staff WHERE unit = ?", unit)
	if err != nil {
		return nil, fmt.Errorf("staff of %s: %w", unit, err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var code, name string
		if err := rows.Scan(&code, &name); err != nil {
			return nil, fmt.Errorf("staff of %s: %w", unit, err)
		}
		out[code] = name
	}
	return out, rows.Err()
}

// StaffUnit returns the unit a staff member works for.
func (s *Store) StaffUnit(ctx context.Context, staff string) (string, error) {
	var unit string
	err := s.queryRow(ctx, "SELECT unit FROM staff WHERE code = ?", staff).Scan(&unit)
	if errors.Is(err, sql.ErrNoRows) {
		return "", apperr.New(apperr.NotFound, "staff", "no such staff member")
	}
	if err != nil {
		return "", fmt.Errorf("unit of staff %s: %w", staff, err)
	}
	return unit, nil
}
