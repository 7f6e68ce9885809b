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
	"github.com/haocha/haocha/internal/fraud"
	"github.com/haocha/haocha/internal/i18n"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
)

// Held is one held review as the API and the page show it.
type Held struct {
	ID              int64     `json:"id"`
	CreatedAt       time.Time `json:"created_at"`
	Channel         string    `json:"channel"`
	Unit            string    `json:"unit"`
	UnitName        string    `json:"unit_name"`
	Workstation     string    `json:"workstation,omitempty"`
	WorkstationName string    `json:"workstation_name,omitempty"`
	Stars           int       `json:"stars"`
	Comment         string    `json:"comment"`
	Reasons         string    `json:"reasons"`
	Findings        []Finding `json:"findings"`
	WorkOrder       string    `json:"work_order,omitempty"`
	// Anonymous: created_at is the review's day only (review.StaffTime).
	Anonymous bool     `json:"-"`
	words     []string // the findings in the page's language
}

// Finding is one of the detector's reasons for holding a review.
type Finding struct {
	Signal fraud.Signal `json:"signal"`
	Count  int          `json:"count"`
	// Minutes is the rule's window; 0 for the closed hall and staff networks.
	Minutes int `json:"window_minutes,omitempty"`
}

// Words are the reasons in the page's language.
func (h Held) Words() []string { return h.words }

// HeldList is a page of held reviews after q's cursor (at most q's
// limit), with names in lang, and the next page's cursor.
func (v *View) HeldList(ctx context.Context, q url.Values, lang string) ([]Held, string, error) {
	limit := 50
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 200 {
			return nil, "", apperr.Invalidf("limit", "want 1 to 200")
		}
		limit = n
	}
	var after int64
	if s := q.Get("cursor"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			return nil, "", apperr.New(apperr.Malformed, "cursor", "want the next_cursor of the page before")
		}
		after = n
	}
	// One more than asked tells whether a next page exists.
	list, err := v.Store.HeldReviews(ctx, after, limit+1)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(list) > limit {
		list = list[:limit]
		next = strconv.FormatInt(list[limit-1].ID, 10)
	}
	names, err := v.Store.AlertNames(ctx, heldSubjects(list))
	if err != nil {
		return nil, "", err
	}
	out := make([]Held, 0, len(list))
	for _, h := range list {
		out = append(out, heldOf(h, names, lang))
	}
	return out, next, nil
}

// heldSubjects names the units and workstations of list in the form
// AlertNames reads, so that one query set names both.
func heldSubjects(list []store.HeldReview) []*alert.Alert {
	out := make([]*alert.Alert, 0, len(list))
	for _, h := range list {
		a := &alert.Alert{Unit: h.Unit, Kind: index.RuleUnitBadRate, Group: []string{h.Unit}}
		if h.Workstation != "" {
			a.Kind, a.Group = index.RuleWorkstation, []string{h.Workstation}
		}
		out = append(out, a)
	}
	return out
}

func heldOf(h store.HeldReview, names map[string]string, lang string) Held {
	j := Held{ID: h.ID, CreatedAt: review.StaffTime(h.At, h.Anonymous), Anonymous: h.Anonymous, Channel: h.Channel, Unit: h.Unit, UnitName: nameIn(names, "unit:"+h.Unit, lang, ""),
		Workstation: h.Workstation, Stars: h.Stars, Comment: h.Comment, Reasons: h.Reasons, WorkOrder: h.WorkOrder,
		Findings: []Finding{}}
	if h.Workstation != "" {
		j.WorkstationName = nameIn(names, "workstation:"+h.Workstation, lang, "")
	}
	for _, f := range fraud.ParseReasons(h.Reasons) {
		j.Findings = append(j.Findings, Finding{Signal: f.Signal, Count: f.Count, Minutes: int(f.Window / time.Minute)})
		j.words = append(j.words, findingWords(f, lang))
	}
	if len(j.words) == 0 {
		// A reason this version cannot read is shown as stored.
		j.words = []string{h.Reasons}
	}
	return j
}

// findingWords says f in lang.
func findingWords(f fraud.Finding, lang string) string {
	text := i18n.Lang(lang).T("suspect.reason." + string(f.Signal))
	text = strings.ReplaceAll(text, "{n}", strconv.Itoa(f.Count))
	return strings.ReplaceAll(text, "{min}", strconv.Itoa(int(f.Window/time.Minute)))
}

// DecideHeld releases or rejects the reviews ids as who (the route has
// checked the role), and says how many it decided.
func (v *View) DecideHeld(ctx context.Context, who account.Actor, action string, ids []int64, reason string) (int, error) {
	switch action {
	case "release":
		return v.Store.ReleaseHeld(ctx, ids, who.String(), reason)
	case "reject":
		return v.Store.RejectHeld(ctx, ids, who.String(), reason)
	}
	return 0, apperr.NotFoundf("action", "want release or reject")
}
