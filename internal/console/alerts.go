package console

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/alert"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
)

// alertJSON is an alert as the API and the pages show it: names beside
// codes, its reviews without any reviewer, and what the caller may do.
type alertJSON struct {
	ID              int64          `json:"id"`
	Key             string         `json:"key"`
	Rule            int64          `json:"rule"`
	Kind            index.RuleKind `json:"kind"`
	Group           []string       `json:"group"`
	Subject         string         `json:"subject"` // the group in names
	Unit            string         `json:"unit"`
	UnitName        string         `json:"unit_name"`
	At              time.Time      `json:"at"`
	Count           int            `json:"count"`
	N               int            `json:"n,omitempty"`
	Rate            float64        `json:"rate,omitempty"`
	CityRate        float64        `json:"city_rate,omitempty"`
	State           alert.State    `json:"state"`
	AcknowledgedAt  *time.Time     `json:"acknowledged_at,omitempty"`
	AcknowledgedBy  string         `json:"acknowledged_by,omitempty"`
	ResolvedAt      *time.Time     `json:"resolved_at,omitempty"`
	ResolvedBy      string         `json:"resolved_by,omitempty"`
	Note            string         `json:"note,omitempty"`
	Supervised      bool           `json:"supervised"`
	SupervisedAt    *time.Time     `json:"supervised_at,omitempty"`
	SupervisedBy    string         `json:"supervised_by,omitempty"`
	SupervisionNote string         `json:"supervision_note,omitempty"`
	Assessment      bool           `json:"assessment"` // marked for the year-end assessment (by supervision)
	CreatedAt       time.Time      `json:"created_at"`
	Reviews         []alertReview  `json:"reviews,omitempty"`
	Actions         []string       `json:"actions,omitempty"`
}

type alertReview struct {
	ID              int64          `json:"id"`
	CreatedAt       time.Time      `json:"created_at"`
	Channel         review.Channel `json:"channel"`
	Item            string         `json:"item"`
	ItemName        string         `json:"item_name"`
	Stage           string         `json:"stage"`
	StageName       string         `json:"stage_name"`
	Hall            string         `json:"hall,omitempty"`
	HallName        string         `json:"hall_name,omitempty"`
	Workstation     string         `json:"workstation,omitempty"`
	Stars           int            `json:"stars"`
	Tags            []review.Tag   `json:"tags"`
	Comment         string         `json:"comment"`
	WorkstationName string         `json:"-"`
}

// subject names what an alert groups by, in words of lang.
func subject(a *alert.Alert, names map[string]string, lang string) string {
	n := func(kind, code string) string {
		return nameIn(names, kind+":"+code, lang, code)
	}
	g := a.Group
	switch a.Kind {
	case index.RuleUnitItem:
		if len(g) > 1 {
			return n("unit", g[0]) + " · " + n("item", g[1])
		}
	case index.RuleUnitBadRate:
		return n("unit", g[0])
	case index.RuleWorkstation:
		return n("workstation", g[0])
	case index.RuleStaff:
		return n("staff", g[0])
	case index.RuleHallTag:
		if len(g) > 1 {
			return n("hall", g[0]) + " · " + tr(lang, "tag."+g[1])
		}
	}
	return strings.Join(g, " · ")
}

func alertToJSON(a *alert.Alert, names map[string]string, lang string) alertJSON {
	return alertJSON{ID: a.ID, Key: a.Key, Rule: a.Rule, Kind: a.Kind, Group: a.Group, Subject: subject(a, names, lang),
		Unit: a.Unit, UnitName: nameIn(names, "unit:"+a.Unit, lang, ""), At: a.At.UTC(), Count: a.Count, N: a.N, Rate: a.Rate, CityRate: a.CityRate,
		State: a.State, AcknowledgedAt: opt(a.AcknowledgedAt), AcknowledgedBy: a.AcknowledgedBy, ResolvedAt: opt(a.ResolvedAt),
		ResolvedBy: a.ResolvedBy, Note: a.Note, Supervised: a.Supervised(), SupervisedAt: opt(a.SupervisedAt),
		SupervisedBy: a.SupervisedBy, SupervisionNote: a.SupervisionNote, Assessment: a.Supervised(), CreatedAt: a.CreatedAt.UTC()}
}

// alertList is a page of alerts with their names.
func (c *Console) alertList(ctx context.Context, wh *who, q url.Values, lang string) ([]alertJSON, string, error) {
	f := alert.Filter{Unit: q.Get("unit"), Cursor: q.Get("cursor"), Supervised: q.Get("supervised") != ""}
	if s := q.Get("state"); s != "" {
		if !alert.State(s).Valid() {
			return nil, "", apperr.Invalidf("state", "want open, acknowledged or resolved")
		}
		f.State = alert.State(s)
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			return nil, "", apperr.Invalidf("limit", "want 1 to 200")
		}
		f.Limit = n
	}
	list, next, err := c.Alerts.List(ctx, wh.actor(), f)
	if err != nil {
		return nil, "", err
	}
	names, err := c.Store.AlertNames(ctx, list)
	if err != nil {
		return nil, "", err
	}
	out := make([]alertJSON, 0, len(list))
	for _, a := range list {
		out = append(out, alertToJSON(a, names, lang))
	}
	return out, next, nil
}

// alertOf is one alert with its reviews and the caller's actions.
func (c *Console) alertOf(r *http.Request, wh *who, lang string) (alertJSON, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return alertJSON{}, apperr.NotFoundf("alert", "no such alert")
	}
	a, rs, err := c.Alerts.Get(r.Context(), wh.actor(), id)
	if err != nil {
		return alertJSON{}, err
	}
	names, err := c.Store.AlertNames(r.Context(), []*alert.Alert{a})
	if err != nil {
		return alertJSON{}, err
	}
	j := alertToJSON(a, names, lang)
	j.Reviews = make([]alertReview, 0, len(rs))
	for _, v := range rs {
		j.Reviews = append(j.Reviews, alertReview{ID: v.ID, CreatedAt: v.CreatedAt.UTC(), Channel: v.Channel, Item: v.Item,
			ItemName: pick(lang, v.ItemName, v.ItemNameEN), Stage: v.Stage, StageName: pick(lang, v.StageName, v.StageNameEN),
			Hall: v.Hall, HallName: pick(lang, v.HallName, v.HallNameEN),
			Workstation: v.Workstation, Stars: v.Stars, Tags: v.Tags, Comment: v.Comment})
	}
	j.Actions = []string{}
	if alert.CanAct(wh.actor()) == nil {
		for _, act := range []alert.Action{alert.Acknowledge, alert.Resolve, alert.Supervise} {
			if a.Possible(act) {
				j.Actions = append(j.Actions, string(act))
			}
		}
	}
	return j, nil
}

// ruleInput is a rule as the API and the rules page take it; absent
// fields keep the stored rule's values on PUT.
type ruleInput struct {
	Kind      *string  `json:"kind"`
	Window    *int     `json:"window_days"`
	Threshold *float64 `json:"threshold"`
	MinN      *int     `json:"min_n"`
	Enabled   *bool    `json:"enabled"`
}

// onto applies the input to r; a new rule needs kind, window and threshold.
func (in ruleInput) onto(r index.Rule, isNew bool) (index.Rule, error) {
	if isNew {
		for field, missing := range map[string]bool{"kind": in.Kind == nil, "window_days": in.Window == nil, "threshold": in.Threshold == nil} {
			if missing {
				return r, apperr.Invalidf(field, "required")
			}
		}
		r.Enabled = true
	}
	if in.Kind != nil {
		r.Kind = index.RuleKind(*in.Kind)
	}
	if in.Window != nil {
		r.Window = *in.Window
	}
	if in.Threshold != nil {
		r.Threshold = *in.Threshold
	}
	if in.MinN != nil {
		r.MinN = *in.MinN
	}
	if in.Enabled != nil {
		r.Enabled = *in.Enabled
	}
	return r, nil
}

// saveRule adds (id 0) or changes a rule from in.
func (c *Console) saveRule(ctx context.Context, wh *who, id int64, in ruleInput) (index.Rule, error) {
	if id == 0 {
		r, err := in.onto(index.Rule{}, true)
		if err != nil {
			return r, err
		}
		return c.Alerts.AddRule(ctx, wh.actor(), r)
	}
	rules, err := c.Alerts.Rules(ctx, wh.actor())
	if err != nil {
		return index.Rule{}, err
	}
	for _, old := range rules {
		if old.ID == id {
			r, err := in.onto(old, false)
			if err != nil {
				return r, err
			}
			return c.Alerts.UpdateRule(ctx, wh.actor(), r)
		}
	}
	return index.Rule{}, apperr.NotFoundf("rule", "no alert rule %d", id)
}

// nameIn is the name under key of store.AlertNames in lang: English where
// the catalogue has it, else Chinese, else def.
func nameIn(names map[string]string, key, lang, def string) string {
	if lang == string(LangEN) {
		if s := names[key+store.NameEN]; s != "" {
			return s
		}
	}
	if s := names[key]; s != "" {
		return s
	}
	return def
}

// pick is en in English when there is one, else zh.
func pick(lang, zh, en string) string {
	if lang == string(LangEN) && en != "" {
		return en
	}
	return zh
}

// opt is t in UTC, or nil for the zero time: JSON leaves it out.
func opt(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}
