package index

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/haocha/haocha/internal/calendar"
)

var now = time.Date(2026, 3, 31, 12, 0, 0, 0, calendar.Zone)

func daysAgo(d float64) time.Time { return now.Add(-time.Duration(d * 24 * float64(time.Hour))) }

// keys returns the findings' keys with their reviews.
func keys(fs []Finding) map[string][]int64 {
	out := map[string][]int64{}
	for _, f := range fs {
		out[f.Key] = f.Reviews
	}
	return out
}

func TestCountRules(t *testing.T) {
	facts := []Fact{
		// Unit U1, item I1: bad reviews 6, 4 and 1 days ago. The third
		// brings the 7-day count to 3 and raises the finding; a fourth,
		// half a day ago, belongs to it.
		{ID: 1, At: daysAgo(6), Unit: "U1", Item: "I1", Stars: 1},
		{ID: 2, At: daysAgo(4), Unit: "U1", Item: "I1", Stars: 2},
		{ID: 3, At: daysAgo(1), Unit: "U1", Item: "I1", Stars: 1},
		{ID: 4, At: daysAgo(0.5), Unit: "U1", Item: "I1", Stars: 2},
		// A good review of the same unit and item does not count.
		{ID: 5, At: daysAgo(2), Unit: "U1", Item: "I1", Stars: 5},
		// Two bad reviews of another item: below 3.
		{ID: 6, At: daysAgo(2), Unit: "U1", Item: "I2", Stars: 1},
		{ID: 7, At: daysAgo(1), Unit: "U1", Item: "I2", Stars: 1},
		// Three within a week, but 18 to 20 days ago: raised back then,
		// not now.
		{ID: 8, At: daysAgo(20), Unit: "U2", Item: "I1", Stars: 1},
		{ID: 9, At: daysAgo(19), Unit: "U2", Item: "I1", Stars: 1},
		{ID: 10, At: daysAgo(18), Unit: "U2", Item: "I1", Stars: 1},
		// Workstation W1 (staff S1): two bad reviews within 30 days.
		{ID: 11, At: daysAgo(10), Unit: "U3", Item: "I3", Workstation: "W1", Staff: "S1", Hall: "H1", Stars: 2},
		{ID: 12, At: daysAgo(2), Unit: "U3", Item: "I4", Workstation: "W1", Staff: "S1", Hall: "H1", Stars: 1},
		// Workstation W2: two bad reviews 40 days apart never meet.
		{ID: 13, At: daysAgo(50), Unit: "U3", Item: "I3", Workstation: "W2", Stars: 1},
		{ID: 14, At: daysAgo(10), Unit: "U3", Item: "I3", Workstation: "W2", Stars: 1},
	}
	// Hall H2: five bad reviews tagged attitude within 7 days (the fifth,
	// ID 24, raises it); four tagged materials are not enough.
	for i := range 5 {
		tags := []string{"attitude"}
		if i < 4 {
			tags = append(tags, "materials")
		}
		facts = append(facts, Fact{ID: int64(20 + i), At: daysAgo(float64(5 - i)), Unit: "U4", Item: "I5", Hall: "H2", Stars: 1, Tags: tags})
	}
	got := keys(Evaluate(DefaultRules(), facts, now))
	want := map[string][]int64{
		"unit_item:U1|I1:3":       {1, 2, 3},
		"workstation:W1:12":       {11, 12},
		"staff:S1:12":             {11, 12},
		"hall_tag:H2|attitude:24": {20, 21, 22, 23, 24},
		// U4's five bad reviews of item I5 within 5 days: the third (22)
		// crosses the unit+item rule.
		"unit_item:U4|I5:22": {20, 21, 22},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("findings (-want +got):\n%s", diff)
	}
	// A day later the same concentrations keep their keys, so none is
	// raised twice.
	later := keys(Evaluate(DefaultRules(), facts, now.Add(24*time.Hour)))
	for k := range want {
		if _, ok := later[k]; !ok {
			t.Errorf("finding %s lost its key a day later; got %v", k, later)
		}
	}
}

func TestUnitBadRateRule(t *testing.T) {
	var facts []Fact
	id := int64(0)
	add := func(unit string, stars int, at time.Time) {
		id++
		facts = append(facts, Fact{ID: id, At: at, Unit: unit, Item: "I" + unit + string(rune('a'+id%7)), Stars: stars})
	}
	// 25 days ago: unit U5 gets 45 good reviews, unit U6 150. Then U5 gets
	// a bad review each day from 5 days ago to yesterday (IDs 196–200).
	for range 45 {
		add("U5", 5, daysAgo(25))
	}
	for range 150 {
		add("U6", 4, daysAgo(25))
	}
	for d := 5; d >= 1; d-- {
		add("U5", 1, daysAgo(float64(d)))
	}
	// At ID 199 U5 has 49 reviews: under the minimum of 50. At ID 200 it
	// has 50 with 5 bad: 5/50 = 0.1, the city 5/200 = 0.025, and 0.1 ≥
	// 2 × 0.025: the rule holds from there.
	rule := []Rule{{Kind: RuleUnitBadRate, Window: 30, Threshold: 2, MinN: 50}}
	got := Evaluate(rule, facts, now)
	if len(got) != 1 {
		t.Fatalf("got %d findings, want 1: %+v", len(got), got)
	}
	f := got[0]
	if f.Key != "unit_bad_rate:U5:200" || f.N != 50 || f.Count != 5 || f.Rate != 0.1 || f.CityRate != 0.025 {
		t.Errorf("finding %+v, want key unit_bad_rate:U5:200, n 50, 5 bad, rate 0.1 against 0.025", f)
	}
	// With a threshold of 5 × the city (0.125) it does not hold.
	rule[0].Threshold = 5
	if got := Evaluate(rule, facts, now); len(got) != 0 {
		t.Errorf("threshold 5×: got %+v, want nothing", got)
	}
}

func TestRuleValidate(t *testing.T) {
	tests := []struct {
		rule  Rule
		field string
	}{
		{Rule{Kind: RuleUnitItem, Window: 7, Threshold: 3}, ""},
		{Rule{Kind: "district", Window: 7, Threshold: 3}, "kind"},
		{Rule{Kind: RuleStaff, Window: 0, Threshold: 2}, "window_days"},
		{Rule{Kind: RuleStaff, Window: 30, Threshold: 0}, "threshold"},
		{Rule{Kind: RuleUnitBadRate, Window: 30, Threshold: 2, MinN: -1}, "min_n"},
	}
	for _, tc := range tests {
		err := tc.rule.Validate()
		if tc.field == "" && err != nil {
			t.Errorf("%+v refused: %v", tc.rule, err)
		}
		if tc.field != "" && (err == nil || err.Error()[:len(tc.field)] != tc.field) {
			t.Errorf("%+v: error %v, want one naming %s", tc.rule, err, tc.field)
		}
	}
}

// Two stored rules of one kind must not share keys, or the second's
// findings would be taken for the first's and never raised.
func TestStoredRulesKeyApart(t *testing.T) {
	facts := []Fact{
		{ID: 1, At: daysAgo(3), Unit: "U1", Item: "I1", Stars: 1},
		{ID: 2, At: daysAgo(2), Unit: "U1", Item: "I1", Stars: 1},
		{ID: 3, At: daysAgo(1), Unit: "U1", Item: "I1", Stars: 1},
	}
	rules := []Rule{
		{ID: 7, Kind: RuleUnitItem, Window: 7, Threshold: 2, Enabled: true},
		{ID: 8, Kind: RuleUnitItem, Window: 7, Threshold: 3, Enabled: true},
	}
	got := keys(Evaluate(rules, facts, now))
	want := map[string][]int64{"7/unit_item:U1|I1:2": {1, 2}, "8/unit_item:U1|I1:3": {1, 2, 3}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("findings (-want +got):\n%s", diff)
	}
}

// Good reviews summed into one fact (N) count as many reviews: the rate
// rule finds the same as with one fact per review.
func TestUnitBadRateWithSummedGoodReviews(t *testing.T) {
	facts := []Fact{
		{ID: -1, At: daysAgo(25), Unit: "U5", Stars: 5, N: 45},
		{ID: -2, At: daysAgo(25), Unit: "U6", Stars: 4, N: 150},
	}
	for d := 5; d >= 1; d-- {
		facts = append(facts, Fact{ID: int64(201 - d), At: daysAgo(float64(d)), Unit: "U5", Item: "I", Stars: 1})
	}
	got := Evaluate([]Rule{{Kind: RuleUnitBadRate, Window: 30, Threshold: 2, MinN: 50}}, facts, now)
	if len(got) != 1 || got[0].Key != "unit_bad_rate:U5:200" || got[0].N != 50 || got[0].CityRate != 0.025 {
		t.Fatalf("got %+v, want one finding at review 200 with n 50 against a city rate of 0.025", got)
	}
	if want := []int64{196, 197, 198, 199, 200}; !cmp.Equal(got[0].Reviews, want) {
		t.Errorf("reviews %v, want %v (the summed good reviews are not listed)", got[0].Reviews, want)
	}
}
