// Package alert holds concentration alerts: what the rules of
// internal/index find where bad reviews concentrate, raised once each, and
// followed by the General Office from open to acknowledged to resolved,
// or turned into supervision (督办) of the unit for the year-end
// assessment. It imports no storage and no HTTP.
package alert

import (
	"strings"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/workorder"
)

// State is where an alert stands.
type State string

// States: open → acknowledged → resolved (an open alert may be resolved
// at once).
const (
	Open         State = "open"
	Acknowledged State = "acknowledged"
	Resolved     State = "resolved"
)

// States lists the states in queue order.
var States = []State{Open, Acknowledged, Resolved}

// Valid reports whether s is a state.
func (s State) Valid() bool { return s == Open || s == Acknowledged || s == Resolved }

// Alert is a finding of a concentration rule, stored once by its key.
type Alert struct {
	ID       int64
	Key      string // the finding's key: unique, so a finding is raised once
	Rule     int64
	Kind     index.RuleKind
	Group    []string  // the codes grouped by, e.g. unit and item
	Unit     string    // the unit whose reviews these are: its handlers may read the alert
	At       time.Time // when the review that crossed the threshold came
	Count    int       // bad reviews in the window
	N        int       // reviews in the window (unit_bad_rate)
	Rate     float64   // the unit's bad rate (unit_bad_rate)
	CityRate float64   // the city's bad rate (unit_bad_rate)
	Reviews  []int64   // the bad reviews, oldest first
	// Anonymous: one of its reviews is anonymous, so that staff see its
	// times, which are that review's or follow it, to the day only.
	Anonymous bool

	State          State
	AcknowledgedAt time.Time
	AcknowledgedBy string
	ResolvedAt     time.Time
	ResolvedBy     string
	Note           string // the resolution
	// Supervision (督办) of the unit, marked for the year-end assessment.
	SupervisedAt    time.Time
	SupervisedBy    string
	SupervisionNote string

	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int
}

// Supervised reports whether the alert was turned into supervision.
func (a *Alert) Supervised() bool { return !a.SupervisedAt.IsZero() }

// FromFinding makes a new open alert of f; unit is the unit of the review
// that raised it.
func FromFinding(f index.Finding, unit string, now time.Time) *Alert {
	return &Alert{Key: f.Key, Rule: f.Rule, Kind: f.Kind, Group: f.Group, Unit: unit, At: f.At, Count: f.Count,
		N: f.N, Rate: f.Rate, CityRate: f.CityRate, Reviews: f.Reviews, State: Open, CreatedAt: now, UpdatedAt: now}
}

// Notice is the alert_opened notification of a.
func (a *Alert) Notice(now time.Time) workorder.Notice {
	return workorder.Notice{Event: workorder.EventAlertOpened, Unit: a.Unit, At: now.UTC(),
		Alert: &workorder.AlertRef{ID: a.ID, Kind: string(a.Kind), Group: a.Group, Unit: a.Unit, Count: a.Count, Reviews: a.Reviews}}
}

// Review is what an alert shows of one of its reviews: the service, never
// the reviewer.
type Review struct {
	ID        int64
	CreatedAt time.Time
	Channel   review.Channel
	Item      string
	ItemName  string
	Stage     string
	StageName string
	Hall      string
	HallName  string
	// The names in English, empty where the catalogue has none.
	ItemNameEN, StageNameEN, HallNameEN string
	Workstation                         string
	Stars                               int
	Tags                                []review.Tag
	Comment                             string
	Order                               string // its work order's number, empty when it has none
	Anonymous                           bool
}

// Filter narrows a list of alerts. Lists come open first, then newest
// first; Cursor continues after the page that returned it.
type Filter struct {
	State      State
	Unit       string
	Supervised bool // only alerts turned into supervision (for the assessment)
	Limit      int
	Cursor     string
}

// Action is something done to an alert.
type Action string

// Actions.
const (
	Acknowledge Action = "acknowledge"
	Resolve     Action = "resolve"
	Supervise   Action = "supervise"
)

// Actions lists the actions by name, for the doors.
var Actions = map[string]Action{"acknowledge": Acknowledge, "resolve": Resolve, "supervise": Supervise}

// CanRead decides whether actor may see alerts at all (unit nil) or one
// of a unit: the General Office and the 12345 operators see all; a unit
// handler only its own unit's, and another unit's alert does not exist
// for it.
func CanRead(a account.Actor, unit *string) error {
	switch a.Role {
	case account.Supervisor, account.Operator:
		return nil
	case account.Handler:
		if unit != nil && *unit != a.Unit {
			return apperr.NotFoundf("alert", "no such alert")
		}
		return nil
	case "":
		return apperr.New(apperr.Unauthorized, "", "log in first")
	}
	return apperr.New(apperr.Forbidden, "", "alerts are for the General Office, the 12345 hotline and unit handlers")
}

// CanAct decides whether actor may act on alerts: the General Office only.
func CanAct(a account.Actor) error {
	if a.Role == account.Supervisor {
		return nil
	}
	if a.Role == "" {
		return apperr.New(apperr.Unauthorized, "", "log in first")
	}
	return apperr.New(apperr.Forbidden, "", "only the General Office acts on alerts")
}

// CanEditRules decides whether actor may change the concentration rules.
func CanEditRules(a account.Actor) error {
	if a.Role == account.Admin {
		return nil
	}
	return apperr.New(apperr.Forbidden, "", "only administrators edit the alert rules")
}

// CanReadRules decides whether actor may read the rules: whoever edits
// them or acts on what they find.
func CanReadRules(a account.Actor) error {
	switch a.Role {
	case account.Admin, account.Supervisor, account.Operator:
		return nil
	}
	return apperr.New(apperr.Forbidden, "", "the alert rules are for administrators, the General Office and the 12345 hotline")
}

// Possible reports whether act can happen to a in its state.
func (a *Alert) Possible(act Action) bool {
	switch act {
	case Acknowledge:
		return a.State == Open
	case Resolve:
		return a.State == Open || a.State == Acknowledged
	case Supervise:
		return a.State != Resolved && !a.Supervised()
	}
	return false
}

// Apply does act to a as who at now. Resolving needs a note. Supervision
// acknowledges an open alert: the office has plainly seen it.
func (a *Alert) Apply(act Action, who, note string, now time.Time) error {
	note = strings.TrimSpace(note)
	if !a.Possible(act) {
		return apperr.New(apperr.Conflict, "state", "an alert that is %s cannot be %s", a.State, pastOf(act, a))
	}
	if len([]rune(note)) > 2000 {
		return apperr.Invalidf("note", "at most 2000 characters")
	}
	switch act {
	case Acknowledge:
		a.State, a.AcknowledgedAt, a.AcknowledgedBy = Acknowledged, now, who
	case Resolve:
		if note == "" {
			return apperr.Invalidf("note", "say how the alert was resolved")
		}
		a.State, a.ResolvedAt, a.ResolvedBy, a.Note = Resolved, now, who, note
	case Supervise:
		if a.State == Open {
			a.State, a.AcknowledgedAt, a.AcknowledgedBy = Acknowledged, now, who
		}
		a.SupervisedAt, a.SupervisedBy, a.SupervisionNote = now, who, note
	}
	a.UpdatedAt = now
	return nil
}

func pastOf(act Action, a *Alert) string {
	switch act {
	case Acknowledge:
		return "acknowledged"
	case Resolve:
		return "resolved"
	case Supervise:
		if a.Supervised() {
			return "supervised again"
		}
		return "supervised"
	}
	return string(act)
}
