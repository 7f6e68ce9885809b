package chart

import (
	"fmt"
	"math"
	"strings"
)

// Series is one line: a value per label, nil where there is none (a month
// without reviews), which leaves a gap rather than a false zero.
type Series struct {
	Name   string
	Color  string
	Dashed bool
	Values []*float64
}

// Line is a line chart of one or more series over the same labels (months).
type Line struct {
	// Caption names the chart; it heads the data table.
	Caption string
	// Corner heads the table's label column ("月份").
	Corner string
	Labels []string
	// Long labels the table's rows ("2026年7月" where the axis says
	// "7月"); Labels when nil.
	Long   []string
	Series []Series
	// Format writes a value (Percent when nil).
	Format func(float64) string
	// Min and Max bound the y axis; the axis spans the data, rounded out
	// to a whole step, and never leaves [Min, Max] (0 and 1 for rates).
	Min, Max float64
	// MinStep is the least step of the y axis: 1 for counts, so that
	// their axis never says 0.5; any when 0.
	MinStep float64
	Height  int // pixels; 200 when 0
}

// The plot area, in percent of the width and pixels of the height.
const (
	lineLeft   = 13.0 // room for the y axis's labels
	lineRight  = 2.0
	lineTop    = 10.0
	lineBottom = 26.0 // room for the x axis's labels
)

// Figure draws the chart.
func (l Line) Figure() Figure {
	format := l.Format
	if format == nil {
		format = Percent
	}
	height := l.Height
	if height == 0 {
		height = 200
	}
	lo, hi, step := l.axis()
	plotH := float64(height) - lineTop - lineBottom
	y := func(v float64) float64 { return lineTop + plotH*(hi-v)/(hi-lo) }
	n := len(l.Labels)
	x := func(i int) float64 { return lineLeft + (100-lineLeft-lineRight)*(float64(i)+0.5)/float64(max(n, 1)) }

	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart line" width="100%%" height="%d" aria-hidden="true" focusable="false">`, height)
	b.WriteString(`<g class="grid">`)
	for k := 0; ; k++ {
		v := lo + float64(k)*step
		if v > hi+step/1e6 {
			break
		}
		yy := num(y(v))
		fmt.Fprintf(&b, `<line x1="%s%%" x2="%s%%" y1="%s" y2="%s" stroke="#d5d8de" stroke-width="1"/>`, num(lineLeft), num(100-lineRight), yy, yy)
		fmt.Fprintf(&b, `<text x="%s%%" y="%s" dx="-4" dy="0.32em" text-anchor="end" font-size="12" fill="#4a4f5a">%s</text>`, num(lineLeft), yy, attr(axisLabel(v, step, l.Format == nil, format)))
	}
	b.WriteString(`</g><g class="x-axis">`)
	for i, lab := range l.Labels {
		parity := "x-even"
		if (n-1-i)%2 == 1 { // the last label always shows
			parity = "x-odd"
		}
		fmt.Fprintf(&b, `<text class="%s" x="%s%%" y="%d" text-anchor="middle" font-size="12" fill="#4a4f5a">%s</text>`, parity, num(x(i)), height-8, attr(lab))
	}
	b.WriteString(`</g>`)
	for _, s := range l.Series {
		dash := ""
		if s.Dashed {
			dash = ` stroke-dasharray="6 4"`
		}
		fmt.Fprintf(&b, `<g class="series" stroke="%s" fill="%s">`, attr(s.Color), attr(s.Color))
		for i := 1; i < len(s.Values) && i < n; i++ {
			a, c := s.Values[i-1], s.Values[i]
			if a == nil || c == nil {
				continue
			}
			fmt.Fprintf(&b, `<line x1="%s%%" y1="%s" x2="%s%%" y2="%s" stroke-width="2.5"%s/>`, num(x(i-1)), num(y(*a)), num(x(i)), num(y(*c)), dash)
		}
		for i, v := range s.Values {
			if v == nil || i >= n {
				continue
			}
			fmt.Fprintf(&b, `<circle cx="%s%%" cy="%s" r="3.5"><title>%s %s: %s</title></circle>`, num(x(i)), num(y(*v)), attr(s.Name), attr(l.Labels[i]), attr(format(*v)))
		}
		b.WriteString(`</g>`)
	}
	b.WriteString(`</svg>`)

	long := l.Long
	if long == nil {
		long = l.Labels
	}
	f := Figure{SVG: htmlOf(b.String()), Table: seriesTable(l.Caption, l.Corner, long, l.Series, format)}
	for _, s := range l.Series {
		f.Legend = append(f.Legend, Key{Color: s.Color, Dashed: s.Dashed, Line: true, Text: s.Name})
	}
	return f
}

// seriesTable is the table of a chart of series over labels: a row per
// label, a column per series.
func seriesTable(caption, corner string, labels []string, series []Series, format func(float64) string) Table {
	t := Table{Caption: caption, Columns: []string{corner}}
	for _, s := range series {
		t.Columns = append(t.Columns, s.Name)
	}
	for i, lab := range labels {
		row := []string{lab}
		for _, s := range series {
			row = append(row, cell(s.Values, i, format))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// cell is the table's text for values[i]: "—" where there is none.
func cell(values []*float64, i int, format func(float64) string) string {
	if i >= len(values) || values[i] == nil {
		return "—"
	}
	return format(*values[i])
}

// axis chooses the y axis: the data's range rounded out to a step of 1, 2
// or 5 times a power of ten, about four steps in all, within [Min, Max].
func (l Line) axis() (lo, hi, step float64) {
	first := true
	for _, s := range l.Series {
		for _, v := range s.Values {
			if v == nil {
				continue
			}
			if first || *v < lo {
				lo = *v
			}
			if first || *v > hi {
				hi = *v
			}
			first = false
		}
	}
	bottom, top := l.Min, l.Max
	if bottom == 0 && top == 0 {
		bottom, top = 0, 1
	}
	if first {
		lo, hi = bottom, top
	}
	span := hi - lo
	if span < (top-bottom)/50 {
		span = (top - bottom) / 50
		lo, hi = lo-span/2, hi+span/2
	}
	step = max(niceStep(span/4), l.MinStep)
	lo = math.Max(bottom, math.Floor(lo/step+1e-9)*step)
	hi = math.Min(top, math.Ceil(hi/step-1e-9)*step)
	if hi <= lo {
		hi = lo + step
	}
	return lo, hi, step
}

// niceStep rounds x up to 1, 2 or 5 times a power of ten.
func niceStep(x float64) float64 {
	if x <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5, 10} {
		if x <= m*p*(1+1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// axisLabel writes a grid line's value: Percent for rates, but without a
// decimal when the step is a whole percent.
func axisLabel(v, step float64, percent bool, format func(float64) string) string {
	if percent && step >= 0.01-1e-12 {
		return fmt.Sprintf("%.0f%%", math.Round(v*100))
	}
	return format(v)
}
