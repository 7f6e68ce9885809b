// Package routing holds the administrator's routing rules as data: which
// unit an item's orders go to, and which district a hall's orders go to.
// With the unit the citizen rated first, they suggest the unit an
// operator dispatches an order to; the operator decides.
package routing

import (
	"context"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/catalog"
)

// Kind is what a rule routes by.
type Kind string

// Kinds of rule.
const (
	ByItem Kind = "item" // an item's orders go to a unit
	ByHall Kind = "hall" // a hall's orders go to its district
)

// Rule sends the orders of one item or hall to a unit.
type Rule struct {
	Kind      Kind      `json:"kind"`
	Key       string    `json:"key"` // the item's or the hall's code
	Unit      string    `json:"unit"`
	UpdatedAt time.Time `json:"updated_at"`
	UpdatedBy string    `json:"updated_by,omitempty"`
}

// Why says where a suggestion comes from.
type Why string

// Reasons for a suggestion, in the order they are offered.
const (
	Rated   Why = "rated" // the unit the citizen rated (谁办理、谁负责)
	ForItem Why = "item"  // a rule for the review's item
	ForHall Why = "hall"  // a rule for the review's hall
)

// Suggestion is a unit to dispatch to, and why.
type Suggestion struct {
	Unit string
	Why  Why
}

// Suggest lists the units to offer for a review of item in hall that
// rated unit rated: the rated unit first, then the item's rule, then the
// hall's; a unit offered once is not offered again.
func Suggest(rated, item, hall string, rules []Rule) []Suggestion {
	var out []Suggestion
	add := func(unit string, why Why) {
		if unit == "" {
			return
		}
		for _, s := range out {
			if s.Unit == unit {
				return
			}
		}
		out = append(out, Suggestion{Unit: unit, Why: why})
	}
	add(rated, Rated)
	for _, k := range []struct {
		kind Kind
		key  string
		why  Why
	}{{ByItem, item, ForItem}, {ByHall, hall, ForHall}} {
		for _, r := range rules {
			if r.Kind == k.kind && r.Key == k.key && k.key != "" {
				add(r.Unit, k.why)
			}
		}
	}
	return out
}

// Catalog is what checking a rule needs of the catalogue.
type Catalog interface {
	Unit(ctx context.Context, code string) (catalog.Unit, error)
	Item(ctx context.Context, code string) (catalog.Item, error)
	Hall(ctx context.Context, code string) (catalog.Hall, error)
}

// Check trims r and checks that its item or hall and its unit exist, and
// that a hall's orders go to a district.
func Check(ctx context.Context, cat Catalog, r Rule) (Rule, error) {
	r.Key, r.Unit = strings.TrimSpace(r.Key), strings.TrimSpace(r.Unit)
	if r.Key == "" {
		return r, apperr.Invalidf("key", "required: the item's or the hall's code")
	}
	if r.Unit == "" {
		return r, apperr.Invalidf("unit", "required: the unit the orders go to")
	}
	var err error
	switch r.Kind {
	case ByItem:
		_, err = cat.Item(ctx, r.Key)
	case ByHall:
		_, err = cat.Hall(ctx, r.Key)
	default:
		return r, apperr.Invalidf("kind", "want item or hall, got %q", r.Kind)
	}
	if apperr.Is(err, apperr.NotFound) {
		return r, apperr.Invalidf("key", "no %s %q in the catalogue", r.Kind, r.Key)
	}
	if err != nil {
		return r, err
	}
	u, err := cat.Unit(ctx, r.Unit)
	if apperr.Is(err, apperr.NotFound) {
		return r, apperr.Invalidf("unit", "unknown unit %q", r.Unit)
	}
	if err != nil {
		return r, err
	}
	if r.Kind == ByHall && u.Kind != catalog.District {
		return r, apperr.Invalidf("unit", "a hall's orders go to a district; %s is an agency", r.Unit)
	}
	return r, nil
}
