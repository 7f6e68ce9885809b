// Package chart draws the published figures as SVG on the server: line
// charts of monthly rates, horizontal bar charts and a tile map, each from
// plain data and each with the table of its figures beside it, because a
// screen reader reads the table, not the picture. Output is deterministic
// (same data, same bytes) and needs no script, font or stylesheet from
// elsewhere: colours are presentation attributes, so a page's Content
// Security Policy (no inline styles) lets them through.
//
// Line and bar charts are drawn at 100% of their container's width with
// fixed pixel heights: x positions are percentages and y positions pixels,
// so the text stays its size on a phone instead of shrinking with a
// viewBox. The tile map keeps its shape and so scales as a whole.
package chart

import (
	"fmt"
	"html"
	"html/template"
	"strings"
)

// Figure is a drawn chart with its legend and its data table.
type Figure struct {
	// SVG is the picture, hidden from assistive technology: the table says
	// the same in a form a screen reader can walk.
	SVG    template.HTML
	Legend []Key
	Table  Table
}

// Key is one entry of a legend: a colour (a line, dashed or not, or a
// filled square) and what it stands for.
type Key struct {
	Color  string
	Dashed bool
	Line   bool // a line sample rather than a square
	Text   string
}

// Swatch is the key's sample as a small SVG.
func (k Key) Swatch() template.HTML {
	if k.Line {
		dash := ""
		if k.Dashed {
			dash = ` stroke-dasharray="5 3"`
		}
		return template.HTML(fmt.Sprintf(`<svg class="swatch" width="24" height="12" aria-hidden="true" focusable="false"><line x1="0" y1="6" x2="24" y2="6" stroke="%s" stroke-width="3"%s/></svg>`, attr(k.Color), dash))
	}
	return template.HTML(fmt.Sprintf(`<svg class="swatch" width="14" height="14" aria-hidden="true" focusable="false"><rect width="14" height="14" rx="2" fill="%s" stroke="#6b6f7a" stroke-width="1"/></svg>`, attr(k.Color)))
}

// Table is a chart's figures: a header row, then one row per label whose
// first cell heads the row.
type Table struct {
	Caption string
	Columns []string
	Rows    [][]string
}

// Percent formats a rate in 0–1 as a percentage with one decimal.
func Percent(x float64) string { return fmt.Sprintf("%.1f%%", x*100) }

// attr escapes text for an attribute or element content.
func attr(s string) string { return html.EscapeString(s) }

// num writes a coordinate with at most two decimals and no trailing zeros,
// so output is short and the same on every machine.
func num(x float64) string {
	s := fmt.Sprintf("%.2f", x)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

// textWidth estimates a label's width in em: a CJK character is about one
// em, a Latin letter or digit a little over half.
func textWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		if r >= 0x2E80 {
			w += 1
		} else {
			w += 0.6
		}
	}
	return w
}

// htmlOf marks markup this package built, every text in it escaped, as
// safe for a template.
func htmlOf(s string) template.HTML { return template.HTML(s) }

// Meter is a bar for a table cell: frac of it filled (clamped to 0–1).
func Meter(frac float64, color string) template.HTML {
	w := num(100 * min(max(frac, 0), 1))
	return htmlOf(fmt.Sprintf(`<svg class="meter" width="100%%" height="10" aria-hidden="true" focusable="false"><rect width="100%%" height="10" fill="#eceef2"/><rect width="%s%%" height="10" fill="%s"/></svg>`, w, attr(color)))
}
