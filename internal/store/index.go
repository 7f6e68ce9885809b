package store

// The evaluation index's counts: reviews from the day rollups, work orders
// (one per bad review, few) straight from their rows by due time; and the
// index's versioned definitions.

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/review"
)

// ActiveDefinition is the index definition in force today: the one a
// period ending today is computed under.
func (s *Store) ActiveDefinition(ctx context.Context) (index.Definition, error) {
	return s.DefinitionFor(ctx, s.Now())
}

// DefinitionFor is the index definition a period whose last day is to is
// computed under: the newest active one in force on that day (migration
// 0092), so that old periods keep the definition they were published under.
func (s *Store) DefinitionFor(ctx context.Context, to time.Time) (index.Definition, error) {
	var d index.Definition
	var raw string
	err := s.queryRow(ctx, "SELECT definition FROM index_definitions WHERE active AND effective_from <= ? ORDER BY effective_from DESC, version DESC LIMIT 1",
		dayOf(to)).Scan(&raw)
	if err != nil {
		return d, fmt.Errorf("index definition: %w", err)
	}
	if err := json.Unmarshal([]byte(raw), &d); err != nil {
		return d, fmt.Errorf("index definition: %w", err)
	}
	return d, d.Validate()
}

// cityCode is the one group of the city scope.
const cityCode = "'city'"

// scopeColumn is the reviews' column each scope groups by, and an extra
// condition. The city is one group, named "city".
func scopeColumn(sc index.Scope) (col, cond string, err error) {
	switch sc {
	case index.City:
		return cityCode, "", nil
	case index.District:
		return "r.district", "", nil
	case index.Agency:
		return "r.unit", "r.unit IN (SELECT code FROM units WHERE kind = 'agency')", nil
	case index.Unit:
		return "r.unit", "", nil
	case index.Hall:
		return "r.hall", "", nil
	case index.Window:
		return "r.window_code", "", nil
	case index.Workstation:
		return "r.workstation", "", nil
	case index.Staff:
		return "r.staff", "", nil
	case index.Item:
		return "r.item", "", nil
	case index.Stage:
		return "r.stage", "", nil
	case index.Channel:
		return "r.channel", "", nil
	}
	return "", "", fmt.Errorf("index counts: unknown scope %q", sc)
}

// IndexCounts computes the index counts of every member of a scope over
// the days from to to (inclusive, in the city's zone), keyed by code: the
// reviews not held out of the index that were given in the period, the
// bad-review work orders due in it, and the reported transactions whose
// rating window closed in it. Orders count toward the unit
// responsible for them (谁办理、谁负责) under the unit and agency scopes,
// toward the review's hall, item and so on under the others.
func (s *Store) IndexCounts(ctx context.Context, sc index.Scope, from, to time.Time) (map[string]index.Counts, error) {
	return s.indexCounts(ctx, sc, from, to, s.Now(), nil)
}

// IndexCountsWithCity is IndexCounts of sc and the city's counts, which
// every score is shrunk toward, from the day rollups of both.
func (s *Store) IndexCountsWithCity(ctx context.Context, sc index.Scope, from, to time.Time) (map[string]index.Counts, index.Counts, error) {
	return s.IndexCountsAt(ctx, sc, from, to, time.Time{})
}

// IndexCountsAt is IndexCountsWithCity as the counts stood at at (the
// store's now when zero): the orders due and the rating windows closed by
// then (board.ComputeAt).
func (s *Store) IndexCountsAt(ctx context.Context, sc index.Scope, from, to, at time.Time) (map[string]index.Counts, index.Counts, error) {
	if at.IsZero() {
		at = s.Now()
	}
	if sc == index.City {
		out, err := s.indexCounts(ctx, sc, from, to, at, nil)
		return out, out["city"], err
	}
	var city index.Counts
	out, err := s.indexCounts(ctx, sc, from, to, at, &city)
	return out, city, err
}

// indexCounts is IndexCounts at at; with city set it adds the city's
// counts to it. The whole months of the period that have ended by at are
// counted once for a while (monthcounts.go, which says when kept counts
// hold), the rest for the call.
func (s *Store) indexCounts(ctx context.Context, sc index.Scope, from, to, at time.Time, city *index.Counts) (map[string]index.Counts, error) {
	start := calendar.Midnight(from)
	end := calendar.Midnight(to).AddDate(0, 0, 1)
	segs := segments(start, end, calendar.Midnight(at))
	if len(segs) <= 1 {
		return s.countPeriod(ctx, sc, start, end, at, city)
	}
	if err := s.foldFirst(ctx); err != nil {
		return nil, err // folded first: a fold reaching an ended month drops the kept counts before they are read
	}
	out := map[string]index.Counts{}
	for _, seg := range segs {
		var got map[string]index.Counts
		if seg.month {
			e, err := s.countsOf(ctx, sc, seg, at)
			if err != nil {
				return nil, err
			}
			got = e.counts
			if city != nil {
				city.Add(e.city)
			}
		} else {
			var err error
			if got, err = s.countPeriod(ctx, sc, seg.start, seg.end, at, city); err != nil {
				return nil, err
			}
		}
		// Added into counts of this call's own: the kept ones are shared.
		for code, c := range got {
			sum := out[code]
			sum.Add(c)
			out[code] = sum
		}
	}
	return out, nil
}

// countPeriod counts the days [start, end) at at as indexCounts does, all
// of them.
func (s *Store) countPeriod(ctx context.Context, sc index.Scope, start, end, at time.Time, city *index.Counts) (map[string]index.Counts, error) {
	col, cond, err := scopeColumn(sc)
	if err != nil {
		return nil, err
	}
	out := map[string]index.Counts{}
	if err := s.indexReviewCounts(ctx, sc, start, end, out, city); err != nil {
		return nil, err
	}
	if err := s.orderCounts(ctx, sc, start, end, at, out, city); err != nil {
		return nil, err
	}
	if err := s.indexTransactionCounts(ctx, sc, col, cond, start, end, at, out); err != nil {
		return nil, err
	}
	if city == nil {
		return out, nil
	}
	// Transactions are few: the city's are a query of their own.
	cityOut := map[string]index.Counts{}
	if err := s.indexTransactionCounts(ctx, index.City, cityCode, "", start, end, at, cityOut); err != nil {
		return nil, err
	}
	city.Add(cityOut["city"])
	return out, nil
}

// scopeAxis is the rollup axis that holds a scope's review counts, and an
// extra condition on its codes.
func scopeAxis(sc index.Scope) (axis, cond string) {
	switch sc {
	case index.City:
		return "all", ""
	case index.Agency:
		return "unit", " AND code IN (SELECT code FROM units WHERE kind = 'agency')"
	}
	// Reviews without a district, hall, … are not members of that scope.
	return string(sc), " AND code <> ''"
}

// indexReviewCounts adds the review counts of each member of sc to out,
// read from the day rollups: a period costs its days times the scope's
// members, whatever the reviews. With city set it adds the city's too.
func (s *Store) indexReviewCounts(ctx context.Context, sc index.Scope, start, end time.Time, out map[string]index.Counts, city *index.Counts) error {
	if err := s.rollupCounts(ctx, sc, start, end, out); err != nil {
		return err
	}
	if city == nil {
		return nil
	}
	all := map[string]index.Counts{}
	if err := s.rollupCounts(ctx, index.City, start, end, all); err != nil {
		return err
	}
	city.Add(all["city"])
	return nil
}

// rollupCounts adds to out the review counts of sc's members from the day
// rollups of every review, and to their Unverified part those of the
// unverified reviews among them (migration 0130).
func (s *Store) rollupCounts(ctx context.Context, sc index.Scope, start, end time.Time, out map[string]index.Counts) error {
	if err := s.foldFirst(ctx); err != nil {
		return err
	}
	if err := s.tableCounts(ctx, "review_rollups", sc, start, end, out); err != nil {
		return err
	}
	unverified := map[string]index.Counts{}
	if err := s.tableCounts(ctx, "review_rollups_unverified", sc, start, end, unverified); err != nil {
		return err
	}
	for code, u := range unverified {
		c := out[code]
		c.Add(index.Counts{Unverified: &u})
		out[code] = c
	}
	return nil
}

// tableCounts adds to out the review counts of sc's members from the
// rollup table table.
func (s *Store) tableCounts(ctx context.Context, table string, sc index.Scope, start, end time.Time, out map[string]index.Counts) error {
	axis, cond := scopeAxis(sc)
	// Whole months from the month rollups, the odd days from the day
	// rollups (periodrollups.go).
	sel, args := spanRows(table, "code, dimension_set, "+rollupSumColumns.names(), "axis = ?"+cond, []any{axis},
		daySpan{from: dayOf(start), end: dayOf(end)})
	q := "SELECT code, dimension_set, " + rollupSums + " FROM (" + sel + ") r GROUP BY code, dimension_set"
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("index counts: %w", err)
	}
	type groupRow struct {
		code string
		set  int64
		tallyRow
	}
	var got []groupRow
	for rows.Next() {
		var g groupRow
		if err := rows.Scan(g.dest(&g.code, &g.set)...); err != nil {
			rows.Close()
			return fmt.Errorf("index counts: %w", err)
		}
		if sc == index.City {
			g.code = "city"
		}
		got = append(got, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("index counts: %w", err)
	}
	for _, g := range got {
		if g.stars == [5]int64{} {
			continue // every review of the group was held out since
		}
		set, err := s.DimensionSet(ctx, g.set)
		if err != nil {
			return err
		}
		c := index.Counts{Stars: g.stars, Linked: g.linked}
		for i, n := range g.stars {
			c.N += n
			// A default review (默认好评) is not one the citizen gave.
			c.ActiveStars[i] = n - g.defaults[i]
		}
		for i, d := range set.Dimensions {
			if i < len(g.cnts) && g.cnts[i] > 0 { // as counted row by row: only dimensions scored
				if c.DimensionSum == nil {
					c.DimensionSum, c.DimensionCount = map[string]int64{}, map[string]int64{}
				}
				c.DimensionSum[d.Code], c.DimensionCount[d.Code] = g.sums[i], g.cnts[i]
			}
		}
		for i, n := range g.tags {
			if n > 0 {
				if c.Tags == nil {
					c.Tags = map[string]int64{}
				}
				c.Tags[string(review.Tags[i])] = n
			}
		}
		sum := out[g.code]
		sum.Add(c)
		out[g.code] = sum
	}
	return nil
}

// indexOrderCounts adds to out the counts of the orders due in [start,
// end) as they stood at now, from the orders themselves, by the member
// column col (orderAxis) of those that meet cond.
func (s *Store) indexOrderCounts(ctx context.Context, col, cond string, start, end, now time.Time, out map[string]index.Counts) error {
	cal, err := s.Calendar(ctx)
	if err != nil {
		return err
	}
	got, err := ordersDue(ctx, s.query, cal, []string{col}, cond, start, end)
	if err != nil {
		return err
	}
	for _, g := range got {
		if !g.codes[0].Valid {
			continue
		}
		c := out[g.codes[0].String]
		c.Orders.AddOrder(g.order, cal, now)
		out[g.codes[0].String] = c
	}
	return nil
}

// ScopeNames returns the names of a scope's members by code: the Chinese
// name of units, halls, items and stages, the name of windows and
// workstations. Staff names are personal and channels have none: both
// answer an empty map, and so does the city.
func (s *Store) ScopeNames(ctx context.Context, sc index.Scope) (map[string]string, error) {
	var q string
	switch sc {
	case index.District:
		q = "SELECT code, name_zh FROM units WHERE kind = 'district'"
	case index.Agency:
		q = "SELECT code, name_zh FROM units WHERE kind = 'agency'"
	case index.Unit:
		q = "SELECT code, name_zh FROM units"
	case index.Hall:
		q = "SELECT code, name_zh FROM halls"
	case index.Window:
		q = "SELECT code, name FROM windows"
	case index.Workstation:
		q = "SELECT code, name FROM workstations"
	case index.Item:
		q = "SELECT code, name_zh FROM items"
	case index.Stage:
		q = "SELECT code, MIN(name_zh) FROM stages GROUP BY code"
	default:
		return map[string]string{}, nil
	}
	rows, err := s.query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("scope names: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var code, name string
		if err := rows.Scan(&code, &name); err != nil {
			return nil, fmt.Errorf("scope names: %w", err)
		}
		out[code] = name
	}
	return out, rows.Err()
}

// ScopeNamesEN returns the English names of a scope's members by code,
// for the members that have one (migration 0062 and the catalogue's
// name_en); staff, channels and the city have none.
func (s *Store) ScopeNamesEN(ctx context.Context, sc index.Scope) (map[string]string, error) {
	var q string
	switch sc {
	case index.District:
		q = "SELECT code, name_en FROM units WHERE kind = 'district'"
	case index.Agency:
		q = "SELECT code, name_en FROM units WHERE kind = 'agency'"
	case index.Unit:
		q = "SELECT code, name_en FROM units"
	case index.Hall:
		q = "SELECT code, name_en FROM halls"
	case index.Window:
		q = "SELECT code, name_en FROM windows"
	case index.Workstation:
		q = "SELECT code, name_en FROM workstations"
	case index.Item:
		q = "SELECT code, name_en FROM items"
	case index.Stage:
		q = "SELECT code, MIN(name_en) FROM stages WHERE name_en <> '' GROUP BY code"
	default:
		return map[string]string{}, nil
	}
	rows, err := s.query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("scope names in English: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var code, name string
		if err := rows.Scan(&code, &name); err != nil {
			return nil, fmt.Errorf("scope names in English: %w", err)
		}
		if name != "" {
			out[code] = name
		}
	}
	return out, rows.Err()
}

// ScopeMembersIn returns the codes of a scope's members within a parent:
// the halls of a district, the staff of a unit, the workstations of the
// halls a unit runs. Other scopes have no parent but the city.
func (s *Store) ScopeMembersIn(ctx context.Context, sc index.Scope, parent string) (map[string]bool, error) {
	var q string
	switch sc {
	case index.Hall:
		q = "SELECT code FROM halls WHERE district = ?"
	case index.Staff:
		q = "SELECT code FROM staff WHERE unit = ?"
	case index.Workstation:
		q = `SELECT ws.code FROM workstations ws
			JOIN windows w ON w.code = ws.window_code
			JOIN halls h ON h.code = w.hall WHERE h.unit = ?`
	default:
		return nil, fmt.Errorf("scope members: %s has no parent scope", sc)
	}
	rows, err := s.query(ctx, q, parent)
	if err != nil {
		return nil, fmt.Errorf("scope members: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return nil, fmt.Errorf("scope members: %w", err)
		}
		out[code] = true
	}
	return out, rows.Err()
}

// DefinitionRecord is a stored index definition and the day (yyyymmdd)
// it is in force from, as GET /api/v1/index/definition publishes it.
type DefinitionRecord struct {
	Definition    index.Definition
	EffectiveFrom int
}

// DefinitionVersion is the stored definition numbered version, or, with
// version 0, the one a period ending on to is computed under.
func (s *Store) DefinitionVersion(ctx context.Context, version int, to time.Time) (DefinitionRecord, error) {
	var d DefinitionRecord
	var raw string
	q := "SELECT definition, effective_from FROM index_definitions WHERE active AND effective_from <= ? ORDER BY effective_from DESC, version DESC LIMIT 1"
	arg := any(dayOf(to))
	if version > 0 {
		q, arg = "SELECT definition, effective_from FROM index_definitions WHERE version = ?", version
	}
	err := s.queryRow(ctx, q, arg).Scan(&raw, &d.EffectiveFrom)
	if err != nil {
		return d, notFound(err, "version", "no such index definition")
	}
	if err := json.Unmarshal([]byte(raw), &d.Definition); err != nil {
		return d, fmt.Errorf("index definition: %w", err)
	}
	return d, nil
}
