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
	R float64 `json:"r"` // 整改率, 1 without orders
	F float64 `json:"f"` // 回访满意率, 1 without orders
	T float64 `json:"t"` // 按时回复率, 1 without orders
}

// Score computes the index of unit against its parent scope (the city for
// a district, say):
//
//	I = 100 × (wS·S + wB·(1 − B) + wR·R + wF·F + wT·T)
//
// S = (average stars − 1)/4 and B = 差评率 are shrunk toward the parent's
// values with a prior of def.Prior reviews, (n·x + prior·parent)/(n + prior),
// so a handful of reviews cannot put a unit first or last. R, F and T are 1
// when the unit had no work orders due in the period.
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
	o := unit.Orders
	res.R, res.F, res.T = 1, 1, 1
	if o.WithDue > 0 {
		d := float64(o.WithDue)
		res.R = float64(o.Rectified) / d
		res.F = float64(o.SatisfiedFirst) / d
		res.T = float64(o.RepliedOnTime) / d
	}
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
