package intake_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/intake"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store/storetest"
)

// Two server processes behind one address share the guess throttle
// through the database, and a restarted one forgets nothing: a guesser
// who spreads numbers over the processes gets the limit once, not once a
// process.
func TestGuessThrottleIsShared(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			c := newCityOn(t, dsn(t))
			c.clock.Set(shanghai(21, 10, 0))
			process := func() *intake.Service {
				in := *c.in
				in.Guesses = &intake.Guesses{Shared: c.st}
				return &in
			}
			a, b := process(), process()
			guess := func(in *intake.Service, i int) error {
				sub := review.Submission{Channel: "app", Transaction: fmt.Sprintf("BJ2026072100%04d", i), Stars: 1, Anonymous: &anonymous}
				_, err := in.Submit(context.Background(), sub, intake.Client{Address: "198.51.100.9", UserAgent: "guesser"})
				return err
			}
			for i := range intake.DefaultGuessesPerAddress {
				in := a
				if i%2 == 1 {
					in = b
				}
				if err := guess(in, i); !apperr.Is(err, apperr.Forbidden) {
					t.Fatalf("guess %d: %v, want refused as not yours", i+1, err)
				}
			}
			for _, in := range []*intake.Service{a, b, process()} {
				if err := guess(in, 99); !apperr.Is(err, apperr.TooMany) {
					t.Errorf("guess past the limit on another process: %v, want throttled", err)
				}
			}
		})
	}
}
