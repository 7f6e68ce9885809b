package demo_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/review"
)

func TestCatalogShape(t *testing.T) {
	c := demo.Catalog()
	var districts, agencies int
	for _, u := range c.Units {
		if u.Kind == "district" {
			districts++
		} else {
			agencies++
		}
	}
	if districts != 16 || agencies < 40 || len(c.Items) < 150 || len(c.Staff) != len(c.Workstations) {
		t.Errorf("demo catalogue: %d districts, %d agencies, %d items, %d workstations, %d staff",
			districts, agencies, len(c.Items), len(c.Workstations), len(c.Staff))
	}
	if err := c.Check(func(string, string) bool { return false }); err != nil {
		t.Errorf("demo catalogue is not self-consistent: %v", err)
	}
	// Halls sized as a city's are: a district centre of 100–200
	// workstations, community centres of 10–30.
	windowHall := map[string]string{}
	for _, w := range c.Windows {
		windowHall[w.Code] = w.Hall
	}
	seats := map[string]int{}
	for _, ws := range c.Workstations {
		seats[windowHall[ws.Window]]++
	}
	for _, h := range c.Halls {
		lo, hi := 10, 30
		if h.Code == "H"+h.District+"-00" {
			lo, hi = 100, 200
		}
		if n := seats[h.Code]; n < lo || n > hi {
			t.Errorf("%s %s: %d workstations, want %d–%d", h.Code, h.NameZH, n, lo, hi)
		}
	}
	// A variant only where the service has one.
	for _, it := range c.Items {
		for _, odd := range []string{"退休审批（", "出生医学证明（", "婚姻登记（", "居民身份证申领（"} {
			if strings.HasPrefix(it.NameZH, odd) {
				t.Errorf("%s %s: a variant the service does not have", it.Code, it.NameZH)
			}
		}
	}
}

// Every district has window staff with enough reviews over the demo's
// days to be ranked within it (the index's minimum sample).
func TestStaffRankWithinTheirDistrict(t *testing.T) {
	n, district := map[string]int{}, map[string]string{}
	for _, r := range generate(t, demo.Options{}) {
		if r.Staff != "" {
			n[r.Staff]++
			district[r.Staff] = r.District
		}
	}
	ranked := map[string]int{}
	for s, k := range n {
		if k >= index.V1().MinSample {
			ranked[district[s]]++
		}
	}
	for _, u := range demo.Catalog().Units {
		if u.Kind == "district" && ranked[u.Code] < 3 {
			t.Errorf("%s: %d staff with enough reviews to rank, want 3 or more", u.NameZH, ranked[u.Code])
		}
	}
}

func generate(t *testing.T, o demo.Options) []*review.Review {
	t.Helper()
	var all []*review.Review
	err := demo.Generate(demo.Catalog(), review.DefaultDimensions, o, func(b []*review.Review) error {
		all = append(all, b...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return all
}

func TestGenerate(t *testing.T) {
	tests := []struct {
		o         demo.Options
		total     int
		bad       int
		channels  int
		minOrders int
	}{
		{demo.Options{}, 13354, 223, 9, 180},
		{demo.Options{Reviews: 1000, Seed: 3}, 1000, 17, 9, 10},
		{demo.Options{Reviews: 50, Bad: 10, Seed: 4}, 50, 10, 5, 5},
	}
	for _, tt := range tests {
		rs := generate(t, tt.o)
		bad, orders := 0, 0
		channels := map[review.Channel]bool{}
		for _, r := range rs {
			if r.Bad() {
				bad++
			}
			if r.NeedsWorkOrder() {
				orders++
			}
			channels[r.Channel] = true
			if r.Channel == review.Window && (r.Workstation == "" || r.Staff == "") {
				t.Fatalf("window review without workstation or staff: %+v", r)
			}
		}
		if len(rs) != tt.total || bad != tt.bad || orders < tt.minOrders || len(channels) < tt.channels {
			t.Errorf("%+v: %d reviews, %d bad, %d work orders, %d channels", tt.o, len(rs), bad, orders, len(channels))
		}
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	a := generate(t, demo.Options{Reviews: 300, Seed: 9})
	b := generate(t, demo.Options{Reviews: 300, Seed: 9})
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("same seed, different reviews:\n%s", diff)
	}
	c := generate(t, demo.Options{Reviews: 300, Seed: 10})
	if cmp.Equal(a, c) {
		t.Error("different seeds gave the same reviews")
	}
}
