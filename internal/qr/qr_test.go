package qr

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
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

func TestSVG(t *testing.T) {
	c, err := Encode("http://127.0.0.1:8080/r/H310101-00-W01-01?t=ih9a2LFXpWp4Wlsn_RzVKg")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := c.WriteSVG(&b, `1号窗口 "A" <1>`); err != nil {
		t.Fatal(err)
	}
	svg := b.String()
	n := len(c)
	for _, want := range []string{`viewBox="0 0 ` + itoa(n) + " " + itoa(n) + `"`, `aria-label="1号窗口 &#34;A&#34; &lt;1&gt;"`, `<path stroke="#000" d="M`} {
		if !strings.Contains(svg, want) {
			t.Errorf("svg lacks %s", want)
		}
	}
	// Drawing the path back gives exactly the code's modules.
	d := svg[strings.Index(svg, ` d="`)+4:]
	d = d[:strings.IndexByte(d, '"')]
	got := make([][]bool, n)
	for i := range got {
		got[i] = make([]bool, n)
	}
	x, y := 0, 0
	for d != "" {
		op := d[0]
		d = d[1:]
		num := func() int {
			i := 0
			for i < len(d) && d[i] >= '0' && d[i] <= '9' {
				i++
			}
			v, _ := strconv.Atoi(d[:i])
			d = strings.TrimPrefix(d[i:], ".5")
			d = strings.TrimPrefix(d, " ")
			return v
		}
		switch op {
		case 'M':
			x, y = num(), num()
		case 'm':
			x += num()
			num()
		case 'h':
			w := num()
			for i := x; i < x+w; i++ {
				got[y][i] = true
			}
			x += w
		default:
			t.Fatalf("unexpected path command %q", op)
		}
	}
	for yy := range c {
		for xx := range c[yy] {
			if got[yy][xx] != c[yy][xx] {
				t.Fatalf("module (%d,%d) drawn %v, want %v", xx, yy, got[yy][xx], c[yy][xx])
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
	if n := strings.Count(out, `<figure class="label">`); n != 600 {
		t.Errorf("%d labels, want 600", n)
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

func BenchmarkSVG(b *testing.B) {
	for b.Loop() {
		c, err := Encode("http://127.0.0.1:8080/r/H310101-00-W01-01?t=ih9a2LFXpWp4Wlsn_RzVKg")
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		c.WriteSVG(&buf, "x")
	}
}
