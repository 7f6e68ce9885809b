package scheduler_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/notify"
	"github.com/haocha/haocha/internal/scheduler"
	"github.com/haocha/haocha/internal/store/storetest"
	"github.com/haocha/haocha/internal/workorder"
)

// TestReportsIssuedOnceAndKept walks the clock over the end of July: on
// Saturday 1 August only the second quarter's report is due, on Monday 3
// August (the first working day) July's too; a second tick and a second
// process issue nothing more, the files match their SHA-256, the audit
// trail records each hash, and the table refuses edits and deletions.
func TestReportsIssuedOnceAndKept(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st := storetest.Open(t, dsn(t))
			now := time.Date(2026, 8, 1, 9, 0, 0, 0, calendar.Zone)
			st.Now = func() time.Time { return now }
			if err := demo.Load(ctx, st, demo.Options{Reviews: 800, Seed: 5, Days: 40, Now: now}); err != nil {
				t.Fatal(err)
			}
			log := slog.New(slog.NewTextHandler(io.Discard, nil))
			one := scheduler.New(st, log, notify.Log{Log: log}, workorder.DefaultRules)
			two := scheduler.New(st, log, notify.Log{Log: log}, workorder.DefaultRules)
			tick := func(s *scheduler.Scheduler) int {
				rep, err := s.Tick(ctx)
				if err != nil {
					t.Fatal(err)
				}
				return rep.Reports
			}
			if n := tick(one); n != 6 {
				t.Errorf("Saturday 1 August: %d files issued, want 6 (2026-Q2 in three formats, two languages)", n)
			}
			now = time.Date(2026, 8, 3, 9, 0, 0, 0, calendar.Zone)
			if n := tick(one); n != 6 {
				t.Errorf("Monday 3 August: %d files issued, want 6 (2026-07)", n)
			}
			if n := tick(one); n != 0 {
				t.Errorf("second tick issued %d files", n)
			}
			now = now.Add(10 * time.Minute) // the first lease has run out
			if n := tick(two); n != 0 {
				t.Errorf("another process issued %d files", n)
			}
			stored, err := st.Reports(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(stored) != 12 || stored[0].Period != "2026-07" {
				t.Fatalf("stored %+v", stored)
			}
			trail, err := st.AuditByAction(ctx, "report_issued")
			if err != nil {
				t.Fatal(err)
			}
			for _, meta := range stored {
				r, err := st.Report(ctx, meta.Period, meta.Format, meta.Lang)
				if err != nil {
					t.Fatal(err)
				}
				sum := sha256.Sum256(r.Content)
				if hex.EncodeToString(sum[:]) != r.SHA256 || int64(len(r.Content)) != r.Size {
					t.Errorf("%s %s: content does not match its SHA-256", r.Period, r.Format)
				}
				found := false
				for _, e := range trail {
					found = found || (e.Action == "report_issued" && strings.Contains(e.Note, r.SHA256))
				}
				if !found {
					t.Errorf("%s %s: no audit entry names its SHA-256", r.Period, r.Format)
				}
			}
			for _, q := range []string{"UPDATE reports SET sha256 = 'x'", "DELETE FROM reports"} {
				if _, err := st.DB().Exec(q); err == nil {
					t.Errorf("%s: the database took it", q)
				}
			}
			if after, _ := st.Reports(ctx); len(after) != 12 || after[0].SHA256 != stored[0].SHA256 {
				t.Errorf("reports changed: %+v", after)
			}
		})
	}
}

// TestEmptyPeriodNotIssued: a quarter without a review gets no report, so
// the office is never offered an empty 通报; the month with reviews does.
func TestEmptyPeriodNotIssued(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, storetest.SQLiteDSN(t))
	now := time.Date(2026, 8, 3, 9, 0, 0, 0, calendar.Zone)
	st.Now = func() time.Time { return now }
	// Reviews from 14 to 31 July: July has them, the second quarter none.
	if err := demo.Load(ctx, st, demo.Options{Reviews: 300, Seed: 5, Days: 18, Now: now, Frozen: true}); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if _, err := scheduler.New(st, log, notify.Log{Log: log}, workorder.DefaultRules).Tick(ctx); err != nil {
		t.Fatal(err)
	}
	stored, err := st.Reports(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range stored {
		if r.Period != "2026-07" {
			t.Errorf("issued %s %s, want only 2026-07", r.Period, r.Format)
		}
	}
	if len(stored) == 0 {
		t.Error("July's report was not issued")
	}
}
