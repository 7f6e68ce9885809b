// Package figures turns published index boards into the pictures the
// public pages and the supervisor's dashboard show (trend lines, ranking
// bars) and writes their numbers, in one language at a time. Pages in
// package web and console both draw from here, so a figure reads the same
// wherever it appears.
package figures

import (
	"fmt"
	"time"

	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/chart"
	"github.com/haocha/haocha/internal/index"
)

// Colours: a member in the pages' blue (red for bad reviews), the city in
// grey, dashed.
const (
	ColorUnit = "#0b57d0"
	ColorBad  = "#b3261e"
	ColorCity = "#6b6f7a"
)

// Words are the texts a figure needs, in the page's language.
type Words struct {
	English      bool
	Month        string // heads the trend tables' first column
	City         string // the city's name in a legend
	GoodTrend    string // caption of the 好评率 trend
	BadTrend     string // caption of the 差评率 trend
	Insufficient string // 样本不足
}

// Trends draws the monthly 好评率 and 差评率 of a member (named name)
// beside the city's. A month without reviews is a gap, not a zero.
func Trends(months []board.Month, name string, w Words) (good, bad chart.Figure) {
	var short, long []string
	var g, b, cg, cb []*float64
	for _, m := range months {
		short, long = append(short, MonthLabel(m.From, w.English, false)), append(long, MonthLabel(m.From, w.English, true))
		g, b = append(g, m.Entry.Indicators.GoodRate), append(b, m.Entry.Indicators.BadRate)
		cg, cb = append(cg, m.City.Indicators.GoodRate), append(cb, m.City.Indicators.BadRate)
	}
	line := func(caption, color string, member, city []*float64) chart.Figure {
		series := []chart.Series{{Name: name, Color: color, Values: member}}
		if city != nil {
			series = append(series, chart.Series{Name: w.City, Color: ColorCity, Dashed: true, Values: city})
		}
		return chart.Line{Caption: caption, Corner: w.Month, Labels: short, Long: long, Max: 1, Series: series}.Figure()
	}
	if name == w.City { // the city's own trend: one line
		cg, cb = nil, nil
	}
	return line(w.GoodTrend, ColorUnit, g, cg), line(w.BadTrend, ColorBad, b, cb)
}

// RankBars draws entries' indexes as bars on the 0–100 scale, labelled
// "rank. name"; names maps codes to names in the page's language.
func RankBars(caption, corner, series string, entries []index.Entry, names map[string]string) chart.Figure {
	c := chart.Bars{Caption: caption, Corner: corner, Max: 100, Format: func(x float64) string { return fmt.Sprintf("%.2f", x) },
		Series: []chart.Series{{Name: series, Color: ColorUnit}}}
	for _, e := range entries {
		c.Labels = append(c.Labels, fmt.Sprintf("%d. %s", e.Rank, names[e.Code]))
		c.Series[0].Values = append(c.Series[0].Values, e.Index)
	}
	return c.Figure()
}

// IndexText is an entry's index with two decimals, or 样本不足.
func IndexText(e index.Entry, w Words) string {
	if e.Index == nil {
		return w.Insufficient
	}
	return fmt.Sprintf("%.2f", *e.Index)
}

// Rate is a rate as a percentage, or a dash when it has no denominator
// (no work orders): "none" is not "0%".
func Rate(x *float64) string {
	if x == nil {
		return "—"
	}
	return chart.Percent(*x)
}

// Period writes a period of days.
func Period(from, to time.Time) string {
	return from.Format(time.DateOnly) + " – " + to.Format(time.DateOnly)
}

// MonthLabel names a month on an axis ("7月", "Jul") or in a table
// ("2026年7月", "Jul 2026").
func MonthLabel(m time.Time, english, long bool) string {
	switch {
	case english && long:
		return m.Format("Jan 2006")
	case english:
		return m.Format("Jan")
	case long:
		return fmt.Sprintf("%d年%d月", m.Year(), m.Month())
	}
	return fmt.Sprintf("%d月", m.Month())
}
