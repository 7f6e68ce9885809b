package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/review"
)

// filterWhere builds the WHERE clause of a stats query over reviews.
// Reviews held out of the index (upheld appeals, suspected fraud) and first
// reviews superseded by their later review never count.
func filterWhere(f review.Filter) (string, []any) {
	where := []string{"excluded IS NULL", "held IS NULL", "superseded IS NULL"}
	var args []any
	eq := func(col, v string) {
		if v != "" {
			where, args = append(where, col+" = ?"), append(args, v)
		}
	}
	eq("district", f.District)
	eq("unit", f.Agency)
	eq("unit", f.Unit)
	eq("item", f.Item)
	eq("stage", f.Stage)
	eq("channel", string(f.Channel))
	eq("hall", f.Hall)
	eq("workstation", f.Workstation)
	eq("staff", f.Staff)
	if !f.From.IsZero() {
		where, args = append(where, "created_at >= ?"), append(args, millis(f.From))
	}
	if !f.To.IsZero() {
		// To is an inclusive day: everything before the next midnight.
		end := time.Date(f.To.Year(), f.To.Month(), f.To.Day()+1, 0, 0, 0, 0, calendar.Zone)
		where, args = append(where, "created_at < ?"), append(args, millis(end))
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

// rawColumns sums stars, tags and dimension scores over reviews in one pass,
// in the order of the rollup columns.
var rawColumns = func() string {
	var cols []string
	for i := 1; i <= 5; i++ {
		cols = append(cols, fmt.Sprintf("SUM(CASE WHEN stars = %d THEN 1 ELSE 0 END)", i))
	}
	for i := range 5 {
		cols = append(cols, fmt.Sprintf("SUM(CASE WHEN tags & %d <> 0 THEN 1 ELSE 0 END)", 1<<i))
	}
	for i := 1; i <= review.MaxDimensions; i++ {
		cols = append(cols, fmt.Sprintf("COALESCE(SUM(score%d), 0), COUNT(score%d)", i, i))
	}
	for i := 1; i <= 5; i++ {
		cols = append(cols, fmt.Sprintf("SUM(CASE WHEN origin = '%s' AND stars = %d THEN 1 ELSE 0 END)", review.Default, i))
	}
	cols = append(cols, fmt.Sprintf("SUM(CASE WHEN origin = '%s' THEN 1 ELSE 0 END)", review.FromTransaction))
	return strings.Join(cols, ", ")
}()

// rollupSums sums the rollup columns.
var rollupSums = func() string {
	var cols []string
	for _, c := range rollupSumColumns {
		cols = append(cols, "SUM("+c.name+")")
	}
	return strings.Join(cols, ", ")
}()

// statsFilters are the filters of f that name a member, in the order
// rollupFor pairs them, each with the name the API gives it (the field a
// refusal names) and its rollup axis: an agency is a unit.
func statsFilters(f review.Filter) []struct{ field, axis, code string } {
	return []struct{ field, axis, code string }{
		{"district", "district", f.District}, {"agency", "unit", f.Agency}, {"unit", "unit", f.Unit},
		{"item", "item", f.Item}, {"stage", "stage", f.Stage}, {"channel", "channel", string(f.Channel)},
		{"hall", "hall", f.Hall}, {"workstation", "workstation", f.Workstation}, {"staff", "staff", f.Staff},
	}
}

// rollupFor says which rollup answers f, over whole days: all reviews,
// one axis, or one of the pairs kept (rollupAxes). Any other filter is
// refused, naming the first field that cannot join the ones before it:
// no index of reviews serves such filters since migration 0170, so each
// read every review of its period (seconds at a million reviews), a
// cost any client could ask for again and again (docs/api.md).
func rollupFor(f review.Filter) (axis, code string, err error) {
	var axes, codes, fields []string
	for _, c := range statsFilters(f) {
		if c.code == "" {
			continue
		}
		axes, codes = append(axes, c.axis), append(codes, c.code)
		if !slices.Contains(rollupAxes, strings.Join(axes, "+")) {
			return "", "", apperr.Invalidf(c.field, "%s cannot be combined with %s: statistics answer one filter, or one of "+
				"the pairs %s (agency as unit), with from and to", c.field, strings.Join(fields, " and "), pairsKept)
		}
		fields = append(fields, c.field)
	}
	switch len(axes) {
	case 0:
		return "all", "", nil
	case 1:
		return axes[0], codes[0], nil
	}
	return axes[0] + "+" + axes[1], codes[0] + pairSep + codes[1], nil
}

// StatsAnswers reports whether Stats answers f: nil, or the refusal that
// names the filter, without a database round.
func StatsAnswers(f review.Filter) error {
	_, _, err := rollupFor(f)
	return err
}

// pairsKept lists the pairs of rollupAxes, for a refusal.
var pairsKept = func() string {
	var pairs []string
	for _, a := range rollupAxes {
		if strings.Contains(a, "+") {
			pairs = append(pairs, a)
		}
	}
	return strings.Join(pairs, ", ")
}()

// Stats tallies the reviews that f selects, from the rollups; a filter
// they do not answer is refused (rollupFor).
func (s *Store) Stats(ctx context.Context, f review.Filter) (review.Tally, error) {
	q, args, err := statsQuery(f)
	if err != nil {
		return review.Tally{}, err
	}
	if err := s.foldFirst(ctx); err != nil {
		return review.Tally{}, err
	}
	return s.tally(ctx, q, args...)
}

// statsQuery is the query of the rollups that Stats runs for f: the
// whole months of its period from the month rollups, the odd days at its
// ends from the day rollups (periodrollups.go).
func statsQuery(f review.Filter) (string, []any, error) {
	axis, code, err := rollupFor(f)
	if err != nil {
		return "", nil, err
	}
	var p daySpan
	if !f.From.IsZero() {
		p.from = dayOf(f.From)
	}
	if !f.To.IsZero() {
		p.end = nextDay(dayOf(f.To))
	}
	rows, args := spanRows("review_rollups", "dimension_set, "+rollupSumColumns.names(), "axis = ? AND code = ?", []any{axis, code}, p)
	return "SELECT dimension_set, " + rollupSums + " FROM (" + rows + ") r GROUP BY dimension_set", args, nil
}

// StatsFromReviews tallies from the reviews themselves, never rollups, any
// filter: tests use it to prove both give the same answers. It reads
// every review of the period that no index serves: never for a request.
func (s *Store) StatsFromReviews(ctx context.Context, f review.Filter) (review.Tally, error) {
	where, args := filterWhere(f)
	return s.tally(ctx, "SELECT dimension_set, "+rawColumns+" FROM reviews"+where+" GROUP BY dimension_set", args...)
}

func (s *Store) tally(ctx context.Context, q string, args ...any) (review.Tally, error) {
	var t review.Tally
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return t, fmt.Errorf("stats: %w", err)
	}
	type setRow struct {
		set int64
		tallyRow
	}
	var got []setRow
	for rows.Next() {
		var r setRow
		if err := rows.Scan(r.dest(&r.set)...); err != nil {
			rows.Close()
			return t, fmt.Errorf("stats: %w", err)
		}
		got = append(got, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return t, fmt.Errorf("stats: %w", err)
	}
	for _, r := range got {
		if r.stars == [5]int64{} {
			continue // a rollup whose reviews were all held out since
		}
		ds, err := s.DimensionSet(ctx, r.set)
		if err != nil {
			return t, err
		}
		for i := range r.stars {
			t.Stars[i] += r.stars[i]
		}
		for i := range r.tags {
			t.Tags[i] += r.tags[i]
		}
		t.AddScores(ds, r.sums[:], r.cnts[:])
	}
	return t, nil
}

// dest is where a row of rawColumns (or rollupSums) scans to, after the
// leading columns in lead.
func (r *tallyRow) dest(lead ...any) []any {
	dest := lead
	for i := range r.stars {
		dest = append(dest, &r.stars[i])
	}
	for i := range r.tags {
		dest = append(dest, &r.tags[i])
	}
	for i := range r.sums {
		dest = append(dest, &r.sums[i], &r.cnts[i])
	}
	for i := range r.defaults {
		dest = append(dest, &r.defaults[i])
	}
	return append(dest, &r.linked)
}
