package api

import (
	"net/http"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/caller"
	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/route"
)

// The suspected queue is the supervisor's: held reviews are decided by
// the General Office, never by the unit they rate or the operator.
var suspectDeciders = []account.Role{account.Supervisor}

// registerSuspected adds the suspected queue's routes.
func (c *Loop) registerSuspected(mux *route.Mux) {
	mux.Handle("GET /api/v1/suspected", route.Roles(suspectDeciders...), c.api(c.apiSuspected, true))
	mux.Handle("POST /api/v1/suspected/{action}", route.Roles(suspectDeciders...), c.api(c.apiSuspectedAct, true))
}

func (c *Loop) apiSuspected(w http.ResponseWriter, r *http.Request, _ *caller.Staff) error {
	list, next, err := c.view().HeldList(r.Context(), r.URL.Query(), "zh")
	if err != nil {
		return err
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"reviews": list, "next_cursor": next})
	return nil
}

func (c *Loop) apiSuspectedAct(w http.ResponseWriter, r *http.Request, wh *caller.Staff) error {
	var in struct {
		Reviews []int64 `json:"reviews"`
		Reason  string  `json:"reason"`
	}
	if err := httpjson.Decode(w, r, &in); err != nil {
		return err
	}
	n, err := c.view().DecideHeld(r.Context(), wh.Actor(), r.PathValue("action"), in.Reviews, in.Reason)
	if err != nil {
		return err
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"decided": n})
	return nil
}
