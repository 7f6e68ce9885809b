package index

import "math"

// Result is a scope's index under one definition. Below the minimum sample
// Index is nil and InsufficientSample is set (样本不足): it is not ranked.
type Result struct {
	Index              *float64 `json:"index"`
	InsufficientSample bool     `json:"insufficient_sample"`
	N                  int64    `json:"n"`
	Version            int      `json:"definition_version"`
	// The index's parts, each in 0–1, so anyone can check the sum.
	S float64 `json:"s"` // shrunk (average stars − 1) / 4
	B float64 `json:"b"` // shrunk 差评率
	R float64 `json:"r"` // 整改率 (see Score for the shrinkage)
	F float64 `json:"f"` // 回访满意率
	T float64 `json:"t"` // 按时回复率
}

// Score computes the index of unit against its parent scope (the city for
// a district, say):
//
//	I = 100 × (wS·S + wB·(1 − B) + wR·R + wF·F + wT·T)
//
// S = (average stars − 1)/4 and B = 差评率 are shrunk toward the parent's
// values with a prior of def.Prior reviews, (n·x + prior·parent)/(n + prior),
// so a handful of reviews cannot put a unit first or last. Under a
// definition with OrdersToParent, R, F and T are likewise shrunk toward the
// parent's rates with a prior of def.OrderPrior orders (the parent's rates
// without orders due; 1 where the parent has none either), so one order
// cannot swing a unit. Otherwise (version 1) they are the raw rates, 1 when
// the unit had no work orders due in the period.
//
// From version 3 an unverified review left in the counts (Definition.Counted)
// weighs def.UnverifiedWeight in n, S and B: n is then the weighed number of
// reviews, v + w·u, and the minimum sample is compared with it.
func Score(unit, parent Counts, def Definition) Result {
	res := Result{N: unit.N, Version: def.Version}
	n, s, b := weighed(unit, def)
	pn, ps, pb := weighed(parent, def)
	if pn == 0 {
		ps, pb = s, b
	}
	prior := float64(def.Prior)
	if n+prior > 0 {
		res.S = (n*s + prior*ps) / (n + prior)
		res.B = (n*b + prior*pb) / (n + prior)
	}
	res.R, res.F, res.T = orderRates(unit.Orders, parent.Orders, def)
	if n < float64(def.MinSample) {
		res.InsufficientSample = true
		return res
	}
	w := def.Weights
	i := 100 * (w.Stars*res.S + w.NotBad*(1-res.B) + w.Rectification*res.R + w.FollowUpSatisfaction*res.F + w.OnTimeReply*res.T)
	i = math.Round(i*100) / 100
	res.Index = &i
	return res
}

// orderRates is R, F and T of o under def, shrunk toward parent's when
// def says so.
func orderRates(o, parent OrderCounts, def Definition) (r, f, t float64) {
	raw := func(c OrderCounts) (float64, float64, float64) {
		if c.WithDue == 0 {
			return 1, 1, 1
		}
		d := float64(c.WithDue)
		return float64(c.Rectified) / d, float64(c.SatisfiedFirst) / d, float64(c.RepliedOnTime) / d
	}
	r, f, t = raw(o)
	if !def.OrdersToParent {
		return r, f, t
	}
	pr, pf, pt := raw(parent)
	d, prior := float64(o.WithDue), float64(def.OrderPrior)
	if d+prior == 0 {
		return pr, pf, pt
	}
	shrink := func(x, p float64) float64 { return (d*x + prior*p) / (d + prior) }
	return shrink(r, pr), shrink(f, pf), shrink(t, pt)
}

// weighed is the weighed number of reviews of c, (average stars − 1)/4
// and the bad-review rate, each review weighing 1 but an unverified one,
// which weighs def's unverified_weight (1 before version 3); 0, 0, 0 for
// no reviews. Star counts are whole numbers in a float64 but at a
// fractional unverified_weight, so the sums are exact and a version 2
// figure is the one computed in integers before version 3.
func weighed(c Counts, def Definition) (n, s, b float64) {
	w := 1.0
	if def.UnverifiedWeight != nil {
		w = *def.UnverifiedWeight
	}
	var sum, bad float64
	for i, k := range c.Stars {
		x := float64(k)
		if c.Unverified != nil && w != 1 {
			x -= (1 - w) * float64(c.Unverified.Stars[i])
		}
		n += x
		sum += float64(i+1) * x
		if i < 2 {
			bad += x
		}
	}
	if n == 0 {
		return 0, 0, 0
	}
	return n, (sum/n - 1) / 4, bad / n
}
