// Package fraud scores each review as it arrives against what came just
// before it: floods from one network, device or workstation, a unit or
// hall far above its own usual rate (baseline.go), bursts of the same
// text, window reviews while the hall is closed by its own opening hours
// (hours.go), 5-star bursts on one workstation, and ratings from the
// network a staff account of the rated unit signed in from. Fraud runs both ways (刷好评
// and 恶意差评), so no signal looks at whether the stars are good or bad
// but the 5-star burst. The rules are data; the reasons are words a
// supervisor reads. Storage counts; this package decides.
package fraud

import (
	"fmt"
	"strings"
	"time"
)

// Signal names one detector.
type Signal string

// The detectors.
const (
	AddressVelocity     Signal = "address"     // reviews from one network
	DeviceVelocity      Signal = "device"      // reviews from one device
	WorkstationVelocity Signal = "workstation" // reviews of one workstation
	UnitVelocity        Signal = "unit"        // reviews of one unit, against its usual rate
	HallVelocity        Signal = "hall"        // workstation reviews of one hall, against its usual rate
	SameText            Signal = "text"        // the same or near-same comment
	OffHours            Signal = "off_hours"   // window reviews while the hall is closed
	FiveStarBurst       Signal = "five_star"   // 5-star reviews on one workstation
	StaffNetwork        Signal = "staff"       // from a network a staff account of the unit used
	// Unverified reviews (that prove nothing of a visit) of one unit and
	// of one district, each against its own usual rate of unverified
	// reviews: the flood of an attacker who names only items and rotates
	// addresses, devices, items and channels (baseline.go).
	UnverifiedUnit     Signal = "unverified_unit"
	UnverifiedDistrict Signal = "unverified_district"
)

// Recent is what storage counted before one arriving review, each within
// its rule's window; the review itself is not counted.
type Recent struct {
	Address, Device, Workstation, Unit, Hall int
	SameText                                 int
	FiveStar                                 int // 5-star reviews of the workstation
	OffHours                                 int // the hall's window reviews since it closed
	StaffNetwork                             bool
	// Closed is whether the review's hall is closed by its opening hours.
	Closed bool
	// UnitUsual and HallUsual are the usual rates of the review's unit
	// and hall at this hour of the week.
	UnitUsual, HallUsual Usual
	// UnverifiedUnit and UnverifiedDistrict count the unverified reviews
	// of the review's unit and district; their usual rates are the
	// members' usual rates of unverified reviews.
	UnverifiedUnit, UnverifiedDistrict           int
	UnverifiedUnitUsual, UnverifiedDistrictUsual Usual
}

// Arrival is what the detectors need of the arriving review itself.
type Arrival struct {
	At          time.Time
	Stars       int
	Workstation bool // rated at a workstation (window, tablet, kiosk)
	Text        bool // the comment is long enough to have a text print
	Address     bool // the client's network is known
	Device      bool // the client's device mark is known
	// Present: the reviewer proved they stood at the workstation (its
	// QR token, a paired device, a bound transaction). Tokenless reviews
	// of the workstation then do not make theirs part of a burst there,
	// and the hall's network is judged by the hall's usual rate.
	Present bool
	// Bound: the review is bound to a real visit (a linked transaction,
	// an invitation, a paired device): it is not suspect for coming
	// while the hall is closed (an evening QR review of the day's visit).
	Bound bool
	// Unverified: the review proves nothing of a visit (level
	// unverified); District: it is of a district (not a municipal
	// agency online).
	Unverified, District bool
}

// Rule is one detector's threshold: it fires when At reviews or more came
// within Window before the arriving one, adding Weight to the score. A
// Relative rule has no fixed At: the baseline sizes it from the member's
// usual rate.
type Rule struct {
	Signal   Signal
	At       int
	Window   time.Duration
	Weight   float64
	Relative bool
}

// Rules are the detectors, the threshold a score must reach to hold a
// review, and the baseline of the relative rules.
type Rules struct {
	Rules     []Rule
	Threshold float64
	Baseline  Baseline
}

// DefaultRules are sized so that a busy hall whose citizens share one
// network stays under them (about 40 reviews in ten minutes from 20
// workstations, one citizen each every five minutes), while a flood from
// one machine crosses them within its first seconds.
var DefaultRules = Rules{
	Threshold: 1,
	Baseline:  DefaultBaseline,
	Rules: []Rule{
		{AddressVelocity, 80, 10 * time.Minute, 1, false},
		{DeviceVelocity, 5, 10 * time.Minute, 1, false},
		{WorkstationVelocity, 6, 10 * time.Minute, 1, false},
		{UnitVelocity, 0, 10 * time.Minute, 1, true},
		{HallVelocity, 0, 10 * time.Minute, 1, true},
		{SameText, 3, 10 * time.Minute, 1, false},
		{OffHours, 2, time.Hour, 1, false},
		{FiveStarBurst, 4, 10 * time.Minute, 1, false},
		{StaffNetwork, 1, 12 * time.Hour, 1, false},
		{UnverifiedUnit, 0, 10 * time.Minute, 1, true},
		{UnverifiedDistrict, 0, 10 * time.Minute, 1, true},
	},
}

// Rule is the rule of sig; ok is false when no rule watches it.
func (rs Rules) Rule(sig Signal) (Rule, bool) {
	for _, r := range rs.Rules {
		if r.Signal == sig {
			return r, true
		}
	}
	return Rule{}, false
}

// Window is the window of sig's rule, 0 when none.
func (rs Rules) Window(sig Signal) time.Duration {
	r, _ := rs.Rule(sig)
	return r.Window
}

// Finding is one detector that fired, with its count.
type Finding struct {
	Signal Signal
	Count  int
	Window time.Duration
}

// Verdict is a review's score and what made it.
type Verdict struct {
	Score    float64
	Findings []Finding
	Held     bool
}

// Reasons are the findings in words, for the held column and the
// supervisor's queue; empty when the review is not held.
func (v Verdict) Reasons() string {
	if !v.Held {
		return ""
	}
	parts := make([]string, len(v.Findings))
	for i, f := range v.Findings {
		parts[i] = f.String()
	}
	return strings.Join(parts, "; ")
}

func (f Finding) String() string {
	w := shortWindow(f.Window)
	switch f.Signal {
	case OffHours:
		return fmt.Sprintf(offHoursFormat, f.Count)
	case StaffNetwork:
		return staffNetworkReason
	}
	for _, fm := range formats {
		if fm.sig == f.Signal {
			return fmt.Sprintf(fm.format, f.Count, w)
		}
	}
	return string(f.Signal)
}

// Score scores a review arriving as a after recent. Counts include the
// arriving review, so a rule's At is the size of a burst.
func (rs Rules) Score(a Arrival, recent Recent) Verdict {
	var v Verdict
	for _, r := range rs.Rules {
		n, watched, at := 0, true, r.At
		switch r.Signal {
		case AddressVelocity:
			n, watched = recent.Address+1, a.Address
			// A hall's citizens share its network: with proof they
			// stood there, the hall's own rate is the measure.
			if a.Present && a.Workstation {
				at = max(at, rs.Baseline.At(recent.HallUsual, r.Window))
			}
		case DeviceVelocity:
			n, watched = recent.Device+1, a.Device
		case WorkstationVelocity:
			n, watched = recent.Workstation+1, a.Workstation && !a.Present
		case UnitVelocity:
			n = recent.Unit + 1
		case HallVelocity:
			n, watched = recent.Hall+1, a.Workstation
		case SameText:
			n, watched = recent.SameText+1, a.Text
		case OffHours:
			n, watched = recent.OffHours+1, a.Workstation && recent.Closed && !a.Bound
		case FiveStarBurst:
			n, watched = recent.FiveStar+1, a.Workstation && a.Stars == 5 && !a.Present
		case StaffNetwork:
			if recent.StaffNetwork {
				n = 1
			}
			watched = a.Address
		case UnverifiedUnit:
			n, watched = recent.UnverifiedUnit+1, a.Unverified
		case UnverifiedDistrict:
			n, watched = recent.UnverifiedDistrict+1, a.Unverified && a.District
		}
		if r.Relative {
			switch r.Signal {
			case HallVelocity:
				at = rs.Baseline.At(recent.HallUsual, r.Window)
			case UnverifiedUnit:
				at = rs.Baseline.UnverifiedAt(recent.UnverifiedUnitUsual, r.Window)
			case UnverifiedDistrict:
				at = rs.Baseline.UnverifiedAt(recent.UnverifiedDistrictUsual, r.Window)
			default:
				at = rs.Baseline.At(recent.UnitUsual, r.Window)
			}
		}
		if watched && at > 0 && n >= at {
			v.Score += r.Weight
			v.Findings = append(v.Findings, Finding{Signal: r.Signal, Count: n, Window: r.Window})
		}
	}
	v.Held = v.Score >= rs.Threshold
	return v
}

// shortWindow writes d as "10m" or "1h": trimming "0s" and "0m" off
// d.String() would turn ten minutes into "1".
func shortWindow(d time.Duration) string {
	switch {
	case d > 0 && d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d > 0 && d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return d.String()
}
