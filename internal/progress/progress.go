// Package progress tells whoever runs a long command how far it has got:
// on a terminal a bar with the count, the rate and the time left
// (github.com/schollz/progressbar/v3); elsewhere (a log file, CI, a pipe)
// a plain line every few seconds and at every tenth of the work, which a
// file keeps readable where a redrawn bar would be a smear of carriage
// returns. Commands write it to stderr, so what they print on stdout (a
// path, data) stays clean.
package progress

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Every is how often a plain line is written at most while the work goes
// on, besides one at each tenth of it.
const Every = 5 * time.Second

// Bar reports the progress of one piece of work. A nil *Bar does nothing,
// so code that may run without anyone watching calls it unconditionally.
type Bar struct {
	mu    sync.Mutex
	label string
	total int64 // 0 or less: unknown
	done  int64
	w     io.Writer
	now   func() time.Time
	every time.Duration
	start time.Time
	last  time.Time // when the last plain line was written
	tenth int64     // the tenths of total already reported
	bar   *progressbar.ProgressBar
	ended bool
}

// New starts reporting work of total units (0 when unknown) named label on
// w: a bar when w is a terminal, plain lines otherwise. A nil w gives a nil
// Bar, which reports nothing.
func New(w io.Writer, total int64, label string) *Bar {
	if w == nil {
		return nil
	}
	if isTerminal(w) {
		return newBar(w, total, label)
	}
	return Lines(w, total, label, Every, time.Now)
}

// Lines starts reporting in plain lines on w: one when every has passed
// since the last, one at each tenth of total, and one at the end, with
// time read from now.
func Lines(w io.Writer, total int64, label string, every time.Duration, now func() time.Time) *Bar {
	t := now()
	return &Bar{label: label, total: total, w: w, now: now, every: every, start: t, last: t}
}

func newBar(w io.Writer, total int64, label string) *Bar {
	max := total
	if max <= 0 {
		max = -1 // a spinner
	}
	pb := progressbar.NewOptions64(max,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(label),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionShowElapsedTimeOnFinish(),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionFullWidth(),
		progressbar.OptionSetRenderBlankState(true),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }),
	)
	return &Bar{label: label, total: total, w: w, now: time.Now, start: time.Now(), bar: pb}
}

// isTerminal tells whether w is a terminal a bar can be redrawn on.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || os.Getenv("TERM") == "dumb" {
		return false
	}
	return term.IsTerminal(int(f.Fd()))
}

// Add counts n more units done.
func (b *Bar) Add(n int64) { b.whileOn(func() { b.add(n) }) }

// whileOn runs fn under the lock unless b is nil or finished.
func (b *Bar) whileOn(fn func()) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.ended {
		fn()
	}
}

func (b *Bar) add(n int64) {
	b.done += n
	if b.bar != nil {
		// A count past the total (an estimate that fell short) must not
		// finish the bar early: stretch it instead.
		if b.total > 0 && b.done > b.total {
			b.total = b.done
			b.bar.ChangeMax64(b.total)
		}
		b.bar.Add64(n)
		return
	}
	t := b.now()
	tenth := int64(0)
	if b.total > 0 {
		tenth = min(b.done, b.total) * 10 / b.total
	}
	if tenth > b.tenth || t.Sub(b.last) >= b.every {
		b.tenth = max(b.tenth, tenth)
		if b.total <= 0 || b.done < b.total {
			b.line(t)
		}
	}
}

// line writes the plain line for now (the caller holds mu).
func (b *Bar) line(t time.Time) {
	b.last = t
	elapsed := t.Sub(b.start)
	rate := perSecond(b.done, elapsed)
	if b.total <= 0 {
		fmt.Fprintf(b.w, "%s: %s so far, %s/s\n", b.label, humanize.Comma(b.done), humanize.Comma(int64(rate)))
		return
	}
	left := "time left unknown"
	if rate > 0 {
		left = round(time.Duration(float64(b.total-b.done)/rate*float64(time.Second))).String() + " left"
	}
	fmt.Fprintf(b.w, "%s: %s of %s (%d%%), %s/s, %s\n", b.label, humanize.Comma(b.done), humanize.Comma(b.total),
		b.done*100/b.total, humanize.Comma(int64(rate)), left)
}

// Finish ends the report with the count done, the time taken and the
// rate. It may be called more than once; only the first counts.
func (b *Bar) Finish() { b.whileOn(b.finish) }

func (b *Bar) finish() {
	b.ended = true
	if b.bar != nil {
		switch {
		case b.done == 0:
			b.bar.Exit()
			return
		case b.total > 0 && b.done < b.total:
			// Less work than announced (rows skipped): end the bar where
			// it is rather than claim what was not done.
			b.bar.ChangeMax64(b.done)
		}
		b.bar.Finish()
		return
	}
	elapsed := b.now().Sub(b.start)
	fmt.Fprintf(b.w, "%s: %s done in %s (%s/s)\n", b.label, humanize.Comma(b.done), round(elapsed),
		humanize.Comma(int64(perSecond(b.done, elapsed))))
}

func perSecond(n int64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

// round keeps a duration readable: whole seconds, or tenths under ten.
func round(d time.Duration) time.Duration {
	if d < 10*time.Second {
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Second)
}
