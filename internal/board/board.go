// Package board computes and holds the published index boards (a scope's
// members ranked by index over a period) that GET /api/v1/index answers,
// the public pages and the supervisor's dashboard draw and `haocha index
// verify` checks. The boards of the standard periods are computed at most
// once a minute each, in a cache of bounded size: a page view then reads
// memory, not millions of reviews.
package board

import (
	"context"
	"time"

	"github.com/haocha/haocha/internal/index"
)

// Board is a scope's published index over the days From to To.
type Board struct {
	Scope index.Scope
	// Parent is the district whose halls, or the unit whose staff, are
	// ranked; empty when every member is.
	Parent            string
	From, To          time.Time
	DefinitionVersion int
	Ranked            []index.Entry // ranked, best first
	Insufficient      []index.Entry // under the minimum sample (样本不足)
	// Computed is the instant the board counts as of (ComputeAt's at):
	// one computation, one time, so a caller may keep what it derives from
	// the board until it changes, and `haocha index verify --server`
	// recounts it as of that time (computed_at).
	Computed time.Time
}

// Find returns the entry of code, ranked or not. It compares codes in
// place, copying only the entry found: a page that finds each of a
// district's few hundred workstations in a board of thousands spent a
// third of its time copying entries.
func (b Board) Find(code string) (index.Entry, bool) {
	for _, list := range [][]index.Entry{b.Ranked, b.Insufficient} {
		for i := range list {
			if list[i].Code == code {
				return list[i], true
			}
		}
	}
	return index.Entry{}, false
}

// Source computes a board from the reviews and work orders, of the members
// within parent (all when empty) as they stood at at (ComputeAt): the
// computation GET /api/v1/index publishes.
type Source func(ctx context.Context, sc index.Scope, parent string, from, to, at time.Time) (Board, error)
