package loadgen_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/fraud"
	"github.com/haocha/haocha/internal/loadgen"
	"github.com/haocha/haocha/internal/review"
)

// Every generated payload is a review the demo catalogue accepts, placed
// where it could have happened, and the mix looks like the trial's.
func TestGeneratorPayloadsValidate(t *testing.T) {
	ctx := context.Background()
	c := demo.Catalog()
	x := loadgen.NewIndex(c, review.DefaultDimensions)
	hallItems := map[string]bool{}
	for _, hi := range c.HallItems {
		hallItems[hi.Item] = true
	}
	const n = 20000
	var bad, workOrders, realName, hall, online int
	channels := map[string]int{}
	for w := range 2 {
		g := loadgen.NewGenerator(x, 1+uint64(w))
		for range n / 2 {
			sub := g.Next()
			rv, err := review.Accept(ctx, x, &sub)
			if err != nil {
				t.Fatalf("generated payload refused: %v\n%+v", err, sub)
			}
			channels[sub.Channel]++
			// No generated review names a workstation or a transaction: a
			// load generator can prove neither (docs/domain.md).
			if sub.Workstation != "" || sub.Transaction != "" {
				t.Fatalf("%s review names workstation %q, transaction %q", rv.Channel, sub.Workstation, sub.Transaction)
			}
			if rv.Channel == review.Kiosk {
				hall++
				if !hallItems[rv.Item] {
					t.Fatalf("hall review of item %s, which no hall handles", rv.Item)
				}
			} else {
				online++
			}
			if rv.Bad() {
				bad++
			}
			if rv.NeedsWorkOrder() {
				workOrders++
			}
			if !rv.Anonymous {
				realName++
			}
		}
	}
	for _, ch := range review.Channels {
		if ch == review.Window || ch == review.Tablet {
			continue // they need a proof of the visit
		}
		if channels[string(ch)] == 0 {
			t.Errorf("no review on channel %s", ch)
		}
	}
	pct := func(k int) float64 { return 100 * float64(k) / n }
	checks := []struct {
		what   string
		got    float64
		lo, hi float64
	}{
		{"bad reviews", pct(bad), 1.5, 2.5},
		{"bad reviews that become work orders", 100 * float64(workOrders) / float64(max(bad, 1)), 80, 97},
		{"real-name reviews", pct(realName), 27, 33},
		{"hall reviews", pct(hall), 52, 62},
	}
	for _, c := range checks {
		if c.got < c.lo || c.got > c.hi {
			t.Errorf("%s: %.1f%%, want %g%% to %g%%", c.what, c.got, c.lo, c.hi)
		}
	}
}

// The same seed gives the same payloads.
func TestGeneratorDeterministic(t *testing.T) {
	x := loadgen.NewIndex(demo.Catalog(), review.DefaultDimensions)
	a, b := loadgen.NewGenerator(x, 7), loadgen.NewGenerator(x, 7)
	for i := range 100 {
		ja, _ := json.Marshal(a.Next())
		jb, _ := json.Marshal(b.Next())
		if sa, sb := string(ja), string(jb); sa != sb {
			t.Fatalf("payload %d differs:\n%s\n%s", i, sa, sb)
		}
	}
}

// A city's complaints are in its citizens' own words: over the benchmark's
// ten minutes at 400 reviews a second, no complaint text comes three
// times, where the same-text detector would hold it (fraud.DefaultRules).
func TestGeneratedComplaintsDoNotRepeat(t *testing.T) {
	g := loadgen.NewGenerator(loadgen.NewIndex(demo.Catalog(), review.DefaultDimensions), 1)
	seen := map[string]int{}
	complaints := 0
	for range 240_000 {
		sub := g.Next()
		p := fraud.TextPrint(sub.Comment)
		if p == "" {
			continue
		}
		complaints++
		if seen[p]++; seen[p] >= 3 {
			t.Fatalf("complaint %q given %d times in %d complaints", sub.Comment, seen[p], complaints)
		}
	}
	if complaints < 2000 {
		t.Fatalf("%d complaints in 240,000 reviews: want some 2%%", complaints)
	}
}
