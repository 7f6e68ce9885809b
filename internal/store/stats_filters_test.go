package store_test

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
)

// statsFilter is one filter of GET /api/v1/stats: its query parameter,
// the code the test asks for, and how a review matches it.
type statsFilter struct {
	param string
	code  string
	set   func(f *review.Filter)
	match func(r *review.Review) bool
}

// statsFilters are the API's filters in its order, each asking for a
// code that some of the test's reviews have and others do not.
var statsFilters = []statsFilter{
	{"district", "310104", func(f *review.Filter) { f.District = "310104" }, func(r *review.Review) bool { return r.District == "310104" }},
	{"agency", "GA", func(f *review.Filter) { f.Agency = "GA" }, func(r *review.Review) bool { return r.Unit == "GA" }},
	{"unit", "GA", func(f *review.Filter) { f.Unit = "GA" }, func(r *review.Review) bool { return r.Unit == "GA" }},
	{"item", "GA-001", func(f *review.Filter) { f.Item = "GA-001" }, func(r *review.Review) bool { return r.Item == "GA-001" }},
	{"stage", "decision", func(f *review.Filter) { f.Stage = "decision" }, func(r *review.Review) bool { return r.Stage == "decision" }},
	{"channel", "window", func(f *review.Filter) { f.Channel = review.Window }, func(r *review.Review) bool { return r.Channel == review.Window }},
	{"hall", "H1", func(f *review.Filter) { f.Hall = "H1" }, func(r *review.Review) bool { return r.Hall == "H1" }},
	{"workstation", "H1-W1-2", func(f *review.Filter) { f.Workstation = "H1-W1-2" }, func(r *review.Review) bool { return r.Workstation == "H1-W1-2" }},
	{"staff", "S1", func(f *review.Filter) { f.Staff = "S1" }, func(r *review.Review) bool { return r.Staff == "S1" }},
}

// statsPairs are the pairs of filters the statistics answer (docs/api.md):
// an agency is a unit.
var statsPairs = map[string]bool{"agency+item": true, "unit+item": true, "item+stage": true,
	"agency+channel": true, "unit+channel": true, "district+channel": true}

// statsCombination is one subset of statsFilters (bit i: filter i), and
// the field whose refusal it expects: the first filter, in the API's
// order, that cannot join those before it; "" when answered.
func statsCombination(bits int) (f review.Filter, params []string, refused string) {
	for i, sf := range statsFilters {
		if bits&(1<<i) == 0 {
			continue
		}
		sf.set(&f)
		params = append(params, sf.param)
		if refused == "" && len(params) > 1 && (len(params) > 2 || !statsPairs[strings.Join(params, "+")]) {
			refused = sf.param
		}
	}
	return f, params, refused
}

// storeVariedReviews stores reviews over three days that differ on every
// filter of statsFilters, in many combinations, and returns them.
func storeVariedReviews(t *testing.T, st *store.Store) []*review.Review {
	t.Helper()
	ctx := context.Background()
	var rs []*review.Review
	for i := range 90 {
		sub := review.Submission{Channel: "window", Item: []string{"GA-001", "SCJG-001"}[i%2],
			Stage: []string{"application", "acceptance", "decision"}[i%3], Stars: 1 + i%5, Anonymous: &yes}
		if i%7 < 3 {
			sub.Channel = []string{"pc", "app", "kiosk"}[i%7]
		} else {
			sub.Workstation = []string{"H1-W1-1", "H1-W1-2"}[i%11%2]
		}
		r := mustAccept(t, st, sub)
		// The fixture has one hall, in 310101, and one staff member: a
		// review of the other district, and one without its staff
		// member, make the filters differ.
		if i%13 < 4 {
			r.District = "310104"
		}
		if i%5 == 0 {
			r.Staff = ""
		}
		r.CreatedAt = storetest0.Add(time.Duration(i%3) * 24 * time.Hour)
		if _, err := st.CreateReview(ctx, r, review.RateLimit{}); err != nil {
			t.Fatal(err)
		}
		rs = append(rs, r)
	}
	return rs
}

// storetest0 is the first day's noon of storeVariedReviews.
var storetest0 = time.Date(2026, 7, 18, 12, 0, 0, 0, calendar.Zone)

// Every combination of the filters GET /api/v1/stats accepts, over all
// time and over a period, is answered, on both backends, with exactly
// what a count over the reviews themselves gives; every other
// combination is refused, naming the filter that cannot join the others,
// and reads nothing.
func TestStatsEveryFilterCombination(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		rs := storeVariedReviews(t, st)
		from, to := storetest0.AddDate(0, 0, 1), storetest0.AddDate(0, 0, 2)
		answered := 0
		for bits := range 1 << len(statsFilters) {
			f, params, refused := statsCombination(bits)
			for _, period := range []bool{false, true} {
				if period {
					f.From, f.To = from, to
				}
				got, err := st.Stats(ctx, f)
				if refused != "" {
					if e := apperr.As(err); e == nil || e.Code != apperr.Invalid || e.Field != refused {
						t.Errorf("%v: got %v, want refused naming %s", params, err, refused)
					}
					continue
				}
				if err != nil {
					t.Fatalf("%v: %v", params, err)
				}
				answered++
				var want int64
				for i, r := range rs {
					ok := r.Held == "" && (!period || i%3 > 0)
					for j, sf := range statsFilters {
						ok = ok && (bits&(1<<j) == 0 || sf.match(r))
					}
					if ok {
						want++
					}
				}
				if n := got.Stats(review.DimensionSet{}).Total; n != want {
					t.Errorf("%v (period %v): %d reviews, want %d", params, period, n, want)
				}
				raw, err := st.StatsFromReviews(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(raw, got); diff != "" {
					t.Errorf("%v (period %v): differs from the reviews (-reviews +stats):\n%s", params, period, diff)
				}
			}
		}
		// The empty filter, the nine single ones and the six pairs.
		if answered != 2*(1+len(statsFilters)+len(statsPairs)) {
			t.Errorf("%d combinations answered, want %d", answered/2, 1+len(statsFilters)+len(statsPairs))
		}
	})
}

// Every combination Stats answers reads the rollups of its axis and
// member through their primary key, and no review: at ten million
// reviews as at ten, a request costs a few rows a day of its period, and
// over a year (from a day that starts no month) a row a month
// (review_rollups_monthly) and the days of the two odd months at its
// ends.
func TestStatsReadRollupsOnly(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		for _, days := range []int{30, 365} {
			for bits := range 1 << len(statsFilters) {
				f, params, refused := statsCombination(bits)
				f.From, f.To = storetest0, storetest0.AddDate(0, 0, days)
				q, err := st.StatsQuery(f)
				if refused != "" {
					if err == nil {
						t.Errorf("%v: a query for a refused combination", params)
					}
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				want := []string{"review_rollups"}
				if days > 60 {
					want = append(want, "review_rollups_monthly")
				}
				var bad []string
				if st.Postgres() {
					bad = pgRollupPlan(t, st, q, want)
				} else {
					bad = sqliteRollupPlan(t, st, q, want)
				}
				if len(bad) > 0 {
					t.Errorf("%v over %d days: want only %v read, searched by axis; plan has %v:\n%s", params, days, want, bad, q.Query)
				}
			}
		}
	})
}

// sqliteRollupPlan returns the steps of q's plan that read anything but
// the rollup tables want searched by axis and code, or read one whole,
// and names each of want that no step searches.
func sqliteRollupPlan(t *testing.T, st *store.Store, q store.PlanQuery, want []string) (bad []string) {
	t.Helper()
	rows, err := st.DB().Query("EXPLAIN QUERY PLAN "+q.Query, q.Args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	search := regexp.MustCompile(`^SEARCH (\w+) USING (COVERING INDEX \w+|INDEX \w+|PRIMARY KEY) \(axis=\? AND code=\?`)
	searched := map[string]bool{}
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		m := search.FindStringSubmatch(detail)
		switch {
		case m != nil && slices.Contains(want, m[1]):
			searched[m[1]] = true
		case detail == "SCAN r": // the union of the month and day rows, grouped
		case strings.HasPrefix(detail, "SCAN ") || strings.HasPrefix(detail, "SEARCH "):
			bad = append(bad, detail)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for _, table := range want {
		if !searched[table] {
			bad = append(bad, "no search of "+table+" by axis and code")
		}
	}
	return bad
}

// pgRollupPlan returns the nodes of q's plan, with sequential scans
// priced out (the test tables are small), that read a table but the
// rollup tables want, or one of them without a condition on axis, and
// names each of want that no node searches by axis. On empty tables the
// planner may search the axis's days (review_rollups_day) rather than
// its member's: either reads rollup rows of the period, never reviews.
func pgRollupPlan(t *testing.T, st *store.Store, q store.PlanQuery, want []string) (bad []string) {
	t.Helper()
	tx, err := st.DB().BeginTx(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	root := pgExplain(t, tx, q)
	searched := map[string]bool{}
	var walk func(n pgNode)
	walk = func(n pgNode) {
		switch {
		case n.Relation == "" && n.Index == "":
		case slices.Contains(want, n.Relation) && n.Type == "Seq Scan":
			bad = append(bad, "Seq Scan on "+n.Relation)
		case n.Relation != "" && !slices.Contains(want, n.Relation):
			bad = append(bad, n.Type+" on "+n.Relation)
		case n.Index != "" && strings.Contains(n.Cond, "(axis = "):
			searched[n.Relation] = true
		}
		for _, c := range n.Plans {
			walk(c)
		}
	}
	walk(root)
	for _, table := range want {
		if !searched[table] {
			bad = append(bad, "no index search of "+table+" by axis")
		}
	}
	return bad
}
