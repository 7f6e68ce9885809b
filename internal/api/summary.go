package api

import (
	"net/http"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/caller"
	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/route"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/summary"
)

// registerSummary adds the supervisor's summary of the work orders.
func (c *Loop) registerSummary(mux *route.Mux) {
	mux.Handle("GET /api/v1/summary", route.Roles(account.Supervisor, account.Operator), c.api(c.apiSummary, true))
}

func (c *Loop) apiSummary(w http.ResponseWriter, r *http.Request, wh *caller.Staff) error {
	d, err := (&summary.Service{Store: c.Store, Orders: c.Service}).Of(r.Context(), wh.Actor(), r.URL.Query())
	if err != nil {
		return err
	}
	rows := make([]map[string]any, 0, len(d.Rows))
	for _, x := range d.Rows {
		rows = append(rows, summaryMap(x))
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"from": d.From, "to": d.To, "units": rows, "total": summaryMap(d.Total),
		"undispatched": map[string]int64{"waiting": d.Undispatched, "late": d.UndispatchedLate}})
	return nil
}

func summaryMap(x store.UnitSummary) map[string]any {
	m := map[string]any{"opened": x.Opened, "closed": x.Closed, "replied": x.Replied, "overdue": x.Overdue,
		"on_time": x.OnTime, "redispatched": x.Redispatched, "escalated": x.Escalated,
		"not_satisfied": x.NotSatisfied, "assessment": x.Assessment}
	if x.Unit != "" {
		m["unit"] = x.Unit
	}
	return m
}
