package console

import (
	"net/http"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/workorder"
)

// The cause review's queues (不满意原因审查), one per role: the operator's
// orders awaiting a cause, the handler's findings against its unit it may
// contest once, the supervisor's contests to decide. The forms are on each
// order's page, beside its history.

// causeQueues is the queue each role works through.
var causeQueues = map[account.Role]workorder.CauseQueue{
	account.Operator:   workorder.CauseAwaiting,
	account.Handler:    workorder.CauseContestable,
	account.Supervisor: workorder.CauseContested,
}

type causesData struct {
	Queue workorder.CauseQueue
	Rows  []workorder.Row
	Units map[string]catalog.Unit
}

func (c *Console) causes(w http.ResponseWriter, r *http.Request, wh *who) error {
	q := causeQueues[wh.User.Role]
	rows, err := c.Service.List(r.Context(), wh.actor(), workorder.Filter{Cause: q, Limit: queuePage})
	if err != nil {
		return err
	}
	units, err := c.Service.Units(r.Context())
	if err != nil {
		return err
	}
	c.render(w, http.StatusOK, "causes", pageData{Title: wh.L.T("cause.title"), Who: wh,
		Data: causesData{Queue: q, Rows: rows, Units: units}})
	return nil
}
