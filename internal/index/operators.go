package index

import (
	"sort"
	"time"
)

// The 12345 operators' own figures (issue 18): each operator judged for
// what they did themselves, from the steps of the orders' history they
// took. The centre's board is public, as the units' are: it judges an
// institution. An operator's figures judge a named person, so they are
// for staff roles only, as a staff member's results are (Scope.Public):
// the General Office sees every operator's, an operator their own.

// OperatorStep is one step an operator took in the period, with what the
// figures need of its order.
type OperatorStep struct {
	Account string // the operator's login
	Action  string // dispatch, redispatch, follow_up, cause
	At      time.Time
	// FirstDispatch: the step is the order's first dispatch (a dispatch
	// step after a granted reassignment is not).
	FirstDispatch bool
	Created       time.Time // the order was opened
	// ContactDue and Contacted are the order's first contact deadline and
	// first contact (the unit's), zero when none.
	ContactDue, Contacted time.Time
	// CauseChanged: the supervisor changed the order's cause on the
	// unit's contest, so the operator's finding did not stand.
	CauseChanged bool
}

// Operator is one operator's figures over a period.
type Operator struct {
	Login string `json:"login"`
	Name  string `json:"name"`
	// Dispatched counts the orders they first dispatched in the period;
	// DispatchedLate, those of them dispatched after the dispatch
	// deadline (one working day after opening, Order.DispatchDeadline);
	// LateRate is the share.
	Dispatched     int64    `json:"dispatched"`
	DispatchedLate int64    `json:"dispatched_late"`
	LateRate       *float64 `json:"late_rate"`
	// MedianDispatchHours is the median time from opening to their first
	// dispatch, in hours (one decimal), null without dispatches.
	MedianDispatchHours *float64 `json:"median_dispatch_hours"`
	// Redispatches counts the re-dispatches they made.
	Redispatches int64 `json:"redispatches"`
	// FirstContactOnTimeRate is, of the orders they dispatched whose first
	// contact deadline has come, the share the unit contacted by it.
	FirstContactOnTimeRate *float64 `json:"first_contact_on_time_rate"`
	// FollowUps counts the follow-ups they recorded by phone (回访).
	FollowUps int64 `json:"follow_ups"`
	// CausesReviewed counts the causes of unsatisfied answers they
	// recorded; CausesChanged, those the supervisor changed on the unit's
	// contest.
	CausesReviewed int64 `json:"causes_reviewed"`
	CausesChanged  int64 `json:"causes_changed"`
}

// Operators computes each operator's figures from their steps at now: a
// contact timed after now has not happened yet (as Order.AsOf), so the
// figures can be recounted as of now later.
// names are the operator accounts' display names by login: every one of
// them is listed, with zeros when idle, and only they (an account is
// disabled, never removed, so every step's login has one). Sorted by login.
func Operators(steps []OperatorStep, names map[string]string, cal Workdays, now time.Time) []Operator {
	byLogin := map[string]*Operator{}
	for login, name := range names {
		if name == "" {
			name = login
		}
		byLogin[login] = &Operator{Login: login, Name: name}
	}
	delays := map[string][]float64{}
	contactDue := map[string]int64{}
	contacted := map[string]int64{}
	for _, s := range steps {
		o, ok := byLogin[s.Account]
		if !ok {
			continue
		}
		switch s.Action {
		case "dispatch":
			if !s.FirstDispatch {
				continue
			}
			o.Dispatched++
			if s.At.After(Order{Created: s.Created}.DispatchDeadline(cal)) {
				o.DispatchedLate++
			}
			delays[s.Account] = append(delays[s.Account], s.At.Sub(s.Created).Hours())
			contact := s.Contacted
			if contact.After(now) {
				contact = time.Time{}
			}
			if !s.ContactDue.IsZero() && (!s.ContactDue.After(now) || !contact.IsZero()) {
				contactDue[s.Account]++
				if !contact.IsZero() && !contact.After(s.ContactDue) {
					contacted[s.Account]++
				}
			}
		case "redispatch":
			o.Redispatches++
		case "follow_up":
			o.FollowUps++
		case "cause":
			o.CausesReviewed++
			if s.CauseChanged {
				o.CausesChanged++
			}
		}
	}
	out := make([]Operator, 0, len(byLogin))
	for login, o := range byLogin {
		o.LateRate = ratio(o.DispatchedLate, o.Dispatched)
		o.FirstContactOnTimeRate = ratio(contacted[login], contactDue[login])
		if d := delays[login]; len(d) > 0 {
			sort.Float64s(d)
			m := d[len(d)/2]
			if len(d)%2 == 0 {
				m = (d[len(d)/2-1] + d[len(d)/2]) / 2
			}
			m = float64(int64(m*10+0.5)) / 10
			o.MedianDispatchHours = &m
		}
		out = append(out, *o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Login < out[j].Login })
	return out
}
