package loadgen_test

import (
	"context"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/fraud"
	"github.com/haocha/haocha/internal/loadgen"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store/storetest"
)

// A benchmark city with a busy past judges a unit by that past: the
// unit's threshold in ten minutes rises from the default's to the rate
// given, so that the benchmark's honest traffic is not a flood.
func TestHistoryTeachesUsualRates(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.SQLiteDSN(t)
	st := storetest.Open(t, dsn)
	st.Now = func() time.Time { return benchClock }
	if err := demo.Load(ctx, st, demo.Options{Reviews: -1}); err != nil {
		t.Fatal(err)
	}
	set, err := st.ActiveDimensionSet(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sub := loadgen.NewGenerator(loadgen.NewIndex(demo.Catalog(), set), 7).Next()
	r, err := review.Accept(ctx, loadgen.NewIndex(demo.Catalog(), set), &sub)
	if err != nil {
		t.Fatal(err)
	}
	r.CreatedAt = benchClock
	threshold := func() int {
		if err := st.RefreshBaseline(ctx); err != nil {
			t.Fatal(err)
		}
		rec, err := st.RecentActivity(ctx, r, fraud.DefaultRules)
		if err != nil {
			t.Fatal(err)
		}
		return fraud.DefaultRules.Baseline.At(rec.UnitUsual, 10*time.Minute)
	}
	before := threshold()
	if err := loadgen.History(ctx, loadgen.HistoryConfig{DB: dsn, Rate: 1000, Days: 28, Now: benchClock, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	after := threshold()
	// 1,000 reviews a second over the demo's units: thousands an hour
	// for any of them, past the default's 300.
	if after <= 2*before {
		t.Errorf("unit %s's threshold in ten minutes: %d with no past, %d with a busy one; want it far higher", r.Unit, before, after)
	}
}
