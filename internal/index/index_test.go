package index

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/calendar"
)

func ptr(x float64) *float64 { return &x }

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

// city is the parent scope of the score tests: 100 reviews, stars
// 1:5 2:5 3:10 4:30 5:50. Sum 5+10+30+120+250 = 415, average 4.15,
// S = (4.15 − 1)/4 = 0.7875, B = 10/100 = 0.1.
var city = Counts{N: 100, Stars: [5]int64{5, 5, 10, 30, 50}}

func TestScore(t *testing.T) {
	minOne := V1()
	minOne.MinSample = 1
	tests := []struct {
		name         string
		unit         Counts
		def          Definition
		s, b         float64
		r, f, tt     float64
		index        *float64
		insufficient bool
	}{
		{
			// Three 5-star reviews: raw S = 1, B = 0, shrunk toward the city
			// with 30 reviews of prior: S = (3·1 + 30·0.7875)/33 = 26.625/33
			// = 0.806818, B = (3·0 + 30·0.1)/33 = 3/33 = 0.090909. Under
			// the minimum sample of 30: no index.
			name: "three reviews are shrunk and not ranked", unit: Counts{N: 3, Stars: [5]int64{0, 0, 0, 0, 3}},
			def: V1(), s: 26.625 / 33, b: 3.0 / 33, r: 1, f: 1, tt: 1, insufficient: true,
		},
		{
			// The same with a minimum sample of 1: I = 100 × (0.4·0.806818 +
			// 0.2·(1 − 0.090909) + 0.2 + 0.1 + 0.1) = 100 × (0.322727 +
			// 0.181818 + 0.4) = 90.45, not the 100 the raw figures give.
			name: "shrinkage keeps a tiny sample off the top", unit: Counts{N: 3, Stars: [5]int64{0, 0, 0, 0, 3}},
			def: minOne, s: 26.625 / 33, b: 3.0 / 33, r: 1, f: 1, tt: 1, index: ptr(90.45),
		},
		{
			// 29 reviews: one short of the minimum sample.
			name: "29 reviews is an insufficient sample", unit: Counts{N: 29, Stars: [5]int64{0, 0, 0, 0, 29}},
			def: V1(), s: (29 + 30*0.7875) / 59, b: 3.0 / 59, r: 1, f: 1, tt: 1, insufficient: true,
		},
		{
			// 30 reviews, stars 1:3 3:3 4:9 5:15: sum 3+9+36+75 = 123,
			// average 4.1, S = 0.775, B = 0.1. Shrunk: S = (30·0.775 +
			// 30·0.7875)/60 = 0.78125, B = (3 + 3)/60 = 0.1. Orders: 3 due,
			// 2 closed after follow-up (R = 2/3), 1 satisfied at the first
			// (F = 1/3), 3 replied on time (T = 1). I = 100 × (0.4·0.78125
			// + 0.2·0.9 + 0.2·2/3 + 0.1·1/3 + 0.1·1) = 100 × (0.3125 + 0.18
			// + 0.133333 + 0.033333 + 0.1) = 75.92.
			name: "at the minimum sample, with orders",
			unit: Counts{N: 30, Stars: [5]int64{3, 0, 3, 9, 15},
				Orders: OrderCounts{WithDue: 3, Rectified: 2, SatisfiedFirst: 1, RepliedOnTime: 3}},
			def: V1(), s: 0.78125, b: 0.1, r: 2.0 / 3, f: 1.0 / 3, tt: 1, index: ptr(75.92),
		},
		{
			// 40 four-star reviews, no orders: S = (40·0.75 + 30·0.7875)/70
			// = 53.625/70 = 0.766071, B = 3/70 = 0.042857, R = F = T = 1.
			// I = 100 × (0.306429 + 0.191429 + 0.4) = 89.79.
			name: "no orders: R, F and T are 1", unit: Counts{N: 40, Stars: [5]int64{0, 0, 0, 40, 0}},
			def: V1(), s: 53.625 / 70, b: 3.0 / 70, r: 1, f: 1, tt: 1, index: ptr(89.79),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Score(tc.unit, city, tc.def)
			if !near(got.S, tc.s) || !near(got.B, tc.b) || !near(got.R, tc.r) || !near(got.F, tc.f) || !near(got.T, tc.tt) {
				t.Errorf("parts S B R F T = %v %v %v %v %v, want %v %v %v %v %v", got.S, got.B, got.R, got.F, got.T, tc.s, tc.b, tc.r, tc.f, tc.tt)
			}
			if diff := cmp.Diff(tc.index, got.Index); diff != "" {
				t.Errorf("index (-want +got):\n%s", diff)
			}
			if got.InsufficientSample != tc.insufficient || got.N != tc.unit.N || got.Version != tc.def.Version {
				t.Errorf("insufficient %v n %d version %d, want %v %d %d", got.InsufficientSample, got.N, got.Version, tc.insufficient, tc.unit.N, tc.def.Version)
			}
		})
	}
}

func TestComputeStarBands(t *testing.T) {
	// Ten reviews, stars 1:1 2:1 3:2 4:3 5:3; three of the 5-star ones were
	// default reviews, so the citizens gave 1:1 2:1 3:2 4:3 (7 reviews).
	// Average (1 + 2 + 6 + 12 + 15)/10 = 3.6.
	c := Counts{N: 10, Stars: [5]int64{1, 1, 2, 3, 3}, ActiveStars: [5]int64{1, 1, 2, 3, 0}}
	threeIsGood := V1()
	threeIsGood.Version = 2
	threeIsGood.GoodStars = []int{3, 4, 5}
	// The 满意 band is the definition's too (issue 18: the stored setting
	// was read by nothing).
	fourIsSatisfied := V1()
	fourIsSatisfied.Version = 2
	fourIsSatisfied.SatisfiedStars = []int{4, 5}
	tests := []struct {
		name                             string
		def                              Definition
		good, activeGood, satisfied, bad float64
	}{
		// 4–5 good: 6/10 = 0.6; active 3/7 = 0.4286; satisfied 8/10; bad 2/10.
		{"4 and 5 are good", V1(), 0.6, 0.4286, 0.8, 0.2},
		// 3–5 good: 8/10 = 0.8; active 5/7 = 0.7143.
		{"a province that counts 3 as good", threeIsGood, 0.8, 0.7143, 0.8, 0.2},
		// 4–5 satisfied: 6/10.
		{"satisfied only at 4 and 5", fourIsSatisfied, 0.6, 0.4286, 0.6, 0.2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := Compute(c, tc.def, []string{"accuracy"})
			if *in.GoodRate != tc.good || *in.ActiveGoodRate != tc.activeGood || *in.SatisfactionRate != tc.satisfied || *in.BadRate != tc.bad {
				t.Errorf("good %v active %v satisfied %v bad %v, want %v %v %v %v",
					*in.GoodRate, *in.ActiveGoodRate, *in.SatisfactionRate, *in.BadRate, tc.good, tc.activeGood, tc.satisfied, tc.bad)
			}
			if *in.AverageStars != 3.6 || in.Stars["3"] != 2 {
				t.Errorf("average %v, stars %v", *in.AverageStars, in.Stars)
			}
			if a, ok := in.Dimensions["accuracy"]; !ok || a != nil {
				t.Errorf("dimension accuracy without reviews scoring it is %v (listed %v), want null", a, ok)
			}
			if in.OnTimeReplyRate != nil || in.MedianDaysToClose != nil {
				t.Errorf("order rates without orders should be null, got %v %v", in.OnTimeReplyRate, in.MedianDaysToClose)
			}
		})
	}
}

func TestOrderCounts(t *testing.T) {
	cal := calendar.New(nil) // weekends only
	at := func(day, hour, min int) time.Time { return time.Date(2026, 3, day, hour, min, 0, 0, calendar.Zone) }
	// 2 March 2026 is a Monday. The dispatch deadline of an order opened on
	// Monday 09:00 is the end of Tuesday (17:30).
	orders := []Order{
		// Dispatched and contacted on Monday, replied Thursday before its
		// Friday due time, closed satisfied on the next Monday: working
		// days Tue Wed Thu Fri Mon = 5 to close. Real name.
		{Created: at(2, 9, 0), Dispatched: at(2, 10, 0), ContactDue: at(3, 17, 30), Contacted: at(2, 15, 0),
			Due: at(6, 17, 30), Replied: at(5, 12, 0), Closed: at(9, 10, 0), Round: 1},
		// In its second round, first dispatched on time on Monday, contacted
		// late, replied late, not satisfied once, escalated; anonymous.
		{Created: at(2, 9, 0), Dispatched: at(2, 9, 30), ContactDue: at(5, 17, 30), Contacted: at(6, 9, 0),
			Due: at(11, 17, 30), Replied: at(12, 9, 0), Round: 2, NotSatisfied: 1, Supervised: at(13, 9, 0), Anonymous: true},
		// An appeal upheld: counts as that alone.
		{Created: at(2, 9, 0), Dispatched: at(2, 11, 0), Due: at(6, 17, 30), Closed: at(4, 9, 0), AppealUpheld: true, Anonymous: true},
		// Never dispatched, and now is a week later: past the operator's
		// deadline; real name, not contacted.
		{Created: at(2, 9, 0)},
		// First dispatched late on Wednesday, since re-dispatched: still
		// late (issue 18); real name, not contacted.
		{Created: at(2, 9, 0), Dispatched: at(4, 9, 0), ContactDue: at(5, 17, 30), Due: at(13, 17, 30), Round: 2},
		// Simple, same day: opened, contacted, replied and closed on Friday
		// 6 March: 0 working days to close.
		{Created: at(6, 16, 0), Dispatched: at(6, 16, 5), ContactDue: at(9, 17, 30), Contacted: at(6, 16, 30),
			Due: at(6, 17, 30), Replied: at(6, 17, 0), Closed: at(6, 17, 10), Round: 1, Anonymous: true},
		// Dispatched on time, due after now, open: not counted yet, so a
		// period ending in the future (the year's assessment) does not
		// count it as unrectified (issue 18).
		{Created: at(13, 9, 0), Dispatched: at(13, 10, 0), ContactDue: at(16, 17, 30), Due: at(20, 17, 30), Round: 1},
	}
	var got OrderCounts
	for _, o := range orders {
		got.AddOrder(o, cal, at(16, 12, 0))
	}
	want := OrderCounts{
		WithDue: 5, RepliedOnTime: 2, ContactedOnTime: 2, RealName: 3, RealNameContacted: 1,
		Rectified: 2, SatisfiedFirst: 2, Redispatched: 2, Escalated: 1, AppealsUpheld: 1, UndispatchedLate: 2,
		DaysToClose: map[int]int64{5: 1, 0: 1},
		// The order never dispatched, kept apart for V3 (issue 18).
		BeforeDispatch: &OrderCounts{WithDue: 1, RealName: 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("order counts (-want +got):\n%s", diff)
	}
	if d := orders[3].DueTime(cal); !d.Equal(at(3, 17, 30)) {
		t.Errorf("an undispatched order is due to be dispatched at %v, want Tuesday 17:30", d)
	}
	in := Compute(Counts{Orders: got}, V1(), nil)
	// Every rate over the 5 orders due: 2/5 on time, 2/5 contacted on time,
	// 1/3 real-name contacted, 2/5 rectified, 2/5 satisfied first, 2/5
	// re-dispatched; median of {0, 5} days = 2.5.
	for name, c := range map[string]struct {
		got  *float64
		want float64
	}{
		"on_time_reply_rate": {in.OnTimeReplyRate, 0.4}, "first_contact_on_time_rate": {in.FirstContactOnTimeRate, 0.4},
		"real_name_reply_rate": {in.RealNameReplyRate, 0.3333}, "rectification_rate": {in.RectificationRate, 0.4},
		"follow_up_satisfaction_rate": {in.FollowUpSatisfactionRate, 0.4}, "redispatch_rate": {in.RedispatchRate, 0.4},
		"median_days_to_close": {in.MedianDaysToClose, 2.5},
	} {
		if c.got == nil || *c.got != c.want {
			t.Errorf("%s = %v, want %v", name, c.got, c.want)
		}
	}
	if in.Escalations != 1 || in.AppealsUpheld != 1 || in.UndispatchedLate != nil || in.WorkOrders != 5 {
		t.Errorf("escalations %d appeals %d undispatched %v orders %d", in.Escalations, in.AppealsUpheld, in.UndispatchedLate, in.WorkOrders)
	}
}

func TestMedian(t *testing.T) {
	tests := []struct {
		h    map[int]int64
		want *float64
	}{
		{nil, nil},
		{map[int]int64{3: 1}, ptr(3)},
		{map[int]int64{1: 2, 3: 1}, ptr(1)},               // 1 1 3
		{map[int]int64{0: 1, 5: 1}, ptr(2.5)},             // 0 5
		{map[int]int64{2: 1, 4: 2, 9: 1}, ptr(4)},         // 2 4 4 9
		{map[int]int64{1: 1, 2: 1, 7: 1, 8: 1}, ptr(4.5)}, // 1 2 7 8
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, median(tc.h)); diff != "" {
			t.Errorf("median(%v) (-want +got):\n%s", tc.h, diff)
		}
	}
}

func TestCountsAdd(t *testing.T) {
	// Two units' counts add up to their district's, the histogram included.
	a := Counts{N: 2, Stars: [5]int64{1, 0, 0, 0, 1}, ActiveStars: [5]int64{1, 0, 0, 0, 1},
		DimensionSum: map[string]int64{"accuracy": 6}, DimensionCount: map[string]int64{"accuracy": 2},
		Tags: map[string]int64{"attitude": 1}, Orders: OrderCounts{WithDue: 1, Rectified: 1, DaysToClose: map[int]int64{2: 1}}}
	b := Counts{N: 1, Stars: [5]int64{0, 0, 0, 1, 0}, ActiveStars: [5]int64{0, 0, 0, 1, 0},
		DimensionSum: map[string]int64{"accuracy": 4}, DimensionCount: map[string]int64{"accuracy": 1},
		Orders: OrderCounts{WithDue: 2, Escalated: 1, DaysToClose: map[int]int64{2: 1, 6: 1}}}
	var sum Counts
	sum.Add(a)
	sum.Add(b)
	want := Counts{N: 3, Stars: [5]int64{1, 0, 0, 1, 1}, ActiveStars: [5]int64{1, 0, 0, 1, 1},
		DimensionSum: map[string]int64{"accuracy": 10}, DimensionCount: map[string]int64{"accuracy": 3},
		Tags: map[string]int64{"attitude": 1}, Orders: OrderCounts{WithDue: 3, Rectified: 1, Escalated: 1, DaysToClose: map[int]int64{2: 2, 6: 1}}}
	if diff := cmp.Diff(want, sum); diff != "" {
		t.Fatalf("sum (-want +got):\n%s", diff)
	}
	// (1 + 5 + 4)/3 = 3.3333; accuracy 10/3 = 3.3333; median of 2 2 6 = 2.
	in := Compute(sum, V1(), nil)
	if *in.AverageStars != 3.3333 || in.Dimensions["accuracy"] == nil || *in.Dimensions["accuracy"] != 3.3333 || *in.MedianDaysToClose != 2 {
		t.Errorf("average %v accuracy %v median %v", *in.AverageStars, in.Dimensions["accuracy"], *in.MedianDaysToClose)
	}
}

func TestDefinitionIsData(t *testing.T) {
	raw, err := json.Marshal(V1())
	if err != nil {
		t.Fatal(err)
	}
	var back Definition
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(V1(), back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	bad := func(edit func(*Definition)) Definition { d := V1(); edit(&d); return d }
	tests := []struct {
		name  string
		def   Definition
		field string
	}{
		{"v1 is valid", V1(), ""},
		{"no version", bad(func(d *Definition) { d.Version = 0 }), "version"},
		{"2 stars are not good", bad(func(d *Definition) { d.GoodStars = []int{2, 4, 5} }), "good_stars"},
		{"no satisfied band", bad(func(d *Definition) { d.SatisfiedStars = nil }), "satisfied_stars"},
		{"weights add to 1.1", bad(func(d *Definition) { d.Weights.Stars = 0.5 }), "weights"},
		{"negative prior", bad(func(d *Definition) { d.Prior = -1 }), "prior"},
		{"no minimum sample", bad(func(d *Definition) { d.MinSample = 0 }), "min_sample"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.def.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("valid definition refused: %v", err)
				}
				return
			}
			if e := apperr.As(err); e == nil || e.Field != tc.field {
				t.Errorf("error %v, want one naming field %s", err, tc.field)
			}
		})
	}
}
