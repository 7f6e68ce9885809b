package web

// The complaint themes (差评主题) of a unit's, hall's or item's bad reviews
// on its public page: where they concentrate over the scorecard's 30 days,
// and how the most frequent themes moved month by month.

import (
	"context"
	"strconv"
	"time"

	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/chart"
	"github.com/haocha/haocha/internal/figures"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/theme"
)

// trendThemes is how many themes the trend draws: more lines than three
// cannot be told apart at 390 px.
const trendThemes = 3

// trendColors tell the trend's themes apart; the third is dashed too, for
// readers who do not see the colours.
var trendColors = []string{figures.ColorBad, figures.ColorUnit, figures.ColorCity}

// themesView is the themes section of a page.
type themesView struct {
	Period string
	// Top is every theme found in the period's bad reviews, most first.
	Top []theme.Count
	// Bars draws Top, Trend the months; Trend is empty when no bad
	// review of the months has a theme.
	Bars, Trend chart.Figure
	HasTrend    bool
}

// loadThemes counts the themes of the bad reviews of code on axis: over
// the scorecard's period and over each of the last board.ThemeMonths
// months, from the boards cache (every one a standard period, warmed with
// the boards).
func (w *Web) loadThemes(ctx context.Context, l locale, axis store.ThemeAxis, code string) (*themesView, error) {
	tax := theme.Default()
	froms, tos := board.ThemePeriods(w.store.Now())
	counts, err := w.themeCounts(ctx, axis, code, froms[0], tos[0])
	if err != nil {
		return nil, err
	}
	v := &themesView{Period: figures.Period(froms[0], tos[0]), Top: tax.Rank(counts)}
	count := func(n float64) string { return strconv.FormatInt(int64(n), 10) }
	if len(v.Top) > 0 {
		bars := chart.Bars{Caption: l.T("themes.top"), Corner: l.T("themes.theme"), Format: count,
			Max: float64(v.Top[0].N), Series: []chart.Series{{Name: l.T("col.bad_reviews"), Color: figures.ColorBad}}}
		for _, c := range v.Top {
			n := float64(c.N)
			bars.Labels = append(bars.Labels, c.Theme.Name(string(l)))
			bars.Series[0].Values = append(bars.Series[0].Values, &n)
		}
		v.Bars = bars.Figure()
	}

	// The months, the current (partial) one last.
	monthly := make([]map[string]int64, board.ThemeMonths)
	total := map[string]int64{}
	line := chart.Line{Caption: l.T("themes.trend"), Corner: l.T("col.month"), Format: count, MinStep: 1, Height: 180}
	for i := range board.ThemeMonths {
		m := froms[i+1]
		if monthly[i], err = w.themeCounts(ctx, axis, code, m, tos[i+1]); err != nil {
			return nil, err
		}
		for c, n := range monthly[i] {
			total[c] += n
		}
		line.Labels = append(line.Labels, figures.MonthLabel(m, l == langEN, false))
		line.Long = append(line.Long, figures.MonthLabel(m, l == langEN, true))
	}
	ranked := tax.Rank(total)
	for k, c := range ranked[:min(len(ranked), trendThemes)] {
		s := chart.Series{Name: c.Theme.Name(string(l)), Color: trendColors[k], Dashed: k == 2}
		for i := range board.ThemeMonths {
			n := float64(monthly[i][c.Theme.Code])
			s.Values = append(s.Values, &n)
		}
		line.Series = append(line.Series, s)
	}
	if v.HasTrend = len(line.Series) > 0; v.HasTrend {
		// The axis runs from 0 to the largest monthly count, in whole
		// reviews.
		line.Max = 1
		for _, s := range line.Series {
			for _, n := range s.Values {
				line.Max = max(line.Max, *n)
			}
		}
		v.Trend = line.Figure()
	}
	return v, nil
}

// themeCounts is ThemeCounts of code on axis over the days from to to,
// from the boards cache (which counts on the read replica when there is
// one).
func (w *Web) themeCounts(ctx context.Context, axis store.ThemeAxis, code string, from, to time.Time) (map[string]int64, error) {
	return w.boards.Themes(ctx, string(axis), code, from, to)
}
