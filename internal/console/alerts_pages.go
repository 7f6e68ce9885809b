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

// alertWords holds the alert pages' texts: key → {zh, en}. The alert
// pages speak one language at a time, as every console page does.
var alertWords = map[string][2]string{
	"alerts":              {"集中差评预警", "Concentration alerts"},
	"alert":               {"预警", "Alert"},
	"rules":               {"预警规则", "Alert rules"},
	"state":               {"状态", "State"},
	"all":                 {"全部", "All"},
	"filter":              {"筛选", "Filter"},
	"state.open":          {"待处理", "Open"},
	"state.acknowledged":  {"已确认", "Acknowledged"},
	"state.resolved":      {"已解决", "Resolved"},
	"kind":                {"规则", "Rule"},
	"kind.unit_item":      {"同一单位同一事项差评集中", "Bad reviews of one unit and item"},
	"kind.workstation":    {"同一工位差评集中", "Bad reviews at one workstation"},
	"kind.staff":          {"同一工作人员差评集中", "Bad reviews of one staff member"},
	"kind.unit_bad_rate":  {"单位差评率高于全市", "Unit's bad-review rate above the city's"},
	"kind.hall_tag":       {"同一大厅同类问题集中", "One problem repeated at one hall"},
	"subject":             {"对象", "Where"},
	"unit":                {"承办单位", "Unit"},
	"count":               {"差评数", "Bad reviews"},
	"raised":              {"预警时间", "Raised"},
	"supervised":          {"已督办", "Supervised"},
	"none":                {"没有预警。", "No alerts."},
	"next":                {"下一页", "Next page"},
	"reviews":             {"差评", "Bad reviews"},
	"item":                {"事项", "Item"},
	"stage":               {"办理环节", "Stage"},
	"stars":               {"评分", "Stars"},
	"tags":                {"问题", "Problems"},
	"comment":             {"评价内容", "Comment"},
	"time":                {"时间", "Time"},
	"hall":                {"大厅", "Hall"},
	"rate":                {"差评率", "Bad-review rate"},
	"city_rate":           {"全市差评率", "City's bad-review rate"},
	"n":                   {"评价数", "Reviews"},
	"note":                {"说明", "Note"},
	"acknowledge":         {"确认预警", "Acknowledge"},
	"resolve":             {"解决并关闭", "Resolve"},
	"supervise":           {"转为督办并纳入年度考核", "Supervise the unit (year-end assessment)"},
	"resolution":          {"处理结果", "Resolution"},
	"supervision":         {"督办", "Supervision"},
	"assessment":          {"已纳入年度考核", "Marked for the year-end assessment"},
	"by":                  {"处理人", "By"},
	"done":                {"已完成", "Done"},
	"window_days":         {"时间窗（天）", "Window (days)"},
	"threshold":           {"阈值", "Threshold"},
	"threshold.hint":      {"差评条数；差评率规则为全市差评率的倍数", "Bad reviews; for the rate rule, a multiple of the city's rate"},
	"min_n":               {"最少评价数", "Minimum reviews"},
	"enabled":             {"启用", "Enabled"},
	"save":                {"保存", "Save"},
	"add":                 {"新增规则", "Add a rule"},
	"tag.attitude":        {"服务态度", "service attitude"},
	"tag.materials":       {"材料收取", "materials requested"},
	"tag.multiple_trips":  {"多次跑动", "multiple trips"},
	"tag.missed_deadline": {"承诺时限未兑现", "promised time not kept"},
	"tag.other":           {"其他", "other"},
	"channel.window":      {"窗口扫码", "QR at the window"},
	"channel.tablet":      {"窗口评价器", "window tablet"},
	"channel.kiosk":       {"自助终端", "kiosk"},
	"channel.pc":          {"网上办事", "online portal"},
	"channel.app":         {"随申办", "citizen app"},
	"channel.wechat":      {"微信", "WeChat"},
	"channel.alipay":      {"支付宝", "Alipay"},
	"channel.hotline":     {"12345热线", "12345 hotline"},
	"channel.sms":         {"短信", "SMS"},
}

func init() {
	addWords(alertWords)
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
	pd := pageData{Title: tr(lang, "rules"), Who: wh, Data: rulesData{Lang: lang, Rules: rules}, Flash: flash}
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
