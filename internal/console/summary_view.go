package console

import (
	"fmt"
	"net/http"
	"sort"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/chart"
	"github.com/haocha/haocha/internal/report"
	"github.com/haocha/haocha/internal/route"
	"github.com/haocha/haocha/internal/store"
)

// The supervisor's summary as a supervision view: the units that most need
// supervision drawn as bars (overdue, not satisfied, escalated), the
// orders never dispatched counted beside the units', and the same table
// exported as CSV or XLSX through the report's writers.

// supervisionBars is how many units the chart shows: the ones with the most
// trouble; the table lists them all.
const supervisionBars = 10

func (c *Console) registerSummaryExport(mux *route.Mux) {
	mux.Handle("GET /console/summary/export", route.PageRoles(account.Supervisor, account.Operator), c.page(c.summaryExport))
}

// trouble is what makes a unit need supervision.
func trouble(u store.UnitSummary) int64 { return u.Overdue + u.NotSatisfied + u.Escalated }

// supervisionChart draws the units with the most trouble, most first.
func supervisionChart(l Lang, rows []store.UnitSummary, units map[string]catalog.Unit) chart.Figure {
	sorted := append([]store.UnitSummary(nil), rows...)
	sort.SliceStable(sorted, func(i, j int) bool { return trouble(sorted[i]) > trouble(sorted[j]) })
	var most int64 = 1
	b := chart.Bars{Caption: l.T("sum.chart"), Corner: l.T("col.unit"), Format: func(x float64) string { return fmt.Sprintf("%.0f", x) }}
	series := []chart.Series{{Name: l.T("overdue"), Color: "#c8102e"}, {Name: l.T("order.state.not_satisfied"), Color: "#e8a33d"}, {Name: l.T("escalated"), Color: "#5b6b8c"}}
	for _, u := range sorted {
		if len(b.Labels) == supervisionBars || trouble(u) == 0 {
			break
		}
		name := u.Unit
		if x, ok := units[u.Unit]; ok {
			name = x.Name(l.Code())
		}
		b.Labels = append(b.Labels, name)
		for i, v := range []int64{u.Overdue, u.NotSatisfied, u.Escalated} {
			f := float64(v)
			series[i].Values = append(series[i].Values, &f)
			most = max(most, v)
		}
	}
	b.Series, b.Max = series, float64(most)
	return b.Figure()
}

// summaryTable is the summary as an exported table: one row a unit, then
// the orders never dispatched, then the total.
func summaryTable(l Lang, d summaryData) report.Table {
	t := report.Table{Sheet: l.T("sum.title"),
		Head: []string{l.T("col.unit"), l.T("sum.orders"), l.T("order.state.replied"), l.T("sum.ontime"), l.T("overdue"),
			l.T("order.state.closed"), l.T("order.state.not_satisfied"), l.T("redispatched"), l.T("escalated"), l.T("f.assessment")},
		Keys: []string{"unit", "opened", "replied", "on_time_rate", "overdue", "closed", "not_satisfied", "redispatched", "escalated", "assessment"}}
	row := func(name string, u store.UnitSummary) []report.Cell {
		var onTime *float64
		if u.Replied > 0 {
			x := float64(u.OnTime) / float64(u.Replied)
			onTime = &x
		}
		return []report.Cell{report.Text(name), report.Count(u.Opened), report.Count(u.Replied), report.Rate(onTime),
			report.Count(u.Overdue), report.Count(u.Closed), report.Count(u.NotSatisfied), report.Count(u.Redispatched),
			report.Count(u.Escalated), report.Count(u.Assessment)}
	}
	for _, u := range d.Rows {
		name := u.Unit
		if x, ok := d.Units[u.Unit]; ok {
			name = x.Name(l.Code())
		}
		t.Rows = append(t.Rows, row(name, u))
	}
	t.Rows = append(t.Rows, row(l.T("sum.undispatched"), store.UnitSummary{Opened: d.Undispatched}))
	total := d.Total
	total.Opened += d.Undispatched
	t.Rows = append(t.Rows, row(l.T("sum.total"), total))
	return t
}

func (c *Console) summaryExport(w http.ResponseWriter, r *http.Request, wh *who) error {
	f, err := report.ParseFormat(r.URL.Query().Get("format"))
	if err != nil || f == report.HTML {
		return apperr.Invalidf("format", "want csv or xlsx")
	}
	d, err := c.summaryOf(r, wh)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", f.ContentType())
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="summary-%s-%s.%s"`, d.From, d.To, f))
	return report.WriteTable(w, f, summaryTable(wh.L, d))
}
