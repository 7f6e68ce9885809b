package chart

import (
	"fmt"
	"math"
	"strings"
)

// Tile is one place on a tile map: a square at a column and row, shaded
// by its value. A tile without a value (too few reviews to score) is drawn
// grey with Missing written on it.
type Tile struct {
	Col, Row int
	Label    string
	Value    *float64
	// Note is added to the tile's table row, e.g. "n = 812".
	Note string
}

// TileMap is a schematic map: equal squares placed roughly where the
// places lie, each shaded by its value in one of five equal bands between
// the lowest and highest value shown.
type TileMap struct {
	Caption string
	Corner  string // heads the table's label column
	Column  string // heads the value column
	NoteCol string // heads the note column; no note column when empty
	Tiles   []Tile
	Format  func(float64) string // one decimal when nil
	// Missing is written on, and stands in the legend for, tiles without
	// a value (样本不足).
	Missing string
}

// Shades from light to dark; text is dark on the first three and white on
// the last two, each pair above 4.5:1 contrast.
var shades = [5]string{"#deebf7", "#b3d3ea", "#7db4da", "#2f6fad", "#0b3c73"}

const (
	missingFill = "#f4f5f7"
	tileStep    = 100 // a tile and its gap, in viewBox units
	tileSize    = 94
)

// Bands returns the five bands' lower bounds and the top of the last one:
// the values' range widened to whole numbers and cut in five equal parts.
func Bands(values []float64) [6]float64 {
	var out [6]float64
	if len(values) == 0 {
		return out
	}
	lo, hi := values[0], values[0]
	for _, v := range values {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	lo, hi = math.Floor(lo), math.Ceil(hi)
	if hi <= lo {
		hi = lo + 1
	}
	for i := range out {
		out[i] = lo + (hi-lo)*float64(i)/5
	}
	return out
}

// band is the band of v: 0 (lowest) to 4.
func band(b [6]float64, v float64) int {
	for i := 4; i > 0; i-- {
		if v >= b[i] {
			return i
		}
	}
	return 0
}

// Figure draws the map.
func (m TileMap) Figure() Figure {
	format := m.Format
	if format == nil {
		format = func(x float64) string { return fmt.Sprintf("%.1f", x) }
	}
	var values []float64
	cols, rows := 1, 1
	for _, t := range m.Tiles {
		if t.Value != nil {
			values = append(values, *t.Value)
		}
		cols, rows = max(cols, t.Col+1), max(rows, t.Row+1)
	}
	bands := Bands(values)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart tiles" viewBox="0 0 %d %d" aria-hidden="true" focusable="false">`, cols*tileStep, rows*tileStep)
	for _, t := range m.Tiles {
		x, y := t.Col*tileStep+(tileStep-tileSize)/2, t.Row*tileStep+(tileStep-tileSize)/2
		fill, ink, text, stroke := missingFill, "#3d414b", m.Missing, ` stroke="#8a8f99" stroke-dasharray="4 3"`
		if t.Value != nil {
			k := band(bands, *t.Value)
			fill, text, stroke = shades[k], format(*t.Value), ""
			ink = "#10243e"
			if k >= 3 {
				ink = "#ffffff"
			}
		}
		fmt.Fprintf(&b, `<g><title>%s: %s</title>`, attr(t.Label), attr(text))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" rx="6" fill="%s"%s/>`, x, y, tileSize, tileSize, fill, stroke)
		cx := x + tileSize/2
		lines := labelLines(t.Label, 20, tileSize-10)
		size := fitFont(longest(lines), 20, tileSize-10)
		for i, line := range lines {
			ly := float64(y+38) + (float64(i)-float64(len(lines)-1)/2)*(size+2)
			fmt.Fprintf(&b, `<text x="%d" y="%s" text-anchor="middle" font-size="%s" fill="%s">%s</text>`, cx, num(ly), num(size), ink, attr(line))
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" font-size="%s" font-weight="700" fill="%s">%s</text>`, cx, y+70, num(fitFont(text, 24, tileSize-10)), ink, attr(text))
		b.WriteString(`</g>`)
	}
	b.WriteString(`</svg>`)

	f := Figure{SVG: htmlOf(b.String())}
	if len(values) > 0 {
		for i := range 5 {
			f.Legend = append(f.Legend, Key{Color: shades[i], Text: format(bands[i]) + "–" + format(bands[i+1])})
		}
	}
	f.Legend = append(f.Legend, Key{Color: missingFill, Text: m.Missing})
	f.Table = Table{Caption: m.Caption, Columns: []string{m.Corner, m.Column}}
	if m.NoteCol != "" {
		f.Table.Columns = append(f.Table.Columns, m.NoteCol)
	}
	for _, t := range m.Tiles {
		row := []string{t.Label, m.Missing}
		if t.Value != nil {
			row[1] = format(*t.Value)
		}
		if m.NoteCol != "" {
			row = append(row, t.Note)
		}
		f.Table.Rows = append(f.Table.Rows, row)
	}
	return f
}

// fitFont is the largest size up to size at which s fits in width units.
func fitFont(s string, size, width float64) float64 {
	if w := textWidth(s) * size; w > width {
		return math.Floor(size*width/w*10) / 10
	}
	return size
}

// labelLines breaks a label that would shrink below three quarters of
// size on one line ("Pudong New Area") at the space nearest its middle.
func labelLines(s string, size, width float64) []string {
	if fitFont(s, size, width) >= size*0.75 {
		return []string{s}
	}
	best := -1
	for i, r := range s {
		if r == ' ' && (best < 0 || abs(i-len(s)/2) < abs(best-len(s)/2)) {
			best = i
		}
	}
	if best < 0 {
		return []string{s}
	}
	return []string{s[:best], s[best+1:]}
}

func longest(lines []string) string {
	out := ""
	for _, l := range lines {
		if textWidth(l) > textWidth(out) {
			out = l
		}
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
