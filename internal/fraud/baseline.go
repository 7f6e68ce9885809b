package fraud

import (
	"math"
	"time"
)

// Usual is what one member (a unit, a hall) usually receives at an hour
// of the week, in reviews an hour, learnt from its stored history; Known
// is false for a member without history.
type Usual struct {
	PerHour float64
	Known   bool
}

// Baseline sizes the relative rules (unit, hall) from the member's usual
// rate, so that a busy agency's ordinary morning is ordinary and a quiet
// hall's sudden hundred is not.
type Baseline struct {
	// Default is the rate, reviews an hour, taken for a member without
	// history.
	Default float64
	// UnverifiedDefault is the rate of unverified reviews taken for a
	// member without any in its history. Such reviews cost an attacker
	// nothing, and most citizens' reviews are bound to their visit, so a
	// member's normal rate of them is far below its rate of all reviews:
	// the default is low, or a unit the attacker picks for having no
	// history would take hundreds.
	UnverifiedDefault float64
	// Peak is how many times its usual rate an honest busy hour reaches
	// (the morning rush over the day's mean).
	Peak float64
	// Slack is how many Poisson standard deviations above that are still
	// chance.
	Slack float64
	// Floor is added to every threshold: a quiet member's few reviews
	// are never a burst.
	Floor int
}

// DefaultBaseline: a member without history is taken to get 300 reviews
// an hour, which puts its threshold in ten minutes at 209, where the
// fixed unit rule stood (200), and 6 unverified reviews an hour, a
// threshold of 20; one with history fires at three times its usual rate,
// four deviations and ten reviews above.
var DefaultBaseline = Baseline{Default: 300, UnverifiedDefault: 6, Peak: 3, Slack: 4, Floor: 10}

// At is the count within window at which a relative rule fires for a
// member usually at u.
func (b Baseline) At(u Usual, window time.Duration) int {
	return b.at(u, b.Default, window)
}

// UnverifiedAt is At for a rule that counts unverified reviews only.
func (b Baseline) UnverifiedAt(u Usual, window time.Duration) int {
	return b.at(u, b.UnverifiedDefault, window)
}

func (b Baseline) at(u Usual, def float64, window time.Duration) int {
	rate := def
	if u.Known {
		rate = u.PerHour
	}
	e := b.Peak * rate * window.Hours()
	return b.Floor + int(math.Ceil(e+b.Slack*math.Sqrt(e)))
}
