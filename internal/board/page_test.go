package board

import (
	"testing"
	"time"

	"github.com/haocha/haocha/internal/index"
)

func member(code string, idx float64, n int64) index.Entry {
	e := index.Entry{Code: code, Result: index.Result{N: n}}
	if idx >= 0 {
		e.Index = &idx
	}
	return e
}

// A page starts after its cursor's member wherever that member stands
// now: right after it while it is on the board, and where it would stand
// once it has gone, so that the members around it neither repeat nor go
// missing.
func TestPagesStartAfterTheirMember(t *testing.T) {
	r := index.Rank([]index.Entry{
		member("d", 80, 10), member("a", 90, 5), member("e", 70, 40), member("c", 80, 10), member("b", 80, 12),
		member("y", -1, 3), member("x", -1, 5), member("z", -1, 3),
	})
	b := Board{Ranked: r.Ranked, Insufficient: r.Insufficient}
	var order string
	for i := range b.Len() {
		order += b.At(i).Code
	}
	if order != "abcdexyz" {
		t.Fatalf("board order %s, want abcdexyz (index, then n, then code; unranked last)", order)
	}
	tests := []struct {
		after index.Entry
		want  int
		why   string
	}{
		{member("a", 90, 5), 1, "the first member"},
		{member("c", 80, 10), 3, "a tie broken by code"},
		{member("e", 70, 40), 5, "the last ranked: the unranked follow"},
		{member("x", -1, 5), 6, "an unranked member"},
		{member("z", -1, 3), 8, "the last member: nothing follows"},
		{member("cc", 80, 10), 3, "gone, between c and d"},
		{member("q", 95, 1), 0, "gone, above all"},
		{member("q", 10, 1), 5, "gone, below every ranked member"},
		{member("w", -1, 4), 6, "gone, among the unranked"},
		{member("w", -1, 1), 8, "gone, below all"},
	}
	for _, tt := range tests {
		if got := b.After(tt.after); got != tt.want {
			t.Errorf("after %s (%s): page starts at %d, want %d", tt.after.Code, tt.why, got, tt.want)
		}
	}
}

// TestSpans: small members are ranked over the quarter or the year up to
// today, both periods the cache holds.
func TestSpans(t *testing.T) {
	today := day("2026-12-06").Add(15 * time.Hour)
	for _, tc := range []struct {
		span     string
		from, to string
	}{{"", "2026-10-01", "2026-12-06"}, {"quarter", "2026-10-01", "2026-12-06"}, {"year", "2026-01-01", "2026-12-06"}, {"nonsense", "2026-10-01", "2026-12-06"}} {
		from, to := SpanOf(tc.span).Days(today)
		if !from.Equal(day(tc.from)) || !to.Equal(day(tc.to)) || !Standard(from, to, today) {
			t.Errorf("span %q: %v..%v (standard %v), want %s..%s", tc.span, from, to, Standard(from, to, today), tc.from, tc.to)
		}
	}
}
