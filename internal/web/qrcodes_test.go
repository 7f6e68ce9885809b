package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/qr"
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
	// A community hall: 10–30 workstations. Every code on the sheet, cut
	// out and scanned, reads its workstation's signed link.
	codes := qrtest.SheetCodes(t, body)
	if n := strings.Count(body, `<figure class="label">`); n != len(places) || len(codes) != n || n < 10 {
		t.Fatalf("hall sheet has %d codes (%d read), want one per workstation (%d)", n, len(codes), len(places))
	}
	for i, p := range places {
		if want := srv.URL + landing(p.Workstation.Code); codes[i].Text != want || codes[i].Link != want {
			t.Errorf("code %d links to %q and reads %q, want %q", i, codes[i].Link, codes[i].Text, want)
		}
	}
	last := places[len(places)-1]
	mustContain(t, body, "黄浦区江宁路街道社区事务受理服务中心", last.Workstation.Name, "扫码评价", "/static/sheet.css",
		srv.URL+landing("H310101-01-W01-01"), srv.URL+landing(last.Workstation.Code))

	_, body = c.get("/qr/sheet?district=310101")
	places, err = haocha.Store.Places(ctx, store.PlaceFilter{District: "310101"})
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(body, `<figure class="label">`); n != len(places) || n < 200 {
		t.Errorf("district sheet has %d codes, want one per workstation (%d)", n, len(places))
	}
	if n := strings.Count(body, `<section class="hall">`); n != 13 {
		t.Errorf("district sheet has %d halls, want 13", n)
	}
	checkPages(t, body)
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

var pageRE = regexp.MustCompile(`<div class="page"><h2 class="page-head">([^<]+) <span class="page-no">(\d+)/(\d+)</span></h2><div class="labels">(.*?)</div></div>`)

// checkPages checks that a sheet's pages, the first included, hold twelve
// codes each but a hall's last, which holds the rest, and that each is
// headed by its hall and number.
func checkPages(t *testing.T, body string) {
	t.Helper()
	pages := pageRE.FindAllStringSubmatch(body, -1)
	if len(pages) == 0 {
		t.Fatal("no pages")
	}
	total := 0
	for i, p := range pages {
		n := strings.Count(p[4], `<figure class="label">`)
		total += n
		last := p[2] == p[3]
		if (!last && n != qr.PerPage) || (last && (n < 1 || n > qr.PerPage)) {
			t.Errorf("page %d (%s %s/%s) holds %d codes", i+1, p[1], p[2], p[3], n)
		}
	}
	if all := strings.Count(body, `<figure class="label">`); total != all {
		t.Errorf("the pages hold %d codes of the sheet's %d", total, all)
	}
}

func TestSheetPagesPrintAndBack(t *testing.T) {
	c := printer(t)
	body := c.page("/qr/sheet?hall=" + hall + "&lang=zh")
	checkPages(t, body)
	// The district centre: a code for each of its 100–200 workstations,
	// on as many pages as they fill, the first of them full.
	places, err := haocha.Store.Places(context.Background(), store.PlaceFilter{Hall: hall})
	must(t, err)
	pages := (len(places) + qr.PerPage - 1) / qr.PerPage
	if len(places) < 100 || len(places) > 200 {
		t.Errorf("the district centre has %d workstations, want 100–200", len(places))
	}
	mustContain(t, body, fmt.Sprintf(`<h2 class="page-head">黄浦区行政服务中心 <span class="page-no">1/%d</span></h2>`, pages),
		fmt.Sprintf(`<h2 class="page-head">黄浦区行政服务中心 <span class="page-no">%d/%d</span></h2>`, pages, pages),
		`<a href="/qr" id="sheet-back">返回二维码列表</a>`, `<button type="button" id="sheet-print" hidden>打印</button>`,
		`<script src="/static/sheet.js" defer></script>`)
	mustContain(t, c.page("/qr/sheet?hall="+hall+"&lang=en"), `id="sheet-back">Back to the QR codes</a>`, `>Print</button>`)
	mustContain(t, c.page("/static/sheet.js"), "window.print()")
	mustContain(t, c.page("/static/sheet.css"), "@media print", "height: 277mm")

	// Compressed for a browser that takes it.
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/qr/sheet?hall="+hall, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, raw := c.do(req)
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding %q, want gzip", resp.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(plain), `<figure class="label">`); n != len(places) {
		t.Errorf("the compressed sheet holds %d codes, want %d", n, len(places))
	}
	t.Logf("hall sheet: %d bytes, %d compressed", len(plain), len(raw))
}

// The whole city is offered a district at a time.
func TestSheetAllListsDistricts(t *testing.T) {
	c := printer(t)
	body := c.page("/qr/sheet?all=1&lang=zh")
	rows := regexp.MustCompile(`<a href="/qr/sheet\?district=(\d+)">[^<]+</a></th><td class="num">(\d+)</td><td class="num">(\d+)</td><td class="num">(\d+)</td>`).FindAllStringSubmatch(body, -1)
	if len(rows) != 16 {
		t.Fatalf("%d districts listed, want 16", len(rows))
	}
	places, err := haocha.Store.Places(context.Background(), store.PlaceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for _, r := range rows {
		n, _ := strconv.Atoi(r[3])
		sum += n
	}
	if sum != len(places) {
		t.Errorf("the districts' sheets hold %d workstations, the city %d", sum, len(places))
	}
	mustNotContain(t, body, `<figure class="label">`)
}

// discard is a ResponseWriter that keeps nothing but the size.
type discard struct {
	h http.Header
	n int64
}

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) WriteHeader(int)             {}
func (d *discard) Write(p []byte) (int, error) { d.n += int64(len(p)); return len(p), nil }

// BenchmarkSheetAll measures the printable sheets of every workstation in
// the city, each district's in turn as ?all=1 offers them, from the
// database query to the last byte of HTML. The first round encodes every
// code and reports its time as s/first; the rounds timed after it find
// their codes in the cache:
//
//	go test ./internal/web -run '^$' -bench SheetAll -benchtime 3x
func BenchmarkSheetAll(b *testing.B) {
	h := haocha.Handler()
	session := printer(b).sessionCookie()
	districts, err := haocha.Store.Units(context.Background(), catalog.District)
	if err != nil {
		b.Fatal(err)
	}
	sheets := func() int64 {
		var size int64
		for _, d := range districts {
			req := httptest.NewRequest(http.MethodGet, "/qr/sheet?district="+d.Code, nil)
			req.AddCookie(session)
			w := &discard{h: http.Header{}}
			h.ServeHTTP(w, req)
			size += w.n
		}
		return size
	}
	start := time.Now()
	size := sheets()
	first := time.Since(start)
	for b.Loop() {
		size = sheets()
	}
	// Reported after the loop, which resets the metrics.
	b.ReportMetric(first.Seconds(), "s/first")
	b.ReportMetric(float64(size)/1e6, "MB/city")
}

// TestSheetAllCount checks once, when not short, that the districts'
// sheets hold every workstation of the city.
func TestSheetAllCount(t *testing.T) {
	if testing.Short() {
		t.Skip("the whole city's sheets take seconds")
	}
	districts, err := haocha.Store.Units(context.Background(), catalog.District)
	if err != nil {
		t.Fatal(err)
	}
	session := printer(t).sessionCookie()
	n := 0
	for _, d := range districts {
		req := httptest.NewRequest(http.MethodGet, "/qr/sheet?district="+d.Code, nil)
		req.AddCookie(session)
		var buf bytes.Buffer
		w := httptest.NewRecorder()
		w.Body = &buf
		haocha.Handler().ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			t.Fatalf("district %s: status %d", d.Code, w.Code)
		}
		n += bytes.Count(buf.Bytes(), []byte(`<figure class="label">`))
	}
	places, err := haocha.Store.Places(context.Background(), store.PlaceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if n != len(places) || n < 4000 {
		t.Errorf("the districts' sheets have %d codes, want one per workstation (%d)", n, len(places))
	}
}
