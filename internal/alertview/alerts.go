// Package alertview is what staff see of the concentration alerts and of
// the reviews held as suspected: names beside codes in the reader's
// language, pages after a cursor, and the changes staff make. The JSON API
// and the console's pages both show them through it, so neither front end
// needs the other.
package alertview

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/alert"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/i18n"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
)

// View reads the alerts and held reviews with the names staff know them by.
type View struct {
	Store  *store.Store
	Alerts *alert.Service
}

// Alert is an alert as the API and the pages show it: names beside
// codes, its reviews without any reviewer, and what the caller may do.
type Alert struct {
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
	// Anonymous: at and created_at are days only (review.StaffTime).
	Anonymous bool     `json:"-"`
	Reviews   []Review `json:"reviews,omitempty"`
	Actions   []string `json:"actions,omitempty"`
}

// Review is one of an alert's reviews, without its reviewer.
type Review struct {
	ID          int64          `json:"id"`
	CreatedAt   time.Time      `json:"created_at"`
	Channel     review.Channel `json:"channel"`
	Item        string         `json:"item"`
	ItemName    string         `json:"item_name"`
	Stage       string         `json:"stage"`
	StageName   string         `json:"stage_name"`
	Hall        string         `json:"hall,omitempty"`
	HallName    string         `json:"hall_name,omitempty"`
	Workstation string         `json:"workstation,omitempty"`
	Stars       int            `json:"stars"`
	Tags        []review.Tag   `json:"tags"`
	Comment     string         `json:"comment"`
	Order       string         `json:"order,omitempty"` // its work order's number
	// Anonymous: created_at is the review's day only (review.StaffTime).
	Anonymous       bool   `json:"-"`
	WorkstationName string `json:"-"`
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
			return n("hall", g[0]) + " · " + i18n.Lang(lang).T("tag."+g[1])
		}
	}
	return strings.Join(g, " · ")
}

func alertToJSON(a *alert.Alert, names map[string]string, lang string) Alert {
	return Alert{ID: a.ID, Key: a.Key, Rule: a.Rule, Kind: a.Kind, Group: a.Group, Subject: subject(a, names, lang),
		Unit: a.Unit, UnitName: nameIn(names, "unit:"+a.Unit, lang, ""), At: review.StaffTime(a.At, a.Anonymous).UTC(), Count: a.Count, N: a.N, Rate: a.Rate, CityRate: a.CityRate,
		State: a.State, AcknowledgedAt: opt(a.AcknowledgedAt), AcknowledgedBy: a.AcknowledgedBy, ResolvedAt: opt(a.ResolvedAt),
		ResolvedBy: a.ResolvedBy, Note: a.Note, Supervised: a.Supervised(), SupervisedAt: opt(a.SupervisedAt),
		SupervisedBy: a.SupervisedBy, SupervisionNote: a.SupervisionNote, Assessment: a.Supervised(), CreatedAt: review.StaffTime(a.CreatedAt, a.Anonymous).UTC(), Anonymous: a.Anonymous}
}

// List is a page of the alerts who may see, filtered by q (state, unit,
// supervised, limit, cursor), with their names in lang, and the next
// page's cursor.
func (v *View) List(ctx context.Context, who account.Actor, q url.Values, lang string) ([]Alert, string, error) {
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
	list, next, err := v.Alerts.List(ctx, who, f)
	if err != nil {
		return nil, "", err
	}
	names, err := v.Store.AlertNames(ctx, list)
	if err != nil {
		return nil, "", err
	}
	out := make([]Alert, 0, len(list))
	for _, a := range list {
		out = append(out, alertToJSON(a, names, lang))
	}
	return out, next, nil
}

// Get is the alert of the path's id with its reviews and what who may do.
func (v *View) Get(ctx context.Context, who account.Actor, id string, lang string) (Alert, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return Alert{}, apperr.NotFoundf("alert", "no such alert")
	}
	a, rs, err := v.Alerts.Get(ctx, who, n)
	if err != nil {
		return Alert{}, err
	}
	names, err := v.Store.AlertNames(ctx, []*alert.Alert{a})
	if err != nil {
		return Alert{}, err
	}
	j := alertToJSON(a, names, lang)
	j.Reviews = make([]Review, 0, len(rs))
	for _, x := range rs {
		j.Reviews = append(j.Reviews, Review{ID: x.ID, CreatedAt: review.StaffTime(x.CreatedAt, x.Anonymous).UTC(), Anonymous: x.Anonymous, Channel: x.Channel, Item: x.Item,
			ItemName: pick(lang, x.ItemName, x.ItemNameEN), Stage: x.Stage, StageName: pick(lang, x.StageName, x.StageNameEN),
			Hall: x.Hall, HallName: pick(lang, x.HallName, x.HallNameEN),
			Workstation: x.Workstation, Stars: x.Stars, Tags: x.Tags, Comment: x.Comment, Order: x.Order})
	}
	j.Actions = []string{}
	if alert.CanAct(who) == nil {
		for _, act := range []alert.Action{alert.Acknowledge, alert.Resolve, alert.Supervise} {
			if a.Possible(act) {
				j.Actions = append(j.Actions, string(act))
			}
		}
	}
	return j, nil
}

// RuleInput is a rule as the API and the rules page take it; absent
// fields keep the stored rule's values on PUT.
type RuleInput struct {
	Kind      *string  `json:"kind"`
	Window    *int     `json:"window_days"`
	Threshold *float64 `json:"threshold"`
	MinN      *int     `json:"min_n"`
	Enabled   *bool    `json:"enabled"`
}

// onto applies the input to r; a new rule needs kind, window and threshold.
func (in RuleInput) onto(r index.Rule, isNew bool) (index.Rule, error) {
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

// SaveRule adds (id 0) or changes a rule from in, as who.
func (v *View) SaveRule(ctx context.Context, who account.Actor, id int64, in RuleInput) (index.Rule, error) {
	if id == 0 {
		r, err := in.onto(index.Rule{}, true)
		if err != nil {
			return r, err
		}
		return v.Alerts.AddRule(ctx, who, r)
	}
	rules, err := v.Alerts.Rules(ctx, who)
	if err != nil {
		return index.Rule{}, err
	}
	for _, old := range rules {
		if old.ID == id {
			r, err := in.onto(old, false)
			if err != nil {
				return r, err
			}
			return v.Alerts.UpdateRule(ctx, who, r)
		}
	}
	return index.Rule{}, apperr.NotFoundf("rule", "no alert rule %d", id)
}

// nameIn is the name under key of store.AlertNames in lang: English where
// the catalogue has it, else Chinese, else def.
func nameIn(names map[string]string, key, lang, def string) string {
	if lang == string(i18n.EN) {
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
	if lang == string(i18n.EN) && en != "" {
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

// Act does action (the path's: acknowledge, resolve, supervise) on the
// alert of id as who, with note.
func (v *View) Act(ctx context.Context, who account.Actor, id, action, note string) error {
	act, ok := alert.Actions[action]
	n, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil {
		return apperr.NotFoundf("action", "no such alert or action")
	}
	_, err = v.Alerts.Act(ctx, who, n, act, note)
	return err
}
