package board

// Warming: the boards the pages draw are computed before the first visitor
// asks for them (at start, before the server says it is ready) and again
// ahead of their expiry while the server runs, so that no visitor waits
// for a board of a standard period the pages show.

import (
	"context"
	"errors"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/haocha/haocha/internal/index"
)

// TrendMonths is how many calendar months the trend charts of the pages
// and the dashboard show.
const TrendMonths = 12

// trended are the scopes whose members' pages show monthly trends: the
// dashboard (the city), the unit pages (districts and agencies), the
// item and hall pages.
var trended = []index.Scope{index.City, index.District, index.Agency, index.Item, index.Hall}

// drawn is a board, or an axis's theme counts, the pages draw.
type drawn struct {
	scope    index.Scope
	axis     string
	themes   bool
	from, to time.Time
}

// drawnOn lists what the pages draw on today's day: the last 30 days of
// every public scope, the quarter and the year of windows and
// workstations (the hall pages rank them over those), the TrendMonths
// months of the trended scopes and the city's beside them, and the theme
// counts of every ThemeAxes over ThemePeriods.
func drawnOn(today time.Time) []drawn {
	var out []drawn
	from, to := Recent(today)
	for _, sc := range index.Scopes {
		if sc.Public() {
			out = append(out, drawn{scope: sc, from: from, to: to})
		}
	}
	for _, sp := range Spans {
		from, to := sp.Days(today)
		for _, sc := range []index.Scope{index.Window, index.Workstation} {
			out = append(out, drawn{scope: sc, from: from, to: to})
		}
	}
	for _, m := range monthsTo(today, TrendMonths) {
		for _, sc := range trended {
			out = append(out, drawn{scope: sc, from: m[0], to: m[1]})
		}
	}
	tf, tt := ThemePeriods(today)
	for _, axis := range ThemeAxes {
		for i := range tf {
			out = append(out, drawn{axis: axis, themes: true, from: tf[i], to: tt[i]})
		}
	}
	return out
}

// job is the key and computation of d.
func (c *Cache) job(d drawn) (key, func(context.Context) (*held, error)) {
	if d.themes {
		return c.themesJob(d.axis, d.from, d.to)
	}
	return c.boardJob(d.scope, "", d.from, d.to)
}

// Warm makes sure every board the pages draw (drawnOn today) is held:
// those not held are computed, one after the other, while Warm waits;
// those held are left as they are, and those restored from the last run
// or in the last quarter of their life (or past it) are computed again in
// the background, served meanwhile. The readiness check says ready once
// Warm returns: no visitor then waits for a board the pages draw. A board
// that fails does not stop the others; Warm returns every error.
func (c *Cache) Warm(ctx context.Context) error {
	var errs []error
	for _, d := range drawnOn(c.now()) {
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.themes && c.themes == nil {
			continue
		}
		k, compute := c.job(d)
		if err := c.hold(ctx, k, d.from, d.to, compute, func(*held) {}); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Refresh starts, in the background, the computation of every board the
// pages draw that is not held or is due (in the last quarter of its life
// or past it, restored ones included), unless one of it runs, and waits
// for them: it returns their errors. It keeps no visitor waiting: boards
// held are served meanwhile, and the computations take their turns
// (Computing) with the visitors'.
func (c *Cache) Refresh(ctx context.Context) error {
	now := c.now()
	var started []<-chan singleflight.Result
	for _, d := range drawnOn(now) {
		if d.themes && c.themes == nil {
			continue
		}
		k, compute := c.job(d)
		c.mu.Lock()
		h, ok := c.held.Peek(k) // a refresh is no use: it keeps the order of eviction
		c.mu.Unlock()
		if ok && !c.due(h, d.to, now) {
			continue
		}
		started = append(started, c.group.DoChan(k.String(), c.run(ctx, k, d.to, compute, true)))
	}
	var errs []error
	for _, ch := range started {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case r := <-ch:
			if r.Err != nil {
				errs = append(errs, r.Err)
			}
		}
	}
	return errors.Join(errs...)
}

// KeepWarm refreshes the boards the pages draw (Refresh) at once, then
// every quarter of their TTL, until ctx ends, so that each is computed
// again ahead of its expiry whether visitors ask for it or not. It runs
// beside the warm-up (Warm), not after it: a board restored from the last
// run, or computed early in a long warm-up, is refreshed from the start.
// An error is reported to failed and the next round tries again.
//
// A round does not wait for the one before: at 10 million reviews a round
// of the warm-up takes minutes, and the boards computed early in it fall
// due before its end; a board still being computed is not started again.
func (c *Cache) KeepWarm(ctx context.Context, failed func(error)) {
	t := time.NewTicker(c.ttl / 4)
	defer t.Stop()
	var rounds sync.WaitGroup
	defer rounds.Wait()
	for {
		rounds.Go(func() {
			if err := c.Refresh(ctx); err != nil && ctx.Err() == nil {
				failed(err)
			}
		})
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
