package app

import (
	"context"
	"time"

	"github.com/haocha/haocha/internal/api"
	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/index"
)

// boards is the cache of published boards the pages draw: the API's own
// computation, so a page and GET /api/v1/index never disagree.
func boards(a *api.API) *board.Cache {
	source := func(ctx context.Context, sc index.Scope, from, to time.Time) (board.Board, error) {
		b, err := a.Board(ctx, sc, from, to)
		if err != nil {
			return board.Board{}, err
		}
		return board.Board{Scope: sc, From: from, To: to, DefinitionVersion: b.DefinitionVersion,
			Ranked: b.Entries, Insufficient: b.InsufficientSample}, nil
	}
	return board.New(source, board.DefaultTTL, func() time.Time { return a.Store.Now() })
}
