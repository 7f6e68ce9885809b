package store

// Window staff by unit, for the staff rankings that only staff roles see:
// staff names are personal, so ScopeNames leaves them out of public boards.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/catalog"
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

// Seat is a workstation a staff member is seated at, with its hall.
type Seat struct {
	Workstation catalog.Workstation
	Hall        catalog.Hall // code and names only
}

// StaffSeats returns a staff member and the workstations the catalogue
// seats them at, for their own page.
func (s *Store) StaffSeats(ctx context.Context, code string) (catalog.Staff, []Seat, error) {
	st := catalog.Staff{Code: code}
	err := s.queryRow(ctx, "SELECT name, unit FROM staff WHERE code = ?", code).Scan(&st.Name, &st.Unit)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil, apperr.NotFoundf("staff", "no such staff member")
	} else if err != nil {
		return st, nil, fmt.Errorf("staff %s: %w", code, err)
	}
	rows, err := s.query(ctx, `SELECT ws.code, ws.name, ws.name_en, h.code, h.name_zh, h.name_en
		FROM workstations ws JOIN windows w ON w.code = ws.window_code JOIN halls h ON h.code = w.hall
		WHERE ws.staff = ? ORDER BY ws.code`, code)
	if err != nil {
		return st, nil, fmt.Errorf("seats of %s: %w", code, err)
	}
	defer rows.Close()
	var out []Seat
	for rows.Next() {
		var x Seat
		if err := rows.Scan(&x.Workstation.Code, &x.Workstation.Name, &x.Workstation.NameEN, &x.Hall.Code, &x.Hall.NameZH, &x.Hall.NameEN); err != nil {
			return st, nil, fmt.Errorf("seats of %s: %w", code, err)
		}
		out = append(out, x)
	}
	return st, out, rows.Err()
}

// BusiestStaff returns the staff member with the most reviews that count
// (the first by code among equals), empty when no review names one: the
// demo's staff account, whose page then has figures and a rank to show.
// Counted from the staff rollups: no index of reviews leads with staff.
func (s *Store) BusiestStaff(ctx context.Context) (string, error) {
	if err := s.foldFirst(ctx); err != nil {
		return "", err
	}
	var code string
	err := s.queryRow(ctx, `SELECT code FROM review_rollups WHERE axis = 'staff'
		GROUP BY code HAVING SUM(stars1 + stars2 + stars3 + stars4 + stars5) > 0
		ORDER BY SUM(stars1 + stars2 + stars3 + stars4 + stars5) DESC, code LIMIT 1`).Scan(&code)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("busiest staff: %w", err)
	}
	return code, nil
}
