package paging_test

import (
	"net/url"
	"slices"
	"testing"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/paging"
)

// FuzzParse sends any limit and cursor: each is taken, or refused naming
// its field, limit as a wrong value (422) and cursor as unreadable (400);
// a cursor taken is a key of the list's number of parts, which written
// again reads back the same.
func FuzzParse(f *testing.F) {
	f.Add("", "", 2)
	f.Add("50", paging.Cursor("agency", "SHGA"), 2)
	f.Add("0", paging.Cursor("SHGA-001"), 1)
	f.Add("10001", "zz", 1)
	f.Add("7", "WyJHQSJd", 2)
	f.Add("-1", "bnVsbA", 1) // null
	f.Fuzz(func(t *testing.T, limit, cursor string, parts int) {
		parts = 1 + int(uint(parts)%3)
		p, err := paging.Parse(url.Values{"limit": {limit}, "cursor": {cursor}}, 100, 1000, parts)
		if err != nil {
			e := apperr.As(err)
			if e == nil || !(e.Field == "limit" && e.Code == apperr.Invalid || e.Field == "cursor" && e.Code == apperr.Malformed) {
				t.Fatalf("limit %q cursor %q: %v", limit, cursor, err)
			}
			return
		}
		if p.Limit < 1 || p.Limit > 1000 {
			t.Fatalf("limit %q taken as %d", limit, p.Limit)
		}
		if cursor == "" {
			if p.After != nil {
				t.Fatalf("no cursor read as %q", p.After)
			}
			return
		}
		if len(p.After) != parts {
			t.Fatalf("cursor %q taken as %q, want %d parts", cursor, p.After, parts)
		}
		again, err := paging.Parse(url.Values{"cursor": {paging.Cursor(p.After...)}}, 100, 1000, parts)
		if err != nil || !slices.Equal(again.After, p.After) {
			t.Fatalf("cursor %q re-written does not read back: %q, %v", p.After, again.After, err)
		}
	})
}
