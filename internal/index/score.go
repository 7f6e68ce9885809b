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
func Score(unit, parent Counts, def Definition) Result {
	res := Result{N: unit.N, Version: def.Version}
	s, b := starsAndBad(unit)
	ps, pb := starsAndBad(parent)
	if parent.N == 0 {
		ps, pb = s, b
	}
	n, prior := float64(unit.N), float64(def.Prior)
	if n+prior > 0 {
		res.S = (n*s + prior*ps) / (n + prior)
		res.B = (n*b + prior*pb) / (n + prior)
	}
	res.R, res.F, res.T = orderRates(unit.Orders, parent.Orders, def)
	if unit.N < int64(def.MinSample) {
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

// starsAndBad is (average stars − 1)/4 and the bad-review rate, 0 for no
// reviews.
func starsAndBad(c Counts) (s, b float64) {
	if c.N == 0 {
		return 0, 0
	}
	var sum int64
	for i, k := range c.Stars {
		sum += int64(i+1) * k
	}
	avg := float64(sum) / float64(c.N)
	return (avg - 1) / 4, float64(c.Stars[0]+c.Stars[1]) / float64(c.N)
}
