package web

// The complaint themes (差评主题) of a unit's, hall's or item's bad reviews
// on its public page: where they concentrate over the scorecard's 30 days,
// and how the most frequent themes moved month by month.

import (
	"context"
	"strconv"
	"time"

	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/chart"
	"github.com/haocha/haocha/internal/figures"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/theme"
)

const (
	// themeMonths is how many calendar months the themes' trend shows,
	// the current one last: half a year shows a season's change without
	// crowding a phone's width.
	themeMonths = 6
	// trendThemes is how many themes the trend draws: more lines than
	// three cannot be told apart at 390 px.
	trendThemes = 3
)

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
// the scorecard's period and over each of the last themeMonths months.
func (w *Web) loadThemes(ctx context.Context, l locale, axis store.ThemeAxis, code string) (*themesView, error) {
	st := w.store
	if w.figures != nil {
		st = w.figures
	}
	tax := theme.Default()
	now := w.store.Now()
	from, to := board.Recent(now)
	counts, err := st.ThemeCounts(ctx, axis, code, from, to)
	if err != nil {
		return nil, err
	}
	v := &themesView{Period: figures.Period(from, to), Top: tax.Rank(counts)}
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
	today := calendar.Midnight(now)
	first := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, calendar.Zone).AddDate(0, 1-themeMonths, 0)
	monthly := make([]map[string]int64, themeMonths)
	total := map[string]int64{}
	line := chart.Line{Caption: l.T("themes.trend"), Corner: l.T("col.month"), Format: count, MinStep: 1, Height: 180}
	for i := range themeMonths {
		m := first.AddDate(0, i, 0)
		last := m.AddDate(0, 1, -1)
		if last.After(today) {
			last = today
		}
		if monthly[i], err = st.ThemeCounts(ctx, axis, code, m, last); err != nil {
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
		for i := range themeMonths {
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
