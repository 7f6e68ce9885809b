package demo_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/fraud"
	"github.com/haocha/haocha/internal/intake"
	"github.com/haocha/haocha/internal/sms"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
)

// TestAttackRecallAndFalsePositives plays the demo's labelled fraud mix
// through the real intake on SQLite and measures the detectors: at least
// 95% of the attack reviews held (or refused) and at most 1% of the honest
// reviews of the same day held.
func TestAttackRecallAndFalsePositives(t *testing.T) {
	ctx := context.Background()
	st, in, o := demoCity(t, nil)
	mix, err := demo.Attack(ctx, st, in, o)
	if err != nil {
		t.Fatal(err)
	}
	f, err := demo.Measure(ctx, st, mix)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range demo.AttackKinds {
		if mix.Submitted[k]+mix.Refused[k] == 0 {
			t.Errorf("the mix has no %s attack", k)
		}
	}
	// Issue 16: binding reviews to service events refuses these outright.
	for _, k := range []string{demo.AttackNoProof, demo.AttackGuessing, demo.AttackHijack} {
		if mix.Submitted[k] != 0 {
			t.Errorf("%s: %d of %d reviews taken in, want all refused", k, mix.Submitted[k], mix.Submitted[k]+mix.Refused[k])
		}
	}
	// Issue 16: below every per-address threshold, caught all the same.
	for _, k := range []string{demo.AttackItemFlood, demo.AttackStationFlood, demo.AttackCrossReport} {
		for _, c := range f.Kinds {
			if c.Kind == k && c.Held < c.Reviews {
				t.Errorf("%s: %d of %d held or refused, want all", k, c.Held, c.Reviews)
			}
		}
	}
	if n := mix.Submitted[demo.AttackSMSBombing]; n > sms.DefaultLimits.PerDay || mix.Refused[demo.AttackSMSBombing] == 0 {
		t.Errorf("sms bombing: %d texts sent to one phone, %d refused; want at most its daily cap of %d sent",
			n, mix.Refused[demo.AttackSMSBombing], sms.DefaultLimits.PerDay)
	}
	t.Log("\n" + f.String())
	recall, fp := f.Recall(), f.FalsePositiveRate()
	if recall < 0.95 {
		t.Errorf("recall %.1f%%, want at least 95%%", 100*recall)
	}
	if fp > 0.01 {
		t.Errorf("false positives %.2f%%, want at most 1%%", 100*fp)
	}
}

// demoCity loads the demo city (the trial's reviews, seed 1) on SQLite
// with its clock frozen on its last day, and the real intake over it,
// screening by rules (nil: the default).
func demoCity(t *testing.T, rules *fraud.Rules) (*store.Store, *intake.Service, demo.Options) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, storetest.SQLiteDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 7, 21, 10, 0, 0, 0, time.UTC)
	st.Now = func() time.Time { return now }
	o := demo.Options{Reviews: demo.TrialReviews, Seed: 1, Now: now, Frozen: true}
	if err := demo.Load(ctx, st, o); err != nil {
		t.Fatal(err)
	}
	salt, err := st.Secret(ctx, "client_mark")
	if err != nil {
		t.Fatal(err)
	}
	return st, &intake.Service{Store: st, Salt: salt, Transactions: st, Detector: st, Presence: noPrintedCode{},
		Proofs: st, Guesses: &intake.Guesses{}, Rules: rules}, o
}

// noPrintedCode refuses every printed QR token: the mix's honest citizens
// rate on the window's device, and a token alone proves nothing anyway.
type noPrintedCode struct{}

func (noPrintedCode) Check(string, string, time.Time) error {
	return errors.New("no printed code in this test")
}
