package console

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/route"
	"github.com/haocha/haocha/internal/telephony"
	"github.com/haocha/haocha/internal/workorder"
)

// The contact step that does not reveal the number: the handler, who sees
// a masked phone, asks the 12345 operator to call, or has the exchange
// bridge a call (click-to-call). The operator sees the request on the
// order page with the number, per the reveal rules, and marks it done.

// callsData is the contact step on the order page.
type callsData struct {
	List []workorder.CallRequest
	// CanRequest: the viewer is the unit's handler and the reviewer left
	// a phone; the forms to ask for a call and to call through the
	// exchange show.
	CanRequest bool
	// Pending: a request waits for the operator.
	Pending bool
	// CanFinish: the viewer is an operator who makes the call.
	CanFinish bool
}

func (c *Console) registerContact(mux *route.Mux) {
	handler := route.PageRoles(account.Handler)
	mux.Handle("POST /console/orders/{ref}/call-request", handler, c.page(c.requestCallPage))
	mux.Handle("POST /console/orders/{ref}/call", handler, c.page(c.callPage))
	mux.Handle("POST /console/orders/{ref}/call-requests/{id}/done", route.PageRoles(account.Operator), c.page(c.finishCallPage))
}

// bridge is the telephony hook: the configured exchange, else the log.
func (c *Console) bridge() workorder.Caller {
	if c.Telephony != nil {
		return c.Telephony
	}
	return telephony.Log{Log: c.Log}
}

// callsOf is the contact step of the order v shows to wh.
func (c *Console) callsOf(r *http.Request, wh *who, v *workorder.OrderView) (callsData, error) {
	var d callsData
	list, err := c.Service.CallRequests(r.Context(), wh.actor(), v.Order)
	if err != nil {
		return d, err
	}
	d.List = list
	for _, cr := range list {
		d.Pending = d.Pending || cr.Open()
	}
	role := wh.User.Role
	d.CanRequest = role == account.Handler && v.Order.State == workorder.Dispatched && !v.Review.Anonymous && v.Review.Contact != nil
	d.CanFinish = role == account.Operator
	return d, nil
}

// after returns to the order page with a message.
func afterOnOrder(w http.ResponseWriter, r *http.Request, done string) {
	http.Redirect(w, r, "/console/orders/"+url.PathEscape(r.PathValue("ref"))+"?done="+url.QueryEscape(done), http.StatusSeeOther)
}

// refusedOnOrder shows a refused contact action on the order page, or
// returns err when it is not the caller's to fix.
func (c *Console) refusedOnOrder(w http.ResponseWriter, r *http.Request, wh *who, err error, action string) error {
	switch apperr.CodeOf(err) {
	case apperr.Invalid, apperr.Conflict, apperr.Unavailable:
		return c.showOrder(w, r, wh, r.PathValue("ref"), err, action, workorder.Input{})
	}
	return err
}

func (c *Console) requestCallPage(w http.ResponseWriter, r *http.Request, wh *who) error {
	if _, err := c.Service.RequestCall(r.Context(), wh.actor(), r.PathValue("ref"), r.PostFormValue("note")); err != nil {
		return c.refusedOnOrder(w, r, wh, err, "call-request")
	}
	afterOnOrder(w, r, "call-request")
	return nil
}

func (c *Console) callPage(w http.ResponseWriter, r *http.Request, wh *who) error {
	placed, err := c.Service.CallCitizen(r.Context(), wh.actor(), r.PathValue("ref"), r.PostFormValue("phone"), c.bridge())
	if err != nil {
		return c.refusedOnOrder(w, r, wh, err, "call")
	}
	if !placed {
		afterOnOrder(w, r, "call-not-placed")
		return nil
	}
	afterOnOrder(w, r, "call")
	return nil
}

func (c *Console) finishCallPage(w http.ResponseWriter, r *http.Request, wh *who) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return apperr.NotFoundf("call_request", "no such call request")
	}
	reached, err := workorder.Required(yesNo(r.PostFormValue("reached")), "reached")
	if err == nil {
		err = c.Service.FinishCallRequest(r.Context(), wh.actor(), r.PathValue("ref"), id, reached, r.PostFormValue("note"))
	}
	if err != nil {
		return c.refusedOnOrder(w, r, wh, err, "call-done")
	}
	afterOnOrder(w, r, "call-done")
	return nil
}

// yesNo reads a form's yes or no; nil when neither.
func yesNo(v string) *bool {
	var b bool
	switch v {
	case "yes", "true", "1":
		b = true
	case "no", "false", "0":
	default:
		return nil
	}
	return &b
}
