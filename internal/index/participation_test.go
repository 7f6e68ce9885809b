package index

import "testing"

// TestParticipation: a hall with 40 transactions whose windows closed, 10
// of them rated at the window, 6 on the tablet and 2 in the app (one
// transaction rated at two stages, window and app): window 10/40 = 0.25,
// tablet 6/40 = 0.15, app 2/40 = 0.05. Its two windows' counts add up to
// the hall's. No transactions: no participation, not 0%.
func TestParticipation(t *testing.T) {
	w1 := Counts{Transactions: 25, Unrated: 14, ChannelReviews: map[string]int64{"window": 7, "tablet": 4, "app": 1}}
	w2 := Counts{Transactions: 15, Unrated: 8, ChannelReviews: map[string]int64{"window": 3, "tablet": 2, "app": 1}}
	var hall Counts
	hall.Add(w1)
	hall.Add(w2)
	in := Compute(hall, V1(), nil)
	want := map[string]struct {
		reviews int64
		rate    float64
	}{"window": {10, 0.25}, "tablet": {6, 0.15}, "app": {2, 0.05}}
	if len(in.Participation) != len(want) {
		t.Fatalf("participation %v, want %v", in.Participation, want)
	}
	for ch, w := range want {
		p := in.Participation[ch]
		if p.Reviews != w.reviews || p.Rate == nil || *p.Rate != w.rate {
			t.Errorf("%s: %d reviews, rate %v; want %d, %v", ch, p.Reviews, p.Rate, w.reviews, w.rate)
		}
	}
	if in.UnratedRate == nil || *in.UnratedRate != 0.55 { // 22 / 40
		t.Errorf("unrated rate %v, want 0.55", in.UnratedRate)
	}
	if none := Compute(Counts{N: 3, Stars: [5]int64{0, 0, 0, 0, 3}}, V1(), nil); len(none.Participation) != 0 || none.UnratedRate != nil {
		t.Errorf("without transactions: participation %v, unrated %v", none.Participation, none.UnratedRate)
	}
}
