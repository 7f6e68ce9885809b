package workorder

import (
	"encoding/base64"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/keys"
)

// A list's sort comes from ?sort=; an unknown one is refused naming the field.
func TestFilterFromSort(t *testing.T) {
	for _, tt := range []struct {
		query string
		want  Sort
		field string
	}{
		{"", "", ""},
		{"sort=due", SortDue, ""},
		{"sort=received&view=queue", SortReceived, ""},
		{"sort=state", SortState, ""},
		{"sort=urgency", "", "sort"},
	} {
		q, _ := url.ParseQuery(tt.query)
		f, err := FilterFrom(q)
		var e *apperr.Error
		switch {
		case tt.field != "" && (!errors.As(err, &e) || e.Field != tt.field):
			t.Errorf("%q: error %v, want one naming %s", tt.query, err, tt.field)
		case tt.field == "" && (err != nil || f.Sort != tt.want):
			t.Errorf("%q: sort %q, %v; want %q", tt.query, f.Sort, err, tt.want)
		}
	}
}

// A cursor carries the creation time of its page's last order, which of
// an anonymous review's order staff may see to the day only (issue 16):
// sealed, it shows nothing of it, still leads to the next page, and a
// cursor altered or sealed under another key is refused (400).
func TestCursorsAreSealed(t *testing.T) {
	ring, err := keys.Of(keys.New())
	if err != nil {
		t.Fatal(err)
	}
	other, err := keys.Of(keys.New())
	if err != nil {
		t.Fatal(err)
	}
	created := time.Date(2026, 12, 1, 9, 17, 23, 0, calendar.Zone)
	rows := []Row{{Key: Cursor{Class: 1, Created: created, ID: 42}}, {Key: Cursor{Class: 1, Created: created.Add(-time.Minute), ID: 41}}}
	now := created.Add(time.Hour)
	millis := strconv.FormatInt(created.UnixMilli(), 10)
	leaks := func(cursor string) bool {
		raw, _ := base64.RawURLEncoding.DecodeString(cursor)
		return strings.Contains(cursor, millis) || strings.Contains(string(raw), millis)
	}
	for _, tt := range []struct {
		name string
		seal CursorSeal
		leak bool
	}{{"plain", nil, true}, {"sealed", ring, false}} {
		p, err := ReadPage(Filter{Limit: 1}, 1, now, tt.seal, func(Filter) ([]Row, error) { return rows, nil })
		if err != nil || p.Next == "" {
			t.Fatalf("%s: next %q, %v", tt.name, p.Next, err)
		}
		if leaks(p.Next) != tt.leak {
			t.Errorf("%s: cursor %q shows the order's creation time: %v, want %v", tt.name, p.Next, !tt.leak, tt.leak)
		}
		var f Filter
		if err := ReadCursor(&f, p.Next, tt.seal); err != nil || f.After == nil || f.After.ID != 42 || !f.After.Created.Equal(created) {
			t.Errorf("%s: the cursor leads to %+v, %v; want after order 42", tt.name, f.After, err)
		}
	}
	p, _ := ReadPage(Filter{Limit: 1}, 1, now, ring, func(Filter) ([]Row, error) { return rows, nil })
	for name, c := range map[string]string{"another key": "", "altered": p.Next[:len(p.Next)-2] + "AA"} {
		seal := CursorSeal(ring)
		if name == "another key" {
			c, seal = p.Next, other
		}
		var e *apperr.Error
		if err := ReadCursor(&Filter{}, c, seal); !errors.As(err, &e) || e.Code != apperr.Malformed || e.Field != "cursor" {
			t.Errorf("%s: %v, want a malformed cursor", name, err)
		}
	}
}
