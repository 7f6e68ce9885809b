package index

import (
	"fmt"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/calendar"
)

// The board of one scope as board.Compute makes it, from rows: the counts
// the definition counts, scored against the city counted the same way.
func boardOf(sc Scope, def Definition, reviews []ReviewRow, orders []OrderRow, now time.Time) map[string]Result {
	cal := calendar.New(nil)
	start, end := now.AddDate(0, 0, -30), now
	counts := CountRows(sc, reviews, orders, start, end, cal, now)
	city := CountRows(City, reviews, orders, start, end, cal, now)["city"]
	counts, city = def.CountedAll(sc, counts, city)
	out := map[string]Result{}
	for code, c := range counts {
		out[code] = Score(c, city, def)
	}
	return out
}

var (
	verificationNow = time.Date(2026, 12, 10, 10, 0, 0, 0, calendar.Zone)
	scopesOfFlood   = []Scope{District, Unit, Item}
)

// honest is n verified reviews, mostly good, of two districts, their
// units, items, halls and staff.
func honest(n int) []ReviewRow {
	var out []ReviewRow
	for i := range n {
		d := []string{"310101", "310104"}[i%2]
		level := []string{"transaction", "presence"}[i%3%2]
		out = append(out, ReviewRow{At: verificationNow.Add(-time.Duration(i+1) * time.Hour), Stars: []int{5, 5, 4, 5, 3, 2}[i%6],
			Origin: "transaction", Verification: level,
			Codes: map[Scope]string{City: "city", District: d, Unit: d, Item: fmt.Sprintf("ITEM-%d", i%3), Hall: "H" + d,
				Window: "W" + d, Workstation: "WS" + d, Staff: "S" + d, Channel: "window", Stage: "acceptance"}})
	}
	return out
}

// flood is n unverified one-star reviews of district 310101, spread over
// its items and channels as an attacker below every threshold spreads them
// (issue 16): none can name a workstation.
func flood(n int) []ReviewRow {
	var out []ReviewRow
	for i := range n {
		out = append(out, ReviewRow{At: verificationNow.Add(-time.Duration(i+1) * time.Minute), Stars: 1, Origin: "free", Verification: "unverified",
			Codes: map[Scope]string{City: "city", District: "310101", Unit: "310101", Item: fmt.Sprintf("ITEM-%d", i%3),
				Channel: []string{"pc", "app", "kiosk", "wechat"}[i%4], Stage: "acceptance"}})
	}
	return out
}

func withWeight(w float64) Definition {
	d := V3()
	d.UnverifiedWeight = &w
	return d
}

// An unverified one-star flood of a district (issue 16) leaves its index,
// its unit's and its items' where they were under V3 (weight 0), and moves
// them when the definition weighs unverified reviews fully.
func TestUnverifiedFloodDoesNotMoveV3(t *testing.T) {
	base, flooded := honest(300), append(honest(300), flood(190)...)
	for _, sc := range scopesOfFlood {
		codes := []string{"310101"}
		if sc == Item {
			codes = []string{"ITEM-0", "ITEM-1", "ITEM-2"}
		}
		for _, code := range codes {
			before, after := boardOf(sc, V3(), base, nil, verificationNow)[code], boardOf(sc, V3(), flooded, nil, verificationNow)[code]
			if before.Index == nil || after.Index == nil || *before.Index != *after.Index || before.N != after.N {
				t.Errorf("%s %s under V3: index %v (n %d) before the flood, %v (n %d) after, want unchanged", sc, code, show(before.Index), before.N, show(after.Index), after.N)
			}
			full := boardOf(sc, withWeight(1), flooded, nil, verificationNow)[code]
			if full.Index == nil || *before.Index-*full.Index < 5 {
				t.Errorf("%s %s at unverified_weight 1: index %v after the flood, %v before, want it down by 5 points or more", sc, code, show(full.Index), show(before.Index))
			}
			half := boardOf(sc, withWeight(0.5), flooded, nil, verificationNow)[code]
			if half.Index == nil || !(*half.Index < *before.Index && *half.Index > *full.Index) {
				t.Errorf("%s %s at unverified_weight 0.5: index %v, want between %v and %v", sc, code, show(half.Index), show(full.Index), show(before.Index))
			}
			// Under V2 every review counts, as at weight 1.
			if v2 := boardOf(sc, V2(), flooded, nil, verificationNow)[code]; v2.Index == nil || *v2.Index != *full.Index {
				t.Errorf("%s %s under V2: index %v, want the flood counted as at weight 1 (%v)", sc, code, show(v2.Index), show(full.Index))
			}
		}
	}
}

// A hall's, a window's, a workstation's and a staff member's figures count
// verified reviews only, whatever weight the other scopes give unverified
// ones: reviews imported from before the levels existed may name a
// workstation and be unverified.
func TestVerifiedScopesIgnoreUnverified(t *testing.T) {
	legacy := flood(60)
	for i := range legacy {
		legacy[i].Codes[Hall], legacy[i].Codes[Window], legacy[i].Codes[Workstation], legacy[i].Codes[Staff] = "H310101", "W310101", "WS310101", "S310101"
	}
	base, mixed := honest(300), append(honest(300), legacy...)
	for _, w := range []float64{0, 1} {
		for _, sc := range []Scope{Hall, Window, Workstation, Staff} {
			code := map[Scope]string{Hall: "H310101", Window: "W310101", Workstation: "WS310101", Staff: "S310101"}[sc]
			before, after := boardOf(sc, withWeight(w), base, nil, verificationNow)[code], boardOf(sc, withWeight(w), mixed, nil, verificationNow)[code]
			if before.Index == nil || after.Index == nil || *before.Index != *after.Index || before.N != after.N {
				t.Errorf("%s at unverified_weight %g: index %v n %d without the unverified reviews, %v n %d with them, want unchanged",
					sc, w, show(before.Index), before.N, show(after.Index), after.N)
			}
		}
	}
	// Under V2 the same hall counted them.
	if before, after := boardOf(Hall, V2(), base, nil, verificationNow)["H310101"], boardOf(Hall, V2(), mixed, nil, verificationNow)["H310101"]; after.N != before.N+60 {
		t.Errorf("under V2 the hall has n %d with 60 unverified reviews more, want %d", after.N, before.N+60)
	}
}

// An order the 12345 centre has not dispatched, past its dispatch
// deadline, leaves the rated unit's R, F and T alone under V3 and lowers
// them under V2 (issue 18); it stays on the centre's board either way.
func TestUndispatchedOrderIsTheCentres(t *testing.T) {
	reviews := honest(300)
	bad := reviews[5] // 2 stars, of 310104
	done := func(created time.Time) Order {
		return Order{Created: created, Dispatched: created.Add(time.Hour), Due: created.Add(48 * time.Hour), Replied: created.Add(24 * time.Hour),
			Closed: created.Add(30 * time.Hour), Round: 1}
	}
	var orders []OrderRow
	for i := range 6 {
		orders = append(orders, OrderRow{Order: done(verificationNow.AddDate(0, 0, -10-i)), Unit: "310104", Review: bad})
	}
	late := append(orders, OrderRow{Order: Order{Created: verificationNow.AddDate(0, 0, -5)}, Review: bad}) // never dispatched
	for _, c := range []struct {
		def   Definition
		moved bool
	}{{V2(), true}, {V3(), false}} {
		before, after := boardOf(Unit, c.def, reviews, orders, verificationNow)["310104"], boardOf(Unit, c.def, reviews, late, verificationNow)["310104"]
		moved := before.R != after.R || before.F != after.F || before.T != after.T
		if moved != c.moved {
			t.Errorf("V%d: R, F, T %.4f %.4f %.4f before the undispatched order, %.4f %.4f %.4f after; want moved %v",
				c.def.Version, before.R, before.F, before.T, after.R, after.F, after.T, c.moved)
		}
		city := CountRows(City, reviews, late, verificationNow.AddDate(0, 0, -30), verificationNow, calendar.New(nil), verificationNow)["city"]
		if centre := CentreEntry(city.Orders, c.def); *centre.Indicators.UndispatchedLate != 1 || centre.Indicators.WorkOrders != 7 {
			t.Errorf("V%d: the centre's board has undispatched_late %d of %d orders, want 1 of 7", c.def.Version, *centre.Indicators.UndispatchedLate, centre.Indicators.WorkOrders)
		}
		if in := Compute(c.def.Counted(Unit, CountRows(Unit, reviews, late, verificationNow.AddDate(0, 0, -30), verificationNow, calendar.New(nil), verificationNow)["310104"]), c.def, nil); in.WorkOrders != map[bool]int64{true: 7, false: 6}[c.moved] {
			t.Errorf("V%d: the unit's work_orders is %d", c.def.Version, in.WorkOrders)
		}
	}
}

func show(x *float64) string {
	if x == nil {
		return "null"
	}
	return fmt.Sprintf("%.2f", *x)
}
