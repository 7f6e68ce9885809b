package store

import (
	"testing"
	"time"
)

// Values drawn ahead are handed out once each, and not after poolLife:
// an id used long after later ids were committed would be missed by
// other processes' followers.
func TestSeqPoolHandsOutFreshValuesOnce(t *testing.T) {
	var p seqPool
	t0 := time.Unix(1000, 0)
	if n := p.ahead(t0); n != 0 {
		t.Errorf("a quiet pool draws %d ahead, want 0", n)
	}
	p.put([]int64{5, 6, 7}, t0)
	if n := p.ahead(t0.Add(poolLife / 2)); n != poolAhead {
		t.Errorf("a busy pool draws %d ahead, want %d", n, poolAhead)
	}
	if got, ok := p.take(2, t0.Add(poolLife/2)); !ok || len(got) != 2 || got[0] != 5 || got[1] != 6 {
		t.Errorf("take(2) = %v, %v; want [5 6]", got, ok)
	}
	if _, ok := p.take(2, t0.Add(poolLife/2)); ok {
		t.Error("take(2) of one value left succeeded")
	}
	if got, ok := p.take(1, t0.Add(poolLife/2)); !ok || got[0] != 7 {
		t.Errorf("take(1) = %v, %v; want [7]", got, ok)
	}
	p.put([]int64{8}, t0)
	if _, ok := p.take(1, t0.Add(poolLife)); ok {
		t.Error("a value was handed out poolLife after it was drawn")
	}
}
