package qr

import (
	"bytes"
	"fmt"
	"image/png"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/qr/qrtest"
)

func mustSigner(t testing.TB, secret string) *Signer {
	t.Helper()
	s, err := NewSigner([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTokens(t *testing.T) {
	s := mustSigner(t, "0123456789abcdef0123456789abcdef")
	tok := s.Sign("H310101-00-W01-01")
	if len(tok) != 22 {
		t.Errorf("token %q is %d characters, want 22", tok, len(tok))
	}
	if !s.Verify("H310101-00-W01-01", tok) {
		t.Error("a token does not verify for its own workstation")
	}
	edited := []byte(tok)
	edited[3] ^= 1
	other := mustSigner(t, "another secret, just as long....")
	for name, ok := range map[string]bool{
		"another workstation":  s.Verify("H310101-00-W01-02", tok),
		"edited token":         s.Verify("H310101-00-W01-01", string(edited)),
		"empty token":          s.Verify("H310101-00-W01-01", ""),
		"truncated token":      s.Verify("H310101-00-W01-01", tok[:20]),
		"not base64":           s.Verify("H310101-00-W01-01", "!!!!!!!!!!!!!!!!!!!!!!"),
		"another secret's key": other.Verify("H310101-00-W01-01", tok),
	} {
		if ok {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := NewSigner([]byte("short")); err == nil {
		t.Error("a short secret was accepted")
	}
}

// link is a workstation code as printed.
const link = "http://127.0.0.1:8080/r/H310101-00-W01-01?t=ih9a2LFXpWp4Wlsn_RzVKg"

func mustEncode(tb testing.TB, content string) Code {
	tb.Helper()
	c, err := Encode(content)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func svgOf(tb testing.TB, c Code, label string) string {
	tb.Helper()
	var b bytes.Buffer
	if err := c.WriteSVG(&b, label); err != nil {
		tb.Fatal(err)
	}
	return b.String()
}

// TestCodesReadBack decodes each image a code is printed as, with an
// independent decoder, and compares it with what was meant.
func TestCodesReadBack(t *testing.T) {
	for _, tc := range []struct {
		name    string
		content string
		size    int // pixels asked for
		width   int // pixels drawn
	}{
		{"workstation", link, 512, 512},
		{"behind a long domain", "https://haoping.zwdt.sh.gov.cn:8443/r/H310115-12-W23-08?t=AAAAAAAAAAAAAAAAAAAAAA", 512, 512},
		{"escaped code", "http://x/r/%E5%B7%A5%E4%BD%8D-1?t=ih9a2LFXpWp4Wlsn_RzVKg", 512, 512},
		{"beyond version 10", "http://x/r/" + strings.Repeat("W", 400), 512, 512},
		// Too small a size draws a pixel a module rather than cut the code:
		// version 5, 37 modules and the quiet zone.
		{"smaller than the code", link, 10, 45},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := mustEncode(t, tc.content)
			b, err := c.PNG(tc.size)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if size := img.Bounds().Size(); size.X != tc.width || size.Y != tc.width {
				t.Errorf("png is %v, want %d pixels square", size, tc.width)
			}
			if got := qrtest.Decode(t, img); got != tc.content {
				t.Errorf("png reads %q, want %q", got, tc.content)
			}
			if got := qrtest.DecodeSVG(t, svgOf(t, c, "x")); got != tc.content {
				t.Errorf("svg reads %q, want %q", got, tc.content)
			}
		})
	}
}

func TestSVG(t *testing.T) {
	c := mustEncode(t, link)
	svg := svgOf(t, c, `1号窗口 "A" <1>`)
	n := c.Size()
	for _, want := range []string{`viewBox="0 0 ` + itoa(n) + " " + itoa(n) + `"`, `aria-label="1号窗口 &#34;A&#34; &lt;1&gt;"`, `<path stroke="#000" d="M`} {
		if !strings.Contains(svg, want) {
			t.Errorf("svg lacks %s", want)
		}
	}
	// Drawing the path back gives exactly the code's modules.
	got := qrtest.SVGModules(t, svg)
	for y := range n {
		for x := range n {
			if got[y][x] != c.Dark(x, y) {
				t.Fatalf("module (%d,%d) drawn %v, want %v", x, y, got[y][x], c.Dark(x, y))
			}
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestSheetKeepsOrderAndGroupsByHall(t *testing.T) {
	var labels []Label
	for i := range 600 {
		hall := "大厅A"
		if i >= 300 {
			hall = "大厅B"
		}
		labels = append(labels, Label{URL: "http://x/r/" + itoa(i%100), Hall: hall, Window: "窗口", Workstation: "工位" + itoa(i%100), Code: "C" + itoa(i%100)})
	}
	var b bytes.Buffer
	sheet := Sheet{Lang: "zh-CN", Title: "标题", Stylesheet: "/static/sheet.css", ScanHint: "扫码评价"}
	if err := sheet.Write(&b, labels); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	codes := qrtest.SheetCodes(t, out)
	if len(codes) != 600 {
		t.Fatalf("%d labels, want 600", len(codes))
	}
	for i, c := range codes {
		if want := labels[i].URL; c.Link != want || c.Text != want {
			t.Fatalf("label %d links to %q and reads %q, want %q", i, c.Link, c.Text, want)
		}
	}
	if n := strings.Count(out, `<section class="hall">`); n != 2 {
		t.Errorf("%d hall sections, want 2", n)
	}
	// Labels come out in the order given, across parallel batches.
	last := -1
	for i := range 100 {
		at := strings.Index(out, `<span class="l-code">C`+itoa(i)+`</span>`)
		if at < last {
			t.Fatalf("label %d is out of order", i)
		}
		last = at
	}
}

// BenchmarkSVG measures a workstation's SVG as the server draws it, once
// encoded and from the cache.
//
//	go test ./internal/qr -run '^$' -bench 'SVG|Cache' -benchmem
func BenchmarkSVG(b *testing.B) {
	b.Run("encoded", func(b *testing.B) {
		for b.Loop() {
			svgOf(b, mustEncode(b, link), "x")
		}
	})
	b.Run("cached", func(b *testing.B) {
		cache := mustCache(b, 1)
		for b.Loop() {
			c, err := cache.Encode(link)
			if err != nil {
				b.Fatal(err)
			}
			svgOf(b, c, "x")
		}
	})
}

// BenchmarkSheet measures the whole city's sheet of 20,000 codes, without
// the database: every code encoded, and every code found in the cache.
//
//	go test ./internal/qr -run '^$' -bench Sheet -benchtime 2x
func BenchmarkSheet(b *testing.B) {
	labels := make([]Label, 20000)
	for i := range labels {
		labels[i] = Label{URL: fmt.Sprintf("http://127.0.0.1:8080/r/H310%03d-%02d-W%02d-%02d?t=ih9a2LFXpWp4Wlsn_RzVKg", i%16, i/1600, i/16%100, i%10),
			Hall: "大厅" + itoa(i/1600), Window: "窗口", Workstation: "工位" + itoa(i), Code: itoa(i)}
	}
	b.Run("encoded", func(b *testing.B) {
		for b.Loop() {
			if err := (Sheet{}).Write(io.Discard, labels); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cached", func(b *testing.B) {
		s := Sheet{Codes: mustCache(b, len(labels))}
		if err := s.Write(io.Discard, labels); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if err := s.Write(io.Discard, labels); err != nil {
				b.Fatal(err)
			}
		}
	})
}
