package api

// The General Office's issued reports (通报) and the year's assessment.

import (
	"net/http"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/caller"
	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/report"
	"github.com/haocha/haocha/internal/route"

	"github.com/haocha/haocha/internal/i18n"
)

// registerReports adds the report and assessment routes.
func (c *Loop) registerReports(mux *route.Mux) {
	mux.Handle("GET /api/v1/reports", route.Roles(account.Supervisor), c.api(c.apiReports, true))
	mux.Handle("GET /api/v1/reports/{period}/{format}", route.Roles(account.Supervisor), c.api(c.reportFile, true))
	mux.Handle("GET /api/v1/assessment", route.Roles(account.Supervisor), c.api(c.apiAssessment, true))
}

func (c *Loop) apiReports(w http.ResponseWriter, r *http.Request, wh *caller.Staff) error {
	stored, err := c.Reports.List(r.Context(), wh.Actor())
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(stored))
	for _, s := range stored {
		out = append(out, map[string]any{"period": s.Period, "format": s.Format, "lang": s.Lang, "sha256": s.SHA256, "size": s.Size,
			"issued_at": s.CreatedAt, "issued_by": s.CreatedBy, "href": "/api/v1/reports/" + s.Period + "/" + string(s.Format) + "?lang=" + string(s.Lang)})
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"reports": out})
	return nil
}

// reportFile sends an issued report as stored, in ?lang= (Chinese when
// not given, as before reports were issued in English).
func (c *Loop) reportFile(w http.ResponseWriter, r *http.Request, wh *caller.Staff) error {
	name, f, content, err := c.Reports.File(r.Context(), wh.Actor(), r.PathValue("period"), r.PathValue("format"), apiLang(r))
	if err != nil {
		return err
	}
	httpjson.SendFile(w, name, f.ContentType(), f == report.HTML, content)
	return nil
}

func (c *Loop) apiAssessment(w http.ResponseWriter, r *http.Request, wh *caller.Staff) error {
	a, err := c.Reports.Assessment(r.Context(), wh.Actor(), r.URL.Query().Get("year"))
	if err != nil {
		return err
	}
	if v := r.URL.Query().Get("format"); v != "" {
		name, f, content, err := report.Export(a, v, apiLang(r))
		if err != nil {
			return err
		}
		httpjson.SendFile(w, name, f.ContentType(), f == report.HTML, content)
		return nil
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

// apiLang is the language a download's titles are in: ?lang=en for English,
// Chinese otherwise.
func apiLang(r *http.Request) i18n.Lang {
	l, _ := i18n.Parse(r.URL.Query().Get("lang"))
	return l
}
