package board

// Warming: the boards the pages draw are computed before the first visitor
// asks for them (at start, before the server says it is ready) and again
// ahead of their expiry while the server runs, so that no visitor waits
// for a board of a standard period the pages show.

import (
	"context"
	"time"

	"github.com/haocha/haocha/internal/index"
)

// TrendMonths is how many calendar months the trend charts of the pages
// and the dashboard show.
const TrendMonths = 12

// trended are the scopes whose members' pages show monthly trends: the
// dashboard (the city), the unit pages (districts and agencies), the
// item and hall pages.
var trended = []index.Scope{index.City, index.District, index.Agency, index.Item, index.Hall}

// Warm computes the boards the pages draw: the last 30 days of every
// public scope, the windows' quarter and year and the TrendMonths months
// of the trended scopes, and the themes the pages show beside them
// (ThemePeriods of every ThemeAxes). A board
// already held and not in the last quarter of its life is left as it is;
// one in its last quarter is computed again in the background. Warm
// returns when every board is held, or with the first error.
func (c *Cache) Warm(ctx context.Context) error {
	today := c.now()
	from, to := Recent(today)
	for _, sc := range index.Scopes {
		if !sc.Public() {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, err := c.Board(ctx, sc, from, to); err != nil {
			return err
		}
	}
	// The hall pages rank their windows and workstations over the
	// quarter and the year.
	for _, sp := range Spans {
		from, to := sp.Days(today)
		for _, sc := range []index.Scope{index.Window, index.Workstation} {
			if _, err := c.Board(ctx, sc, from, to); err != nil {
				return err
			}
		}
	}
	for _, sc := range trended {
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, err := c.Months(ctx, sc, "", today, TrendMonths); err != nil {
			return err
		}
	}
	return c.warmThemes(ctx, today)
}

// KeepWarm calls Warm every quarter of the boards' life until ctx ends, so
// that the boards the pages draw are computed again before they expire
// whether visitors ask for them or not. An error is reported to failed and
// the next round tries again.
func (c *Cache) KeepWarm(ctx context.Context, failed func(error)) {
	t := time.NewTicker(c.ttl / 4)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := c.Warm(ctx); err != nil && ctx.Err() == nil {
				failed(err)
			}
		}
	}
}
