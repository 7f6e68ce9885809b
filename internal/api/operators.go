package api

// GET /api/v1/operators: the 12345 operators' own figures (issue 18),
// beside the centre's board (GET /api/v1/index?scope=centre). The centre's
// board is public, as a unit's is; an operator's figures judge a named
// person, so the General Office reads every operator's and an operator
// their own alone, as on /console/operators.

import (
	"net/http"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/caller"
	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/route"
)

func (c *Loop) registerOperators(mux *route.Mux) {
	mux.Handle("GET /api/v1/operators", route.Roles(account.Supervisor, account.Operator), c.api(c.apiOperators, true))
}

func (c *Loop) apiOperators(w http.ResponseWriter, r *http.Request, wh *caller.Staff) error {
	p := r.URL.Query().Get("period")
	if p != "" && p != string(board.SpanQuarter) && p != string(board.SpanYear) {
		return apperr.Invalidf("period", "quarter or year, not %q", p)
	}
	span := board.SpanOf(p)
	// One instant, in the database's milliseconds, that the figures count
	// as of and the answer publishes: `haocha index verify --server`
	// recounts them as of it.
	at := c.Store.Now().Truncate(time.Millisecond)
	from, to := span.Days(at)
	ops, err := c.Store.OperatorsAt(r.Context(), from, to, at)
	if err != nil {
		return err
	}
	out := make([]index.Operator, 0, len(ops))
	for _, o := range ops {
		if wh.User.Role == account.Operator && o.Login != wh.User.Login {
			continue
		}
		out = append(out, o)
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"period": span, "from": from.Format(time.DateOnly), "to": to.Format(time.DateOnly),
		"computed_at": at.In(calendar.Zone), "operators": out})
	return nil
}
