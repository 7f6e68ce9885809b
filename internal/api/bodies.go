package api

// The encoded members of each published board, kept while the board is: a
// board of 20,000 workstations takes longer to encode than to serve, and
// it changes once a minute, not per request. A page of the board is then
// a slice of these bytes.

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

// encodedBoard is the JSON of every member of a board in its order, each
// followed by a comma.
type encodedBoard struct {
	computed time.Time
	members  []byte
	ends     []int // where member i's JSON and its comma end
}

// encode encodes the members of b.
func encode(b board.Board) encodedBoard {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	out := encodedBoard{computed: b.Computed, ends: make([]int, b.Len())}
	for i := range out.ends {
		enc.Encode(b.At(i))            // an entry always encodes
		buf.Bytes()[buf.Len()-1] = ',' // Encode ends each with a newline
		out.ends[i] = buf.Len()
	}
	out.members = buf.Bytes()
	return out
}

// span is the JSON of members i to j-1, comma-separated.
func (e encodedBoard) span(i, j int) []byte {
	if i >= j {
		return nil
	}
	start := 0
	if i > 0 {
		start = e.ends[i-1]
	}
	return e.members[start : e.ends[j-1]-1]
}

// get returns the encoded members of b, encoding them only when b is not
// the board last encoded for its scope, parent and period.
func (e *encodedBoards) get(b board.Board) encodedBoard {
	key := string(b.Scope) + " " + b.Parent + " " + b.From.Format(time.DateOnly) + " " + b.To.Format(time.DateOnly)
	e.mu.Lock()
	held, ok := e.m[key]
	e.mu.Unlock()
	if ok && held.computed.Equal(b.Computed) {
		return held
	}
	enc := encode(b)
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
	e.m[key] = enc
	return enc
}
