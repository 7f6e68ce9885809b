// Package web serves Haocha's citizen and public pages: the home page with
// its three ways in, unit and item pages with published results, the rating
// form for every entry point (workstation QR, item, unit), the confirmation
// and the citizen's private follow-up page, and printable QR sheets.
//
// Pages are rendered on the server from templates embedded in the binary and
// work without JavaScript; what little script there is only makes them
// quicker to use.
package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"embed"
	"errors"
	"fmt"
	"github.com/haocha/haocha/internal/workorder"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/caller"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/citizen"
	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/intake"
	"github.com/haocha/haocha/internal/invitation"
	"github.com/haocha/haocha/internal/lookup"
	"github.com/haocha/haocha/internal/qr"
	"github.com/haocha/haocha/internal/route"
	"github.com/haocha/haocha/internal/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Config is what the pages need.
type Config struct {
	Store *store.Store
	Log   *slog.Logger
	// Intake takes the rating forms' reviews in, as it does the API's.
	Intake *intake.Service
	// Orders is the work-order service the citizen's follow page reads.
	Orders *workorder.Service
	// Boards holds the published index boards the pictures draw.
	Boards *board.Cache
	// Lookup finds a work order again by its number and phone.
	Lookup *lookup.Service
	// QRSecret signs workstation links; when empty, the store's secret
	// derived from the master key for "qr" is used.
	QRSecret []byte
	// BaseURL is the absolute address printed in QR codes, such as
	// https://haoping.example.gov.cn; when empty, the address the sheet
	// was requested on.
	BaseURL string
	// QRRotation is how often workstation tokens change (qr.Never when
	// empty); QRGrace how long an old one keeps working after its period.
	QRRotation qr.Period
	QRGrace    time.Duration
	// Devices serves the window rating devices; nil serves none.
	Devices *Devices
	// Signer signs and checks workstation tokens; nil: NewSigner(cfg).
	// The server shares one with intake, which checks the API's tokens.
	Signer *qr.Signer
	// Invitations opens the links of rating invitations (invite.go).
	Invitations *invitation.Service
	// Figures, when set, is the store published results are counted on:
	// a read replica (--db-read), whose staleness the pages state. Nil:
	// Store.
	Figures *store.Store
	// Citizens signs citizens in (signin.go); nil offers no sign-in.
	Citizens *citizen.Service
}

// Web is the set of HTML pages.
type Web struct {
	store   *store.Store
	figures *store.Store // a read replica, or nil
	log     *slog.Logger
	intake  *intake.Service
	orders  *workorder.Service
	boards  *board.Cache
	lookup  *lookup.Service
	invites *invitation.Service
	// citizens signs citizens in; nil: no sign-in pages.
	citizens *citizen.Service
	baseURL  string
	signer   *qr.Signer
	devices  *Devices
	codes    *qr.Cache // encoded workstation codes, for images and sheets
	formKey  []byte    // signs form tokens and the confirmation cookie
	// followKey keys the token of the citizen's follow-up form.
	followKey []byte
	pages     map[string]*template.Template
	assets    map[string]asset
	tiles     []districtTile // the schematic district map
}

// New parses every template, so that a broken one fails at start-up, and
// loads the secrets.
func New(ctx context.Context, cfg Config) (*Web, error) {
	w := &Web{store: cfg.Store, log: cfg.Log, intake: cfg.Intake, orders: cfg.Orders, boards: cfg.Boards, lookup: cfg.Lookup, invites: cfg.Invitations, baseURL: strings.TrimRight(cfg.BaseURL, "/")}
	if w.log == nil {
		w.log = slog.Default()
	}
	w.devices = cfg.Devices
	w.figures = cfg.Figures
	w.citizens = cfg.Citizens
	var err error
	if w.signer = cfg.Signer; w.signer == nil {
		if w.signer, err = NewSigner(ctx, cfg); err != nil {
			return nil, err
		}
	}
	if w.codes, err = qr.NewCache(cachedCodes); err != nil {
		return nil, err
	}
	if w.formKey, err = cfg.Store.Secret(ctx, "web_form"); err != nil {
		return nil, err
	}
	if w.followKey, err = cfg.Store.Secret(ctx, "follow_csrf"); err != nil {
		return nil, err
	}
	if w.pages, err = parsePages(); err != nil {
		return nil, err
	}
	if w.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if w.tiles, err = loadDistrictTiles(); err != nil {
		return nil, err
	}
	return w, nil
}

// Register adds the pages' routes to mux.
func (w *Web) Register(mux *route.Mux) {
	mux.HandleFunc("GET /static/", route.Public, w.serveAsset)
	mux.Handle("GET /{$}", route.Public, w.handle(w.home))
	mux.Handle("GET /prefs", route.Public, w.handle(w.prefs))
	mux.Handle("GET /index", route.Public, w.handle(w.indexPage))
	mux.Handle("GET /units/{code}", route.Public, w.handle(w.viewed(w.unitPage)))
	mux.Handle("GET /units/{code}/rate", route.Public, w.handle(w.unitRate))
	mux.Handle("POST /units/{code}/rate", route.Public, w.handle(w.unitRate))
	mux.Handle("GET /halls/{code}", route.Public, w.handle(w.viewed(w.hallPage)))
	mux.Handle("GET /items", route.Public, w.handle(w.itemList))
	mux.Handle("GET /items/{code}", route.Public, w.handle(w.viewed(w.itemPage)))
	mux.Handle("GET /items/{code}/rate", route.Public, w.handle(w.itemRate))
	mux.Handle("POST /items/{code}/rate", route.Public, w.handle(w.itemRate))
	mux.Handle("GET /r/{workstation}", route.Public, w.handle(w.workstationRate))
	mux.Handle("POST /r/{workstation}", route.Public, w.handle(w.workstationRate))
	mux.Handle("GET /thanks", route.Public, w.handle(w.thanks))
	mux.Handle("GET /follow/{token}", route.Public, w.handle(w.follow))
	mux.Handle("POST /follow/{token}", route.Public, w.handle(w.followUp))
	mux.Handle("GET /qr", qrStaff, w.handle(w.qrIndex))
	mux.Handle("GET /qr/sheet", qrStaff, w.handle(w.qrSheet))
	mux.Handle("GET /qr/{file}", qrStaff, w.handle(w.qrImage))
	mux.Handle("GET /find", route.Public, w.handle(w.find))
	mux.Handle("POST /find", route.Public, w.handle(w.find))
	mux.Handle("POST /find/code", route.Public, w.handle(w.findCode))
	w.registerDevice(mux)
	w.registerInvitations(mux)
	if w.citizens != nil {
		w.registerSignIn(mux)
	}
}

// parsePages parses each page with the layout and the shared partials.
func parsePages() (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	var shared []string
	var pages []string
	for _, n := range names {
		if strings.HasPrefix(path.Base(n), "_") {
			shared = append(shared, n)
		} else {
			pages = append(pages, n)
		}
	}
	out := map[string]*template.Template{}
	for _, p := range pages {
		t, err := template.New(path.Base(p)).Funcs(funcs).ParseFS(templateFS, append([]string{p}, shared...)...)
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", p, err)
		}
		out[strings.TrimSuffix(path.Base(p), ".html")] = t
	}
	return out, nil
}

// page is what every page's template gets; each handler embeds it in its
// own data.
type page struct {
	L     locale
	Lang  string // "zh" or "en", for the catalogue's Name methods
	Large bool   // large-text (适老化) mode
	Title string
	// Self is the address of this page as a GET, where the language and
	// text-size switches come back to.
	Self string
	// SignIn offers the citizen's sign-in in the header; SignedIn, read
	// from the cookie alone, links their own page instead.
	SignIn, SignedIn bool
}

func (w *Web) newPage(r *http.Request, titleKey string) page {
	l := langOf(r)
	p := page{L: l, Lang: string(l), Self: withoutLang(r.URL.RequestURI())}
	if c, err := r.Cookie("size"); err == nil && c.Value == "large" {
		p.Large = true
	}
	p.SignIn = w.citizens != nil
	p.SignedIn = p.SignIn && caller.CitizenToken(r) != ""
	if titleKey != "" {
		p.Title = l.T(titleKey)
	}
	return p
}

// render writes the page named name with status.
func (w *Web) render(rw http.ResponseWriter, r *http.Request, status int, name string, data any) error {
	t, ok := w.pages[name]
	if !ok {
		return fmt.Errorf("no page template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	if c, ok := rw.(*viewCapture); ok {
		c.page = buf.Bytes()
		return nil
	}
	h := rw.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Vary", "Accept-Encoding")
	if !acceptsGzip(r) || buf.Len() < 1024 {
		rw.WriteHeader(status)
		_, err := buf.WriteTo(rw)
		return err
	}
	// Pages go to phones on mobile networks: compress them.
	h.Set("Content-Encoding", "gzip")
	rw.WriteHeader(status)
	zw := gzip.NewWriter(rw)
	if _, err := buf.WriteTo(zw); err != nil {
		return err
	}
	return zw.Close()
}

// handlerFunc is a page handler: it returns an error rather than writing one.
type handlerFunc func(rw http.ResponseWriter, r *http.Request) error

// handle adapts a handler, sets the headers every page carries, and renders
// an error as a page with the status its code maps to.
func (w *Web) handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		hd := rw.Header()
		hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		if l, ok := linkLang(r); ok {
			// A shared link's language is kept for the pages that follow.
			rememberPref(rw, "lang", string(l))
		}
		err := h(rw, r)
		if err == nil {
			return
		}
		if wantsJSON(r) {
			httpjson.WriteError(rw, r, w.log, err)
			return
		}
		e, status := httpjson.Resolve(rw, r, w.log, err)
		if status == httpjson.StatusClientClosed {
			rw.WriteHeader(status) // nobody is there to read a page
			return
		}
		key, title := "error.internal", "error.title"
		switch e.Code {
		case apperr.NotFound:
			key, title = "error.notfound", "error.title.notfound"
		case apperr.Forbidden:
			key, title = "error.forbidden", "error.title.forbidden"
			if errors.Is(err, qr.ErrExpired) {
				key = "error.expired"
			}
		case apperr.Invalid, apperr.Malformed:
			key = "error.invalid"
		case apperr.Unavailable:
			key = "error.unavailable"
		case apperr.Gone:
			key = "error.gone"
		}
		p := w.newPage(r, title)
		data := struct {
			page
			Message string
		}{p, p.L.T(key)}
		if err := w.render(rw, r, status, "error", data); err != nil {
			w.log.ErrorContext(r.Context(), "error page failed", "err", err)
		}
	})
}

// funcs are the template helpers.
var funcs = template.FuncMap{
	"pct": func(x float64) string { return fmt.Sprintf("%.1f%%", x*100) },
	"num": func(x float64) string { return fmt.Sprintf("%.2f", x) },
	"percentOf": func(n, total int64) string {
		if total <= 0 {
			return "0"
		}
		return fmt.Sprintf("%.1f", float64(n)*100/float64(total))
	},
	"share": func(x, max float64) string {
		if max <= 0 {
			return "0"
		}
		return fmt.Sprintf("%.1f", x*100/max)
	},
	"starWord": func(l locale, n int) string {
		if n < 1 || n > 5 {
			return ""
		}
		return l.T(starWords[n])
	},
	"add": func(a, b int) int { return a + b },
	// aliases are the words typed (社保, sb) that find an item, for the
	// script that filters the item list as the citizen types.
	"aliases":    func(it catalog.Item) string { return strings.Join(catalog.AliasesOf(it.NameZH, it.NameEN), "|") },
	"starGlyphs": func(n int) string { return strings.Repeat("★", n) + strings.Repeat("☆", 5-n) },
	"day":        func(t time.Time) string { return t.In(calendar.Zone).Format("2006-01-02") },
	"clock":      func(t time.Time) string { return t.In(calendar.Zone).Format("15:04:05") },
	"mday":       func(t time.Time) string { return t.In(calendar.Zone).Format("1/2") },
	// when is a moment as the date and the time, each kept on one line:
	// in large text a date broke after its first hyphen ("2026-" / "12-06").
	"when": func(ms int64) template.HTML {
		t := time.UnixMilli(ms).In(calendar.Zone)
		return template.HTML(`<span class="nowrap">` + t.Format(time.DateOnly) + `</span> <span class="nowrap">` + t.Format("15:04") + `</span>`)
	},
	"seq": func(from, to int) []int {
		var s []int
		for i := from; i <= to; i++ {
			s = append(s, i)
		}
		return s
	},
	"seqDown": func(from, to int) []int {
		var s []int
		for i := from; i >= to; i-- {
			s = append(s, i)
		}
		return s
	},
	// The trend chart is 300 by 80 units, a 10-unit column per day.
	"trendX": func(i int) int { return i * 10 },
	"trendH": func(n, max int64) string {
		if max <= 0 {
			return "0"
		}
		return fmt.Sprintf("%.1f", float64(n)*80/float64(max))
	},
	"trendY": func(n, max int64) string {
		if max <= 0 {
			return "80"
		}
		return fmt.Sprintf("%.1f", 80-float64(n)*80/float64(max))
	},
}
