package index

import "sort"

// Entry is one member of a scope as published: its index with n and the
// definition version, and its indicators.
type Entry struct {
	Code string `json:"code"`
	Name string `json:"name"`
	// NameEN is the English name, where the member has one.
	NameEN string `json:"name_en,omitempty"`
	Rank   int    `json:"rank,omitempty"` // 1 = best; 0 = not ranked
	Result
	Indicators Indicators `json:"indicators"`
}

// Entries scores every member of a scope: each code with counts, and each
// code of names (so a unit without reviews is listed, 样本不足). parent is
// the counts the scores shrink toward; dimensions as for Compute.
func Entries(counts map[string]Counts, names map[string]string, parent Counts, def Definition, dimensions []string) []Entry {
	var out []Entry
	add := func(code string) {
		c := counts[code]
		out = append(out, Entry{Code: code, Name: names[code], Result: Score(c, parent, def), Indicators: Compute(c, def, dimensions)})
	}
	for code := range counts {
		add(code)
	}
	for code := range names {
		if _, ok := counts[code]; !ok {
			add(code)
		}
	}
	return out
}

// Listed is the members a board of sc lists, of counts and names (every
// member of the catalogue): every district, agency and unit, reviewed or
// not, so that a unit without reviews shows as 样本不足; of the other
// scopes (20,000 workstations) only the members with reviews in the
// period: one with only a work order or a transaction due in it has no n
// to stand beside a score. It drops the others from counts.
func Listed(sc Scope, counts map[string]Counts, names map[string]string) map[string]string {
	if sc == District || sc == Agency || sc == Unit {
		return names
	}
	listed := map[string]string{}
	for code, c := range counts {
		if c.N == 0 {
			delete(counts, code)
			continue
		}
		listed[code] = names[code]
	}
	return listed
}

// Ranking is a ranking by index, with the scopes under the minimum sample
// listed apart.
type Ranking struct {
	Ranked       []Entry `json:"ranked"`
	Insufficient []Entry `json:"insufficient_sample"`
}

// Rank orders entries by index, highest first. Equal indexes share a rank
// (1, 2, 2, 4) and are listed by larger n, then by code, so the order never
// depends on the input's. Entries without an index (样本不足) are listed
// apart, by n then code, without a rank.
func Rank(entries []Entry) Ranking {
	var r Ranking
	for _, e := range entries {
		e.Rank = 0
		if e.Result.Index == nil {
			r.Insufficient = append(r.Insufficient, e)
		} else {
			r.Ranked = append(r.Ranked, e)
		}
	}
	sort.Slice(r.Ranked, func(i, j int) bool { return Before(r.Ranked[i], r.Ranked[j]) })
	for i := range r.Ranked {
		r.Ranked[i].Rank = i + 1
		if i > 0 && *r.Ranked[i].Result.Index == *r.Ranked[i-1].Result.Index {
			r.Ranked[i].Rank = r.Ranked[i-1].Rank
		}
	}
	sort.Slice(r.Insufficient, func(i, j int) bool { return Before(r.Insufficient[i], r.Insufficient[j]) })
	return r
}

// Before reports whether a is listed before b on a board: the members with
// an index first, highest first, then those under the minimum sample; ties
// by larger n, then by code. Rank orders by it, and a board's pages start
// after their cursor's member by it, wherever that member now stands.
func Before(a, b Entry) bool {
	switch {
	case (a.Result.Index == nil) != (b.Result.Index == nil):
		return a.Result.Index != nil
	case a.Result.Index != nil && *a.Result.Index != *b.Result.Index:
		return *a.Result.Index > *b.Result.Index
	}
	return byNThenCode(a, b)
}

func byNThenCode(a, b Entry) bool {
	if a.Result.N != b.Result.N {
		return a.Result.N > b.Result.N
	}
	return a.Code < b.Code
}
