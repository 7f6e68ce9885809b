package paging_test

import (
	"net/url"
	"slices"
	"testing"

	"github.com/haocha/haocha/internal/paging"
)

// TestPagesOfAListInMemory pages a sorted list held in memory with After
// and Of: the pages hold every row once, and a page after a row that has
// since gone starts at the next one.
func TestPagesOfAListInMemory(t *testing.T) {
	list := []string{"a", "c", "e", "g", "i"}
	key := func(s string) []string { return []string{s} }
	tests := []struct {
		limit  int
		cursor string
		want   []string
		next   string
	}{
		{2, "", []string{"a", "c"}, paging.Cursor("c")},
		{2, paging.Cursor("c"), []string{"e", "g"}, paging.Cursor("g")},
		{2, paging.Cursor("g"), []string{"i"}, ""},
		{5, "", list, ""},
		{2, paging.Cursor("d"), []string{"e", "g"}, paging.Cursor("g")}, // "d" is gone
		{2, paging.Cursor("z"), nil, ""},
	}
	for _, tt := range tests {
		q := url.Values{"limit": {string(rune('0' + tt.limit))}, "cursor": {tt.cursor}}
		p, err := paging.Parse(q, 10, 10, 1)
		if err != nil {
			t.Fatal(err)
		}
		got, next := paging.Of(paging.After(list, p, key), p, key)
		if !slices.Equal(got, tt.want) || next != tt.next {
			t.Errorf("limit %d after %q: %v next %q, want %v next %q", tt.limit, p.After, got, next, tt.want, tt.next)
		}
	}
}
