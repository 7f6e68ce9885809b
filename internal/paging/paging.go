// Package paging is the one shape of a paged list: ?limit= (up to the
// list's maximum page) and ?cursor= (the next_cursor of the page before),
// answered with next_cursor, empty after the last page. A cursor is the
// key of the last row shown, so the next page starts right after it
// whatever was added or removed meanwhile: keyset paging, never OFFSET,
// whose cost grows with the page number and which repeats or skips rows
// when the list changes between pages.
package paging

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"slices"
	"strconv"

	"github.com/haocha/haocha/internal/apperr"
)

// Page is what a request asks of a list.
type Page struct {
	Limit int
	// After is the key of the row the page starts after, as the list's
	// Cursor wrote it; nil for the first page.
	After []string
}

// Parse reads limit (1 to max, def when absent) and cursor (of a list
// whose keys have parts parts) from a query. A limit out of bounds is
// invalid (422); a cursor that this package did not write for such a
// list cannot be read (400).
func Parse(q url.Values, def, max, parts int) (Page, error) {
	limit, err := Limit(q, def, max)
	p := Page{Limit: limit}
	if err != nil {
		return p, err
	}
	cursor := q.Get("cursor")
	if cursor == "" {
		return p, nil
	}
	bad := BadCursor()
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return p, bad
	}
	if err := json.Unmarshal(raw, &p.After); err != nil || len(p.After) != parts {
		return p, bad
	}
	return p, nil
}

// BadCursor is the error of a cursor this package did not write for the
// list (400, naming cursor), for lists that read more into a cursor's key.
func BadCursor() error {
	return apperr.New(apperr.Malformed, "cursor", "not a cursor of this list: pass the next_cursor of the page before, or none for the first page")
}

// Limit reads limit from a query: 1 to max, def when absent; out of
// bounds it is invalid (422) naming limit. For lists whose cursors are
// their own (work orders keep the clock of their first page).
func Limit(q url.Values, def, max int) (int, error) {
	v := q.Get("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > max {
		return 0, apperr.Invalidf("limit", "want 1 to %d", max)
	}
	return n, nil
}

// Cursor is the next_cursor of a page whose last row has key.
func Cursor(key ...string) string {
	raw, _ := json.Marshal(key) // strings always encode
	return base64.RawURLEncoding.EncodeToString(raw)
}

// Of cuts the page p asks from rows, read with one row more than
// p.Limit (so that whether a next page exists is known without a count),
// and gives the page's next_cursor: the key of its last row, or "" when
// it is the last.
func Of[T any](rows []T, p Page, key func(T) []string) ([]T, string) {
	if len(rows) <= p.Limit {
		return rows, ""
	}
	rows = rows[:p.Limit]
	return rows, Cursor(key(rows[len(rows)-1])...)
}

// After is the rows of a sorted list held in memory that come after
// p.After (all of them for a first page), by their keys compared part by
// part; a page of them is then cut with Of.
func After[T any](rows []T, p Page, key func(T) []string) []T {
	if p.After == nil {
		return rows
	}
	for i, r := range rows {
		if slices.Compare(key(r), p.After) > 0 {
			return rows[i:]
		}
	}
	return nil
}

// URL is the list's address with cursor set, or the first page's.
func URL(path string, q url.Values, cursor string) string {
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
