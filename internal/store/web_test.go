package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
)

// The reads behind the citizen pages, on every backend.

func TestPlacesAndHalls(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		ps, err := st.Places(ctx, store.PlaceFilter{Hall: "H1"})
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 2 || ps[0].Workstation.Code != "H1-W1-1" || ps[1].Workstation.Code != "H1-W1-2" ||
			ps[0].Hall.NameZH != "黄浦区行政服务中心" || ps[0].Window.Name != "1号窗口" {
			t.Errorf("places of H1: %+v", ps)
		}
		if ps, _ := st.Places(ctx, store.PlaceFilter{District: "310104"}); len(ps) != 0 {
			t.Errorf("places of a district without halls: %d", len(ps))
		}
		if ps, _ := st.Places(ctx, store.PlaceFilter{}); len(ps) != 2 {
			t.Errorf("all places: %d, want 2", len(ps))
		}
		halls, err := st.Halls(ctx, "310101")
		if err != nil || len(halls) != 1 || halls[0].Code != "H1" {
			t.Errorf("halls of 310101: %v, %v", halls, err)
		}
		stages, err := st.StageNames(ctx)
		if err != nil || len(stages) != 3 || stages[0].Code != "application" || stages[2].Code != "decision" {
			t.Errorf("stage names: %v, %v", stages, err)
		}
	})
}

func TestOrderByToken(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		r := mustAccept(t, st, review.Submission{Channel: "window", Item: "GA-001", Stage: "acceptance",
			Workstation: "H1-W1-1", Stars: 2, Comment: "排队太久", Anonymous: &yes})
		wo, err := st.CreateReview(ctx, r, review.RateLimit{})
		if err != nil || wo == nil {
			t.Fatalf("create: %v, %v", wo, err)
		}
		o, err := st.OrderByToken(ctx, wo.Token)
		if err != nil {
			t.Fatal(err)
		}
		if o.Number != wo.Number || o.State != "new" || o.Round != 1 || o.Review != r.ID {
			t.Errorf("order by token %+v", o)
		}
		for _, tok := range []string{"", "nope", wo.Token + "x", store.HashToken(wo.Token)} {
			if _, err := st.OrderByToken(ctx, tok); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("token %q: %v, want not found", tok, err)
			}
		}
	})
}

func TestDailyCounts(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if days, err := st.DailyCounts(ctx, review.Filter{Unit: "GA"}, 7); err != nil || days != nil {
			t.Fatalf("no reviews: %v, %v", days, err)
		}
		// Late evening and early morning in the city: the day is the city's.
		for _, at := range []time.Time{
			time.Date(2026, 7, 20, 23, 30, 0, 0, calendar.Zone),
			time.Date(2026, 7, 22, 0, 10, 0, 0, calendar.Zone),
			time.Date(2026, 7, 22, 18, 0, 0, 0, calendar.Zone),
		} {
			r := mustAccept(t, st, review.Submission{Channel: "pc", Item: "GA-001", Stage: "decision", Stars: 5, Anonymous: &yes})
			r.CreatedAt = at
			if _, err := st.CreateReview(ctx, r, review.RateLimit{}); err != nil {
				t.Fatal(err)
			}
		}
		// By one axis and by a pair the rollups answer; a filter they do
		// not answer is refused, as by the statistics, not read from the
		// reviews.
		if _, err := st.DailyCounts(ctx, review.Filter{Unit: "GA", Stage: "decision"}, 3); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("a unit with a stage: got %v, want refused", err)
		}
		for _, f := range []review.Filter{{Unit: "GA"}, {Item: "GA-001", Stage: "decision"}} {
			days, err := st.DailyCounts(ctx, f, 3)
			if err != nil {
				t.Fatal(err)
			}
			want := []struct {
				day string
				n   int64
			}{{"2026-07-20", 1}, {"2026-07-21", 0}, {"2026-07-22", 2}}
			if len(days) != len(want) {
				t.Fatalf("got %d days, want 3: %v", len(days), days)
			}
			for i, w := range want {
				if got := days[i].Day.In(calendar.Zone).Format(time.DateOnly); got != w.day || days[i].Count != w.n {
					t.Errorf("day %d: %s %d, want %s %d", i, got, days[i].Count, w.day, w.n)
				}
			}
		}
	})
}
