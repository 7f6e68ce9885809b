package console

import (
	"context"
	"net/http"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/chart"
	"github.com/haocha/haocha/internal/figures"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/workorder"
)

// dashboardMonths is how many calendar months the city's trend shows: the
// months whose boards are kept warm.
const dashboardMonths = board.TrendMonths

// redBlack is how many departments the red and black lists name.
const redBlack = 5

// dashboardData is the supervisor's dashboard: the city at a glance.
type dashboardData struct {
	L                 Lang
	Period, Version   string
	Index             string
	N                 int64
	Good, Bad, Rect   string
	Active, Unrated   string // 主动评价好评率, 未评率
	Transactions      int64  // whose rating window closed in the period
	Overdue           int64
	Escalated         int64
	Alerts            *int // nil until alerts are wired (OpenAlerts)
	Districts         chart.Figure
	Top, Bottom       chart.Figure
	TrendGood, TrendB chart.Figure
}

// dashboard is the supervisor's landing page (the 12345 operators see it
// too): the city's index and rates, open overdue and escalated orders,
// open alerts, the rankings and the 12-month trend.
func (c *Console) dashboard(w http.ResponseWriter, r *http.Request, wh *who) error {
	if wh.User.Role != account.Supervisor && wh.User.Role != account.Operator {
		return apperr.New(apperr.Forbidden, "", "the dashboard is for the General Office and the 12345 hotline")
	}
	ctx := r.Context()
	l := langOf(r)
	d := dashboardData{L: l}
	wd := l.words()
	now := c.Store.Now()
	from, to := board.Recent(now)
	d.Period = figures.Period(from, to)
	city, err := c.Boards.Board(ctx, index.City, from, to)
	if err != nil {
		return err
	}
	e, _ := city.Find(board.CityCode)
	d.Version = l.Tf("index.version", city.DefinitionVersion)
	d.Index, d.N = figures.IndexText(e, wd), e.N
	d.Good, d.Bad, d.Rect = figures.Rate(e.Indicators.GoodRate), figures.Rate(e.Indicators.BadRate), figures.Rate(e.Indicators.RectificationRate)
	d.Active, d.Unrated = figures.Rate(e.Indicators.ActiveGoodRate), figures.Rate(e.Indicators.UnratedRate)
	d.Transactions = e.Indicators.Transactions
	if d.Overdue, err = c.Store.CountOrders(ctx, workorder.Filter{Open: true, Overdue: true}); err != nil {
		return err
	}
	if d.Escalated, err = c.Store.CountOrders(ctx, workorder.Filter{Open: true, Escalated: true}); err != nil {
		return err
	}
	if c.OpenAlerts != nil {
		n, err := c.OpenAlerts(ctx)
		if err != nil {
			return err
		}
		d.Alerts = &n
	}
	if err := c.dashboardRankings(ctx, &d, from, to); err != nil {
		return err
	}
	months, err := c.Boards.Months(ctx, index.City, board.CityCode, now, dashboardMonths)
	if err != nil {
		return err
	}
	d.TrendGood, d.TrendB = figures.Trends(months, wd.City, wd)
	c.render(w, http.StatusOK, "dashboard", pageData{Title: l.T("dash.title"), Who: wh, Data: d})
	return nil
}

// dashboardRankings draws the districts' ranking and the departments' red
// and black lists (the five best and five worst with the minimum sample).
func (c *Console) dashboardRankings(ctx context.Context, d *dashboardData, from, to time.Time) error {
	l := d.L
	units, err := c.Service.Units(ctx)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for code, u := range units {
		names[code] = u.Name(string(l))
	}
	districts, err := c.Boards.Board(ctx, index.District, from, to)
	if err != nil {
		return err
	}
	agencies, err := c.Boards.Board(ctx, index.Agency, from, to)
	if err != nil {
		return err
	}
	series := l.T("col.index")
	d.Districts = figures.RankBars(l.T("dash.districts"), l.T("col.district"), series, districts.Ranked, names)
	top := agencies.Ranked[:min(redBlack, len(agencies.Ranked))]
	bottom := agencies.Ranked[max(len(agencies.Ranked)-redBlack, 0):]
	d.Top = figures.RankBars(l.T("dash.top"), l.T("dash.agency"), series, top, names)
	d.Bottom = figures.RankBars(l.T("dash.bottom"), l.T("dash.agency"), series, bottom, names)
	return nil
}
