package chart

import (
	"fmt"
	"strings"
)

// Bars is a horizontal bar chart: a row per label, a bar per series in
// each row (one series for a ranking; this unit and the city for a
// comparison). Labels sit above their bars, so long names need no room to
// the side on a phone.
type Bars struct {
	Caption string
	Corner  string // heads the table's label column
	Labels  []string
	Series  []Series
	Format  func(float64) string // Percent when nil
	// Max is the value of a full bar: 1 for rates, 100 for the index.
	Max float64
}

const (
	barLabelH = 20 // a row's label line, pixels
	barH      = 14 // one bar
	barGap    = 4  // between bars of a row
	barRowGap = 10 // after a row
	barWidth  = 80 // a full bar, percent of the width; values to its right
)

// Figure draws the chart.
func (c Bars) Figure() Figure {
	format := c.Format
	if format == nil {
		format = Percent
	}
	full := c.Max
	if full <= 0 {
		full = 1
	}
	rowH := barLabelH + len(c.Series)*(barH+barGap) + barRowGap
	height := rowH * len(c.Labels)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart bars" width="100%%" height="%d" aria-hidden="true" focusable="false">`, height)
	for i, lab := range c.Labels {
		top := i * rowH
		fmt.Fprintf(&b, `<text x="0" y="%d" font-size="14" fill="#1f2329">%s</text>`, top+15, attr(lab))
		for k, s := range c.Series {
			y := top + barLabelH + k*(barH+barGap)
			fmt.Fprintf(&b, `<rect x="0" y="%d" width="%d%%" height="%d" fill="#eceef2"/>`, y, barWidth, barH)
			text := "—"
			if i < len(s.Values) && s.Values[i] != nil {
				v := *s.Values[i]
				w := barWidth * min(max(v/full, 0), 1)
				fmt.Fprintf(&b, `<rect x="0" y="%d" width="%s%%" height="%d" fill="%s"><title>%s %s: %s</title></rect>`, y, num(w), barH, attr(s.Color), attr(s.Name), attr(lab), attr(format(v)))
				text = format(v)
			}
			fmt.Fprintf(&b, `<text x="100%%" y="%d" text-anchor="end" font-size="13" fill="#1f2329">%s</text>`, y+barH-2, attr(text))
		}
	}
	b.WriteString(`</svg>`)
	f := Figure{SVG: htmlOf(b.String()), Table: seriesTable(c.Caption, c.Corner, c.Labels, c.Series, format)}
	for _, s := range c.Series {
		if len(c.Series) > 1 {
			f.Legend = append(f.Legend, Key{Color: s.Color, Text: s.Name})
		}
	}
	return f
}
