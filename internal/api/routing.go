package api

// The administrator's routing rules: which unit a new work order of an
// item or a hall is suggested for.

import (
	"net/http"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/caller"
	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/route"
	"github.com/haocha/haocha/internal/routing"
)

// registerRouting adds the routing-rule routes.
func (c *Loop) registerRouting(mux *route.Mux) {
	mux.Handle("GET /api/v1/routing-rules", route.Roles(account.Admin, account.Operator, account.Supervisor), c.api(c.apiRoutingRules, true))
	mux.Handle("PUT /api/v1/routing-rules", route.Roles(account.Admin), c.api(c.apiPutRoutingRule, true))
	mux.Handle("DELETE /api/v1/routing-rules/{kind}/{key}", route.Roles(account.Admin), c.api(c.apiDeleteRoutingRule, true))
}

func (c *Loop) apiRoutingRules(w http.ResponseWriter, r *http.Request, wh *caller.Staff) error {
	rules, err := c.Routing.Rules(r.Context())
	if err != nil {
		return err
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"rules": rules})
	return nil
}

func (c *Loop) apiPutRoutingRule(w http.ResponseWriter, r *http.Request, wh *caller.Staff) error {
	var in routing.Rule
	if err := httpjson.Decode(w, r, &in); err != nil {
		return err
	}
	rule, err := c.Routing.Put(r.Context(), wh.Actor().String(), routing.Rule{Kind: in.Kind, Key: in.Key, Unit: in.Unit})
	if err != nil {
		return err
	}
	httpjson.Write(w, http.StatusOK, rule)
	return nil
}

func (c *Loop) apiDeleteRoutingRule(w http.ResponseWriter, r *http.Request, wh *caller.Staff) error {
	if err := c.Routing.Delete(r.Context(), wh.Actor().String(), routing.Kind(r.PathValue("kind")), r.PathValue("key")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
