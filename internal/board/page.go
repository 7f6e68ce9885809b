package board

// A board read in pages: its members in one order, the ranked then those
// under the minimum sample, so that a page may hold the last of one list
// and the first of the other.

import (
	"sort"

	"github.com/haocha/haocha/internal/index"
)

// Len is the number of members on the board.
func (b Board) Len() int { return len(b.Ranked) + len(b.Insufficient) }

// At is the member at position i of the board's order.
func (b Board) At(i int) index.Entry {
	if i < len(b.Ranked) {
		return b.Ranked[i]
	}
	return b.Insufficient[i-len(b.Ranked)]
}

// After is the position of the first member listed after e in the board's
// order (index.Before). e need not be on the board: a member that has
// moved or gone since a page ended with it still marks where the next
// page starts, so no member shows twice or not at all unless its own
// place changed.
func (b Board) After(e index.Entry) int {
	if i := sort.Search(len(b.Ranked), func(i int) bool { return index.Before(e, b.Ranked[i]) }); i < len(b.Ranked) {
		return i
	}
	return len(b.Ranked) + sort.Search(len(b.Insufficient), func(i int) bool { return index.Before(e, b.Insufficient[i]) })
}
