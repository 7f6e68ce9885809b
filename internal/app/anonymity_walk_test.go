package app_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/alert"
	"github.com/haocha/haocha/internal/app"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/transaction"
	"github.com/haocha/haocha/internal/workorder"
)

// planted is an anonymous review the walk looks for: what must not show.
type planted struct {
	at          time.Time
	transaction string
	phone       string
	order       string
}

// leaks are the renderings of p that a staff surface must not carry: its
// minute in the city's zone and in UTC (as pages, JSON and CSV write it),
// its second, its Unix time, its transaction number and its applicant's
// phone, whole or masked.
func (p planted) leaks() []string {
	var out []string
	for _, t := range []time.Time{p.at.In(calendar.Zone), p.at.UTC()} {
		out = append(out, t.Format("2006-01-02 15:04"), t.Format("2006-01-02T15:04"), t.Format("15:04:05"))
	}
	return append(out, strconv.FormatInt(p.at.UnixMilli(), 10), strconv.FormatInt(p.at.Unix(), 10),
		p.transaction, p.phone, review.MaskPhone(p.phone))
}

// TestAnonymityWalk plants anonymous bad reviews (each with its reported
// transaction and the applicant's phone, one held as suspected, three in
// a concentration alert, one order dispatched) in the demo city, then
// calls every GET route the server has registered, read from the router
// itself, as the public and as every staff role, with each planted order,
// alert and place in its path and the lists' views in its query: no
// answer (page, JSON, CSV, Open311) may carry a planted review's time
// finer than its day, its transaction number or its applicant's phone. A
// route added later is walked without being named here.
func TestAnonymityWalk(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 3, 15, 0, 0, 0, calendar.Zone)
	m, err := app.Open(ctx, app.Config{DB: filepath.Join(t.TempDir(), "haocha.db"), Demo: demo.Options{Reviews: 400, Seed: 7, Days: 4, Now: now},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), MetricsToken: "walk-metrics", Loop: app.LoopConfig{NoScheduler: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	st := m.Store
	cat := demo.Catalog()
	ws := cat.Workstations[0]
	var hall string
	for _, w := range cat.Windows {
		if w.Code == ws.Window {
			hall = w.Hall
		}
	}
	hallUnit, item := "", ""
	for _, h := range cat.Halls {
		if h.Code == hall {
			hallUnit = h.Unit
		}
	}
	for _, hi := range cat.HallItems {
		if hi.Hall == hall {
			item = hi.Item
			break
		}
	}
	var stage string
	for _, it := range cat.Items {
		if it.Code == item {
			stage = it.Stages[0].Code
		}
	}
	if hall == "" || item == "" || stage == "" {
		t.Fatalf("no item offered at workstation %s's hall", ws.Code)
	}

	// Odd seconds and milliseconds, so that a leaked time cannot be a
	// real-name review's by chance.
	times := []time.Time{
		time.Date(2026, 12, 1, 9, 13, 41, 271e6, calendar.Zone),
		time.Date(2026, 12, 2, 10, 29, 7, 613e6, calendar.Zone),
		time.Date(2026, 12, 3, 10, 47, 23, 517e6, calendar.Zone),
		time.Date(2026, 12, 3, 11, 38, 52, 904e6, calendar.Zone), // held
	}
	var plants []planted
	var unit string
	for i, at := range times {
		p := planted{at: at, transaction: fmt.Sprintf("ANONWALK%08d", 7301+i), phone: fmt.Sprintf("139555%05d", 1001+i)}
		st.Now = func() time.Time { return at.Add(-30 * time.Minute) }
		res, err := (&transaction.Service{Store: st}).Report(ctx, transaction.Reporter{}, []transaction.Record{{Number: p.transaction,
			Item: item, Stages: []string{stage}, Unit: hallUnit, Workstation: ws.Code, ApplicantKind: "person", Phone: p.phone,
			AcceptedAt: at.Add(-40 * time.Minute).Format(time.RFC3339), FinishedAt: at.Add(-31 * time.Minute).Format(time.RFC3339)}})
		if err != nil || res[0].Status != transaction.Created {
			t.Fatalf("report %s: %+v %v", p.transaction, res, err)
		}
		yes := true
		st.Now = func() time.Time { return at }
		r, err := review.Accept(ctx, st, &review.Submission{Channel: "window", Workstation: ws.Code, Item: item, Stage: stage,
			Stars: 1, Tags: []string{"attitude"}, Comment: "窗口态度很差", Anonymous: &yes, Transaction: p.transaction})
		if err != nil {
			t.Fatal(err)
		}
		r.Verification = review.ByTransaction
		if i == 3 {
			r.Held = "closed_hall"
		}
		o, err := st.CreateReview(ctx, r, review.RateLimit{})
		if err != nil || o == nil {
			t.Fatalf("plant review %d: order %v, %v", i, o, err)
		}
		p.order, unit = o.Number, r.Unit
		plants = append(plants, p)
	}
	st.Now = func() time.Time { return now }
	raised, err := alert.NewService(st, st.Now).Sweep(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var alerts []string
	for _, a := range raised {
		alerts = append(alerts, strconv.FormatInt(a.ID, 10))
	}
	if len(alerts) == 0 {
		t.Fatal("the planted reviews raised no alert: the walk would not see an alert's reviews")
	}
	svc := workorder.NewService(st, st.Now)
	op := account.Actor{Name: "walk-operator", Role: account.Operator}
	o, err := svc.Resolve(ctx, op, plants[2].order)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Act(ctx, op, o.ID, workorder.ActDispatch, workorder.Input{Unit: unit, Complexity: workorder.Simple, Days: 5}); err != nil {
		t.Fatalf("dispatch %s: %v", o.Number, err)
	}

	callers := []caller{{name: "public"}, {name: "operator", role: account.Operator}, {name: "handler", role: account.Handler, unit: unit},
		{name: "supervisor", role: account.Supervisor}, {name: "staff", role: account.Staff}, {name: "admin", role: account.Admin}}
	for i := range callers {
		if callers[i].role != "" {
			callers[i].token = mustToken(t, st, &callers[i])
		}
	}
	seen := map[string]bool{} // planted order numbers some answer showed
	walked := 0
	for _, rt := range m.Routes() {
		method, pattern, _ := strings.Cut(rt.Pattern, " ")
		if method != http.MethodGet {
			continue
		}
		for _, path := range walkPaths(pattern, plants, alerts, ws.Code, item, unit) {
			for _, c := range callers {
				if c.role == "" && !rt.Access.Public || c.role != "" && !rt.Access.Allows(c.role) {
					continue
				}
				code, body := walkGet(m, c, path)
				walked++
				for _, p := range plants {
					if strings.Contains(body, p.order) {
						seen[p.order] = true
					}
					for _, leak := range p.leaks() {
						if strings.Contains(body, leak) {
							t.Errorf("%s GET %s (%d) shows %q of an anonymous review", c.name, path, code, leak)
						}
					}
				}
			}
		}
	}
	// The walk can fail only if the planted orders were in what it read.
	for _, p := range plants {
		if !seen[p.order] {
			t.Errorf("no answer showed order %s: the walk did not reach it", p.order)
		}
	}
	t.Logf("walked %d calls", walked)
}

// walkPaths fills pattern's wildcards with every planted thing they can
// name and adds the list views and export formats to its query.
func walkPaths(pattern string, plants []planted, alerts []string, ws, item, unit string) []string {
	base := samplePath(pattern, "", "")
	var paths []string
	switch {
	case strings.Contains(pattern, "{ref}"):
		for _, p := range plants {
			paths = append(paths, samplePath(pattern, p.order, ""))
		}
	case strings.Contains(pattern, "alerts/{id}"):
		for _, a := range alerts {
			paths = append(paths, strings.Replace(pattern, "{id}", a, 1))
		}
	case strings.Contains(pattern, "/open311/v2/requests/{id}"):
		for _, p := range plants {
			paths = append(paths, strings.Replace(pattern, "{id}", p.order+".json", 1))
		}
	case strings.Contains(pattern, "workstations/{code}"):
		paths = append(paths, strings.Replace(pattern, "{code}", ws, 1))
	case strings.Contains(pattern, "items/{code}"):
		paths = append(paths, strings.Replace(pattern, "{code}", item, 1))
	case strings.Contains(pattern, "units/{code}"):
		paths = append(paths, strings.Replace(pattern, "{code}", unit, 1))
	case strings.Contains(pattern, "{period}"):
		for _, f := range []string{"csv", "json"} {
			paths = append(paths, strings.NewReplacer("{period}", "2026-12", "{format}", f).Replace(pattern))
		}
	default:
		paths = append(paths, base)
	}
	switch pattern {
	case "/console/orders", "/api/v1/orders":
		for _, q := range []string{"?view=queue", "?view=open", "?state=new", "?state=dispatched", "?unit=" + unit, "?sort=received"} {
			paths = append(paths, pattern+q)
		}
	case "/console/summary/export":
		paths = []string{pattern + "?format=csv"}
	case "/open311/v2/requests.json":
		paths = append(paths, pattern+"?status=open")
	}
	return paths
}

// walkGet calls path as c and answers the status and body.
func walkGet(m *app.Main, c caller, path string) (int, string) {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, req)
	return w.Code, w.Body.String()
}
