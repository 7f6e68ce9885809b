// Package periodic runs background steps on a period and stops them
// cleanly: a step that has begun when its owner stops is allowed to finish,
// so shutdown never leaves one half done against a closing database.
package periodic

import (
	"context"
	"time"
)

// Run calls step at once and then every period until ctx ends, and returns
// only when no step is running. Steps run under a context that does not end
// with ctx: one in progress when ctx ends gets up to grace more to finish,
// then its context is cancelled.
func Run(ctx context.Context, period, grace time.Duration, step func(ctx context.Context)) {
	work, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	returned := make(chan struct{})
	defer close(returned)
	go func() {
		select {
		case <-ctx.Done():
		case <-returned:
			return
		}
		t := time.NewTimer(grace)
		defer t.Stop()
		select {
		case <-t.C:
			cancel()
		case <-returned:
		}
	}()
	t := time.NewTicker(period)
	defer t.Stop()
	for ctx.Err() == nil {
		step(work)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
