package api

// A unit's handler does not see the citizen's whole number: it asks the
// 12345 operator to call (call requests), or has the telephone exchange
// bridge the call without showing the number.

import (
	"net/http"
	"strconv"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/caller"
	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/route"
	"github.com/haocha/haocha/internal/workorder"
)

// registerCalls adds the call-request routes.
func (c *Loop) registerCalls(mux *route.Mux) {
	mux.Handle("GET /api/v1/call-requests", route.Roles(account.Operator), c.api(c.apiOpenCalls, true))
	mux.Handle("POST /api/v1/orders/{ref}/call-request", route.Roles(account.Handler), c.api(c.apiRequestCall, true))
	mux.Handle("POST /api/v1/orders/{ref}/call", route.Roles(account.Handler), c.api(c.apiCall, true))
	mux.Handle("POST /api/v1/orders/{ref}/call-requests/{id}/done", route.Roles(account.Operator), c.api(c.apiFinishCall, true))
}

// callJSON is a call request in the API.
type callJSON struct {
	ID          int64      `json:"id"`
	Order       string     `json:"work_order"`
	Unit        string     `json:"unit"`
	Note        string     `json:"note,omitempty"`
	RequestedAt time.Time  `json:"requested_at"`
	Done        bool       `json:"done"`
	DoneAt      *time.Time `json:"done_at,omitempty"`
	Reached     bool       `json:"reached"`
}

func toCallJSON(cr workorder.CallRequest) callJSON {
	return callJSON{ID: cr.ID, Order: cr.Number, Unit: cr.Unit, Note: cr.Note, RequestedAt: cr.RequestedAt.UTC(),
		Done: !cr.Open(), DoneAt: opt(cr.DoneAt), Reached: cr.Reached}
}

func (c *Loop) apiOpenCalls(w http.ResponseWriter, r *http.Request, wh *caller.Staff) error {
	list, err := c.Service.OpenCallRequests(r.Context(), wh.Actor(), workorder.MaxPage)
	if err != nil {
		return err
	}
	out := make([]callJSON, 0, len(list))
	for _, cr := range list {
		out = append(out, toCallJSON(cr))
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"call_requests": out})
	return nil
}

type callInput struct {
	Note    string `json:"note,omitempty"`
	Phone   string `json:"phone,omitempty"`
	Reached *bool  `json:"reached,omitempty"`
}

func (c *Loop) apiRequestCall(w http.ResponseWriter, r *http.Request, wh *caller.Staff) error {
	var in callInput
	if err := httpjson.DecodeOptional(w, r, &in); err != nil {
		return err
	}
	cr, err := c.Service.RequestCall(r.Context(), wh.Actor(), r.PathValue("ref"), in.Note)
	if err != nil {
		return err
	}
	httpjson.Write(w, http.StatusCreated, toCallJSON(cr))
	return nil
}

func (c *Loop) apiCall(w http.ResponseWriter, r *http.Request, wh *caller.Staff) error {
	var in callInput
	if err := httpjson.DecodeOptional(w, r, &in); err != nil {
		return err
	}
	placed, err := c.Service.CallCitizen(r.Context(), wh.Actor(), r.PathValue("ref"), in.Phone, c.Telephony)
	if err != nil {
		return err
	}
	httpjson.Write(w, http.StatusOK, map[string]bool{"placed": placed})
	return nil
}

func (c *Loop) apiFinishCall(w http.ResponseWriter, r *http.Request, wh *caller.Staff) error {
	var in callInput
	if err := httpjson.DecodeOptional(w, r, &in); err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return apperr.NotFoundf("call_request", "no such call request")
	}
	reached, err := workorder.Required(in.Reached, "reached")
	if err != nil {
		return err
	}
	if err := c.Service.FinishCallRequest(r.Context(), wh.Actor(), r.PathValue("ref"), id, reached, in.Note); err != nil {
		return err
	}
	httpjson.Write(w, http.StatusOK, map[string]bool{"done": true, "reached": reached})
	return nil
}
