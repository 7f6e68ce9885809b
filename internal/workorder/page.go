package workorder

// Lists of work orders page by a cursor of the last row's sort key and the
// clock the list was first read at, so a page never repeats or skips an
// order whatever happened meanwhile; the consoles and the API read the
// same filters from a query.

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/apperr"
)

// FilterFrom reads list filters from a query string.
func FilterFrom(q url.Values) (Filter, error) {
	f := Filter{Unit: q.Get("unit"), Overdue: q.Get("overdue") != "", Escalated: q.Get("escalated") != "",
		Redispatch: q.Get("redispatch") != "", Assessment: q.Get("assessment") != ""}
	switch q.Get("view") {
	case "queue":
		f.Queue = true
	case "open":
		f.Open = true
	}
	switch c := CauseQueue(q.Get("cause")); c {
	case "", CauseAwaiting, CauseContestable, CauseContested:
		f.Cause = c
	default:
		return f, apperr.Invalidf("cause", "want awaiting, contestable or contested, got %q", c)
	}
	for _, s := range q["state"] {
		if s == "" {
			continue
		}
		if !State(s).Valid() {
			return f, apperr.Invalidf("state", "unknown state %q", s)
		}
		f.States = append(f.States, State(s))
	}
	if v := Sort(q.Get("sort")); v != "" {
		if !slices.Contains(Sorts, v) {
			return f, apperr.Invalidf("sort", "unknown sort %q: want due, received or state", v)
		}
		f.Sort = v
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxPage {
			return f, apperr.Invalidf("limit", "want 1 to %d", MaxPage)
		}
		f.Limit = n
	}
	// The cursor is read by the service that lists (ListPage): only it
	// holds the key that opens a sealed one.
	f.cursor = q.Get("cursor")
	return f, nil
}

// CursorSeal keeps a cursor's contents from whoever holds it: a cursor
// carries the creation time of its page's last order, which of an
// anonymous review's order staff may see to the day only. keys.Ring
// implements it; nil leaves cursors readable (tests).
type CursorSeal interface {
	Seal(field, plain string) (string, error)
	Open(field, v string) (string, error)
}

// encodeCursor writes a place in a list, to read after it ("a") or before
// it ("b"), as an opaque URL-safe string, sealed by seal when there is one.
func encodeCursor(dir string, c Cursor, seal CursorSeal) (string, error) {
	raw := fmt.Sprintf("%s.%d.%d.%d.%d", dir, c.Now.UnixMilli(), c.Class, c.Created.UnixMilli(), c.ID)
	v := base64.RawURLEncoding.EncodeToString([]byte(raw))
	if seal == nil {
		return v, nil
	}
	return seal.Seal("cursor", v)
}

// ReadCursor sets f's page from a cursor that encodeCursor wrote with
// seal; f reads at the cursor's clock.
func ReadCursor(f *Filter, s string, seal CursorSeal) error {
	// Unreadable, not a wrong value: 400, as every list answers.
	bad := apperr.New(apperr.Malformed, "cursor", "not a cursor from this list: start again from the first page")
	if seal != nil {
		var err error
		if s, err = seal.Open("cursor", s); err != nil {
			return bad
		}
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return bad
	}
	var dir string
	var now, created int64
	var c Cursor
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

// Page is one page of a list with the cursors of its neighbours (empty
// when there is none).
type Page struct {
	Rows       []Row
	Next, Prev string
}

// ListPage reads one page of f for a, of f.Limit rows (or def): one more
// row is read to know whether another page follows.
func (s *Service) ListPage(ctx context.Context, a account.Actor, f Filter, def int) (Page, error) {
	if f.cursor != "" {
		if err := ReadCursor(&f, f.cursor, s.Cursors); err != nil {
			return Page{}, err
		}
	}
	return ReadPage(f, def, s.Now(), s.Cursors, func(f Filter) ([]Row, error) { return s.List(ctx, a, f) })
}

// ReadPage reads one page of f through list, which reads the rows f asks;
// f reads at now unless its cursor says when; the page's cursors are
// sealed by seal.
func ReadPage(f Filter, def int, now time.Time, seal CursorSeal, list func(Filter) ([]Row, error)) (Page, error) {
	if f.Now.IsZero() {
		f.Now = now
	}
	limit := f.Limit
	if limit == 0 {
		limit = def
	}
	f.Limit = limit + 1
	rows, err := list(f)
	if err != nil {
		return Page{}, err
	}
	more := len(rows) > limit
	back := f.Before != nil
	if more && back {
		rows = rows[1:]
	} else if more {
		rows = rows[:limit]
	}
	p := Page{Rows: rows}
	if len(rows) == 0 {
		return p, nil
	}
	at := func(r Row) Cursor {
		k := r.Key
		k.Now = f.Now
		return k
	}
	if more || back {
		if p.Next, err = encodeCursor("a", at(rows[len(rows)-1]), seal); err != nil {
			return Page{}, err
		}
	}
	if (back && more) || (!back && f.After != nil) {
		if p.Prev, err = encodeCursor("b", at(rows[0]), seal); err != nil {
			return Page{}, err
		}
	}
	return p, nil
}
