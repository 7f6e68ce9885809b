package chart

import (
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func f(x float64) *float64 { return &x }

func TestLineTableAndGaps(t *testing.T) {
	l := Line{Caption: "好评率", Corner: "月份", Labels: []string{"5月", "6月", "7月", "8月"}, Long: []string{"2026年5月", "2026年6月", "2026年7月", "2026年8月"},
		Series: []Series{
			{Name: "黄浦区", Color: "#1a5fb4", Values: []*float64{f(0.9), nil, f(0.95), f(0.97)}},
			{Name: "上海市", Color: "#6b6f7a", Dashed: true, Values: []*float64{f(0.92), f(0.93), f(0.94), f(0.95)}},
		}}
	fig := l.Figure()
	want := Table{Caption: "好评率", Columns: []string{"月份", "黄浦区", "上海市"}, Rows: [][]string{
		{"2026年5月", "90.0%", "92.0%"}, {"2026年6月", "—", "93.0%"}, {"2026年7月", "95.0%", "94.0%"}, {"2026年8月", "97.0%", "95.0%"}}}
	if d := cmp.Diff(want, fig.Table); d != "" {
		t.Errorf("table (-want +got):\n%s", d)
	}
	svg := string(fig.SVG)
	// The month without reviews breaks the unit's line: 1 segment (7月–8月)
	// of the unit's and 3 of the city's, 3 + 4 points.
	if got := strings.Count(svg, `stroke-width="2.5"`); got != 4 {
		t.Errorf("%d line segments, want 4", got)
	}
	if got := strings.Count(svg, "<circle"); got != 7 {
		t.Errorf("%d points, want 7", got)
	}
	if got := strings.Count(svg, `stroke-dasharray="6 4"`); got != 3 {
		t.Errorf("%d dashed segments, want the city's 3", got)
	}
	if string(l.Figure().SVG) != svg {
		t.Error("the same data drew different SVG")
	}
	if d := cmp.Diff([]Key{{Color: "#1a5fb4", Line: true, Text: "黄浦区"}, {Color: "#6b6f7a", Dashed: true, Line: true, Text: "上海市"}}, fig.Legend); d != "" {
		t.Errorf("legend (-want +got):\n%s", d)
	}
}

// gridLabels lists the y axis's labels from top to bottom.
func gridLabels(svg string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`text-anchor="end" font-size="12" fill="#4a4f5a">([^<]*)<`).FindAllStringSubmatch(svg, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestLineAxis(t *testing.T) {
	for _, tc := range []struct {
		name   string
		values []*float64
		want   []string // from the bottom up
	}{
		// A span of 4.5 points in about four steps: 1.125 rounds up to 2.
		{"high rates, a narrow band", []*float64{f(0.93), f(0.975)}, []string{"92%", "94%", "96%", "98%"}},
		{"low rates", []*float64{f(0.011), f(0.032)}, []string{"1%", "2%", "3%", "4%"}},
		{"never below 0", []*float64{f(0), f(0.4)}, []string{"0%", "10%", "20%", "30%", "40%"}},
		// Spans under 2 points are widened to 2, in half-point steps.
		{"never above 100%", []*float64{f(0.99), f(1)}, []string{"98.0%", "98.5%", "99.0%", "99.5%", "100.0%"}},
		{"one flat value", []*float64{f(0.5), f(0.5)}, []string{"49.0%", "49.5%", "50.0%", "50.5%", "51.0%"}},
		{"no data", []*float64{nil, nil}, []string{"0%", "50%", "100%"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			svg := string(Line{Labels: []string{"a", "b"}, Series: []Series{{Name: "x", Values: tc.values}}}.Figure().SVG)
			got := gridLabels(svg)
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("y axis (-want +got):\n%s", d)
			}
		})
	}
}

func TestEscapesText(t *testing.T) {
	evil := `<script>alert(1)</script>"`
	for name, svg := range map[string]string{
		"line":  string(Line{Labels: []string{evil}, Series: []Series{{Name: evil, Color: `"/><x`, Values: []*float64{f(0.5)}}}}.Figure().SVG),
		"bars":  string(Bars{Labels: []string{evil}, Series: []Series{{Name: evil, Values: []*float64{f(0.5)}}}}.Figure().SVG),
		"tiles": string(TileMap{Tiles: []Tile{{Label: evil, Value: f(80)}}, Missing: evil}.Figure().SVG),
	} {
		if strings.Contains(svg, "<script") || strings.Contains(svg, `"/><x`) {
			t.Errorf("%s: text not escaped: %s", name, svg)
		}
	}
}

func TestBarsWidthAndTable(t *testing.T) {
	fig := Bars{Caption: "对比", Corner: "指标", Labels: []string{"好评率", "整改率"}, Max: 1,
		Series: []Series{{Name: "黄浦区", Color: "#1a5fb4", Values: []*float64{f(0.5), nil}}, {Name: "上海市", Color: "#6b6f7a", Values: []*float64{f(1), f(0.25)}}},
	}.Figure()
	svg := string(fig.SVG)
	// A full bar is 80% of the width: 0.5 draws 40%, 1 draws 80%, 0.25 20%.
	for _, w := range []string{`width="40%" height="14" fill="#1a5fb4"`, `width="80%" height="14" fill="#6b6f7a"`, `width="20%" height="14" fill="#6b6f7a"`} {
		if !strings.Contains(svg, w) {
			t.Errorf("no bar %s in %s", w, svg)
		}
	}
	// Two rows of 20 + 2×18 + 10 pixels.
	if !strings.Contains(svg, `height="132"`) {
		t.Errorf("height: %s", svg[:80])
	}
	want := [][]string{{"好评率", "50.0%", "100.0%"}, {"整改率", "—", "25.0%"}}
	if d := cmp.Diff(want, fig.Table.Rows); d != "" {
		t.Errorf("rows (-want +got):\n%s", d)
	}
	if len(fig.Legend) != 2 {
		t.Errorf("legend %v, want the two series", fig.Legend)
	}
	if one := (Bars{Labels: []string{"a"}, Series: []Series{{Name: "x", Values: []*float64{f(1)}}}}).Figure(); len(one.Legend) != 0 {
		t.Errorf("a one-series chart has a legend: %v", one.Legend)
	}
}

func TestBands(t *testing.T) {
	for _, tc := range []struct {
		values []float64
		want   [6]float64
	}{
		{[]float64{81.2, 92.7, 88}, [6]float64{81, 83.4, 85.8, 88.2, 90.6, 93}},
		{[]float64{90, 90}, [6]float64{90, 90.2, 90.4, 90.6, 90.8, 91}},
		{nil, [6]float64{}},
	} {
		got := Bands(tc.values)
		for i := range got {
			if d := got[i] - tc.want[i]; d > 1e-9 || d < -1e-9 {
				t.Errorf("Bands(%v) = %v, want %v", tc.values, got, tc.want)
				break
			}
		}
	}
}

func TestTileMap(t *testing.T) {
	m := TileMap{Caption: "各区评价指数", Corner: "区", Column: "指数", NoteCol: "评价数", Missing: "样本不足", Tiles: []Tile{
		{Col: 4, Row: 0, Label: "崇明区", Value: f(81.2), Note: "n = 40"},
		{Col: 3, Row: 3, Label: "黄浦区", Value: f(92.7), Note: "n = 900"},
		{Col: 0, Row: 3, Label: "青浦区", Note: "n = 12"},
	}}
	fig := m.Figure()
	svg := string(fig.SVG)
	if !strings.Contains(svg, `viewBox="0 0 500 400"`) {
		t.Errorf("5 columns and 4 rows should make a 500×400 map: %s", svg[:90])
	}
	// The lowest value takes the lightest shade with dark text, the highest
	// the darkest with white text; the one without a value is grey.
	for _, want := range []string{
		`fill="#deebf7"/><text x="450" y="41" text-anchor="middle" font-size="20" fill="#10243e">崇明区`,
		`fill="#0b3c73"/><text x="350" y="341" text-anchor="middle" font-size="20" fill="#ffffff">黄浦区`,
		`fill="#f4f5f7" stroke="#8a8f99" stroke-dasharray="4 3"/>`,
		`font-weight="700" fill="#3d414b">样本不足</text>`,
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("map lacks %s", want)
		}
	}
	want := [][]string{{"崇明区", "81.2", "n = 40"}, {"黄浦区", "92.7", "n = 900"}, {"青浦区", "样本不足", "n = 12"}}
	if d := cmp.Diff(want, fig.Table.Rows); d != "" {
		t.Errorf("rows (-want +got):\n%s", d)
	}
	if len(fig.Legend) != 6 || fig.Legend[0].Text != "81.0–83.4" || fig.Legend[5].Text != "样本不足" {
		t.Errorf("legend %v", fig.Legend)
	}
}

func TestFitFont(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want float64
	}{
		{"黄浦区", 20},            // 60 units wide at 20
		{"Chongming", 15.5},    // 9 × 0.6 em would be 108 at 20
		{"样本不足", 21},           // 4 em at 24 is 96: shrunk to 84
		{"Insufficient", 11.6}, // 12 × 0.6 × 24 = 172.8
	} {
		size := 20.0
		if tc.s == "样本不足" || tc.s == "Insufficient" {
			size = 24
		}
		if got := fitFont(tc.s, size, 84); got != tc.want {
			t.Errorf("fitFont(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}

func TestLongLabelsWrap(t *testing.T) {
	svg := string(TileMap{Tiles: []Tile{{Label: "Pudong New Area", Value: f(90)}, {Col: 1, Label: "Jing'an", Value: f(91)}}}.Figure().SVG)
	// "Pudong New Area" on one line would be drawn at 9.3: on two, "New
	// Area" (8 × 0.6 em) fits at 17.5, a line above and below the middle.
	for _, want := range []string{
		`<text x="50" y="31.25" text-anchor="middle" font-size="17.5" fill="#10243e">Pudong</text>`,
		`<text x="50" y="50.75" text-anchor="middle" font-size="17.5" fill="#10243e">New Area</text>`,
		`<text x="150" y="41" text-anchor="middle" font-size="20" fill="#ffffff">Jing&#39;an</text>`,
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("map lacks %s in\n%s", want, svg)
		}
	}
}

func TestMeter(t *testing.T) {
	for frac, want := range map[float64]string{0.8841: `width="88.41%"`, 1.2: `width="100%" height="10" fill="#1a5fb4"`, -1: `width="0%"`} {
		if got := string(Meter(frac, "#1a5fb4")); !strings.Contains(got, want) {
			t.Errorf("Meter(%v) = %s, want %s", frac, got, want)
		}
	}
}

func TestFigureHTMLHasTheTable(t *testing.T) {
	fig := Bars{Caption: "对比 <b>", Corner: "指标", Labels: []string{"好评率"},
		Series: []Series{{Name: "黄浦区", Color: "#0b57d0", Values: []*float64{f(0.5)}}, {Name: "上海市", Color: "#6b6f7a", Values: []*float64{f(0.6)}}}}.Figure()
	got := string(fig.HTML())
	for _, want := range []string{
		`<figcaption>对比 &lt;b&gt;</figcaption>`,
		`<svg class="chart bars"`,
		`<ul class="legend" aria-hidden="true"><li><svg class="swatch"`,
		`<div class="visually-hidden"><table>`,
		`<thead><tr><th scope="col">指标</th><th scope="col">黄浦区</th><th scope="col">上海市</th></tr></thead>`,
		`<tr><th scope="row">好评率</th><td>50.0%</td><td>60.0%</td></tr>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("figure lacks %s in\n%s", want, got)
		}
	}
}
