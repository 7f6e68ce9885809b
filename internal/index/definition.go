// Package index is the evaluation index (评估指标体系): the additive counts
// of a scope and period, the indicators computed from them, the 0–100 index
// score with its shrinkage and minimum sample, rankings, and the rules that
// find concentrated bad reviews. Every rule here is data in a versioned
// Definition, so a province that counts 3 stars as good changes data, not
// code. It knows nothing of storage or HTTP.
package index

import (
	"fmt"
	"math"

	"github.com/haocha/haocha/internal/apperr"
)

// Weights are the index's weights; they add up to 1.
type Weights struct {
	Stars                float64 `json:"stars"`                  // S: shrunk (average stars − 1) / 4
	NotBad               float64 `json:"not_bad"`                // 1 − B: B the shrunk 差评率
	Rectification        float64 `json:"rectification"`          // R: 整改率
	FollowUpSatisfaction float64 `json:"follow_up_satisfaction"` // F: 回访满意率
	OnTimeReply          float64 `json:"on_time_reply"`          // T: 按时回复率
}

// Definition is one version of the indicator and index definition, kept as
// data. Bad reviews are 1–2 stars everywhere (they open work orders), so
// only the satisfied and good bands are part of it.
type Definition struct {
	Version int `json:"version"`
	// SatisfiedStars count toward 满意率 (3–5 at first).
	SatisfiedStars []int `json:"satisfied_stars"`
	// GoodStars count toward 好评率 and 主动评价好评率 (4–5 at first).
	GoodStars []int   `json:"good_stars"`
	Weights   Weights `json:"weights"`
	// Prior is the weight, in reviews, of the parent scope's value in the
	// shrunk S and B (Bayesian average).
	Prior int `json:"prior"`
	// MinSample is the fewest reviews a scope needs to get an index and a
	// rank (样本不足 below it).
	MinSample int `json:"min_sample"`
	// OrdersToParent shrinks R, F and T toward the parent's rates with a
	// prior of OrderPrior work orders, and gives a member with no orders due
	// the parent's rates. Without it (version 1) they are the raw rates and
	// 1 without orders, so that one order could move a unit by 40 points.
	OrdersToParent bool `json:"orders_to_parent,omitempty"`
	OrderPrior     int  `json:"order_prior,omitempty"`
	// VerifiedScopes are the scopes whose figures count only the reviews
	// bound to a service event (verification transaction or presence,
	// issue 16): the places and people a review names. Empty before
	// version 3, where every scope counts every review.
	VerifiedScopes []Scope `json:"verified_scopes,omitempty"`
	// UnverifiedWeight is, in the other scopes, what an unverified review
	// weighs in the index (S, B and the minimum sample), 0 to 1; nil before
	// version 3, where it weighs as any other. At 0 the figures leave
	// unverified reviews out; above 0 they count them.
	UnverifiedWeight *float64 `json:"unverified_weight,omitempty"`
	// OrdersAfterDispatch leaves an order that the 12345 centre has not
	// dispatched yet out of every member's order figures (R, F, T and the
	// order rates): a unit answers for what it did after dispatch; the
	// order stays on the centre's board (undispatched_late).
	OrdersAfterDispatch bool `json:"orders_after_dispatch,omitempty"`
}

// V1 is the starting definition of issue 8.
func V1() Definition {
	return Definition{
		Version:        1,
		SatisfiedStars: []int{3, 4, 5},
		GoodStars:      []int{4, 5},
		Weights:        Weights{Stars: 0.40, NotBad: 0.20, Rectification: 0.20, FollowUpSatisfaction: 0.10, OnTimeReply: 0.10},
		Prior:          30,
		MinSample:      30,
	}
}

// V2 is V1 with R, F and T shrunk toward the parent's rates with a prior of
// 20 orders (issue 18). Adding or removing one order then moves R, F or T by
// at most 1/(d+21) for a member with d orders, so the index by at most
// 100 × (0.2+0.1+0.1)/21 ≈ 1.9 points: OrderSwingBound.
func V2() Definition {
	d := V1()
	d.Version = 2
	d.OrdersToParent = true
	d.OrderPrior = 20
	return d
}

// V3 is V2 with the verification levels of issue 16 and the dispatch rule
// of issue 18: halls, windows, workstations and staff are judged on
// verified reviews only, every other scope counts unverified reviews at
// weight 0 (a district cannot be flooded by reviews nobody can tie to a
// service), and orders not yet dispatched count for no member but the
// 12345 centre.
func V3() Definition {
	d := V2()
	d.Version = 3
	d.VerifiedScopes = []Scope{Hall, Window, Workstation, Staff}
	w := 0.0
	d.UnverifiedWeight = &w
	d.OrdersAfterDispatch = true
	return d
}

// OrderSwingBound is the most, in index points, one work order added or
// taken away can move a member's index under V2 (reviews unchanged), with
// the rounding to 2 places.
const OrderSwingBound = 2.0

// Validate refuses a definition that cannot be computed or would not give a
// score in 0–100.
func (d Definition) Validate() error {
	if d.Version < 1 {
		return apperr.Invalidf("version", "must be 1 or more, got %d", d.Version)
	}
	for _, band := range []struct {
		field string
		stars []int
	}{{"satisfied_stars", d.SatisfiedStars}, {"good_stars", d.GoodStars}} {
		if len(band.stars) == 0 {
			return apperr.Invalidf(band.field, "required")
		}
		seen := map[int]bool{}
		for _, s := range band.stars {
			if s < 3 || s > 5 || seen[s] {
				return apperr.Invalidf(band.field, "stars must be distinct and within 3 to 5, got %v", band.stars)
			}
			seen[s] = true
		}
	}
	w := d.Weights
	sum := 0.0
	for _, x := range []float64{w.Stars, w.NotBad, w.Rectification, w.FollowUpSatisfaction, w.OnTimeReply} {
		if x < 0 {
			return apperr.Invalidf("weights", "a weight is negative: %v", x)
		}
		sum += x
	}
	if math.Abs(sum-1) > 1e-9 {
		return apperr.Invalidf("weights", "must add up to 1, add up to %s", fmt.Sprint(sum))
	}
	if d.Prior < 0 {
		return apperr.Invalidf("prior", "must not be negative, got %d", d.Prior)
	}
	if d.OrderPrior < 0 {
		return apperr.Invalidf("order_prior", "must not be negative, got %d", d.OrderPrior)
	}
	for _, sc := range d.VerifiedScopes {
		if !sc.Grouped() || sc == City {
			return apperr.Invalidf("verified_scopes", "not a scope whose reviews are counted: %q", sc)
		}
	}
	if w := d.UnverifiedWeight; w != nil && (*w < 0 || *w > 1 || math.IsNaN(*w)) {
		return apperr.Invalidf("unverified_weight", "must be within 0 to 1, got %v", *w)
	}
	if d.MinSample < 1 {
		return apperr.Invalidf("min_sample", "must be 1 or more, got %d", d.MinSample)
	}
	return nil
}

// verifiedOnly reports whether sc counts verified reviews only.
func (d Definition) verifiedOnly(sc Scope) bool {
	for _, v := range d.VerifiedScopes {
		if v == sc {
			return true
		}
	}
	return false
}

// unverifiedWeight is what an unverified review weighs in sc's index:
// 1 before version 3.
func (d Definition) unverifiedWeight(sc Scope) float64 {
	switch {
	case d.verifiedOnly(sc):
		return 0
	case d.UnverifiedWeight != nil:
		return *d.UnverifiedWeight
	}
	return 1
}

// Counted is what of c the definition counts for a member of sc (or for
// the city its members are shrunk toward): c itself before version 3. From
// version 3 it leaves out the unverified reviews where they weigh 0 (a
// verified scope, or unverified_weight 0), and with OrdersAfterDispatch the
// orders not dispatched yet from every order figure but undispatched_late,
// the centre's. Where unverified reviews weigh more than 0 they stay in
// the figures and Score weighs them.
func (d Definition) Counted(sc Scope, c Counts) Counts {
	if u := c.Unverified; u != nil && d.unverifiedWeight(sc) == 0 {
		c.subReviews(*u)
		c.Unverified = nil
	}
	if b := c.Orders.BeforeDispatch; b != nil && d.OrdersAfterDispatch {
		late := c.Orders.UndispatchedLate
		c.Orders = c.Orders.minus(*b)
		c.Orders.UndispatchedLate = late
	}
	return c
}

// CountedAll is Counted of every member of counts and of their city.
func (d Definition) CountedAll(sc Scope, counts map[string]Counts, city Counts) (map[string]Counts, Counts) {
	out := make(map[string]Counts, len(counts))
	for code, c := range counts {
		out[code] = d.Counted(sc, c)
	}
	return out, d.Counted(sc, city)
}

// inBand reports whether stars s is one of band.
func inBand(band []int, s int) bool {
	for _, b := range band {
		if b == s {
			return true
		}
	}
	return false
}
