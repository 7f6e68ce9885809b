package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/review"
)

// PlaceFilter narrows a list of workstations. Empty fields do not filter.
type PlaceFilter struct {
	Hall     string
	District string
	Unit     string // the unit that runs the hall
}

// Places lists workstations with their window and hall (staff left out),
// in hall, window and workstation order: the order of printed QR sheets.
func (s *Store) Places(ctx context.Context, f PlaceFilter) ([]catalog.Place, error) {
	q, args := placesQuery(f)
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list places: %w", err)
	}
	defer rows.Close()
	var out []catalog.Place
	for rows.Next() {
		var p catalog.Place
		if err := rows.Scan(&p.Workstation.Code, &p.Workstation.Name, &p.Workstation.NameEN, &p.Window.Code, &p.Window.Name, &p.Window.NameEN,
			&p.Hall.Code, &p.Hall.NameZH, &p.Hall.NameEN, &p.Hall.Unit, &p.Hall.District); err != nil {
			return nil, err
		}
		p.Workstation.Window, p.Window.Hall = p.Window.Code, p.Hall.Code
		out = append(out, p)
	}
	return out, rows.Err()
}

// placesQuery is the query Places runs for f. A unit's or district's
// places are found from its halls (halls_unit, halls_district), then
// their windows and workstations: a page asks for them on every view.
func placesQuery(f PlaceFilter) (string, []any) {
	var where []string
	var args []any
	if f.Hall != "" {
		where, args = append(where, "h.code = ?"), append(args, f.Hall)
	}
	if f.District != "" {
		where, args = append(where, "h.district = ?"), append(args, f.District)
	}
	if f.Unit != "" {
		where, args = append(where, "h.unit = ?"), append(args, f.Unit)
	}
	q := `SELECT ws.code, ws.name, ws.name_en, w.code, w.name, w.name_en, h.code, h.name_zh, h.name_en, h.unit, COALESCE(h.district, '')
		FROM workstations ws
		JOIN windows w ON w.code = ws.window_code
		JOIN halls h ON h.code = w.hall`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	return q + " ORDER BY h.code, w.code, ws.code", args
}

// Halls lists the halls in district (all when empty), by code.
func (s *Store) Halls(ctx context.Context, district string) ([]catalog.Hall, error) {
	q, args := "SELECT "+hallColumns+" FROM halls", []any{}
	if district != "" {
		// In so many words, so that halls_district serves it.
		q, args = q+" WHERE district = ?", append(args, district)
	}
	rows, err := s.query(ctx, q+" ORDER BY code", args...)
	if err != nil {
		return nil, fmt.Errorf("list halls: %w", err)
	}
	defer rows.Close()
	var out []catalog.Hall
	for rows.Next() {
		var h catalog.Hall
		if err := rows.Scan(&h.Code, &h.NameZH, &h.NameEN, &h.Unit, &h.District, &h.Address, &h.AddressEN, &h.Hours, &h.HoursEN); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// StageNames lists every stage code the catalogue uses, once, in the order
// stages usually come.
func (s *Store) StageNames(ctx context.Context) ([]catalog.Stage, error) {
	rows, err := s.query(ctx, `SELECT code, MIN(name_zh), MIN(name_en) FROM stages
		GROUP BY code ORDER BY AVG(position), code`)
	if err != nil {
		return nil, fmt.Errorf("stage names: %w", err)
	}
	defer rows.Close()
	var out []catalog.Stage
	for rows.Next() {
		var st catalog.Stage
		if err := rows.Scan(&st.Code, &st.NameZH, &st.NameEN); err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// DayCount is the number of reviews on one calendar day.
type DayCount struct {
	Day   time.Time // midnight in the city's zone
	Count int64
}

// DailyCounts counts the reviews f selects per day, for the days days up to
// and including the last day that has any. Days without reviews are there
// with a zero count; no reviews at all gives none. They are counted from
// the rollups; a filter they do not answer is refused, as by Stats.
func (s *Store) DailyCounts(ctx context.Context, f review.Filter, days int) ([]DayCount, error) {
	axis, code, err := rollupFor(f)
	if err != nil {
		return nil, err
	}
	counts, last, err := s.dailyFromRollups(ctx, f, axis, code, days)
	if err != nil || last.IsZero() {
		return nil, err
	}
	out := make([]DayCount, 0, days)
	for d := last.AddDate(0, 0, 1-days); !d.After(last); d = d.AddDate(0, 0, 1) {
		out = append(out, DayCount{Day: d, Count: counts[dayOf(d)]})
	}
	return out, nil
}

// dailyFromRollups counts per day from the rollups of one axis: a few
// rows a day, however many reviews.
func (s *Store) dailyFromRollups(ctx context.Context, f review.Filter, axis, code string, days int) (map[int]int64, time.Time, error) {
	if err := s.foldFirst(ctx); err != nil {
		return nil, time.Time{}, err
	}
	where, args := " WHERE axis = ? AND code = ?", []any{axis, code}
	if !f.From.IsZero() {
		where, args = where+" AND day >= ?", append(args, dayOf(f.From))
	}
	if !f.To.IsZero() {
		where, args = where+" AND day <= ?", append(args, dayOf(f.To))
	}
	const n = "SUM(stars1 + stars2 + stars3 + stars4 + stars5)"
	rows, err := s.query(ctx, "SELECT day, "+n+" FROM review_rollups"+where+
		" GROUP BY day HAVING "+n+" > 0 ORDER BY day DESC LIMIT ?", append(args, days)...)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("daily counts: %w", err)
	}
	defer rows.Close()
	counts := map[int]int64{} // by yyyymmdd
	var last time.Time
	for rows.Next() {
		var day int
		var c int64
		if err := rows.Scan(&day, &c); err != nil {
			return nil, time.Time{}, err
		}
		if last.IsZero() {
			last = dayAt(day, 0)
		}
		counts[day] = c
	}
	return counts, last, rows.Err()
}
