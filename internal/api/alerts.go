package api

import (
	"net/http"
	"strconv"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/alert"
	"github.com/haocha/haocha/internal/alertview"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/caller"
	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/route"
)

// The concentration alerts are for the General Office, the 12345 hotline
// and the units' handlers (their own unit's, as the service decides).
var alertReaders = []account.Role{account.Supervisor, account.Operator, account.Handler}

// registerAlerts adds the alert and alert-rule routes.
func (c *Loop) registerAlerts(mux *route.Mux) {
	mux.Handle("GET /api/v1/alerts", route.Roles(alertReaders...), c.api(c.apiAlerts, true))
	mux.Handle("GET /api/v1/alerts/{id}", route.Roles(alertReaders...), c.api(c.apiAlert, true))
	mux.Handle("POST /api/v1/alerts/{id}/{action}", route.Roles(alertReaders...), c.api(c.apiAlertAct, true))
	mux.Handle("GET /api/v1/alert-rules", route.Roles(account.Admin, account.Supervisor, account.Operator), c.api(c.apiRules, true))
	mux.Handle("POST /api/v1/alert-rules", route.Roles(account.Admin), c.api(c.apiRuleAdd, true))
	mux.Handle("PUT /api/v1/alert-rules/{id}", route.Roles(account.Admin), c.api(c.apiRuleUpdate, true))
}

// view shows the alerts and held reviews with their names; the API
// speaks Chinese names.
func (c *Loop) view() *alertview.View { return &alertview.View{Store: c.Store, Alerts: c.Alerts} }

func (c *Loop) apiAlerts(w http.ResponseWriter, r *http.Request, wh *caller.Staff) error {
	list, next, err := c.view().List(r.Context(), wh.Actor(), r.URL.Query(), "zh")
	if err != nil {
		return err
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"alerts": list, "next_cursor": next})
	return nil
}

func (c *Loop) apiAlert(w http.ResponseWriter, r *http.Request, wh *caller.Staff) error {
	j, err := c.view().Get(r.Context(), wh.Actor(), r.PathValue("id"), "zh")
	if err != nil {
		return err
	}
	httpjson.Write(w, http.StatusOK, j)
	return nil
}

func (c *Loop) apiAlertAct(w http.ResponseWriter, r *http.Request, wh *caller.Staff) error {
	var in struct {
		Note string `json:"note"`
	}
	if err := httpjson.DecodeOptional(w, r, &in); err != nil {
		return err
	}
	if err := c.view().Act(r.Context(), wh.Actor(), r.PathValue("id"), r.PathValue("action"), in.Note); err != nil {
		return err
	}
	return c.apiAlert(w, r, wh)
}

func (c *Loop) apiRules(w http.ResponseWriter, r *http.Request, wh *caller.Staff) error {
	rules, err := c.Alerts.Rules(r.Context(), wh.Actor())
	if err != nil {
		return err
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"rules": rules})
	return nil
}

func (c *Loop) apiRuleAdd(w http.ResponseWriter, r *http.Request, wh *caller.Staff) error {
	return c.apiRuleSave(w, r, wh, 0, http.StatusCreated)
}

func (c *Loop) apiRuleUpdate(w http.ResponseWriter, r *http.Request, wh *caller.Staff) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return apperr.NotFoundf("rule", "no such alert rule")
	}
	return c.apiRuleSave(w, r, wh, id, http.StatusOK)
}

func (c *Loop) apiRuleSave(w http.ResponseWriter, r *http.Request, wh *caller.Staff, id int64, status int) error {
	if err := alert.CanEditRules(wh.Actor()); err != nil {
		return err
	}
	var in alertview.RuleInput
	if err := httpjson.Decode(w, r, &in); err != nil {
		return err
	}
	rule, err := c.view().SaveRule(r.Context(), wh.Actor(), id, in)
	if err != nil {
		return err
	}
	httpjson.Write(w, status, rule)
	return nil
}
