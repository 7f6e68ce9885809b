package web_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/qr/qrtest"
	"github.com/haocha/haocha/internal/store"
)

func TestForgedOrEditedQRCodeIsRefused(t *testing.T) {
	c := newClient(t)
	for name, path := range map[string]string{
		"no token":                "/r/" + workstation,
		"made-up token":           "/r/" + workstation + "?t=AAAAAAAAAAAAAAAAAAAAAA",
		"another station's token": "/r/" + otherWS + "?t=" + token(workstation),
		"edited token":            landing(workstation) + "x",
	} {
		t.Run(name, func(t *testing.T) {
			resp, body := c.get(path)
			if resp.StatusCode != http.StatusForbidden {
				t.Fatalf("status %d, want 403", resp.StatusCode)
			}
			mustContain(t, body, "此二维码无效或已被改动")
			mustNotContain(t, body, "1号窗口", `name="stars"`)
		})
	}
	// Posting to a forged address is refused too.
	resp, _ := c.post("/r/"+otherWS, ratingForm("x", "t", token(workstation)))
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("post with another station's token: status %d, want 403", resp.StatusCode)
	}
}

func TestQRImages(t *testing.T) {
	c := printer(t)
	want := srv.URL + landing(workstation)
	// Twice: encoded, then from the cache.
	for range 2 {
		resp, body := c.get("/qr/" + workstation + ".png")
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("png: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if got := qrtest.DecodePNG(t, []byte(body)); got != want {
			t.Errorf("png reads %q, want %q", got, want)
		}
		resp, body = c.get("/qr/" + workstation + ".svg")
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/svg+xml" {
			t.Fatalf("svg: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if got := qrtest.DecodeSVG(t, body); got != want {
			t.Errorf("svg reads %q, want %q", got, want)
		}
	}
	for _, p := range []string{"/qr/NOPE.png", "/qr/" + workstation + ".gif"} {
		if resp, _ := c.get(p); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, resp.StatusCode)
		}
	}
}

func TestPrintableSheets(t *testing.T) {
	ctx := context.Background()
	c := printer(t)
	resp, body := c.get("/qr/sheet?hall=H310101-01")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("hall sheet: status %d", resp.StatusCode)
	}
	places, err := haocha.Store.Places(ctx, store.PlaceFilter{Hall: "H310101-01"})
	if err != nil {
		t.Fatal(err)
	}
	// A community hall: 5 windows of 7 or 8 workstations. Every code on
	// the sheet, cut out and scanned, reads its workstation's signed link.
	codes := qrtest.SheetCodes(t, body)
	if n := strings.Count(body, `<figure class="label">`); n != len(places) || len(codes) != n || n < 35 {
		t.Fatalf("hall sheet has %d codes (%d read), want one per workstation (%d)", n, len(codes), len(places))
	}
	for i, p := range places {
		if want := srv.URL + landing(p.Workstation.Code); codes[i].Text != want || codes[i].Link != want {
			t.Errorf("code %d links to %q and reads %q, want %q", i, codes[i].Link, codes[i].Text, want)
		}
	}
	last := places[len(places)-1]
	mustContain(t, body, "黄浦区第1社区事务受理服务中心", last.Workstation.Name, "扫码评价", "/static/sheet.css",
		srv.URL+landing("H310101-01-W01-01"), srv.URL+landing(last.Workstation.Code))

	_, body = c.get("/qr/sheet?district=310101")
	places, err = haocha.Store.Places(ctx, store.PlaceFilter{District: "310101"})
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(body, `<figure class="label">`); n != len(places) || n < 1200 {
		t.Errorf("district sheet has %d codes, want one per workstation (%d)", n, len(places))
	}
	if n := strings.Count(body, `<section class="hall">`); n != 13 {
		t.Errorf("district sheet has %d halls, want 13", n)
	}
	if resp, _ := c.get("/qr/sheet"); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("sheet of nothing: status %d, want 422", resp.StatusCode)
	}
	if resp, _ := c.get("/qr/sheet?hall=NOPE"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("sheet of unknown hall: status %d, want 404", resp.StatusCode)
	}
	resp, body = c.get("/qr")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("qr index: %d", resp.StatusCode)
	}
	mustContain(t, body, `href="/qr/sheet?all=1"`, `href="/qr/sheet?district=310101"`, `href="/qr/sheet?hall=H310101-00"`)
}

// discard is a ResponseWriter that keeps nothing but the size.
type discard struct {
	h http.Header
	n int64
}

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) WriteHeader(int)             {}
func (d *discard) Write(p []byte) (int, error) { d.n += int64(len(p)); return len(p), nil }

// BenchmarkSheetAll measures the printable sheet of every workstation in
// the city, from the database query to the last byte of HTML. The first
// sheet encodes every code and reports its time as s/first; the sheets
// timed after it find their codes in the cache:
//
//	go test ./internal/web -run '^$' -bench SheetAll -benchtime 3x
func BenchmarkSheetAll(b *testing.B) {
	h := haocha.Handler()
	session := printer(b).sessionCookie()
	sheet := func() int64 {
		req := httptest.NewRequest(http.MethodGet, "/qr/sheet?all=1", nil)
		req.AddCookie(session)
		w := &discard{h: http.Header{}}
		h.ServeHTTP(w, req)
		return w.n
	}
	start := time.Now()
	size := sheet()
	first := time.Since(start)
	for b.Loop() {
		size = sheet()
	}
	// Reported after the loop, which resets the metrics.
	b.ReportMetric(first.Seconds(), "s/first")
	b.ReportMetric(float64(size)/1e6, "MB/sheet")
}

// TestSheetAllCount checks the all-workstation sheet once, when not short.
func TestSheetAllCount(t *testing.T) {
	if testing.Short() {
		t.Skip("the whole city's sheet takes seconds")
	}
	req := httptest.NewRequest(http.MethodGet, "/qr/sheet?all=1", nil)
	req.AddCookie(printer(t).sessionCookie())
	var buf bytes.Buffer
	w := httptest.NewRecorder()
	w.Body = &buf
	haocha.Handler().ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	places, err := haocha.Store.Places(context.Background(), store.PlaceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(buf.Bytes(), []byte(`<figure class="label">`)); n != len(places) || n < 19000 {
		t.Errorf("all-workstation sheet has %d codes, want one per workstation (%d)", n, len(places))
	}
	io.Copy(io.Discard, &buf)
}
