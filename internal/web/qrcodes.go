package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/qr"
	"github.com/haocha/haocha/internal/store"
)

// cachedCodes bounds the QR code cache: the city's 20,000 workstations and
// a fifth more, for a change of tokens while the old codes age out. A code
// holds about 500 bytes (BenchmarkCacheMemory in internal/qr): some 12 MB
// when full.
const cachedCodes = 24 << 10

// WorkstationURL is the signed address a workstation's QR code encodes
// now: with rotation, the current period's token.
func (w *Web) WorkstationURL(base, workstation string) string {
	return base + "/r/" + url.PathEscape(workstation) + "?t=" + w.signer.Current(workstation, w.store.Now())
}

// qrImage serves a workstation's code: /qr/{workstation}.png or .svg.
func (w *Web) qrImage(rw http.ResponseWriter, r *http.Request) error {
	file := r.PathValue("file")
	code, ext := file, ""
	if i := strings.LastIndexByte(file, '.'); i > 0 {
		code, ext = file[:i], file[i+1:]
	}
	if ext != "png" && ext != "svg" {
		return apperr.NotFoundf("file", "want {workstation}.png or .svg")
	}
	p, err := w.store.Place(r.Context(), code)
	if err != nil {
		return err
	}
	c, err := w.codes.Encode(w.WorkstationURL(w.base(r), code))
	if err != nil {
		return err
	}
	var body []byte
	switch ext {
	case "png":
		if body, err = c.PNG(512); err != nil {
			return err
		}
		rw.Header().Set("Content-Type", "image/png")
	case "svg":
		var buf bytes.Buffer
		if err := c.WriteSVG(&buf, p.Hall.NameZH+" "+p.Workstation.Name); err != nil {
			return err
		}
		body = buf.Bytes()
		rw.Header().Set("Content-Type", "image/svg+xml")
	}
	rw.Header().Set("Cache-Control", "private, max-age=3600")
	_, err = rw.Write(body)
	return err
}

// qrIndex lists the printable sheets: by district, by hall, and all.
func (w *Web) qrIndex(rw http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	districts, err := w.store.Units(ctx, catalog.District)
	if err != nil {
		return err
	}
	halls, err := w.store.Halls(ctx, "")
	if err != nil {
		return err
	}
	type group struct {
		District catalog.Unit
		Halls    []catalog.Hall
	}
	var groups []group
	for _, d := range districts {
		g := group{District: d}
		for _, h := range halls {
			if h.District == d.Code {
				g.Halls = append(g.Halls, h)
			}
		}
		groups = append(groups, g)
	}
	data := struct {
		page
		Groups []group
	}{w.newPage(r, "qr.title"), groups}
	return w.render(rw, r, http.StatusOK, "qr", data)
}

// qrSheet is the printable A4 sheet for one hall (?hall=), one district
// (?district=) or every workstation (?all=1).
func (w *Web) qrSheet(rw http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var f store.PlaceFilter
	title := ""
	l := langOf(r)
	switch {
	case q.Get("hall") != "":
		h, err := w.store.Hall(r.Context(), q.Get("hall"))
		if err != nil {
			return err
		}
		f.Hall, title = h.Code, h.Name(string(l))
	case q.Get("district") != "":
		u, err := w.store.Unit(r.Context(), q.Get("district"))
		if err != nil {
			return err
		}
		f.District, title = u.Code, u.Name(string(l))
	case q.Get("all") == "1":
		// The whole city is 20,000 codes, some 50 MB: offered a district
		// at a time.
		return w.qrAll(rw, r)
	default:
		return apperr.Invalidf("hall", "name a hall, a district, or all=1")
	}
	places, err := w.store.Places(r.Context(), f)
	if err != nil {
		return err
	}
	if len(places) == 0 {
		return apperr.NotFoundf("hall", "no workstations")
	}
	base := w.base(r)
	labels := make([]qr.Label, len(places))
	for i, p := range places {
		labels[i] = qr.Label{URL: w.WorkstationURL(base, p.Workstation.Code), Hall: p.Hall.Name(string(l)),
			Window: p.Window.NameIn(string(l)), Workstation: p.Workstation.NameIn(string(l)), Code: p.Workstation.Code}
	}
	h := rw.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Vary", "Accept-Encoding")
	sheet := qr.Sheet{Lang: l.HTMLLang(), Title: title + " · " + l.T("qr.sheet"), Stylesheet: "/static/sheet.css", ScanHint: l.T("qr.scan"), Codes: w.codes,
		Back: "/qr", BackText: l.T("qr.back"), PrintText: l.T("qr.print"), Script: "/static/sheet.js"}
	out := io.Writer(rw)
	if acceptsGzip(r) {
		// A district's sheet is megabytes of repetitive SVG.
		h.Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(rw)
		defer zw.Close()
		out = zw
	}
	if err := sheet.Write(out, labels); err != nil {
		// The page is streamed: once it has begun there is no error page
		// to send, only the log.
		w.log.WarnContext(r.Context(), "QR sheet cut short", "labels", len(labels), "err", err)
	}
	return nil
}

// districtSheet is one district's line in the list of the city's sheets.
type districtSheet struct {
	District     catalog.Unit
	Halls        int
	Workstations int
	Pages        int // A4 pages, each hall starting a new one
}

// qrAll lists the city's sheets, one per district, with the size of each.
func (w *Web) qrAll(rw http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	districts, err := w.store.Units(ctx, catalog.District)
	if err != nil {
		return err
	}
	places, err := w.store.Places(ctx, store.PlaceFilter{})
	if err != nil {
		return err
	}
	perHall := map[string]int{}
	hallDistrict := map[string]string{}
	for _, p := range places {
		perHall[p.Hall.Code]++
		hallDistrict[p.Hall.Code] = p.Hall.District
	}
	data := struct {
		page
		Sheets []districtSheet
	}{page: w.newPage(r, "qr.all")}
	for _, d := range districts {
		ds := districtSheet{District: d}
		for hall, n := range perHall {
			if hallDistrict[hall] == d.Code {
				ds.Halls++
				ds.Workstations += n
				ds.Pages += (n + qr.PerPage - 1) / qr.PerPage
			}
		}
		if ds.Workstations > 0 {
			data.Sheets = append(data.Sheets, ds)
		}
	}
	return w.render(rw, r, http.StatusOK, "qr_all", data)
}
