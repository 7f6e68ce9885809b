package board

import (
	"context"
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/index"
)

// countingThemes is a theme source over a fixed table of every axis's
// members, the calls it answered counted, as the database would be read.
type countingThemes struct {
	all   map[string]map[string]int64 // by member
	calls []string                    // "axis code from to"
}

func (s *countingThemes) source(_ context.Context, axis, code string, from, to time.Time) (map[string]map[string]int64, error) {
	s.calls = append(s.calls, fmt.Sprintf("%s %s %s %s", axis, code, from.Format(time.DateOnly), to.Format(time.DateOnly)))
	if code != "" {
		return map[string]map[string]int64{code: s.all[code]}, nil
	}
	return s.all, nil
}

// TestThemesHeldForStandardPeriods: a member's themes of a standard
// period are read once for its whole axis and then served from the cache,
// equal to the source's; a period that is not standard is counted for
// its member at each call and not kept; Warm reads every axis's periods
// the pages show, so that a page's themes after it read nothing; the held
// counts take their bytes in the budget.
func TestThemesHeldForStandardPeriods(t *testing.T) {
	today := time.Date(2026, 8, 5, 10, 0, 0, 0, calendar.Zone)
	src := &countingThemes{all: map[string]map[string]int64{
		"SHGA": {"queueing": 4, "attitude": 1},
		"SHCL": {"fees": 2},
	}}
	c := New(func(_ context.Context, sc index.Scope, parent string, from, to, _ time.Time) (Board, error) {
		return Board{Scope: sc, Ranked: []index.Entry{}, Insufficient: []index.Entry{}}, nil
	}, DefaultTTL, func() time.Time { return today })
	c.SetThemes(src.source)
	ctx := context.Background()
	from, to := Recent(today)
	for range 3 {
		for code, want := range src.all {
			got, err := c.Themes(ctx, "unit", code, from, to)
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got, want) {
				t.Errorf("%s: %v, want %v", code, got, want)
			}
		}
	}
	if len(src.calls) != 1 || src.calls[0] != "unit  2026-07-07 2026-08-05" {
		t.Errorf("6 reads of a standard period asked the source %q, want once for the whole axis", src.calls)
	}
	if got, err := c.Themes(ctx, "unit", "SH-NONE", from, to); err != nil || len(got) != 0 {
		t.Errorf("a member without themes: %v %v, want none", got, err)
	}
	if c.Bytes() == 0 {
		t.Error("the held theme counts take no bytes of the budget")
	}

	src.calls = nil
	odd := today.AddDate(0, 0, -3)
	for range 2 {
		if got, err := c.Themes(ctx, "unit", "SHGA", odd, today); err != nil || !maps.Equal(got, src.all["SHGA"]) {
			t.Errorf("a period that is not standard: %v %v", got, err)
		}
	}
	if len(src.calls) != 2 || src.calls[0] != "unit SHGA 2026-08-02 2026-08-05" {
		t.Errorf("2 reads of a period that is not standard asked the source %q, want each for its member", src.calls)
	}

	src.calls = nil
	if err := c.Warm(ctx); err != nil {
		t.Fatal(err)
	}
	// The 30 days of "unit" are already held.
	if want := len(ThemeAxes)*(1+ThemeMonths) - 1; len(src.calls) != want {
		t.Errorf("Warm read %d theme counts, want %d: %q", len(src.calls), want, src.calls)
	}
	src.calls = nil
	froms, tos := ThemePeriods(today)
	for _, axis := range ThemeAxes {
		for i := range froms {
			if _, err := c.Themes(ctx, axis, "SHGA", froms[i], tos[i]); err != nil {
				t.Fatal(err)
			}
		}
	}
	if len(src.calls) != 0 {
		t.Errorf("the pages' themes after Warm asked the source %q, want nothing", src.calls)
	}
	if froms[1] != time.Date(2026, 3, 1, 0, 0, 0, 0, calendar.Zone) || tos[ThemeMonths] != calendar.Midnight(today) {
		t.Errorf("the months run from %s to %s, want March to today", froms[1], tos[ThemeMonths])
	}
}
