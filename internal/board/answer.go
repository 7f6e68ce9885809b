package board

// A board as GET /api/v1/index answers it, a page of members at a time: a
// scope may have 20,000 workstations. The members of a cached board are
// encoded once, when it is computed, and a page is a slice of those bytes:
// a board of 20,000 workstations takes longer to encode than to serve.

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"time"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/paging"
)

// Head is what a board's answer says before its members.
type Head struct {
	Scope             index.Scope `json:"scope"`
	From              string      `json:"from"`
	To                string      `json:"to"`
	DefinitionVersion int         `json:"definition_version"`
	// Parent is the district whose halls are ranked, or the unit whose
	// staff are; absent when every member is.
	Parent string `json:"parent,omitempty"`
	// ComputedAt is the instant the board counts as of (Board.Computed):
	// the orders due, the dispatches late and the rating windows closed
	// by then. A recount as of it finds the same figures however much
	// later it runs.
	ComputedAt time.Time `json:"computed_at"`
}

// HeadOf is the head of b's answer.
func HeadOf(b Board) Head {
	return Head{Scope: b.Scope, From: b.From.Format(time.DateOnly), To: b.To.Format(time.DateOnly),
		DefinitionVersion: b.DefinitionVersion, Parent: b.Parent, ComputedAt: b.Computed.In(calendar.Zone)}
}

// Page is a page of a board as GET /api/v1/index answers it: the board's
// ranked members then those under the minimum sample, each page's in
// Entries and InsufficientSample.
type Page struct {
	Head
	Entries []index.Entry `json:"entries"`
	// InsufficientSample lists the members under the minimum sample
	// (样本不足), unranked.
	InsufficientSample []index.Entry `json:"insufficient_sample"`
	// NextCursor is the cursor of the page after, empty on the last page.
	NextCursor string `json:"next_cursor"`
}

// The pages of GET /api/v1/index. Every scope but windows and workstations
// has fewer members than a default page, so its board comes whole.
const (
	DefaultPage = 1000
	MaxPage     = 5000
	// CursorParts is the number of parts of a page's cursor (CursorOf).
	CursorParts = 3
)

// encoded is the JSON of members of a board in its order, each followed
// by a comma: every member of a held board, a page's of one computed for
// its request.
type encoded struct {
	first   int // the board's member the JSON begins with
	members []byte
	ends    []int // where member first+i's JSON and its comma end
}

func encode(b Board) encoded { return encodeRange(b, 0, b.Len()) }

// encodeRange encodes the members first to end-1 of b.
func encodeRange(b Board, first, end int) encoded {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	out := encoded{first: first, ends: make([]int, max(end-first, 0))}
	for i := range out.ends {
		enc.Encode(b.At(first + i))    // an entry always encodes
		buf.Bytes()[buf.Len()-1] = ',' // Encode ends each with a newline
		out.ends[i] = buf.Len()
	}
	out.members = buf.Bytes()
	return out
}

// span is the JSON of members i to j-1, comma-separated, all of them
// encoded.
func (e encoded) span(i, j int) []byte {
	if i >= j {
		return nil
	}
	i, j = i-e.first, j-e.first
	start := 0
	if i > 0 {
		start = e.ends[i-1]
	}
	return e.members[start : e.ends[j-1]-1]
}

// bounds are the members [start, end) of b on the page of up to limit
// members after the member after (the first page when nil).
func bounds(b Board, after *index.Entry, limit int) (start, end int) {
	if after != nil {
		start = b.After(*after)
	}
	return start, min(start+limit, b.Len())
}

// page is the JSON answer of the page of up to limit members of b after
// the member after (the first page when nil), from b's encoded members
// (the page's at least).
func page(b Board, enc encoded, after *index.Entry, limit int) []byte {
	start, end := bounds(b, after, limit)
	next := ""
	if end < b.Len() {
		next = CursorOf(b.At(end - 1))
	}
	ranked := len(b.Ranked)
	rankedPart, unrankedPart := enc.span(start, min(end, ranked)), enc.span(max(start, ranked), end)
	head, _ := json.Marshal(HeadOf(b)) // codes and dates always encode
	cursor, _ := json.Marshal(next)
	var out bytes.Buffer
	out.Grow(len(head) + len(rankedPart) + len(unrankedPart) + len(cursor) + 64)
	out.Write(head[:len(head)-1])
	out.WriteString(`,"entries":[`)
	out.Write(rankedPart)
	out.WriteString(`],"insufficient_sample":[`)
	out.Write(unrankedPart)
	out.WriteString(`],"next_cursor":`)
	out.Write(cursor)
	out.WriteString("}\n")
	return out.Bytes()
}

// CursorOf is the cursor of the page after the one ending with e: the
// member's place on the board, its index, n and code (index.Before).
func CursorOf(e index.Entry) string {
	idx := ""
	if e.Index != nil {
		idx = strconv.FormatFloat(*e.Index, 'g', -1, 64)
	}
	return paging.Cursor(idx, strconv.FormatInt(e.N, 10), e.Code)
}

// CursorEntry reads the place CursorOf wrote, the key of a cursor
// paging.Parse read.
func CursorEntry(key []string) (index.Entry, error) {
	e := index.Entry{Code: key[2]}
	var err error
	if e.N, err = strconv.ParseInt(key[1], 10, 64); err != nil || e.Code == "" {
		return e, paging.BadCursor()
	}
	if key[0] != "" {
		x, err := strconv.ParseFloat(key[0], 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return e, paging.BadCursor()
		}
		e.Index = &x
	}
	return e, nil
}

// Paged is a board not held, its members encoded once to answer any of its
// pages as Cache.Page does.
type Paged struct {
	b   Board
	enc encoded
}

// NewPaged encodes the members of b.
func NewPaged(b Board) Paged { return Paged{b, encode(b)} }

// Page is the JSON answer of the page of up to limit members after the
// member after (the first page when nil).
func (p Paged) Page(after *index.Entry, limit int) []byte { return page(p.b, p.enc, after, limit) }
