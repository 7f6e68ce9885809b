package console

// The General Office's issued reports (通报) and year-end assessment
// (年底绩效考核): pages, downloads and their API.

import (
	"bytes"
	"context"
	"net/http"
	"strconv"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/i18n"
	"github.com/haocha/haocha/internal/report"
	"github.com/haocha/haocha/internal/route"
	"github.com/haocha/haocha/internal/workorder"
)

// registerReports adds the report and assessment routes.
func (c *Console) registerReports(mux *route.Mux) {
	mux.Handle("GET /console/reports", route.PageRoles(workorder.Supervisor), c.page(c.reportsPage))
	mux.Handle("GET /console/reports/{period}/{format}", route.PageRoles(workorder.Supervisor), c.page(c.reportFile))
	mux.Handle("GET /console/assessment", route.PageRoles(workorder.Supervisor), c.page(c.assessmentPage))
	mux.Handle("GET /api/v1/reports", route.Roles(workorder.Supervisor), c.api(c.apiReports, true))
	mux.Handle("GET /api/v1/reports/{period}/{format}", route.Roles(workorder.Supervisor), c.api(c.reportFile, true))
	mux.Handle("GET /api/v1/assessment", route.Roles(workorder.Supervisor), c.api(c.apiAssessment, true))
}

// supervisorOnly refuses everyone but the General Office.
func supervisorOnly(wh *who, what string) error {
	if wh.User.Role != workorder.Supervisor {
		return apperr.New(apperr.Forbidden, "", "%s are for the General Office (supervisor)", what)
	}
	return nil
}

// reportGroup is one period's issued files.
type reportGroup struct {
	Period, Title string
	Files         []report.Stored
}

func (c *Console) reportsPage(w http.ResponseWriter, r *http.Request, wh *who) error {
	if err := supervisorOnly(wh, "reports"); err != nil {
		return err
	}
	stored, err := c.Store.Reports(r.Context())
	if err != nil {
		return err
	}
	var groups []reportGroup
	for _, s := range stored {
		if len(groups) == 0 || groups[len(groups)-1].Period != s.Period {
			title := s.Period
			if p, err := report.ParsePeriod(s.Period); err == nil {
				title = p.Title()
			}
			groups = append(groups, reportGroup{Period: s.Period, Title: title})
		}
		g := &groups[len(groups)-1]
		g.Files = append(g.Files, s)
	}
	c.render(w, http.StatusOK, "reports", pageData{Title: wh.L.T("nav.reports"), Who: wh, Data: groups})
	return nil
}

// reportFile sends an issued report as stored, with its SHA-256.
func (c *Console) reportFile(w http.ResponseWriter, r *http.Request, wh *who) error {
	if err := supervisorOnly(wh, "reports"); err != nil {
		return err
	}
	p, err := report.ParsePeriod(r.PathValue("period"))
	if err != nil {
		return err
	}
	f, err := report.ParseFormat(r.PathValue("format"))
	if err != nil {
		return err
	}
	s, err := c.Store.Report(r.Context(), p.String(), f)
	if err != nil {
		return err
	}
	sendFile(w, report.Filename(p, f), f, s.Content)
	return nil
}

func sendFile(w http.ResponseWriter, name string, f report.Format, content []byte) {
	h := w.Header()
	h.Set("Content-Type", f.ContentType())
	if f != report.HTML {
		h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	}
	h.Set("Content-Length", strconv.Itoa(len(content)))
	h.Set("Cache-Control", "no-store")
	w.Write(content)
}

func (c *Console) apiReports(w http.ResponseWriter, r *http.Request, wh *who) error {
	if err := supervisorOnly(wh, "reports"); err != nil {
		return err
	}
	stored, err := c.Store.Reports(r.Context())
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(stored))
	for _, s := range stored {
		out = append(out, map[string]any{"period": s.Period, "format": s.Format, "sha256": s.SHA256, "size": s.Size,
			"issued_at": s.CreatedAt, "issued_by": s.CreatedBy, "href": "/api/v1/reports/" + s.Period + "/" + string(s.Format)})
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"reports": out})
	return nil
}

// assessmentOf reads ?year= (this year by default) and builds it.
func (c *Console) assessmentOf(r *http.Request, wh *who) (*report.Assessment, error) {
	if err := supervisorOnly(wh, "assessments"); err != nil {
		return nil, err
	}
	year := c.Store.Now().Year()
	if v := r.URL.Query().Get("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 2000 || y > 2999 {
			return nil, apperr.Invalidf("year", "want a year like 2026, got %q", v)
		}
		year = y
	}
	return report.BuildAssessment(r.Context(), c.Store, year, c.Store.Now())
}

func (c *Console) assessmentPage(w http.ResponseWriter, r *http.Request, wh *who) error {
	a, err := c.assessmentOf(r, wh)
	if err != nil {
		return err
	}
	if err := c.unitNamesIn(r.Context(), wh.L, a); err != nil {
		return err
	}
	if v := r.URL.Query().Get("format"); v != "" {
		return c.exportAssessment(w, a, v, wh.L)
	}
	c.render(w, http.StatusOK, "assessment", pageData{Title: wh.L.T("as.title"), Who: wh, Data: a})
	return nil
}

// unitNamesIn names the assessment's units in l: the assessment is built
// with their Chinese names.
func (c *Console) unitNamesIn(ctx context.Context, l Lang, a *report.Assessment) error {
	units, err := c.Service.Units(ctx)
	if err != nil {
		return err
	}
	for i := range a.Units {
		if u, ok := units[a.Units[i].Code]; ok {
			a.Units[i].Name = u.Name(l.Code())
		}
	}
	return nil
}

func (c *Console) exportAssessment(w http.ResponseWriter, a *report.Assessment, format string, l Lang) error {
	f, err := report.ParseFormat(format)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := a.Write(&buf, f, i18n.Lang(l)); err != nil {
		return err
	}
	sendFile(w, a.Filename(f), f, buf.Bytes())
	return nil
}

func (c *Console) apiAssessment(w http.ResponseWriter, r *http.Request, wh *who) error {
	a, err := c.assessmentOf(r, wh)
	if err != nil {
		return err
	}
	if v := r.URL.Query().Get("format"); v != "" {
		return c.exportAssessment(w, a, v, langOf(r))
	}
	units := make([]map[string]any, 0, len(a.Units))
	for _, u := range a.Units {
		units = append(units, map[string]any{"code": u.Code, "name": u.Name, "peers": u.Peers, "rank": u.Rank, "ranked_peers": u.PeerCount,
			"index": u.Result.Index, "n": u.Result.N, "insufficient_sample": u.Result.InsufficientSample, "indicators": u.Indicators,
			"escalated_orders": u.Escalated, "assessment_orders": u.Marked, "unrectified_orders": u.Unrectified, "appeals_upheld": u.Upheld})
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"year": a.Year, "definition_version": a.DefinitionVersion, "units": units})
	return nil
}

func init() {
	funcs["rate"] = func(x *float64) string {
		if x == nil {
			return "—"
		}
		return strconv.FormatFloat(100**x, 'f', 1, 64) + "%"
	}
	funcs["score"] = func(x *float64) string { return strconv.FormatFloat(*x, 'f', 2, 64) }
	funcs["kb"] = func(n int64) string { return strconv.FormatInt((n+1023)/1024, 10) + " KB" }
}
