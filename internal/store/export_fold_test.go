package store

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// RollupsDiff describes how the stored rollups (the day and month
// tables, summed over shards) differ from the rollups recounted from the
// reviews that count now; "" when they agree. It folds nothing: what is pending is missing.
func (s *Store) RollupsDiff(ctx context.Context) (string, error) {
	want := rollupRows{rows: map[rollupKey]*tallyRow{}, unverified: map[rollupKey]*tallyRow{}}
	rows, err := s.query(ctx, "SELECT "+rollupReviewColumns+" FROM reviews r")
	if err != nil {
		return "", err
	}
	for rows.Next() {
		r, out, err := scanRollupReview(rows.Scan)
		if err != nil {
			rows.Close()
			return "", err
		}
		if !out {
			want.add(r, 1)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", err
	}
	var diffs []string
	for _, tw := range want.tables() {
		table, w := tw.table, tw.rows
		got := map[rollupKey]*tallyRow{}
		rows, err := s.query(ctx, "SELECT axis, code, day, dimension_set, "+rollupSums+" FROM "+table+
			" GROUP BY axis, code, day, dimension_set")
		if err != nil {
			return "", err
		}
		for rows.Next() {
			var k rollupKey
			v := &tallyRow{}
			if err := rows.Scan(v.dest(&k.axis, &k.code, &k.day, &k.set)...); err != nil {
				rows.Close()
				return "", err
			}
			if *v != (tallyRow{}) { // a row whose reviews were all taken out since
				got[k] = v
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return "", err
		}
		for k, v := range w {
			if g := got[k]; g == nil || *g != *v {
				diffs = append(diffs, fmt.Sprintf("%s %v: stored %+v, recounted %+v", table, k, g, *v))
			}
		}
		for k, g := range got {
			if w[k] == nil {
				diffs = append(diffs, fmt.Sprintf("%s %v: stored %+v, recounted nothing", table, k, *g))
			}
		}
	}
	sort.Strings(diffs)
	if len(diffs) > 10 {
		diffs = append(diffs[:10], fmt.Sprintf("and %d more", len(diffs)-10))
	}
	out := ""
	for _, d := range diffs {
		out += d + "\n"
	}
	return out, nil
}

// HoldFolds keeps this store from folding until release, as a process
// that stopped before its next fold: what it stores stays pending.
func (s *Store) HoldFolds() (release func()) {
	s.fold.mu.Lock()
	return s.fold.mu.Unlock
}

// FollowPlans are SQLite's query plans of the reads that follow the
// reviews other processes store, one line per step.
func (s *Store) FollowPlans(ctx context.Context) ([]string, error) {
	var out []string
	after, _ := s.followFrom(followAfter, followPage)
	holes, _ := s.followFrom(followHoles(2), "")
	for _, q := range []struct {
		text string
		args []any
	}{{after, []any{0}}, {holes, []any{1, 2}}} {
		rows, err := s.query(ctx, "EXPLAIN QUERY PLAN "+q.text, q.args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, detail)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Segments is segments, each as its first and last day and whether it is
// a kept month.
func Segments(start, end, today time.Time) []string {
	var out []string
	for _, s := range segments(start, end, today) {
		out = append(out, fmt.Sprintf("%s..%s %v", s.start.Format(time.DateOnly), s.end.AddDate(0, 0, -1).Format(time.DateOnly), s.month))
	}
	return out
}
