package store

import (
	"context"
	"time"

	"github.com/haocha/haocha/internal/board"
)

// NewBoards is the cache of published boards over s, with the complaint
// themes held beside them: the one the server's pages and API draw, and
// the one tests serve, so that no cache is made without its theme source.
// Its clock is s.Now, read at each use.
func NewBoards(s *Store) *board.Cache {
	c := board.New(board.FromStore(s), board.DefaultTTL, func() time.Time { return s.Now() })
	c.SetThemes(func(ctx context.Context, axis, code string, from, to time.Time) (map[string]map[string]int64, error) {
		return s.ThemeCountsByMember(ctx, ThemeAxis(axis), code, from, to)
	})
	return c
}
