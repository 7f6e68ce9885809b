package workorder

import (
	"errors"
	"net/url"
	"testing"

	"github.com/haocha/haocha/internal/apperr"
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
