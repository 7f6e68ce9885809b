package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
)

// eachBackend runs f against a fresh fixture store on every backend.
func eachBackend(t *testing.T, f func(t *testing.T, st *store.Store)) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) { f(t, storetest.OpenFixture(t, dsn(t))) })
	}
}

func count(t *testing.T, st *store.Store, table string) int {
	t.Helper()
	var n int
	if err := st.DB().QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func mustAccept(t testing.TB, st *store.Store, sub review.Submission) *review.Review {
	t.Helper()
	r, err := review.Accept(context.Background(), st, &sub)
	if err != nil {
		t.Fatalf("accept %+v: %v", sub, err)
	}
	return r
}

var yes, no = true, false

func TestMigrateFreshFileAndAgain(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			d := dsn(t)
			st := storetest.Open(t, d)
			files, err := filepath.Glob("migrations/*.sql")
			if err != nil || len(files) == 0 {
				t.Fatalf("the migration files: %v, %v", files, err)
			}
			if n := count(t, st, "schema_migrations"); n != len(files) {
				t.Errorf("schema_migrations holds %d versions, want one per file: %d", n, len(files))
			}
			// A second run, as a second process would, changes nothing.
			if err := st.Migrate(context.Background()); err != nil {
				t.Fatalf("migrate again: %v", err)
			}
			set, err := st.ActiveDimensionSet(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			var codes []string
			for _, d := range set.Dimensions {
				codes = append(codes, d.Code)
			}
			if diff := cmp.Diff([]string{"accuracy", "efficiency", "convenience", "innovation"}, codes); diff != "" {
				t.Errorf("default dimensions (-want +got):\n%s", diff)
			}
			if n := count(t, st, "dimension_sets"); n != 1 {
				t.Errorf("dimension sets after two migrations = %d, want 1", n)
			}
		})
	}
}

func TestCreateReviewWorkOrders(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		tests := []struct {
			name      string
			sub       review.Submission
			workOrder bool
		}{
			{"five stars", review.Submission{Channel: "pc", Item: "GA-001", Stage: "acceptance", Stars: 5, Anonymous: &yes}, false},
			{"three stars with comment", review.Submission{Channel: "pc", Item: "GA-001", Stage: "acceptance", Stars: 3, Comment: "一般", Anonymous: &yes}, false},
			{"two stars, no comment, no tag", review.Submission{Channel: "pc", Item: "GA-001", Stage: "acceptance", Stars: 2, Anonymous: &yes}, false},
			{"two stars with a blank comment", review.Submission{Channel: "pc", Item: "GA-001", Stage: "acceptance", Stars: 2, Comment: "   ", Anonymous: &yes}, false},
			{"two stars with comment", review.Submission{Channel: "pc", Item: "GA-001", Stage: "acceptance", Stars: 2, Comment: "跑了三次", Anonymous: &yes}, true},
			{"one star with a tag", review.Submission{Channel: "app", Item: "GA-001", Stage: "decision", Stars: 1, Tags: []string{"materials"}, Anonymous: &yes}, true},
			{"real-name bad review", review.Submission{Channel: "window", Workstation: "H1-W1-1", Item: "GA-001", Stage: "acceptance", Stars: 1, Comment: "态度差", Anonymous: &no, Name: "李雷", Phone: "13800001111"}, true},
		}
		orders := 0
		for _, tt := range tests {
			r := mustAccept(t, st, tt.sub)
			wo, err := st.CreateReview(ctx, r, review.RateLimit{})
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if got := wo != nil; got != tt.workOrder {
				t.Errorf("%s: work order created = %v, want %v", tt.name, got, tt.workOrder)
			}
			if wo != nil {
				orders++
				if !strings.HasPrefix(wo.Number, "GD20260721") || len(wo.Token) < 20 {
					t.Errorf("%s: work order %q token %q", tt.name, wo.Number, wo.Token)
				}
				var state string
				st.DB().QueryRow(st.Rebind("SELECT state FROM work_orders WHERE number = ?"), wo.Number).Scan(&state)
				if state != "new" {
					t.Errorf("%s: work order state %q, want new", tt.name, state)
				}
			}
		}
		if n := count(t, st, "work_orders"); n != orders {
			t.Errorf("work orders stored = %d, want %d", n, orders)
		}
		// Personal data lives apart from the review, only for real-name reviews.
		if n := count(t, st, "review_contacts"); n != 1 {
			t.Errorf("contacts stored = %d, want 1", n)
		}
	})
}

func TestOneReviewPerTransactionAndStage(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		sub := review.Submission{Channel: "pc", Item: "GA-001", Stage: "acceptance", Stars: 1, Comment: "慢", Anonymous: &yes, Transaction: "BJ1"}
		if _, err := st.CreateReview(ctx, mustAccept(t, st, sub), review.RateLimit{}); err != nil {
			t.Fatal(err)
		}
		before, beforeWO := count(t, st, "reviews"), count(t, st, "work_orders")
		_, err := st.CreateReview(ctx, mustAccept(t, st, sub), review.RateLimit{})
		if !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("repeat review: err = %v, want a conflict", err)
		}
		if count(t, st, "reviews") != before || count(t, st, "work_orders") != beforeWO {
			t.Error("a refused repeat left a review or work order behind")
		}
		sub.Stage = "decision" // the same transaction at another stage is a new review
		if _, err := st.CreateReview(ctx, mustAccept(t, st, sub), review.RateLimit{}); err != nil {
			t.Errorf("same transaction, other stage: %v", err)
		}
	})
}

func TestStatsFilters(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		day := func(d int) time.Time { return time.Date(2026, 7, d, 10, 0, 0, 0, calendar.Zone) }
		add := func(at time.Time, sub review.Submission) {
			r := mustAccept(t, st, sub)
			r.CreatedAt = at
			if _, err := st.CreateReview(ctx, r, review.RateLimit{}); err != nil {
				t.Fatal(err)
			}
		}
		dims := map[string]int{"accuracy": 4, "efficiency": 2}
		add(day(20), review.Submission{Channel: "window", Workstation: "H1-W1-1", Item: "GA-001", Stage: "acceptance", Stars: 5, Dimensions: dims, Anonymous: &yes})
		add(day(20), review.Submission{Channel: "window", Workstation: "H1-W1-2", Item: "SCJG-001", Stage: "decision", Stars: 1, Tags: []string{"attitude", "other"}, Anonymous: &yes})
		add(day(21), review.Submission{Channel: "pc", Item: "GA-001", Stage: "application", Stars: 4, Anonymous: &yes})
		add(day(22), review.Submission{Channel: "app", Item: "SCJG-001", Stage: "application", Stars: 2, Comment: "材料多", Tags: []string{"materials"}, Anonymous: &yes})
		add(day(23), review.Submission{Channel: "wechat", Item: "GA-001", Stage: "acceptance", Unit: "310104", Stars: 3, Anonymous: &yes})

		tests := []struct {
			name       string
			f          review.Filter
			total, bad int64
		}{
			{"all", review.Filter{}, 5, 2},
			{"district of the hall", review.Filter{District: "310101"}, 2, 1},
			{"district named as unit", review.Filter{District: "310104"}, 1, 0},
			{"agency", review.Filter{Agency: "GA"}, 1, 0},
			{"unit", review.Filter{Unit: "SCJG"}, 1, 1},
			{"item", review.Filter{Item: "GA-001"}, 3, 0},
			{"item and stage", review.Filter{Item: "GA-001", Stage: "acceptance"}, 2, 0},
			{"channel", review.Filter{Channel: review.Window}, 2, 1},
			{"hall", review.Filter{Hall: "H1"}, 2, 1},
			{"workstation", review.Filter{Workstation: "H1-W1-2"}, 1, 1},
			{"staff", review.Filter{Staff: "S1"}, 1, 0},
			{"from", review.Filter{From: day(22)}, 2, 1},
			{"to is inclusive", review.Filter{To: day(21)}, 3, 1},
			{"from and to", review.Filter{From: day(21), To: day(22)}, 2, 1},
			{"nothing", review.Filter{Unit: "GA", Channel: review.Alipay}, 0, 0},
		}
		set, _ := st.ActiveDimensionSet(ctx)
		for _, tt := range tests {
			tally, err := st.Stats(ctx, tt.f)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			s := tally.Stats(set)
			if s.Total != tt.total || s.Bad != tt.bad {
				t.Errorf("%s: total %d bad %d, want %d and %d", tt.name, s.Total, s.Bad, tt.total, tt.bad)
			}
		}
		tally, _ := st.Stats(ctx, review.Filter{})
		got := tally.Stats(set)
		want := review.Stats{
			Total: 5, Good: 2, Bad: 2, GoodRate: 0.4, BadRate: 0.4, Average: 3,
			Stars:      map[string]int64{"1": 1, "2": 1, "3": 1, "4": 1, "5": 1},
			Dimensions: map[string]float64{"accuracy": 4, "efficiency": 2, "convenience": 0, "innovation": 0},
			Tags:       map[string]int64{"attitude": 1, "materials": 1, "multiple_trips": 0, "missed_deadline": 0, "other": 1},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("all-review stats (-want +got):\n%s", diff)
		}
	})
}

func TestImportCatalogRejectsWhole(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		units, items := count(t, st, "units"), count(t, st, "items")
		bad := &catalog.Catalog{
			Units: []catalog.Unit{{Code: "NEW", Kind: catalog.Agency, NameZH: "新局"}},
			Items: []catalog.Item{
				{Code: "NEW-1", NameZH: "新事项", Unit: "NEW"},
				{Code: "NEW-2", NameZH: "坏事项", Unit: "NOPE"},
			},
		}
		err := st.ImportCatalog(ctx, bad)
		if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), `unknown unit "NOPE"`) {
			t.Fatalf("import with a bad reference: err = %v", err)
		}
		if count(t, st, "units") != units || count(t, st, "items") != items {
			t.Error("a rejected import stored part of the file")
		}
		// Records with known codes replace stored ones.
		fix := storetest.Fixture()
		fix.Units[2].NameZH = "上海市公安局"
		if err := st.ImportCatalog(ctx, fix); err != nil {
			t.Fatal(err)
		}
		u, err := st.Unit(ctx, "GA")
		if err != nil || u.NameZH != "上海市公安局" {
			t.Errorf("re-imported unit = %+v, %v", u, err)
		}
		if count(t, st, "units") != units {
			t.Error("re-import duplicated units")
		}
	})
}

// Reviews committed together (SQLite groups concurrent commits) stay
// independent: a refused repeat undoes only itself.
func TestConcurrentReviewsCommitIndependently(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		const n = 60
		errs := make(chan error, n)
		for i := range n {
			go func() {
				sub := review.Submission{Channel: "pc", Item: "GA-001", Stage: "acceptance", Stars: 1 + i%5, Comment: "x", Anonymous: &yes,
					Transaction: fmt.Sprintf("BJ%d", i)}
				if i%3 == 0 {
					sub.Transaction = "BJ-SAME" // twenty tries at one transaction: one wins
				}
				r, err := review.Accept(ctx, st, &sub)
				if err == nil {
					_, err = st.CreateReview(ctx, r, review.RateLimit{})
				}
				errs <- err
			}()
		}
		conflicts := 0
		for range n {
			if err := <-errs; apperr.Is(err, apperr.Conflict) {
				conflicts++
			} else if err != nil {
				t.Error(err)
			}
		}
		if conflicts != n/3-1 {
			t.Errorf("conflicts = %d, want %d", conflicts, n/3-1)
		}
		if got := count(t, st, "reviews"); got != n-conflicts {
			t.Errorf("reviews stored = %d, want %d", got, n-conflicts)
		}
		if got, want := count(t, st, "work_orders"), count(t, st, "reviews WHERE stars <= 2"); got != want {
			t.Errorf("work orders = %d, want one per bad review (%d)", got, want)
		}
	})
}

// Statistics from rollups equal statistics from the reviews themselves, for
// every filter, before and after a review is excluded from the index.
func TestRollupsMatchReviews(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st := storetest.Open(t, dsn(t))
			if err := demo.Load(ctx, st, demo.Options{Reviews: 3000, Bad: 300, Seed: 5, Frozen: true}); err != nil {
				t.Fatal(err)
			}
			day := func(d int) time.Time { return time.Date(2026, 7, d, 0, 0, 0, 0, calendar.Zone) }
			filters := []review.Filter{
				{}, {Unit: "310101"}, {Agency: "SHGA"}, {Item: "SHGA-001"}, {District: "310115"}, {Channel: review.App},
				{From: day(22)}, {To: day(25)}, {From: day(21), To: day(21), Unit: "SHSCJG"}, {Item: "SHGA-001", Stage: "acceptance"},
				{Stage: "acceptance"}, {Unit: "310101", Item: "SHGA-001"}, {Agency: "SHGA", Channel: review.App},
				{District: "310115", Channel: review.Window, From: day(22)},
			}
			// The place and person of a bad review that is excluded below,
			// so that the exclusion is seen on those axes too.
			var hall, ws, staff string
			if err := st.DB().QueryRow(`SELECT hall, workstation, staff FROM reviews
				WHERE stars <= 2 AND staff IS NOT NULL ORDER BY id LIMIT 1`).Scan(&hall, &ws, &staff); err != nil {
				t.Fatal(err)
			}
			filters = append(filters, review.Filter{Hall: hall}, review.Filter{Workstation: ws}, review.Filter{Staff: staff})
			check := func(when string) { statsMatchReviews(t, st, when, filters) }
			check("after loading")
			var ids []int64
			rows, _ := st.DB().Query("SELECT id FROM reviews WHERE stars <= 2 AND (staff IS NOT NULL OR id < 50) ORDER BY id LIMIT 20")
			for rows.Next() {
				var id int64
				rows.Scan(&id)
				ids = append(ids, id)
			}
			rows.Close()
			before, _ := st.Stats(ctx, review.Filter{})
			for _, id := range ids {
				if err := st.ExcludeReview(ctx, id, "appeal upheld: wrong unit"); err != nil {
					t.Fatal(err)
				}
				if err := st.ExcludeReview(ctx, id, "again"); err != nil {
					t.Fatal(err)
				}
			}
			check("after exclusions")
			after, _ := st.Stats(ctx, review.Filter{})
			if after.Stars[0]+after.Stars[1] != before.Stars[0]+before.Stars[1]-int64(len(ids)) {
				t.Errorf("bad reviews after excluding %d: %v, before %v", len(ids), after.Stars, before.Stars)
			}
			if n := count(t, st, "reviews WHERE excluded IS NOT NULL"); n != len(ids) {
				t.Errorf("excluded reviews kept on record = %d, want %d", n, len(ids))
			}
			// Migration 0037 fills the newer axes from the stored reviews,
			// as it did for databases that predate them.
			if _, err := st.DB().Exec(`DELETE FROM review_rollups WHERE axis NOT IN ('all', 'channel', 'district', 'item', 'unit')`); err != nil {
				t.Fatal(err)
			}
			if _, err := st.DB().Exec("DELETE FROM schema_migrations WHERE version = 37"); err != nil {
				t.Fatal(err)
			}
			if err := st.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			check("after migration 0037 filled the axes again")
		})
	}
}

func TestReviewRateLimit(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		lim := review.RateLimit{Max: 3, Window: review.RateWindow}
		give := func(mark string, at time.Time) error {
			r := mustAccept(t, st, review.Submission{Channel: "pc", Item: "GA-001", Stage: "acceptance", Stars: 5, Anonymous: &yes})
			r.ClientMark, r.CreatedAt = mark, at
			_, err := st.CreateReview(ctx, r, lim)
			return err
		}
		now := storetest.Now
		for i := range 3 {
			if err := give("device-a", now.Add(time.Duration(i)*time.Minute)); err != nil {
				t.Fatalf("review %d: %v", i+1, err)
			}
		}
		if err := give("device-a", now.Add(5*time.Minute)); !apperr.Is(err, apperr.TooMany) {
			t.Errorf("fourth review within the window: err = %v, want rate limited", err)
		}
		if err := give("device-b", now.Add(5*time.Minute)); err != nil {
			t.Errorf("another device: %v", err)
		}
		if err := give("device-a", now.Add(11*time.Minute)); err != nil {
			t.Errorf("after the window has moved on: %v", err)
		}
	})
}

// Reviews from one device arriving together, and so committed together,
// are limited as if they came one by one.
func TestReviewRateLimitConcurrent(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		lim := review.RateLimit{Max: 5, Window: review.RateWindow}
		errs := make(chan error)
		for range 20 {
			go func() {
				r, err := review.Accept(ctx, st, &review.Submission{Channel: "pc", Item: "GA-001", Stage: "acceptance", Stars: 4, Anonymous: &yes})
				if err == nil {
					r.ClientMark = "flood"
					_, err = st.CreateReview(ctx, r, lim)
				}
				errs <- err
			}()
		}
		accepted := 0
		for range 20 {
			if err := <-errs; err == nil {
				accepted++
			} else if !apperr.Is(err, apperr.TooMany) {
				t.Error(err)
			}
		}
		if accepted != 5 || count(t, st, "reviews") != 5 {
			t.Errorf("accepted %d of 20 from one device (stored %d), want 5", accepted, count(t, st, "reviews"))
		}
	})
}

// The demo's staff account is the staff member with the most reviews that
// count, read from the rollups: none before any review names one, and
// none once their only review is excluded.
func TestBusiestStaff(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		busiest := func() string {
			t.Helper()
			s, err := st.BusiestStaff(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		if s := busiest(); s != "" {
			t.Errorf("no reviews: busiest staff %q, want none", s)
		}
		if _, err := st.CreateReview(ctx, mustAccept(t, st, review.Submission{Channel: "window", Workstation: "H1-W1-2",
			Item: "GA-001", Stage: "acceptance", Stars: 5, Anonymous: &yes}), review.RateLimit{}); err != nil {
			t.Fatal(err)
		}
		r := mustAccept(t, st, review.Submission{Channel: "window", Workstation: "H1-W1-1", Item: "GA-001", Stage: "acceptance", Stars: 4, Anonymous: &yes})
		if _, err := st.CreateReview(ctx, r, review.RateLimit{}); err != nil {
			t.Fatal(err)
		}
		if s := busiest(); s != "S1" {
			t.Errorf("busiest staff %q, want S1", s)
		}
		if err := st.ExcludeReview(ctx, r.ID, "test"); err != nil {
			t.Fatal(err)
		}
		if s := busiest(); s != "" {
			t.Errorf("after S1's only review was excluded: busiest staff %q, want none", s)
		}
	})
}
