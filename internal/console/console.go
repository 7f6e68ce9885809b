// Package console serves the staff consoles of the closed loop (operator,
// unit handler, supervisor, window staff, administrator) as HTML pages
// only; every JSON route is package api's. Both use the same services
// (workorder, alertview, summary, ...), so one set of rules.
package console

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/alert"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/device"
	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/report"
	"github.com/haocha/haocha/internal/route"
	"github.com/haocha/haocha/internal/routing"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/workorder"
)

//go:embed templates/*.html templates/parts/*.html static/*
var files embed.FS

// Console holds what the handlers need.
type Console struct {
	Store   *store.Store
	Service *workorder.Service
	// Reports hands out issued reports and assessments.
	Reports *report.Service
	// Routing keeps the routing rules.
	Routing *routing.Service
	// Accounts administers staff accounts.
	Accounts *account.Service
	// Alerts is the concentration-alert service.
	Alerts *alert.Service
	Log    *slog.Logger
	// InsecureCookies drops the Secure flag, for plain HTTP on a laptop.
	InsecureCookies bool
	// Boards holds the published index boards the dashboard draws.
	Boards *board.Cache
	// OpenAlerts counts the open concentration alerts for the dashboard:
	// the store's count; nil leaves the panel out.
	OpenAlerts func(ctx context.Context) (int, error)
	// Throttle limits failed logins (account.DefaultThrottle).
	Throttle account.Throttle
	// NetMark is intake's mark of an address's network: a staff sign-in
	// is recorded under it, for the detector of ratings from a staff
	// account's own network. Nil records nothing.
	NetMark func(address string) string
	// Telephony bridges a handler's call to a reviewer without showing
	// the number (HAOCHA_TELEPHONY_URL); nil logs the request and places
	// no call.
	Telephony workorder.Caller

	// Devices pairs window rating devices (devices.go); nil: no pages.
	Devices *device.Service

	pages map[string]*template.Template
}

// New parses every template, so that a broken one fails at start.
func New(st *store.Store, log *slog.Logger) (*Console, error) {
	now := func() time.Time { return st.Now() }
	c := &Console{Store: st, Service: workorder.NewService(st, now), Alerts: alert.NewService(st, now), Log: log,
		Accounts: &account.Service{Store: st}, Routing: &routing.Service{Store: st, Now: now},
		Reports:  &report.Service{Store: st, Now: now},
		Throttle: account.DefaultThrottle, pages: map[string]*template.Template{}}
	c.OpenAlerts = func(ctx context.Context) (int, error) { return st.CountAlerts(ctx, alert.Open) }
	names, err := fs.Glob(files, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		if strings.HasSuffix(n, "/layout.html") {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(files, "templates/layout.html", "templates/parts/*.html", n)
		if err != nil {
			return nil, fmt.Errorf("console template %s: %w", n, err)
		}
		c.pages[strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")] = t
	}
	return c, nil
}

// Register adds the console's pages to mux.
func (c *Console) Register(mux *route.Mux) {
	static, _ := fs.Sub(files, "static")
	mux.Handle("GET /console/static/", route.Public, http.StripPrefix("/console/static/", files404(http.FileServerFS(static))))
	mux.HandleFunc("GET /console/login", route.Public, c.loginForm)
	mux.HandleFunc("POST /console/login", route.Public, c.loginSubmit)
	mux.Handle("POST /console/logout", pageAnyone, c.page(c.logout))
	mux.Handle("GET /console/{$}", pageAnyone, c.page(c.home))
	mux.Handle("GET /console/orders", pageOrders, c.page(c.queue))
	mux.Handle("GET /console/orders/{ref}", pageOrders, c.page(c.order))
	mux.Handle("POST /console/orders/bulk-dispatch", route.PageRoles(account.Operator), c.page(c.bulkDispatch))
	mux.Handle("POST /console/orders/{ref}/{action}", pageOrders, c.page(c.act))
	mux.Handle("GET /console/causes", pageOrders, c.page(c.causes))
	mux.Handle("GET /console/summary", route.PageRoles(account.Supervisor, account.Operator), c.page(c.summary))
	mux.Handle("GET /console/dashboard", route.PageRoles(account.Supervisor, account.Operator), c.page(c.dashboard))
	mux.Handle("GET /console/me", route.PageRoles(account.Staff), c.page(c.me))
	mux.Handle("GET /console/users", pageAdmin, c.page(c.users))
	mux.Handle("POST /console/users", pageAdmin, c.page(c.addUser))
	mux.Handle("GET /console/users/{name}", pageAdmin, c.page(c.accountPage))
	mux.Handle("POST /console/users/{name}/{action}", pageAdmin, c.page(c.accountAction))
	mux.Handle("GET /console/calendar", pageAdmin, c.page(c.calendarPage))
	mux.Handle("POST /console/calendar", pageAdmin, c.page(c.importCalendar))

	c.registerReports(mux)
	c.registerStaffRanking(mux)
	c.registerOperators(mux)
	c.registerContact(mux)
	c.registerRouting(mux)
	c.registerSummaryExport(mux)

	c.registerAlerts(mux)
	c.registerSuspected(mux)
	c.registerDevices(mux)
}

// files404 serves files but never a folder's listing.
func files404(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "" || strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// page wraps a console handler: it needs a session (else the login page),
// checks CSRF on every POST, and renders errors as a page.
func (c *Console) page(h func(http.ResponseWriter, *http.Request, *who) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, httpjson.MaxBody)
		rememberLang(w, r)
		wh, err := c.authenticate(r)
		if err == nil && wh == nil {
			http.Redirect(w, r, "/console/login?next="+template.URLQueryEscaper(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if err == nil {
			err = checkCSRF(r, wh)
		}
		if err == nil {
			err = h(w, r, wh)
		}
		if err != nil {
			c.renderError(w, r, wh, err)
		}
	})
}

// api wraps a JSON handler; with auth, it needs an API token or a session.
func (c *Console) api(h func(http.ResponseWriter, *http.Request, *who) error, auth bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wh, err := c.authenticate(r)
		if err == nil && wh == nil && auth {
			err = apperr.New(apperr.Unauthorized, "", "log in or send Authorization: Bearer <API token>")
		}
		if err == nil {
			err = checkCSRF(r, wh)
		}
		if err == nil {
			err = h(w, r, wh)
		}
		if err != nil {
			httpjson.WriteError(w, r, c.Log, err)
		}
	})
}

// pageData is what every console page gets.
type pageData struct {
	Title string
	Who   *who
	Flash string
	Err   *apperr.Error
	Data  any
	// Warning is shown above the page, e.g. a year without its calendar.
	Warning string
	// L is the page's language; the caller's (Who.L) when not set.
	L Lang
}

// Back is where the language switch returns to: the page itself.
func (d pageData) Back() string {
	if d.Who != nil && d.Who.Here != "" {
		return d.Who.Here
	}
	return "/console/login"
}

func (c *Console) render(w http.ResponseWriter, status int, name string, d pageData) {
	if d.L == "" && d.Who != nil {
		d.L = d.Who.L
	}
	if d.L == "" {
		d.L = LangZH
	}
	var buf bytes.Buffer
	if err := c.pages[name].Execute(&buf, d); err != nil {
		c.Log.Error("render console page", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'self'; style-src 'self'; form-action 'self'; frame-ancestors 'none'")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func (c *Console) renderError(w http.ResponseWriter, r *http.Request, wh *who, err error) {
	e, status := httpjson.Resolve(w, r, c.Log, err)
	if status == httpjson.StatusClientClosed {
		w.WriteHeader(status) // nobody is there to read a page
		return
	}
	l := langOf(r)
	c.render(w, status, "error", pageData{Title: l.T("error"), Who: wh, Err: e, L: l})
}

var funcs = template.FuncMap{
	"when": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.In(calendar.Zone).Format("2006-01-02 15:04")
	},
	// whenSeen writes a time staff see through review.StaffTime: the day
	// alone when it was rounded to it, never a made-up 00:00.
	"whenSeen": func(t time.Time, dayOnly bool) string {
		if t.IsZero() {
			return "—"
		}
		if dayOnly {
			return t.In(calendar.Zone).Format(time.DateOnly)
		}
		return t.In(calendar.Zone).Format("2006-01-02 15:04")
	},
	"state": func(l Lang, s workorder.State) string { return l.T("order.state." + string(s)) },
	"role":  func(l Lang, r account.Role) string { return l.T("role." + string(r)) },
	// actor names who acted as the audit trail wrote it ("role:login").
	"actor": func(lang, by string) string { return actorName(Lang(lang), by) },
	"stars": func(n int) string { return strings.Repeat("★", n) + strings.Repeat("☆", 5-n) },
	"pct": func(a, b int64) string {
		if b == 0 {
			return "—"
		}
		return fmt.Sprintf("%.1f%%", 100*float64(a)/float64(b))
	},
	"mul100": func(f float64) float64 { return 100 * f },
	// unitIn names the unit code in l; a code the catalogue lacks shows as is.
	"unitIn": func(l Lang, units map[string]catalog.Unit, code string) string {
		if u, ok := units[code]; ok {
			return u.Name(l.Code())
		}
		return code
	},
	"states": func() []workorder.State { return workorder.States },
	"sorts":  func() []workorder.Sort { return workorder.Sorts },
	"roles":  func() []account.Role { return account.Roles },
}
