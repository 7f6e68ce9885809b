package console

import (
	"fmt"
	"github.com/haocha/haocha/internal/httpjson"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/haocha/haocha/internal/alert"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/index"
)

func init() {
	funcs["tr"] = tr
	funcs["pct4"] = func(f float64) string { return fmt.Sprintf("%.1f%%", 100*f) }
	funcs["kinds"] = func() []index.RuleKind {
		return []index.RuleKind{index.RuleUnitItem, index.RuleWorkstation, index.RuleStaff, index.RuleUnitBadRate, index.RuleHallTag}
	}
	funcs["alertStates"] = func() []alert.State { return alert.States }
}

type alertsData struct {
	Lang   string
	Alerts []alertJSON
	State  string
	Next   string // the next page's query
}

func (c *Console) alertsPage(w http.ResponseWriter, r *http.Request, wh *who) error {
	lang := string(langOf(r))
	q := r.URL.Query()
	list, next, err := c.alertList(r.Context(), wh, q, lang)
	if err != nil {
		return err
	}
	d := alertsData{Lang: lang, Alerts: list, State: q.Get("state")}
	if next != "" {
		q.Set("cursor", next)
		d.Next = "/console/alerts?" + q.Encode()
	}
	c.render(w, http.StatusOK, "alerts", pageData{Title: tr(lang, "alerts"), Who: wh, Data: d})
	return nil
}

type alertData struct {
	Lang  string
	Alert alertJSON
	Can   map[string]bool
}

func (c *Console) alertPage(w http.ResponseWriter, r *http.Request, wh *who) error {
	return c.showAlert(w, r, wh, nil)
}

func (c *Console) showAlert(w http.ResponseWriter, r *http.Request, wh *who, failed error) error {
	lang := string(langOf(r))
	j, err := c.alertOf(r, wh, lang)
	if err != nil {
		return err
	}
	d := alertData{Lang: lang, Alert: j, Can: map[string]bool{}}
	for _, a := range j.Actions {
		d.Can[a] = true
	}
	pd := pageData{Title: tr(lang, "alert") + " " + strconv.FormatInt(j.ID, 10) + " · " + tr(lang, "kind."+string(j.Kind)),
		Who: wh, Data: d}
	if done := r.URL.Query().Get("done"); done != "" {
		pd.Flash = tr(lang, done)
	}
	status := http.StatusOK
	if failed != nil {
		if pd.Err = apperr.As(failed); pd.Err == nil {
			return failed
		}
		status = httpjson.Status(pd.Err.Code)
	}
	c.render(w, status, "alert", pd)
	return nil
}

func (c *Console) alertAct(w http.ResponseWriter, r *http.Request, wh *who) error {
	err := c.actOnAlert(r, wh, r.PostFormValue("note"))
	if code := apperr.CodeOf(err); code == apperr.Invalid || code == apperr.Conflict {
		return c.showAlert(w, r, wh, err)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/console/alerts/"+url.PathEscape(r.PathValue("id"))+"?done="+url.QueryEscape(r.PathValue("action")), http.StatusSeeOther)
	return nil
}

type rulesData struct {
	Lang  string
	Rules []index.Rule
}

func (c *Console) rulesPage(w http.ResponseWriter, r *http.Request, wh *who) error {
	if err := requireAdmin(wh); err != nil {
		return err
	}
	return c.showRules(w, r, wh, nil, "")
}

func (c *Console) showRules(w http.ResponseWriter, r *http.Request, wh *who, failed error, flash string) error {
	lang := string(langOf(r))
	rules, err := c.Alerts.Rules(r.Context(), wh.actor())
	if err != nil {
		return err
	}
	pd := pageData{Title: tr(lang, "nav.rules"), Who: wh, Data: rulesData{Lang: lang, Rules: rules}, Flash: flash}
	status := http.StatusOK
	if failed != nil {
		if pd.Err = apperr.As(failed); pd.Err == nil {
			return failed
		}
		status = httpjson.Status(pd.Err.Code)
	}
	c.render(w, status, "rules", pd)
	return nil
}

// rulesSave takes one rule's form: id 0 (or none) adds a rule.
func (c *Console) rulesSave(w http.ResponseWriter, r *http.Request, wh *who) error {
	if err := requireAdmin(wh); err != nil {
		return err
	}
	in, err := ruleForm(r)
	var id int64
	if err == nil && r.PostFormValue("id") != "" {
		if id, err = strconv.ParseInt(r.PostFormValue("id"), 10, 64); err != nil {
			err = apperr.Invalidf("id", "not a rule number")
		}
	}
	var rule index.Rule
	if err == nil {
		rule, err = c.saveRule(r.Context(), wh, id, in)
	}
	if err != nil {
		return c.showRules(w, r, wh, err, "")
	}
	return c.showRules(w, r, wh, nil, fmt.Sprintf("%s %d", tr(string(langOf(r)), "save"), rule.ID))
}

// ruleForm reads a rule's form fields; an empty one is left out.
func ruleForm(r *http.Request) (ruleInput, error) {
	var in ruleInput
	if v := r.PostFormValue("kind"); v != "" {
		in.Kind = &v
	}
	num := func(field string, whole bool, set func(float64)) error {
		v := strings.TrimSpace(r.PostFormValue(field))
		if v == "" {
			return nil
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || whole && f != float64(int(f)) {
			return apperr.Invalidf(field, "want a number")
		}
		set(f)
		return nil
	}
	err := num("window_days", true, func(f float64) { n := int(f); in.Window = &n })
	if err == nil {
		err = num("threshold", false, func(f float64) { in.Threshold = &f })
	}
	if err == nil {
		err = num("min_n", true, func(f float64) { n := int(f); in.MinN = &n })
	}
	on := r.PostFormValue("enabled") != ""
	in.Enabled = &on
	return in, err
}
