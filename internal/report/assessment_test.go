package report_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/report"
	"github.com/haocha/haocha/internal/store/storetest"
)

// One assessment (issue 18): in December, the year's assessment gives every
// district and agency the index and rank the year's board gives it so far
// (GET /api/v1/index from 1 January to today), though orders due later in
// the year are already open.
func TestAssessmentIsTheYearsBoard(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, storetest.SQLiteDSN(t))
	now := time.Date(2026, 12, 10, 10, 0, 0, 0, calendar.Zone)
	st.Now = func() time.Time { return now }
	if err := demo.Load(ctx, st, demo.Options{Reviews: 3000, Bad: 300, Seed: 18, Days: 30, Now: now}); err != nil {
		t.Fatal(err)
	}
	a, err := report.BuildAssessment(ctx, st, 2026, now)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]index.Entry{}
	for _, u := range a.Units {
		got[u.Code] = u.Entry
	}
	from, today := time.Date(2026, 1, 1, 0, 0, 0, 0, calendar.Zone), time.Date(2026, 12, 10, 0, 0, 0, 0, calendar.Zone)
	members := 0
	for _, sc := range []index.Scope{index.District, index.Agency} {
		b, err := board.Compute(ctx, st, sc, "", from, today)
		if err != nil {
			t.Fatal(err)
		}
		if a.DefinitionVersion != b.DefinitionVersion {
			t.Errorf("assessment under definition %d, the year's %s board under %d", a.DefinitionVersion, sc, b.DefinitionVersion)
		}
		for _, e := range append(b.Ranked, b.Insufficient...) {
			members++
			if diff := cmp.Diff(e, got[e.Code]); diff != "" {
				t.Errorf("%s %s (-board +assessment):\n%s", sc, e.Code, diff)
			}
		}
	}
	if members != len(a.Units) || members == 0 {
		t.Errorf("the boards list %d members, the assessment %d", members, len(a.Units))
	}
}
