package web

import (
	"context"
	"time"

	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
)

// trendDays is how many days the trend chart shows.
const trendDays = 30

// results is a unit's or item's published results.
type results struct {
	review.Stats
	Dims     []dimResult
	Stars    []starResult // 5 down to 1
	Trend    []store.DayCount
	TrendMax int64
	Last     store.DayCount
	// AsOf is when the figures were current, when they come from a read
	// replica; zero when from the primary.
	AsOf time.Time
}

type dimResult struct {
	review.Dimension
	Average float64
}

type starResult struct {
	Stars int
	Count int64
}

// loadResults computes the published results of the reviews f selects.
func (w *Web) loadResults(ctx context.Context, f review.Filter) (results, error) {
	var res results
	st := w.store
	if w.figures != nil {
		st = w.figures
		var err error
		if res.AsOf, err = st.AsOf(ctx); err != nil {
			return res, err
		}
	}
	t, err := st.Stats(ctx, f)
	if err != nil {
		return res, err
	}
	set, err := w.store.ActiveDimensionSet(ctx)
	if err != nil {
		return res, err
	}
	res.Stats = t.Stats(set)
	for _, d := range set.Dimensions {
		res.Dims = append(res.Dims, dimResult{d, res.Stats.Dimensions[d.Code]})
	}
	for s := 5; s >= 1; s-- {
		res.Stars = append(res.Stars, starResult{s, t.Stars[s-1]})
	}
	if res.Trend, err = st.DailyCounts(ctx, f, trendDays); err != nil {
		return res, err
	}
	for _, d := range res.Trend {
		res.TrendMax = max(res.TrendMax, d.Count)
	}
	if n := len(res.Trend); n > 0 {
		res.Last = res.Trend[n-1]
	}
	return res, nil
}
