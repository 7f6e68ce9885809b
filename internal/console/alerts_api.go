package console

import (
	"net/http"
	"strconv"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/alert"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/route"
)

// registerAlerts adds the alert and alert-rule routes, pages and API.
func (c *Console) registerAlerts(mux *route.Mux) {
	mux.Handle("GET /console/alerts", route.PageRoles(alertReaders...), c.page(c.alertsPage))
	mux.Handle("GET /console/alerts/{id}", route.PageRoles(alertReaders...), c.page(c.alertPage))
	mux.Handle("POST /console/alerts/{id}/{action}", route.PageRoles(alertReaders...), c.page(c.alertAct))
	mux.Handle("GET /console/rules", pageAdmin, c.page(c.rulesPage))
	mux.Handle("POST /console/rules", pageAdmin, c.page(c.rulesSave))

	mux.Handle("GET /api/v1/alerts", route.Roles(alertReaders...), c.api(c.apiAlerts, true))
	mux.Handle("GET /api/v1/alerts/{id}", route.Roles(alertReaders...), c.api(c.apiAlert, true))
	mux.Handle("POST /api/v1/alerts/{id}/{action}", route.Roles(alertReaders...), c.api(c.apiAlertAct, true))
	mux.Handle("GET /api/v1/alert-rules", route.Roles(account.Admin, account.Supervisor, account.Operator), c.api(c.apiRules, true))
	mux.Handle("POST /api/v1/alert-rules", route.Roles(account.Admin), c.api(c.apiRuleAdd, true))
	mux.Handle("PUT /api/v1/alert-rules/{id}", route.Roles(account.Admin), c.api(c.apiRuleUpdate, true))
}

func (c *Console) apiAlerts(w http.ResponseWriter, r *http.Request, wh *who) error {
	list, next, err := c.alertList(r.Context(), wh, r.URL.Query(), "zh")
	if err != nil {
		return err
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"alerts": list, "next_cursor": next})
	return nil
}

func (c *Console) apiAlert(w http.ResponseWriter, r *http.Request, wh *who) error {
	j, err := c.alertOf(r, wh, "zh")
	if err != nil {
		return err
	}
	httpjson.Write(w, http.StatusOK, j)
	return nil
}

// actOnAlert does the path's action with note as the caller.
func (c *Console) actOnAlert(r *http.Request, wh *who, note string) error {
	act, ok := alert.Actions[r.PathValue("action")]
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if !ok || err != nil {
		return apperr.NotFoundf("action", "no such alert or action")
	}
	_, err = c.Alerts.Act(r.Context(), wh.actor(), id, act, note)
	return err
}

func (c *Console) apiAlertAct(w http.ResponseWriter, r *http.Request, wh *who) error {
	var in struct {
		Note string `json:"note"`
	}
	if err := httpjson.DecodeOptional(w, r, &in); err != nil {
		return err
	}
	if err := c.actOnAlert(r, wh, in.Note); err != nil {
		return err
	}
	return c.apiAlert(w, r, wh)
}

func (c *Console) apiRules(w http.ResponseWriter, r *http.Request, wh *who) error {
	rules, err := c.Alerts.Rules(r.Context(), wh.actor())
	if err != nil {
		return err
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"rules": rules})
	return nil
}

func (c *Console) apiRuleAdd(w http.ResponseWriter, r *http.Request, wh *who) error {
	return c.apiRuleSave(w, r, wh, 0, http.StatusCreated)
}

func (c *Console) apiRuleUpdate(w http.ResponseWriter, r *http.Request, wh *who) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return apperr.NotFoundf("rule", "no such alert rule")
	}
	return c.apiRuleSave(w, r, wh, id, http.StatusOK)
}

func (c *Console) apiRuleSave(w http.ResponseWriter, r *http.Request, wh *who, id int64, status int) error {
	if err := alert.CanEditRules(wh.actor()); err != nil {
		return err
	}
	var in ruleInput
	if err := httpjson.Decode(w, r, &in); err != nil {
		return err
	}
	rule, err := c.saveRule(r.Context(), wh, id, in)
	if err != nil {
		return err
	}
	httpjson.Write(w, status, rule)
	return nil
}
