package demo_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/haocha/haocha/internal/demo"
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
	if districts != 16 || agencies < 40 || len(c.Items) < 300 || len(c.Windows) != 1600 || len(c.Workstations) != 20000 || len(c.Staff) != 20000 {
		t.Errorf("demo catalogue: %d districts, %d agencies, %d items, %d windows, %d workstations, %d staff",
			districts, agencies, len(c.Items), len(c.Windows), len(c.Workstations), len(c.Staff))
	}
	if err := c.Check(func(string, string) bool { return false }); err != nil {
		t.Errorf("demo catalogue is not self-consistent: %v", err)
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
