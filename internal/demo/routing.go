package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/routing"
)

// RoutingStore keeps routing rules; a demo store that has it gets a few.
type RoutingStore interface {
	PutRoutingRule(ctx context.Context, r routing.Rule) error
}

// demoRuleItems is how many items get a rule to their owning agency: a
// review at a district hall's window rates the district, while the item
// belongs to an agency that may be the one to answer.
const demoRuleItems = 4

// Rules are the demo's routing rules: a few items to the agency that owns
// them, and the first halls to their district.
func Rules(c *catalog.Catalog, at time.Time) []routing.Rule {
	var out []routing.Rule
	for _, it := range c.Items {
		if len(out) == demoRuleItems {
			break
		}
		out = append(out, routing.Rule{Kind: routing.ByItem, Key: it.Code, Unit: it.Unit, UpdatedAt: at, UpdatedBy: "demo"})
	}
	for i, h := range c.Halls {
		if i == 2 {
			break
		}
		out = append(out, routing.Rule{Kind: routing.ByHall, Key: h.Code, Unit: h.District, UpdatedAt: at, UpdatedBy: "demo"})
	}
	return out
}

// loadRules stores the demo's routing rules when st keeps rules.
func loadRules(ctx context.Context, st Store, c *catalog.Catalog, at time.Time) error {
	rs, ok := st.(RoutingStore)
	if !ok {
		return nil
	}
	for _, r := range Rules(c, at) {
		if err := rs.PutRoutingRule(ctx, r); err != nil {
			return fmt.Errorf("demo routing rule: %w", err)
		}
	}
	return nil
}
