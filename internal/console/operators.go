package console

// The 12345 operators' own figures (issue 18), beside the centre's board
// they make up. The centre's board is public (/index): it judges the
// hotline as an institution, as a unit's board does. An operator's
// figures judge a named person, as a staff member's results do, so they
// are not public: the General Office sees every operator's, an operator
// their own alone.

import (
	"net/http"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/figures"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/route"
)

var pageOperators = route.PageRoles(account.Supervisor, account.Operator)

func (c *Console) registerOperators(mux *route.Mux) {
	mux.Handle("GET /console/operators", pageOperators, c.page(c.operators))
}

// operatorRow is one operator's figures as shown.
type operatorRow struct {
	Login, Name                              string
	Dispatched, Late, Redispatches           int64
	LateRate, Median, Contact                string
	FollowUps, CausesReviewed, CausesChanged int64
}

type operatorsData struct {
	L      Lang
	Span   board.Span
	Spans  []board.Span
	Period string
	Own    bool // an operator, shown their own figures alone
	// The centre's board over the same days: the orders due in them.
	Orders, Late, Escalations int64
	Contact, Redispatch       string
	Rows                      []operatorRow
}

// operators shows the centre's board over the quarter (or the year) and
// each operator's own figures over the same days.
func (c *Console) operators(w http.ResponseWriter, r *http.Request, wh *who) error {
	ctx := r.Context()
	l := langOf(r)
	d := operatorsData{L: l, Span: board.SpanOf(r.URL.Query().Get("period")), Spans: board.Spans, Own: wh.User.Role == account.Operator}
	from, to := d.Span.Days(c.Store.Now())
	d.Period = l.T("span."+string(d.Span)) + " " + figures.Period(from, to)
	var centre board.Board
	var err error
	if c.Boards != nil {
		centre, err = c.Boards.Board(ctx, index.Centre, from, to)
	} else {
		centre, err = board.Compute(ctx, c.Store, index.Centre, "", from, to)
	}
	if err != nil {
		return err
	}
	in := centre.Ranked[0].Indicators
	d.Orders, d.Escalations = in.WorkOrders, in.Escalations
	if in.UndispatchedLate != nil {
		d.Late = *in.UndispatchedLate
	}
	d.Contact, d.Redispatch = figures.Rate(in.FirstContactOnTimeRate), figures.Rate(in.RedispatchRate)
	ops, err := c.Store.Operators(ctx, from, to)
	if err != nil {
		return err
	}
	for _, o := range ops {
		if d.Own && o.Login != wh.User.Login {
			continue
		}
		row := operatorRow{Login: o.Login, Name: o.Name, Dispatched: o.Dispatched, Late: o.DispatchedLate,
			Redispatches: o.Redispatches, LateRate: figures.Rate(o.LateRate), Contact: figures.Rate(o.FirstContactOnTimeRate),
			FollowUps: o.FollowUps, CausesReviewed: o.CausesReviewed, CausesChanged: o.CausesChanged, Median: "—"}
		if o.MedianDispatchHours != nil {
			row.Median = l.Tf("op.hours", *o.MedianDispatchHours)
		}
		d.Rows = append(d.Rows, row)
	}
	c.render(w, http.StatusOK, "operators", pageData{Title: l.T("nav.operators"), Who: wh, Data: d, L: l})
	return nil
}
