package console

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/workorder"
)

// queuePage is how many rows the console's lists show by default; the API
// keeps its default of 200. Either takes ?limit= up to workorder.MaxPage.
const queuePage = 50

// encodeCursor writes a place in a list, to read after it ("a") or before
// it ("b"), as an opaque URL-safe string.
func encodeCursor(dir string, c workorder.Cursor) string {
	raw := fmt.Sprintf("%s.%d.%d.%d.%d", dir, c.Now.UnixMilli(), c.Class, c.Created.UnixMilli(), c.ID)
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// readCursor sets f's page from a cursor; f reads at the cursor's clock.
func readCursor(f *workorder.Filter, s string) error {
	// Unreadable, not a wrong value: 400, as every list answers.
	bad := apperr.New(apperr.Malformed, "cursor", "not a cursor from this list: start again from the first page")
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return bad
	}
	var dir string
	var now, created int64
	var c workorder.Cursor
	if _, err := fmt.Sscanf(strings.ReplaceAll(string(raw), ".", " "), "%s %d %d %d %d", &dir, &now, &c.Class, &created, &c.ID); err != nil {
		return bad
	}
	c.Now, c.Created = time.UnixMilli(now), time.UnixMilli(created)
	switch dir {
	case "a":
		f.After = &c
	case "b":
		f.Before = &c
	default:
		return bad
	}
	f.Now = c.Now
	return nil
}

// page is one page of a list with the cursors of its neighbours (empty
// when there is none).
type page struct {
	Rows       []workorder.Row
	Next, Prev string
}

// listPage reads one page of f for a, of f.Limit rows (or def): one more
// row is read to know whether another page follows.
func (c *Console) listPage(ctx context.Context, a workorder.Actor, f workorder.Filter, def int) (page, error) {
	return c.pageOf(f, def, func(f workorder.Filter) ([]workorder.Row, error) { return c.Service.List(ctx, a, f) })
}

// pageOf reads one page of f through list, which reads the rows f asks.
func (c *Console) pageOf(f workorder.Filter, def int, list func(workorder.Filter) ([]workorder.Row, error)) (page, error) {
	if f.Now.IsZero() {
		f.Now = c.Store.Now()
	}
	limit := f.Limit
	if limit == 0 {
		limit = def
	}
	f.Limit = limit + 1
	rows, err := list(f)
	if err != nil {
		return page{}, err
	}
	more := len(rows) > limit
	back := f.Before != nil
	if more && back {
		rows = rows[1:]
	} else if more {
		rows = rows[:limit]
	}
	p := page{Rows: rows}
	if len(rows) == 0 {
		return p, nil
	}
	at := func(r workorder.Row) workorder.Cursor {
		k := r.Key
		k.Now = f.Now
		return k
	}
	if more || back {
		p.Next = encodeCursor("a", at(rows[len(rows)-1]))
	}
	if (back && more) || (!back && f.After != nil) {
		p.Prev = encodeCursor("b", at(rows[0]))
	}
	return p, nil
}

// pageURL is the list's address with cursor set, or the first page's.
func pageURL(path string, q url.Values, cursor string) string {
	v := url.Values{}
	for k, vs := range q {
		if k != "cursor" && k != "done" {
			v[k] = vs
		}
	}
	if cursor != "" {
		v.Set("cursor", cursor)
	}
	return path + "?" + v.Encode()
}
