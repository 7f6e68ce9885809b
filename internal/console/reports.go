package console

// The General Office's issued reports (通报) and year-end assessment
// (年底绩效考核): pages, downloads and their API.

import (
	"context"
	"net/http"
	"strconv"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/i18n"
	"github.com/haocha/haocha/internal/report"
	"github.com/haocha/haocha/internal/route"
)

// registerReports adds the report and assessment routes.
func (c *Console) registerReports(mux *route.Mux) {
	mux.Handle("GET /console/reports", route.PageRoles(account.Supervisor), c.page(c.reportsPage))
	mux.Handle("GET /console/reports/{period}/{format}", route.PageRoles(account.Supervisor), c.page(c.reportFile))
	mux.Handle("GET /console/assessment", route.PageRoles(account.Supervisor), c.page(c.assessmentPage))
}

// reportGroup is one period's issued files in the page's language, or
// its Chinese files when it was issued before reports were in English
// (ZHOnly on an English page).
type reportGroup struct {
	Period, Title string
	ZHOnly        bool
	Files         []report.Stored
}

func (c *Console) reportsPage(w http.ResponseWriter, r *http.Request, wh *who) error {
	stored, err := c.Reports.List(r.Context(), wh.actor())
	if err != nil {
		return err
	}
	lang := i18n.Lang(wh.L)
	inLang := map[string]bool{} // the periods issued in the page's language
	for _, s := range stored {
		inLang[s.Period] = inLang[s.Period] || s.Lang == lang
	}
	var groups []reportGroup
	for _, s := range stored {
		if s.Lang != lang && (inLang[s.Period] || s.Lang != i18n.ZH) {
			continue
		}
		if len(groups) == 0 || groups[len(groups)-1].Period != s.Period {
			title := s.Period
			if p, err := report.ParsePeriod(s.Period); err == nil {
				title = p.TitleIn(lang)
			}
			groups = append(groups, reportGroup{Period: s.Period, Title: title, ZHOnly: s.Lang != lang})
		}
		g := &groups[len(groups)-1]
		g.Files = append(g.Files, s)
	}
	c.render(w, http.StatusOK, "reports", pageData{Title: wh.L.T("nav.reports"), Who: wh, Data: groups})
	return nil
}

// reportFile sends an issued report as stored.
func (c *Console) reportFile(w http.ResponseWriter, r *http.Request, wh *who) error {
	name, f, content, err := c.Reports.File(r.Context(), wh.actor(), r.PathValue("period"), r.PathValue("format"), i18n.Lang(wh.L))
	if err != nil {
		return err
	}
	httpjson.SendFile(w, name, f.ContentType(), f == report.HTML, content)
	return nil
}

func (c *Console) assessmentPage(w http.ResponseWriter, r *http.Request, wh *who) error {
	a, err := c.Reports.Assessment(r.Context(), wh.actor(), r.URL.Query().Get("year"))
	if err != nil {
		return err
	}
	if err := c.unitNamesIn(r.Context(), wh.L, a); err != nil {
		return err
	}
	if v := r.URL.Query().Get("format"); v != "" {
		name, f, content, err := report.Export(a, v, i18n.Lang(wh.L))
		if err != nil {
			return err
		}
		httpjson.SendFile(w, name, f.ContentType(), f == report.HTML, content)
		return nil
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
