package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/transaction"
)

// TestParticipationPerHallAndWindow reports four transactions at one
// workstation of hall H1 (window H1-W1) and one online, rates them on
// several channels and closes the windows with the default-review policy
// on. By hand: H1 and H1-W1 have 4 transactions; T1 rated at the window,
// T2 on the tablet, T3 at the window (acceptance) and in the app
// (decision); T4 unrated, given a default review that counts nowhere. So
// window 2/4 = 0.5, tablet 1/4 = 0.25, app 1/4 = 0.25, 未评率 1/4. The city
// adds T5, rated on pc: 5 transactions, window 2/5 = 0.4, pc 1/5 = 0.2.
func TestParticipationPerHallAndWindow(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		finished := time.Date(2026, 7, 1, 10, 0, 0, 0, calendar.Zone)
		st.Now = func() time.Time { return finished.Add(time.Hour) }
		rec := func(number string, stages ...string) transaction.Record {
			return transaction.Record{Number: number, Item: "GA-001", Stages: stages, Unit: "310101", Workstation: "H1-W1-1",
				ApplicantKind: "person", AcceptedAt: finished.Add(-time.Hour).Format(time.RFC3339), FinishedAt: finished.Format(time.RFC3339)}
		}
		online := transaction.Record{Number: "T5", Item: "SCJG-001", Stages: []string{"application"}, Unit: "SCJG", Channel: "pc",
			ApplicantKind: "organisation", AcceptedAt: finished.Add(-time.Hour).Format(time.RFC3339), FinishedAt: finished.Format(time.RFC3339)}
		svc := transaction.Service{Store: st}
		if _, err := svc.Report(ctx, transaction.Reporter{}, []transaction.Record{rec("T1", "acceptance"), rec("T2", "acceptance"),
			rec("T3", "acceptance", "decision"), rec("T4", "acceptance"), online}); err != nil {
			t.Fatal(err)
		}
		for _, sub := range []review.Submission{
			{Channel: "window", Workstation: "H1-W1-1", Item: "GA-001", Stage: "acceptance", Stars: 5, Anonymous: &yes, Transaction: "T1"},
			{Channel: "tablet", Workstation: "H1-W1-1", Item: "GA-001", Stage: "acceptance", Stars: 4, Anonymous: &yes, Transaction: "T2"},
			{Channel: "window", Workstation: "H1-W1-1", Item: "GA-001", Stage: "acceptance", Stars: 3, Anonymous: &yes, Transaction: "T3"},
			{Channel: "app", Unit: "310101", Item: "GA-001", Stage: "decision", Stars: 5, Anonymous: &yes, Transaction: "T3"},
			{Channel: "pc", Item: "SCJG-001", Stage: "application", Stars: 5, Anonymous: &yes, Transaction: "T5"},
		} {
			if _, err := st.CreateReview(ctx, mustAccept(t, st, sub), review.RateLimit{}); err != nil {
				t.Fatal(err)
			}
		}
		// 16 days on, the windows have closed and the sweep has run; the
		// figures count a transaction once its window closed by now.
		st.Now = func() time.Time { return finished.AddDate(0, 0, 16) }
		closed, err := st.CloseRatingWindows(ctx, st.Now(), true)
		if err != nil {
			t.Fatal(err)
		}
		if closed.Rated != 4 || closed.Defaulted != 1 {
			t.Fatalf("closed %+v, want 4 rated and T4 defaulted", closed)
		}
		day := finished.AddDate(0, 0, 15)
		want := map[index.Scope]map[string]map[string]float64{
			index.Hall:   {"H1": {"window": 0.5, "tablet": 0.25, "app": 0.25}},
			index.Window: {"H1-W1": {"window": 0.5, "tablet": 0.25, "app": 0.25}},
			index.City:   {"city": {"window": 0.4, "tablet": 0.2, "app": 0.2, "pc": 0.2}},
		}
		for sc, members := range want {
			counts, err := st.IndexCounts(ctx, sc, day, day)
			if err != nil {
				t.Fatal(err)
			}
			for code, rates := range members {
				in := index.Compute(counts[code], index.V1(), nil)
				if len(in.Participation) != len(rates) {
					t.Errorf("%s %s: participation %v, want %v", sc, code, in.Participation, rates)
				}
				for ch, rate := range rates {
					if p := in.Participation[ch]; p.Rate == nil || *p.Rate != rate {
						t.Errorf("%s %s %s: %+v, want rate %v", sc, code, ch, p, rate)
					}
				}
			}
		}
		hall, err := st.IndexCounts(ctx, index.Hall, day, day)
		if err != nil {
			t.Fatal(err)
		}
		if in := index.Compute(hall["H1"], index.V1(), nil); in.UnratedRate == nil || *in.UnratedRate != 0.25 || in.Transactions != 4 {
			t.Errorf("H1: %d transactions, unrated %v; want 4 and 0.25", in.Transactions, in.UnratedRate)
		}
	})
}
