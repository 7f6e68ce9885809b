package loadgen

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// plan says how hard and how long to drive.
type plan struct {
	concurrency int
	rate        float64       // starts per second; 0 = each worker starts again as soon as it is done
	duration    time.Duration // 0 = until max is reached
	max         int           // stop after this many starts; 0 = until duration ends
	// ready, when set, is called before each start of worker w and may
	// wait (a device pacing itself); false, when stop came first, ends
	// the worker.
	ready func(w int, stop <-chan struct{}) bool
}

// tally is what the workers measured.
type tally struct {
	lat     []time.Duration // of successes
	errs    map[string]int
	missed  int
	elapsed time.Duration
}

// drive runs work under p. work returns "" on success or a short key that
// names the failure. Work that has started when the time is up is allowed
// to finish and is counted; nothing new starts. In rate mode latency counts
// from when the request was due, not from when a worker got to it, so a
// server that falls behind shows its queueing in the percentiles.
func drive(ctx context.Context, p plan, work func(ctx context.Context, worker int) string) tally {
	stop := make(chan struct{})
	var stopOnce sync.Once
	halt := func() { stopOnce.Do(func() { close(stop) }) }
	if p.duration > 0 {
		t := time.AfterFunc(p.duration, halt)
		defer t.Stop()
	}
	go func() {
		select {
		case <-ctx.Done():
			halt()
		case <-stop:
		}
	}()
	var started atomic.Int64
	// take reports whether another request may start.
	take := func() bool {
		select {
		case <-stop:
			return false
		default:
		}
		if p.max > 0 && started.Add(1) > int64(p.max) {
			halt()
			return false
		}
		return true
	}

	var due chan time.Time
	var missed atomic.Int64
	if p.rate > 0 {
		due = make(chan time.Time, p.concurrency)
		go pace(p.rate, p.duration, stop, take, due, &missed)
	}

	start := time.Now()
	lats := make([][]time.Duration, p.concurrency)
	errs := make([]map[string]int, p.concurrency)
	var wg sync.WaitGroup
	for w := range p.concurrency {
		errs[w] = map[string]int{}
		wg.Go(func() {
			one := func(from time.Time) {
				if key := work(ctx, w); key != "" {
					errs[w][key]++
				} else {
					lats[w] = append(lats[w], time.Since(from))
				}
			}
			ready := func() bool { return p.ready == nil || p.ready(w, stop) }
			if due != nil {
				for t := range due {
					if !ready() {
						return
					}
					one(t)
				}
				return
			}
			for take() {
				if !ready() {
					return
				}
				one(time.Now())
			}
		})
	}
	wg.Wait()
	t := tally{elapsed: time.Since(start), errs: map[string]int{}, missed: int(missed.Load())}
	for w := range p.concurrency {
		t.lat = append(t.lat, lats[w]...)
		for k, n := range errs[w] {
			t.errs[k] += n
		}
	}
	return t
}

// pace sends the times at which requests are due, rate per second, until
// stop or the end of duration; a send that finds every worker busy and the queue full is missed.
func pace(rate float64, duration time.Duration, stop <-chan struct{}, take func() bool, due chan<- time.Time, missed *atomic.Int64) {
	defer close(due)
	interval := time.Duration(float64(time.Second) / rate)
	start := time.Now()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for i := 0; ; i++ {
		at := start.Add(time.Duration(i) * interval)
		if duration > 0 && at.Sub(start) >= duration {
			// The schedule is over, even if the stop signal runs late on a
			// busy machine: never more than rate × duration sends.
			return
		}
		if d := time.Until(at); d > 0 {
			timer.Reset(d)
			select {
			case <-stop:
				return
			case <-timer.C:
			}
		}
		if !take() {
			return
		}
		select {
		case due <- at:
		default:
			missed.Add(1)
		}
	}
}
