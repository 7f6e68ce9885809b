package progress_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/progress"
)

// clock is a fake clock moved by the test.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestLinesWhenNotATerminal(t *testing.T) {
	type step struct {
		wait time.Duration
		add  int64
	}
	tests := []struct {
		name  string
		total int64
		steps []step
		want  []string
	}{
		{
			name:  "a line at each tenth, none between",
			total: 1000,
			steps: []step{{time.Second, 50}, {time.Second, 50}, {time.Second, 150}, {time.Second, 750}},
			want: []string{
				"reviews: 100 of 1,000 (10%), 50/s, 18s left",
				"reviews: 250 of 1,000 (25%), 83/s, 9s left",
				"reviews: 1,000 done in 4s (250/s)",
			},
		},
		{
			name:  "a line every interval while the work crawls",
			total: 1_000_000,
			steps: []step{{2 * time.Second, 10}, {2 * time.Second, 10}, {2 * time.Second, 10}, {10 * time.Second, 10}},
			want: []string{
				"reviews: 30 of 1,000,000 (0%), 5/s, 55h33m14s left", // 999,970 left at 5/s
				"reviews: 40 of 1,000,000 (0%), 2/s, 111h6m24s left", // at 2.5/s
				"reviews: 40 done in 16s (2/s)",
			},
		},
		{
			name:  "unknown total: count and rate",
			total: 0,
			steps: []step{{3 * time.Second, 300}, {3 * time.Second, 300}},
			want: []string{
				"reviews: 600 so far, 100/s",
				"reviews: 600 done in 6s (100/s)",
			},
		},
		{
			name:  "nothing to do",
			total: 0,
			want:  []string{"reviews: 0 done in 0s (0/s)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &clock{t: time.Date(2026, 8, 3, 9, 0, 0, 0, time.UTC)}
			var buf bytes.Buffer
			b := progress.Lines(&buf, tt.total, "reviews", 5*time.Second, c.now)
			for _, s := range tt.steps {
				c.t = c.t.Add(s.wait)
				b.Add(s.add)
			}
			b.Finish()
			b.Finish() // a second Finish says nothing more
			got := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// A buffer is not a terminal: New writes plain lines to it, never the
// carriage returns of a redrawn bar.
func TestNewWritesLinesToAFile(t *testing.T) {
	var buf bytes.Buffer
	b := progress.New(&buf, 100, "contacts")
	for range 100 {
		b.Add(1)
	}
	b.Finish()
	out := buf.String()
	if strings.Contains(out, "\r") || strings.Count(out, "\n") != 10 {
		t.Errorf("want 9 tenths and a last line, no carriage returns:\n%q", out)
	}
	if !strings.Contains(out, "contacts: 90 of 100 (90%)") || !strings.Contains(out, "contacts: 100 done in") {
		t.Errorf("lines:\n%s", out)
	}
}

// A nil writer reports nothing, and the nil Bar it gives may be used.
func TestNilBarIsSilent(t *testing.T) {
	b := progress.New(nil, 10, "x")
	if b != nil {
		t.Fatalf("New(nil, ...) = %v, want the nil Bar", b)
	}
	b.Add(5) // would panic if the nil Bar's methods were not nil-safe
	b.Finish()
}
