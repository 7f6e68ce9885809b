package app

import (
	"time"

	"github.com/haocha/haocha/internal/api"
	"github.com/haocha/haocha/internal/board"
)

// boards is the cache of published boards the pages and the API draw: the
// API's own computation, so a page and GET /api/v1/index never disagree.
func boards(a *api.API) *board.Cache {
	return board.New(a.BoardSource, board.DefaultTTL, func() time.Time { return a.Store.Now() })
}
