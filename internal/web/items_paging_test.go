package web_test

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/store"
)

var (
	itemLink = regexp.MustCompile(`<li><a href="/items/([^"/]+)">`)
	nextLink = regexp.MustCompile(`<a href="([^"]+)" rel="next">`)
)

// TestItemsPagePages follows /items's "next page" links to the end: every
// item of the catalogue (or of a search) is listed once, in order, a
// hundred a page; a cursor the page did not give is a 400.
func TestItemsPagePages(t *testing.T) {
	c := newClient(t)
	tests := []struct {
		path   string
		filter store.ItemFilter
	}{
		{"/items", store.ItemFilter{}},
		{"/items?q=" + "证", store.ItemFilter{Search: "证"}},
		{"/items?limit=7&q=" + "证", store.ItemFilter{Search: "证"}},
	}
	for _, tt := range tests {
		all, err := haocha.Store.Items(context.Background(), tt.filter)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, it := range all {
			want = append(want, it.Code)
		}
		var got []string
		pages := 0
		for path := tt.path; path != ""; pages++ {
			resp, body := c.get(path)
			if resp.StatusCode != http.StatusOK || pages > 100 {
				t.Fatalf("%s: status %d after %d pages", path, resp.StatusCode, pages)
			}
			for _, m := range itemLink.FindAllStringSubmatch(body, -1) {
				got = append(got, m[1])
			}
			path = ""
			if m := nextLink.FindStringSubmatch(body); m != nil {
				path = strings.ReplaceAll(m[1], "&amp;", "&")
			}
			if pages > 0 && !strings.Contains(body, "回到第一页") {
				t.Errorf("%s: page %d has no way back to the first", tt.path, pages+1)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: %d items over %d pages, want the %d of the catalogue in order", tt.path, len(got), pages, len(want))
		}
		if len(want) > 100 && pages < 2 {
			t.Errorf("%s: %d items on one page", tt.path, len(want))
		}
	}
	for bad, status := range map[string]int{"/items?cursor=zz": http.StatusBadRequest, "/items?limit=101": http.StatusUnprocessableEntity} {
		if resp, _ := c.get(bad); resp.StatusCode != status {
			t.Errorf("%s: status %d, want %d", bad, resp.StatusCode, status)
		}
	}
}
