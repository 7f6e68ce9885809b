package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/alert"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/store/storetest"
)

// TestDemoPlantsConcentrations: after the demo load the default rules
// find its planted concentrations, one alert each, and find them again
// as the same alerts.
func TestDemoPlantsConcentrations(t *testing.T) {
	ctx := context.Background()
	st, _ := loadDemo(t)
	svc := alert.NewService(st, st.Now)
	raised, err := svc.Sweep(ctx)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[index.RuleKind]int{}
	for _, a := range raised {
		kinds[a.Kind]++
	}
	for _, k := range []index.RuleKind{index.RuleUnitItem, index.RuleWorkstation, index.RuleStaff, index.RuleHallTag} {
		if kinds[k] == 0 {
			t.Errorf("no %s alert after the demo load; raised %v", k, kinds)
		}
	}
	if again, err := svc.Sweep(ctx); err != nil || len(again) != 0 {
		t.Errorf("a second sweep raised %d (%v), want none", len(again), err)
	}
	t.Logf("demo alerts: %v", kinds)
}

// BenchmarkAlertSweep measures one sweep of the default rules over the
// demo (13,354 reviews): the scheduler's cost, off the intake path.
func BenchmarkAlertSweep(b *testing.B) {
	ctx := context.Background()
	st := storetest.Open(b, storetest.SQLiteDSN(b))
	now := time.Date(2026, 11, 27, 10, 30, 0, 0, calendar.Zone)
	st.Now = func() time.Time { return now }
	if err := demo.Load(ctx, st, demo.Options{Now: now}); err != nil {
		b.Fatal(err)
	}
	svc := alert.NewService(st, st.Now)
	b.ResetTimer()
	for b.Loop() {
		if _, err := svc.Sweep(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
