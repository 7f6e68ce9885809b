package index

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/apperr"
)

// RuleKind names what a concentration rule groups bad reviews by.
type RuleKind string

// Rule kinds: the concentrations issue 8 lists. Workstation and staff are
// two kinds, so that each finding names one of them.
const (
	RuleUnitItem    RuleKind = "unit_item"     // bad reviews of one unit and item
	RuleWorkstation RuleKind = "workstation"   // bad reviews at one workstation
	RuleStaff       RuleKind = "staff"         // bad reviews of one staff member
	RuleUnitBadRate RuleKind = "unit_bad_rate" // a unit's 差评率 against the city's
	RuleHallTag     RuleKind = "hall_tag"      // bad reviews with one tag at one hall
)

// Rule is a concentration rule, kept as data an administrator edits.
// Threshold is a count of bad reviews, except for RuleUnitBadRate where it is a
// multiple of the city's bad-review rate. MinN, for RuleUnitBadRate, is the
// fewest reviews the unit needs in the window.
type Rule struct {
	// ID is the stored rule's number; 0 for a rule not stored. Two stored
	// rules of one kind (a 7-day and a 30-day one) then raise findings with
	// different keys.
	ID        int64    `json:"id"`
	Kind      RuleKind `json:"kind"`
	Window    int      `json:"window_days"`
	Threshold float64  `json:"threshold"`
	MinN      int      `json:"min_n"`
	// Enabled rules are evaluated; a disabled one is kept, not deleted, so
	// that its alerts still name it.
	Enabled bool `json:"enabled"`
}

// DefaultRules are the starting rules of issue 8.
func DefaultRules() []Rule {
	return []Rule{
		{Kind: RuleUnitItem, Window: 7, Threshold: 3, Enabled: true},
		{Kind: RuleWorkstation, Window: 30, Threshold: 2, Enabled: true},
		{Kind: RuleStaff, Window: 30, Threshold: 2, Enabled: true},
		{Kind: RuleUnitBadRate, Window: 30, Threshold: 2, MinN: 50, Enabled: true},
		{Kind: RuleHallTag, Window: 7, Threshold: 5, Enabled: true},
	}
}

// Validate refuses a rule that could not be evaluated.
func (r Rule) Validate() error {
	switch r.Kind {
	case RuleUnitItem, RuleWorkstation, RuleStaff, RuleUnitBadRate, RuleHallTag:
	default:
		return apperr.Invalidf("kind", "unknown rule kind %q", r.Kind)
	}
	if r.Window < 1 || r.Window > 366 {
		return apperr.Invalidf("window_days", "must be 1 to 366, got %d", r.Window)
	}
	if r.Threshold <= 0 {
		return apperr.Invalidf("threshold", "must be more than 0, got %v", r.Threshold)
	}
	if r.MinN < 0 {
		return apperr.Invalidf("min_n", "must not be negative, got %d", r.MinN)
	}
	return nil
}

// Fact is what the rules need of one review.
type Fact struct {
	ID          int64
	At          time.Time
	Unit        string
	Item        string
	Hall        string
	Workstation string
	Staff       string
	Stars       int
	Tags        []string
	// N is how many reviews the fact stands for: 0 or 1 for one review;
	// more for a sum of good reviews, which the rate rule needs only as a
	// count (so a sweep need not load every review of 30 days).
	N int
}

func (f Fact) bad() bool { return f.Stars <= 2 }

func (f Fact) weight() int {
	if f.N > 1 {
		return f.N
	}
	return 1
}

// Finding is a concentration a rule found. Key is stable: evaluating again
// over more recent reviews gives the same key for the same finding, so it
// is raised once.
type Finding struct {
	Key      string    `json:"key"`
	Rule     int64     `json:"rule,omitempty"` // the stored rule's ID
	Kind     RuleKind  `json:"kind"`
	Group    []string  `json:"group"`               // the codes grouped by, e.g. unit and item
	At       time.Time `json:"at"`                  // when the review that crossed the threshold came
	Reviews  []int64   `json:"reviews"`             // the bad reviews in the window, oldest first
	Count    int       `json:"count"`               // bad reviews in the window
	N        int       `json:"n,omitempty"`         // reviews in the window (RuleUnitBadRate)
	Rate     float64   `json:"rate,omitempty"`      // the unit's bad rate (RuleUnitBadRate)
	CityRate float64   `json:"city_rate,omitempty"` // the city's bad rate (RuleUnitBadRate)
}

// Evaluate finds what rules raise over facts up to now. A finding is raised
// by the bad review that brings its group to the threshold within the
// rule's window (the window ending at that review); the reviews that follow
// while the group stays above it belong to the same finding. Only crossings
// within the last window before now are reported, and facts must cover two
// windows before now so that a crossing is judged on all it depends on.
func Evaluate(rules []Rule, facts []Fact, now time.Time) []Finding {
	sorted := append([]Fact(nil), facts...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if !sorted[i].At.Equal(sorted[j].At) {
			return sorted[i].At.Before(sorted[j].At)
		}
		return sorted[i].ID < sorted[j].ID
	})
	var out []Finding
	for _, r := range rules {
		if r.Kind == RuleUnitBadRate {
			out = append(out, evaluateRate(r, sorted, now)...)
		} else {
			out = append(out, evaluateCount(r, sorted, now)...)
		}
	}
	return out
}

// groups returns the groups a bad review belongs to under kind: none when
// it lacks the code, one per tag for RuleHallTag.
func groups(kind RuleKind, f Fact) [][]string {
	one := func(codes ...string) [][]string {
		for _, c := range codes {
			if c == "" {
				return nil
			}
		}
		return [][]string{codes}
	}
	switch kind {
	case RuleUnitItem:
		return one(f.Unit, f.Item)
	case RuleWorkstation:
		return one(f.Workstation)
	case RuleStaff:
		return one(f.Staff)
	case RuleHallTag:
		var out [][]string
		for _, t := range f.Tags {
			out = append(out, one(f.Hall, t)...)
		}
		return out
	}
	return nil
}

func windowOf(r Rule) time.Duration { return time.Duration(r.Window) * 24 * time.Hour }

// series is facts in time order with a running count of bad reviews, so
// that any window's counts cost two binary searches.
type series struct {
	facts []Fact
	bad   []int // bad[i]: bad reviews in facts[:i]
	n     []int // n[i]: reviews in facts[:i]
}

func newSeries(facts []Fact) series {
	s := series{facts: facts, bad: make([]int, len(facts)+1), n: make([]int, len(facts)+1)}
	for i, f := range facts {
		s.bad[i+1] = s.bad[i]
		s.n[i+1] = s.n[i] + f.weight()
		if f.bad() {
			s.bad[i+1]++
		}
	}
	return s
}

// window returns the index range of the facts in (at − d, at].
func (s series) window(at time.Time, d time.Duration) (lo, hi int) {
	lo = sort.Search(len(s.facts), func(i int) bool { return s.facts[i].At.After(at.Add(-d)) })
	hi = sort.Search(len(s.facts), func(i int) bool { return s.facts[i].At.After(at) })
	return lo, hi
}

func evaluateCount(r Rule, facts []Fact, now time.Time) []Finding {
	window := windowOf(r)
	byGroup := map[string][]Fact{}
	var order []string
	for _, f := range facts {
		if !f.bad() || f.At.After(now) {
			continue
		}
		for _, g := range groups(r.Kind, f) {
			k := strings.Join(g, "|")
			if _, ok := byGroup[k]; !ok {
				order = append(order, k)
			}
			byGroup[k] = append(byGroup[k], f)
		}
	}
	var out []Finding
	for _, k := range order {
		list := newSeries(byGroup[k])
		for i, f := range list.facts {
			if !f.At.After(now.Add(-window)) {
				continue
			}
			// f crosses when the count reaches the threshold with it: at
			// least the threshold with f, below it without.
			lo, _ := list.window(f.At, window)
			n := i + 1 - lo
			if float64(n) >= r.Threshold && float64(n-1) < r.Threshold {
				out = append(out, finding(r, strings.Split(k, "|"), f, list.facts[lo:i+1]))
			}
		}
	}
	return out
}

func finding(r Rule, group []string, by Fact, reviews []Fact) Finding {
	key := fmt.Sprintf("%s:%s:%d", r.Kind, strings.Join(group, "|"), by.ID)
	if r.ID != 0 {
		key = fmt.Sprintf("%d/%s", r.ID, key)
	}
	f := Finding{
		Key:   key,
		Rule:  r.ID,
		Kind:  r.Kind,
		Group: group,
		At:    by.At,
		Count: 0,
	}
	for _, x := range reviews {
		if x.bad() {
			f.Reviews = append(f.Reviews, x.ID)
			f.Count++
		}
	}
	return f
}

// evaluateRate checks, at each bad review of a unit, the unit's bad-review
// rate over the window ending there against the city's; the review at
// which the rule starts to hold raises the finding, if it came within the
// last window.
func evaluateRate(r Rule, facts []Fact, now time.Time) []Finding {
	window := windowOf(r)
	var upToNow []Fact
	byUnit := map[string][]Fact{}
	var order []string
	for _, f := range facts {
		if f.At.After(now) {
			continue
		}
		upToNow = append(upToNow, f)
		if f.Unit == "" {
			continue
		}
		if _, ok := byUnit[f.Unit]; !ok {
			order = append(order, f.Unit)
		}
		byUnit[f.Unit] = append(byUnit[f.Unit], f)
	}
	city := newSeries(upToNow)
	var out []Finding
	for _, u := range order {
		list := newSeries(byUnit[u])
		was := false
		for i, f := range list.facts {
			if !f.bad() {
				continue
			}
			lo, _ := list.window(f.At, window)
			clo, chi := city.window(f.At, window)
			n, bad := list.n[i+1]-list.n[lo], list.bad[i+1]-list.bad[lo]
			rate := float64(bad) / float64(n)
			cityRate := float64(city.bad[chi]-city.bad[clo]) / float64(city.n[chi]-city.n[clo])
			ok := n >= r.MinN && rate >= r.Threshold*cityRate
			if ok && !was && f.At.After(now.Add(-window)) {
				fd := finding(r, []string{u}, f, list.facts[lo:i+1])
				fd.N, fd.Rate, fd.CityRate = n, round4(rate), round4(cityRate)
				out = append(out, fd)
			}
			was = ok
		}
	}
	return out
}
