package index

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRank(t *testing.T) {
	e := func(code string, index *float64, n int64) Entry {
		return Entry{Code: code, Result: Result{Index: index, N: n, InsufficientSample: index == nil, Version: 1}}
	}
	in := []Entry{
		e("c2", ptr(80), 50), e("c5", nil, 10), e("c7", ptr(70), 100), e("c4", ptr(80), 60),
		e("c1", ptr(90), 30), e("c6", nil, 20), e("c3", ptr(80), 60),
	}
	// 90 first; three at 80 share rank 2, listed by n (60, 60, 50) and then
	// code (c3 before c4); 70 is fifth. Insufficient samples apart, by n.
	want := []string{"1 c1", "2 c3", "2 c4", "2 c2", "5 c7"}
	wantApart := []string{"c6", "c5"}
	for _, order := range [][]Entry{in, reversed(in)} {
		r := Rank(order)
		var got, apart []string
		for _, x := range r.Ranked {
			got = append(got, string(rune('0'+x.Rank))+" "+x.Code)
		}
		for _, x := range r.Insufficient {
			apart = append(apart, x.Code)
			if x.Rank != 0 {
				t.Errorf("%s has rank %d though its sample is insufficient", x.Code, x.Rank)
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ranked (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(wantApart, apart); diff != "" {
			t.Errorf("apart (-want +got):\n%s", diff)
		}
	}
}

func reversed(in []Entry) []Entry {
	out := make([]Entry, len(in))
	for i, x := range in {
		out[len(in)-1-i] = x
	}
	return out
}
