package workorder

import (
	"strings"
	"time"

	"github.com/haocha/haocha/internal/audit"
)

// StoryEvent is one step of an order's story as its citizen is told it: what
// happened and when, never a staff member's note. The one text it carries
// is the citizen's own reason for not being satisfied.
type StoryEvent struct {
	At     time.Time
	Kind   string // checking, opened, dispatched, redispatched, contacted, replied, satisfied, not_satisfied, supervised, closed, rejected
	Round  int
	Reason string // for not_satisfied: the citizen's words
}

// Story tells the order's history from its audit trail in the citizen's
// terms, oldest first. Internal steps (views, deadline notices,
// reassignment, appeals pending, assessment) are left out.
func Story(o *Order, trail []audit.Entry) []StoryEvent {
	round := 1
	out := []StoryEvent{{At: o.CreatedAt, Kind: "opened", Round: round}}
	// A review held by screening is being checked, not yet an order
	// with the hotline: it becomes one when released.
	if o.Screening != "" || held(trail) {
		out[0].Kind = "checking"
	}
	for _, e := range trail {
		ev := StoryEvent{At: e.At, Round: round}
		switch Action(e.Action) {
		case actHeldRelease:
			ev.Kind = "opened"
		case actHeldReject:
			ev.Kind = "rejected"
		case ActDispatch:
			ev.Kind = "dispatched"
		case ActRedispatch:
			round++
			ev.Kind, ev.Round = "redispatched", round
		case ActContact:
			ev.Kind = "contacted"
		case ActReply:
			ev.Kind = "replied"
		case ActFollowUp:
			ev.Kind = "satisfied"
			if e.To == string(NotSatisfied) {
				ev.Kind = "not_satisfied"
				ev.Reason = strings.TrimPrefix(strings.TrimPrefix(e.Note, "not satisfied"), ": ")
			}
		case ActEscalate:
			ev.Kind = "supervised"
		case ActDecideAppeal:
			if e.To != string(Closed) {
				continue
			}
			ev.Kind = "closed"
		default:
			continue
		}
		out = append(out, ev)
	}
	return out
}

// The audit actions of a supervisor's decision on a held review (store).
const (
	actHeldRelease Action = "held.release"
	actHeldReject  Action = "held.reject"
)

// held reports whether the trail has a decision on a held review.
func held(trail []audit.Entry) bool {
	for _, e := range trail {
		if a := Action(e.Action); a == actHeldRelease || a == actHeldReject {
			return true
		}
	}
	return false
}
