package national_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/national"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
	"github.com/haocha/haocha/internal/transaction"
)

// TestReidentificationJoin performs the attack of issue 16 on a day of a
// hall: the national export's reviews file joined with the transactions
// table on workstation (or, where the workstation is cut, hall), item and
// stage, the transactions of that day only, leaving out those a real-name
// review names in the same file. An anonymous review re-linked is one with
// exactly one candidate, and it is counted only when that candidate is the
// review's own transaction. The raw day (every anonymous review with its
// workstation, as exports went before) re-links some; the export re-links
// none.
func TestReidentificationJoin(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			st := storetest.OpenFixture(t, dsn(t))
			day := time.Date(2026, 7, 21, 0, 0, 0, 0, calendar.Zone)
			truth := plantHallDay(t, st, day)
			ctx := context.Background()
			d, err := st.NationalDay(ctx, day.Format(time.DateOnly))
			if err != nil {
				t.Fatal(err)
			}
			m, err := national.LoadMapping(national.CurrentMapping)
			if err != nil {
				t.Fatal(err)
			}
			var raw []national.ReviewRecord
			for _, r := range d.Reviews {
				rec, err := m.Review(r)
				if err != nil {
					t.Fatal(err)
				}
				raw = append(raw, rec)
			}
			n := relinked(t, st, day, raw, truth)
			t.Logf("the raw day re-links %d anonymous reviews", n)
			if n < 3 {
				t.Fatalf("the raw day re-links %d anonymous reviews; the fixture should let the join re-link some", n)
			}
			e, err := national.Build(m, d, national.Key(make([]byte, 32)))
			if err != nil {
				t.Fatal(err)
			}
			sent := readReviews(t, e.Data["national-"+day.Format(time.DateOnly)+"-reviews.jsonl"])
			if len(sent) != len(raw) {
				t.Fatalf("the export has %d reviews, the day %d", len(sent), len(raw))
			}
			if n := relinked(t, st, day, sent, truth); n != 0 {
				t.Errorf("the export re-links %d anonymous reviews to their transactions, want 0", n)
			}
			// The crowded workstation keeps its name: the blur cuts only
			// what singles a reviewer out.
			kept := 0
			for _, r := range sent {
				if r.Anonymous && r.Workstation == "H1-W1-1" && r.Item == "GA-001" && r.Stage == "acceptance" {
					kept++
				}
			}
			if kept == 0 {
				t.Error("the export cut the workstation of reviews among a crowd of transactions")
			}
		})
	}
}

// plantHallDay reports a day of transactions at the fixture's two
// workstations and reviews most of them, and returns each review's
// transaction by review id. Some (workstation, item, stage) groups are
// crowds (8 transactions), some single, one single once the transaction
// a real-name review names is left out.
func plantHallDay(t *testing.T, st *store.Store, day time.Time) map[string]string {
	t.Helper()
	ctx := context.Background()
	type group struct {
		ws, item, stage string
		n, anonymous    int // transactions, and how many are reviewed anonymously
		named           int // reviewed under a real name
	}
	groups := []group{
		{"H1-W1-1", "GA-001", "acceptance", 8, 6, 0},
		{"H1-W1-1", "SCJG-001", "application", 1, 1, 0},
		{"H1-W1-1", "GA-001", "decision", 2, 1, 1},
		{"H1-W1-2", "GA-001", "decision", 2, 2, 0},
		{"H1-W1-2", "SCJG-001", "acceptance", 3, 1, 1},
		{"H1-W1-2", "GA-001", "application", 1, 1, 0},
	}
	truth := map[string]string{}
	clock := day.Add(9 * time.Hour)
	seq := 0
	for _, g := range groups {
		for i := range g.n {
			seq++
			number := fmt.Sprintf("BJ%s%05d", day.Format("20060102"), seq)
			clock = clock.Add(7 * time.Minute)
			st.Now = func() time.Time { return clock }
			res, err := (&transaction.Service{Store: st}).Report(ctx, transaction.Reporter{}, []transaction.Record{{Number: number,
				Item: g.item, Stages: []string{g.stage}, Unit: "310101", Workstation: g.ws, ApplicantKind: "person",
				AcceptedAt: clock.Add(-20 * time.Minute).Format(time.RFC3339), FinishedAt: clock.Add(-time.Minute).Format(time.RFC3339)}})
			if err != nil || res[0].Status != transaction.Created {
				t.Fatalf("report %s: %+v %v", number, res, err)
			}
			if i >= g.anonymous+g.named {
				continue
			}
			anonymous := i < g.anonymous
			sub := review.Submission{Channel: "window", Workstation: g.ws, Item: g.item, Stage: g.stage, Stars: 2,
				Anonymous: &anonymous, Transaction: number}
			if !anonymous {
				sub.Name, sub.Phone = "韩梅梅", "13800002222"
			}
			st.Now = func() time.Time { return clock.Add(3 * time.Minute) }
			r, err := review.Accept(ctx, st, &sub)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := st.CreateReview(ctx, r, review.RateLimit{}); err != nil {
				t.Fatal(err)
			}
			truth[fmt.Sprint(r.ID)] = number
		}
	}
	return truth
}

// relinked is how many anonymous reviews of recs the join re-links to
// their own transaction.
func relinked(t *testing.T, st *store.Store, day time.Time, recs []national.ReviewRecord, truth map[string]string) int {
	t.Helper()
	named := map[string]bool{}
	for _, r := range recs {
		if r.Transaction != "" {
			named[r.Transaction] = true
		}
	}
	n := 0
	for _, r := range recs {
		if !r.Anonymous {
			continue
		}
		col, place := "workstation", r.Workstation
		if place == "" {
			col, place = "hall", r.Hall
		}
		if place == "" {
			continue
		}
		var found []string
		for _, c := range candidates(t, st, day, col, place, r.Item, r.Stage) {
			if !named[c] {
				found = append(found, c)
			}
		}
		if len(found) == 1 && found[0] == truth[r.ID] {
			n++
		}
	}
	return n
}

// candidates are the numbers of the transactions table that day at place
// (a workstation or hall, by col) of item with stage.
func candidates(t *testing.T, st *store.Store, day time.Time, col, place, item, stage string) []string {
	t.Helper()
	q := "SELECT number, stages FROM transactions WHERE " + col + " = ? AND item = ? AND reported_at >= ? AND reported_at < ?"
	if st.Postgres() {
		q = "SELECT number, stages FROM transactions WHERE " + col + " = $1 AND item = $2 AND reported_at >= $3 AND reported_at < $4"
	}
	rows, err := st.DB().QueryContext(context.Background(), q, place, item, day.UnixMilli(), day.AddDate(0, 0, 1).UnixMilli())
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var number, stages string
		if err := rows.Scan(&number, &stages); err != nil {
			t.Fatal(err)
		}
		for _, s := range strings.Fields(stages) {
			if s == stage {
				out = append(out, number)
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func readReviews(t *testing.T, b []byte) []national.ReviewRecord {
	t.Helper()
	var out []national.ReviewRecord
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		var r national.ReviewRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}
