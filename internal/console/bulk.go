package console

import (
	"net/http"
	"strings"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/workorder"
)

// maxBulk is the most orders one bulk dispatch takes: a page of the queue.
const maxBulk = workorder.MaxPage

// bulkResult is what became of one order of a bulk dispatch.
type bulkResult struct {
	Number string
	Reason string // why it was refused; empty when dispatched
}

type bulkData struct {
	Unit      string // the unit's name
	Done      []bulkResult
	Refused   []bulkResult
	QueueLink string
}

// bulkDispatch sends the orders picked on the queue to one unit. Each goes
// through the work-order service on its own, with its authorization and
// audit row, so one refusal does not stop the others; the page says which
// were dispatched and why the rest were not.
func (c *Console) bulkDispatch(w http.ResponseWriter, r *http.Request, wh *who) error {
	in, err := formInput(r)
	if err != nil {
		return err
	}
	refs := r.PostForm["order"]
	if len(refs) == 0 {
		return apperr.Invalidf("order", "pick at least one work order")
	}
	if len(refs) > maxBulk {
		return apperr.Invalidf("order", "at most %d work orders at once, got %d", maxBulk, len(refs))
	}
	if strings.TrimSpace(in.Unit) == "" {
		return apperr.Invalidf("unit", "required")
	}
	ctx := r.Context()
	units, err := c.Service.Units(ctx)
	if err != nil {
		return err
	}
	d := bulkData{Unit: in.Unit, QueueLink: "/console/orders?view=queue"}
	if u, ok := units[in.Unit]; ok {
		d.Unit = u.Name(wh.L.Code())
	}
	for _, ref := range refs {
		res := bulkResult{Number: ref}
		o, err := c.Service.Resolve(ctx, wh.actor(), ref)
		if err == nil {
			res.Number = o.Number
			_, err = c.Service.Act(ctx, wh.actor(), o.ID, workorder.ActDispatch, in)
		}
		if err != nil {
			if apperr.As(err) == nil {
				return err // not a refusal: the database failed
			}
			res.Reason = apperr.As(err).Message
			if f := apperr.As(err).Field; f != "" {
				res.Reason = f + ": " + res.Reason
			}
			d.Refused = append(d.Refused, res)
			continue
		}
		d.Done = append(d.Done, res)
	}
	c.render(w, http.StatusOK, "bulk", pageData{Title: wh.L.T("bulk.title"), Who: wh, Data: d})
	return nil
}
