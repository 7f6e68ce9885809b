package periodic_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/haocha/haocha/internal/periodic"
)

// TestRunFinishesTheStepInProgress: stopping while a step runs lets that
// step finish with a live context, starts no other, and Run returns after it.
func TestRunFinishesTheStepInProgress(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, stop := context.WithCancel(context.Background())
		var steps int
		var stepErr error
		returned := make(chan struct{})
		go func() {
			periodic.Run(ctx, time.Minute, 10*time.Second, func(ctx context.Context) {
				steps++
				if steps == 2 {
					stop()
					time.Sleep(5 * time.Second) // slower than nothing, quicker than the grace
					stepErr = ctx.Err()
				}
			})
			close(returned)
		}()
		time.Sleep(90 * time.Second) // the first step at once, the second at one minute
		synctest.Wait()
		select {
		case <-returned:
		default:
			t.Fatal("Run did not return after its last step")
		}
		if steps != 2 || stepErr != nil {
			t.Errorf("steps %d, the stopped step's context: %v; want 2 steps and a live context", steps, stepErr)
		}
	})
}

// TestRunCutsAStepAtTheGrace: a step still running grace after the stop
// sees its context cancelled, so shutdown has a bound.
func TestRunCutsAStepAtTheGrace(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, stop := context.WithCancel(context.Background())
		var cut time.Duration
		periodic.Run(ctx, time.Minute, 10*time.Second, func(ctx context.Context) {
			stop()
			start := time.Now()
			<-ctx.Done()
			cut = time.Since(start)
		})
		if cut != 10*time.Second {
			t.Errorf("a step overrunning the stop was cut after %s, want the 10s grace", cut)
		}
	})
}

// TestRunDoesNotStartWhenStopped: a stopped owner starts no step.
func TestRunDoesNotStartWhenStopped(t *testing.T) {
	ctx, stop := context.WithCancel(context.Background())
	stop()
	periodic.Run(ctx, time.Minute, time.Second, func(context.Context) { t.Error("a step ran after the stop") })
}
