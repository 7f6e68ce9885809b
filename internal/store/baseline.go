package store

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/fraud"
	"github.com/haocha/haocha/internal/review"
)

// The relative detectors judge a unit or hall against its own usual rate
// (fraud.Baseline), and the off-hours detector a hall by its own opening
// hours (hall_hours). Both are read with the windows and again every
// baselineEvery, never per review: the usual rate from the daily rollups
// of the last baselineDays (which count no held review), as the mean
// count of a day of the same kind (working day, Saturday off, other day
// off) spread over the hall's opening hours that day.

//
// The unverified rules (fraud.UnverifiedUnit, fraud.UnverifiedDistrict)
// judge a unit or district by its usual count of unverified reviews, read
// from the rollups of unverified reviews (review_rollups_unverified,
// migration 0130) like the other counts, so that a benchmark's history
// (AddHistory) teaches them as it teaches the rest.

const (
	baselineEvery = 10 * time.Minute
	baselineDays  = 28
)

// The members of the unverified rules' usual rates.
const (
	unverifiedUnit     = "unverified_unit:"
	unverifiedDistrict = "unverified_district:"
)

// baseline is the opening hours and the usual daily counts, by member
// ("unit:"+code, "hall:"+code) and kind of day.
type baseline struct {
	opening fraud.Opening
	usual   map[string]map[fraud.DayKind]float64
	at      time.Time // wall clock of the last read
	// day is the city's day (ms, from midnight to the next) of the last
	// kindAt, and its kind.
	day struct {
		from, to int64
		kind     fraud.DayKind
	}
}

// kindAt is opening.Kind(at), kept for the day of the last call: Kind
// formats the date to look it up in the calendar, and nearly every review
// screened is of the same day as the one before. The caller holds the
// windows.
func (b *baseline) kindAt(at time.Time) fraud.DayKind {
	if ms := millis(at); ms >= b.day.from && ms < b.day.to {
		return b.day.kind
	}
	start := calendar.Midnight(at)
	b.day.from, b.day.to, b.day.kind = millis(start), millis(start.AddDate(0, 0, 1)), b.opening.Kind(at)
	return b.day.kind
}

// usualAt is the usual rate of member on a day of kind (opening.Kind of
// the review's time), in a hall (or, for a review at no hall, by the
// default hours).
func (b *baseline) usualAt(member, hall string, kind fraud.DayKind) fraud.Usual {
	perDay, ok := b.usual[member][kind]
	if !ok {
		return fraud.Usual{} // no day of this kind in its history
	}
	hours := b.opening.OpenHoursOn(hall, kind)
	if hours <= 0 {
		hours = 24 // reviews of a day the hall is shut came online
	}
	return fraud.Usual{PerHour: perDay / hours, Known: true}
}

// readBaseline reads the opening hours and the usual counts as of now.
func (s *Store) readBaseline(ctx context.Context, now time.Time) (baseline, error) {
	b := baseline{usual: map[string]map[fraud.DayKind]float64{}, at: time.Now()}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return b, err
	}
	if b.opening, err = s.readOpening(ctx); err != nil {
		return b, err
	}
	b.opening.Calendar = cal
	first := calendar.Midnight(now).AddDate(0, 0, -baselineDays)
	var days []int // yyyymmdd, in order
	kinds := map[int]fraud.DayKind{}
	for d := range baselineDays {
		day := first.AddDate(0, 0, d)
		days = append(days, dayOf(day))
		kinds[dayOf(day)] = b.opening.Kind(day)
	}
	// Reviews of this process stored before, on a clock set back, count.
	if err := s.foldFirst(ctx); err != nil {
		return b, err
	}
	counts := map[string]map[int]float64{}
	add := func(member string, day int, n float64) {
		m := counts[member]
		if m == nil {
			m = map[int]float64{}
			counts[member] = m
		}
		m[day] += n
	}
	err = s.readCounts(ctx, `SELECT axis, code, day, SUM(stars1 + stars2 + stars3 + stars4 + stars5) FROM review_rollups
		WHERE axis IN ('unit', 'hall', 'district') AND day >= ? AND day < ? GROUP BY axis, code, day`,
		[]any{dayOf(first), dayOf(calendar.Midnight(now))}, func(axis, code string, day int, n float64) {
			add(axis+":"+code, day, n)
		})
	if err != nil {
		return b, fmt.Errorf("read usual rates: %w", err)
	}
	err = s.readCounts(ctx, `SELECT axis, code, day, SUM(stars1 + stars2 + stars3 + stars4 + stars5) FROM review_rollups_unverified
		WHERE axis IN ('unit', 'district') AND day >= ? AND day < ? GROUP BY axis, code, day`,
		[]any{dayOf(first), dayOf(calendar.Midnight(now))}, func(axis, code string, day int, n float64) {
			prefix := unverifiedUnit
			if axis == "district" {
				prefix = unverifiedDistrict
			}
			add(prefix+code, day, n)
		})
	if err != nil {
		return b, fmt.Errorf("read usual unverified rates: %w", err)
	}
	// A member's mean is over the days of each kind since its first
	// review in the span, quiet days included: a new hall's history
	// starts when it does; a unit's or district's unverified history
	// when its history of all reviews does.
	for member, m := range counts {
		sum, n := map[fraud.DayKind]float64{}, map[fraud.DayKind]float64{}
		all := counts[allOf(member)]
		started := false
		for _, d := range days {
			started = started || m[d] > 0 || all[d] > 0
			if started {
				sum[kinds[d]] += m[d]
				n[kinds[d]]++
			}
		}
		u := map[fraud.DayKind]float64{}
		for k := range n {
			u[k] = sum[k] / n[k]
		}
		b.usual[member] = u
	}
	return b, nil
}

// allOf is the member whose history of all reviews starts member's: the
// unit or district of an unverified member, else member itself.
func allOf(member string) string {
	if u, ok := strings.CutPrefix(member, unverifiedUnit); ok {
		return "unit:" + u
	}
	if d, ok := strings.CutPrefix(member, unverifiedDistrict); ok {
		return "district:" + d
	}
	return member
}

// readCounts reads rows of (member kind or code, code, day, count).
func (s *Store) readCounts(ctx context.Context, q string, args []any, each func(a, b string, day int, n float64)) error {
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var a, b string
		var day int
		var n float64
		if err := rows.Scan(&a, &b, &day, &n); err != nil {
			return err
		}
		each(a, b, day, n)
	}
	return rows.Err()
}

// readOpening reads hall_hours.
func (s *Store) readOpening(ctx context.Context) (fraud.Opening, error) {
	o := fraud.Opening{Halls: map[string]fraud.Hours{}}
	rows, err := s.query(ctx, "SELECT hall, day_kind, opens, closes FROM hall_hours")
	if err != nil {
		return o, fmt.Errorf("read hall hours: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var hall, kind string
		var opens, closes int
		if err := rows.Scan(&hall, &kind, &opens, &closes); err != nil {
			return o, fmt.Errorf("read hall hours: %w", err)
		}
		h := o.Halls[hall]
		if h == nil {
			h = fraud.Hours{}
			o.Halls[hall] = h
		}
		h[fraud.DayKind(kind)] = fraud.Span{Open: time.Duration(opens) * time.Minute, Close: time.Duration(closes) * time.Minute}
	}
	o.Default = o.Halls[""]
	if o.Default == nil {
		o.Default = fraud.Hours{} // the default rows removed: closed unless a hall has its own
	}
	delete(o.Halls, "")
	return o, rows.Err()
}

// SetHallHours replaces hall's opening hours ("" the default of halls
// without their own); a kind of day h lacks is closed. Processes read
// them within baselineEvery; this one at once.
func (s *Store) SetHallHours(ctx context.Context, hall string, h fraud.Hours) error {
	err := s.inTx(ctx, func(t tx) error {
		if _, err := t.exec(ctx, "DELETE FROM hall_hours WHERE hall = ?", hall); err != nil {
			return err
		}
		for k, sp := range h {
			if _, err := t.exec(ctx, "INSERT INTO hall_hours (hall, day_kind, opens, closes) VALUES (?, ?, ?, ?)",
				hall, string(k), int(sp.Open/time.Minute), int(sp.Close/time.Minute)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("set hall hours of %q: %w", hall, err)
	}
	return s.RefreshBaseline(ctx)
}

// RefreshBaseline reads the opening hours and usual rates again now, when
// the windows are loaded (a test, or a change of hours, need not wait).
func (s *Store) RefreshBaseline(ctx context.Context) error {
	w := &s.windows
	w.mu.Lock()
	loaded := w.loaded
	w.mu.Unlock()
	if !loaded {
		return nil
	}
	b, err := s.readBaseline(ctx, s.Now())
	if err != nil {
		return err
	}
	w.mu.Lock()
	w.base = b
	w.mu.Unlock()
	return nil
}

// AddHistory adds to the day rollups of each of the days days before
// now's day what a city receiving perHour reviews an hour while its halls
// are open (all day on a day they are shut, as usualAt reads it) would
// have counted, in the mix of sample: each review of sample counted the
// times that rate makes, on every day. The relative detectors learn their
// usual rates from these rows (readBaseline), and the boards count them
// too; no review row stands behind them. It is for benchmarks
// (haocha-bench history), whose traffic is otherwise a flood against a
// city with no history; never for a city in service.
func (s *Store) AddHistory(ctx context.Context, sample []*review.Review, days int, perHour float64, now time.Time) error {
	if len(sample) == 0 || days <= 0 || perHour <= 0 {
		return fmt.Errorf("add history: want a sample, days and a rate, got %d reviews, %d days, %g an hour", len(sample), days, perHour)
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return err
	}
	opening, err := s.readOpening(ctx)
	if err != nil {
		return err
	}
	opening.Calendar = cal
	first := calendar.Midnight(now).AddDate(0, 0, -days)
	for d := range days {
		noon := first.AddDate(0, 0, d).Add(12 * time.Hour)
		hours := opening.OpenHours("", noon)
		if hours <= 0 {
			hours = 24
		}
		times := max(1, int64(math.Round(perHour*hours/float64(len(sample)))))
		ru := s.newRollupRows() // aggregated, as bulk loads (fold.go)
		for _, r := range sample {
			day := *r
			day.CreatedAt = noon
			ru.add(&day, times)
		}
		err := s.inTx(ctx, func(t tx) error {
			for _, st := range ru.stmts() {
				if _, err := t.exec(ctx, st.q, st.args...); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("add history of %s: %w", noon.Format(time.DateOnly), err)
		}
	}
	return nil
}
