package api

// GET /api/v1/index in pages: a scope may have 20,000 workstations, so a
// board is read limit members at a time, in its order, each page a slice
// of the board's members encoded once a minute (bodies.go).

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"strconv"

	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/paging"
)

// The pages of GET /api/v1/index. Every scope but windows and workstations
// has fewer members than a default page, so its board comes whole, as it
// did before it was paged.
const (
	DefaultIndexPage = 1000
	MaxIndexPage     = 5000
)

func (a *API) indexBoard(w http.ResponseWriter, r *http.Request) error {
	body, err := a.IndexPage(r.Context(), r.URL.Query())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	w.Write(body)
	return nil
}

// IndexPage is the JSON answer of GET /api/v1/index with query q: a page
// of the published board, the board's ranked members then those under the
// minimum sample, each page's in entries and insufficient_sample.
func (a *API) IndexPage(ctx context.Context, q url.Values) ([]byte, error) {
	iq, err := a.parseIndexQuery(ctx, q)
	if err != nil {
		return nil, err
	}
	p, err := paging.Parse(q, DefaultIndexPage, MaxIndexPage, 3)
	if err != nil {
		return nil, err
	}
	var after index.Entry
	if p.After != nil {
		if after, err = cursorEntry(p.After); err != nil {
			return nil, err
		}
	}
	b, err := a.published(ctx, iq.scope, iq.district, iq.from, iq.to)
	if err != nil {
		return nil, err
	}
	var enc encodedBoard
	if a.Boards == nil {
		enc = encode(b)
	} else {
		enc = a.bodies.get(b)
	}
	start := 0
	if p.After != nil {
		start = b.After(after)
	}
	end := min(start+p.Limit, b.Len())
	next := ""
	if end < b.Len() {
		next = cursorOf(b.At(end - 1))
	}
	ranked := len(b.Ranked)
	rankedPart, unrankedPart := enc.span(start, min(end, ranked)), enc.span(max(start, ranked), end)
	head, _ := json.Marshal(headOf(b)) // codes and dates always encode
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
	return out.Bytes(), nil
}

// cursorOf is the cursor of the page after the one ending with e: the
// member's place on the board, its index, n and code (index.Before).
func cursorOf(e index.Entry) string {
	idx := ""
	if e.Index != nil {
		idx = strconv.FormatFloat(*e.Index, 'g', -1, 64)
	}
	return paging.Cursor(idx, strconv.FormatInt(e.N, 10), e.Code)
}

// cursorEntry reads the place cursorOf wrote.
func cursorEntry(key []string) (index.Entry, error) {
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
