package api

// The encoded answer of each published board, kept while the board is: a
// board of 20,000 workstations takes longer to encode than to serve, and
// it changes once a minute, not per request.

import (
	"bytes"
	"encoding/json"
	"sync"
	"time"

	"github.com/haocha/haocha/internal/board"
)

type encodedBoards struct {
	mu sync.Mutex
	m  map[string]encodedBoard
}

type encodedBoard struct {
	computed time.Time
	body     []byte
}

// get returns the JSON of b, encoding view() only when b is not the board
// last encoded for its scope, parent and period.
func (e *encodedBoards) get(b board.Board, view func() any) []byte {
	key := string(b.Scope) + " " + b.Parent + " " + b.From.Format(time.DateOnly) + " " + b.To.Format(time.DateOnly)
	e.mu.Lock()
	held, ok := e.m[key]
	e.mu.Unlock()
	if ok && held.computed.Equal(b.Computed) {
		return held.body
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(view())
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.m == nil {
		e.m = map[string]encodedBoard{}
	}
	for k, h := range e.m {
		// Boards live a minute; an answer nobody asked for since goes.
		if b.Computed.Sub(h.computed) > 10*time.Minute {
			delete(e.m, k)
		}
	}
	e.m[key] = encodedBoard{b.Computed, buf.Bytes()}
	return buf.Bytes()
}
