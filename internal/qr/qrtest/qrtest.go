// Package qrtest reads printed QR codes back for tests, through an
// independent decoder (github.com/makiuchi-d/gozxing), so that a test checks
// what a phone would scan rather than what the encoder meant to draw. Only
// tests import it.
package qrtest

import (
	"bytes"
	"html"
	"image"
	"image/color"
	"image/png"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"
)

// Decode returns the text of the QR code in img, failing tb if none reads.
func Decode(tb testing.TB, img image.Image) string {
	tb.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		tb.Fatalf("qrtest: %v", err)
	}
	// The finder-pattern detector misjudges the size of a few codes now and
	// then (a version between two real ones); the codes here are drawn
	// square and unrotated, which the pure-barcode mode reads exactly.
	res, err := zxqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		var pure error
		res, pure = zxqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{
			gozxing.DecodeHintType_PURE_BARCODE: true, gozxing.DecodeHintType_TRY_HARDER: true})
		if pure != nil {
			tb.Fatalf("qrtest: no code reads: %v; as a pure code: %v", err, pure)
		}
	}
	return res.GetText()
}

// DecodePNG decodes the code in a PNG file.
func DecodePNG(tb testing.TB, b []byte) string {
	tb.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		tb.Fatalf("qrtest: png: %v", err)
	}
	return Decode(tb, img)
}

// DecodeSVG rasterizes an SVG code as drawn by package qr and decodes it.
func DecodeSVG(tb testing.TB, svg string) string {
	tb.Helper()
	modules := SVGModules(tb, svg)
	const scale = 4 // pixels a module
	n := len(modules)
	img := image.NewGray(image.Rect(0, 0, n*scale, n*scale))
	for y := range n * scale {
		for x := range n * scale {
			c := color.Gray{Y: 255}
			if modules[y/scale][x/scale] {
				c.Y = 0
			}
			img.SetGray(x, y, c)
		}
	}
	return Decode(tb, img)
}

var (
	viewBox = regexp.MustCompile(`viewBox="0 0 (\d+) (\d+)"`)
	path    = regexp.MustCompile(`<path stroke="#000" d="([^"]*)"`)
	command = regexp.MustCompile(`([Mmh])(\d+)(?:\.5)?(?: (\d+)(?:\.5)?)?`)
)

// SVGModules reads the dark modules an SVG code draws: a square viewBox a
// unit a module, and one stroked path of horizontal runs along the middle
// of each row (M x y.5, m dx 0, h w). Anything else fails tb, so a change
// of drawing has to come with a change here.
func SVGModules(tb testing.TB, svg string) [][]bool {
	tb.Helper()
	vb := viewBox.FindStringSubmatch(svg)
	if vb == nil || vb[1] != vb[2] {
		tb.Fatalf("qrtest: no square viewBox in %.80q", svg)
	}
	n, _ := strconv.Atoi(vb[1])
	d := path.FindStringSubmatch(svg)
	if d == nil {
		tb.Fatalf("qrtest: no path in %.80q", svg)
	}
	modules := make([][]bool, n)
	for i := range modules {
		modules[i] = make([]bool, n)
	}
	x, y := 0, 0
	rest := d[1]
	for rest != "" {
		m := command.FindStringSubmatchIndex(rest)
		if m == nil || m[0] != 0 {
			tb.Fatalf("qrtest: unexpected path data %.20q", rest)
		}
		op := rest[m[2]:m[3]]
		a, _ := strconv.Atoi(rest[m[4]:m[5]])
		switch op {
		case "M":
			x = a
			y, _ = strconv.Atoi(rest[m[6]:m[7]])
		case "m":
			if m[6] < 0 || rest[m[6]:m[7]] != "0" {
				tb.Fatalf("qrtest: a relative move off the row: %.20q", rest)
			}
			x += a
		case "h":
			if y >= n || x+a > n {
				tb.Fatalf("qrtest: run (%d,%d)+%d outside %d modules", x, y, a, n)
			}
			for i := x; i < x+a; i++ {
				modules[y][i] = true
			}
			x += a
		}
		rest = strings.TrimPrefix(rest[m[1]:], " ")
	}
	return modules
}

// A SheetCode is one code cut from a printable sheet.
type SheetCode struct {
	Link string // where the label's link points
	Text string // what its code reads
}

var label = regexp.MustCompile(`<figure class="label"><a href="([^"]*)">(<svg .*?</svg>)</a>`)

// SheetCodes decodes every code on a sheet, in order.
func SheetCodes(tb testing.TB, sheet string) []SheetCode {
	tb.Helper()
	var codes []SheetCode
	for _, m := range label.FindAllStringSubmatch(sheet, -1) {
		codes = append(codes, SheetCode{Link: html.UnescapeString(m[1]), Text: DecodeSVG(tb, m[2])})
	}
	return codes
}
