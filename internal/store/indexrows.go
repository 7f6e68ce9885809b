package store

// The raw rows behind the index, for `haocha index verify` to count in Go,
// independently of the SQL aggregation of IndexCounts.

import (
	"context"
	"database/sql"
	"fmt"
	"github.com/haocha/haocha/internal/calendar"
	"time"

	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/workorder"
)

const factColumns = `r.created_at, r.channel, r.item, r.stage, r.unit, COALESCE(r.district, ''), COALESCE(r.hall, ''),
	COALESCE(r.window_code, ''), COALESCE(r.workstation, ''), COALESCE(r.staff, ''), r.stars, r.tags,
	r.dimension_set, r.score1, r.score2, r.score3, r.score4, (r.excluded IS NOT NULL OR r.held IS NOT NULL), r.anonymous, r.origin,
	(r.superseded IS NOT NULL), r.verification`

// IndexRows returns every review given in the days from to to (inclusive)
// and every work order opened before the end of to, one row each, as
// stored: nothing is summed or filtered by the index's rules here.
func (s *Store) IndexRows(ctx context.Context, from, to time.Time) ([]index.ReviewRow, []index.OrderRow, error) {
	start, end := calendar.Midnight(from), calendar.Midnight(to).AddDate(0, 0, 1)
	agency, err := s.agencies(ctx)
	if err != nil {
		return nil, nil, err
	}
	var revs []factDest
	rows, err := s.query(ctx, factsQuery, millis(start), millis(end))
	if err != nil {
		return nil, nil, fmt.Errorf("index rows: %w", err)
	}
	for rows.Next() {
		var d factDest
		if err := rows.Scan(d.dest()...); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("index rows: %w", err)
		}
		revs = append(revs, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("index rows: %w", err)
	}
	type orderDest struct {
		r factDest
		o *workorder.Order
	}
	var ords []orderDest
	rows, err = s.query(ctx, "SELECT "+factColumns+", "+orderColumns.sel("o")+
		" FROM work_orders o JOIN reviews r ON r.id = o.review WHERE o.created_at < ?", millis(end))
	if err != nil {
		return nil, nil, fmt.Errorf("index rows: %w", err)
	}
	for rows.Next() {
		var d orderDest
		o, err := scanOrder(scanFunc(func(dest ...any) error { return rows.Scan(append(d.r.dest(), dest...)...) }))
		if err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("index rows: %w", err)
		}
		d.o = o
		ords = append(ords, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("index rows: %w", err)
	}
	reviews := make([]index.ReviewRow, 0, len(revs))
	for i := range revs {
		r, err := s.fact(ctx, &revs[i], agency)
		if err != nil {
			return nil, nil, err
		}
		reviews = append(reviews, r)
	}
	orders := make([]index.OrderRow, 0, len(ords))
	for i := range ords {
		r, err := s.fact(ctx, &ords[i].r, agency)
		if err != nil {
			return nil, nil, err
		}
		o := ords[i].o
		orders = append(orders, index.OrderRow{Order: index.OrderOf(o, r.Anonymous), Unit: o.Unit, Agency: agency[o.Unit], Review: r})
	}
	return reviews, orders, nil
}

// agencies is the set of units that are municipal agencies.
func (s *Store) agencies(ctx context.Context) (map[string]bool, error) {
	names, err := s.ScopeNames(ctx, index.Agency)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for code := range names {
		out[code] = true
	}
	return out, nil
}

// factDest scans one row of factColumns into r.
type factDest struct {
	at                                   int64
	channel, item, stage, unit, district string
	hall, window, workstation, staff     string
	stars                                int
	tags                                 review.TagSet
	set                                  int64
	scores                               [4]sql.NullInt64
	excluded, anonymous                  bool
	origin                               string
	superseded                           bool
	verification                         string
}

func (d *factDest) dest() []any {
	return []any{&d.at, &d.channel, &d.item, &d.stage, &d.unit, &d.district, &d.hall, &d.window, &d.workstation, &d.staff,
		&d.stars, &d.tags, &d.set, &d.scores[0], &d.scores[1], &d.scores[2], &d.scores[3], &d.excluded, &d.anonymous, &d.origin, &d.superseded, &d.verification}
}

func (s *Store) fact(ctx context.Context, d *factDest, agency map[string]bool) (index.ReviewRow, error) {
	set, err := s.DimensionSet(ctx, d.set)
	if err != nil {
		return index.ReviewRow{}, err
	}
	r := index.ReviewRow{At: fromMillis(d.at), Stars: d.stars, Agency: agency[d.unit], Excluded: d.excluded, Anonymous: d.anonymous,
		Origin: d.origin, Superseded: d.superseded, Verification: d.verification,
		Codes: map[index.Scope]string{index.City: "city", index.Unit: d.unit, index.Agency: d.unit, index.District: d.district,
			index.Hall: d.hall, index.Window: d.window, index.Workstation: d.workstation, index.Staff: d.staff,
			index.Item: d.item, index.Stage: d.stage, index.Channel: d.channel}}
	for _, t := range d.tags.List() {
		r.Tags = append(r.Tags, string(t))
	}
	for i, sc := range d.scores {
		if sc.Valid && i < len(set.Dimensions) {
			if r.Scores == nil {
				r.Scores = map[string]int64{}
			}
			r.Scores[set.Dimensions[i].Code] = sc.Int64
		}
	}
	return r, nil
}

// factsQuery reads the facts of the reviews of a span of time.
const factsQuery = "SELECT " + factColumns + " FROM reviews r WHERE r.created_at >= ? AND r.created_at < ?"
