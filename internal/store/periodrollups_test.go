package store

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A period reads the calendar months wholly within it from the month
// rollups and only the days outside them from the day rollups: a year
// from any day is 11 or 12 months and two stretches of days, and no day
// is read twice or left out.
func TestPeriodCutIntoMonthsAndDays(t *testing.T) {
	type cut struct {
		Months daySpan
		OK     bool
		Days   []daySpan
	}
	for _, c := range []struct {
		from, end int
		want      cut
	}{
		// A year from 7 December: December's odd days, 11 months, 1–7 December.
		{20251207, 20261208, cut{daySpan{20260101, 20261201}, true, []daySpan{{20251207, 20260101}, {20261201, 20261208}}}},
		{20260101, 20270101, cut{daySpan{20260101, 20270101}, true, nil}},
		{20260201, 20260301, cut{daySpan{20260201, 20260301}, true, nil}},
		// 30 days across two months: no month whole.
		{20261107, 20261207, cut{Days: []daySpan{{20261107, 20261207}}}},
		{20260203, 20260220, cut{Days: []daySpan{{20260203, 20260220}}}},
		{20260131, 20260302, cut{daySpan{20260201, 20260301}, true, []daySpan{{20260131, 20260201}, {20260301, 20260302}}}},
		// No first day, no last day, neither.
		{0, 20260215, cut{daySpan{0, 20260201}, true, []daySpan{{20260201, 20260215}}}},
		{20260131, 0, cut{daySpan{20260201, 0}, true, []daySpan{{20260131, 20260201}}}},
		{0, 0, cut{daySpan{0, 0}, true, nil}},
		{20261215, 20270115, cut{Days: []daySpan{{20261215, 20270115}}}},
	} {
		t.Run(fmt.Sprint(c.from, "-", c.end), func(t *testing.T) {
			var got cut
			got.Months, got.OK, got.Days = daySpan{c.from, c.end}.cut()
			if diff := cmp.Diff(c.want, got, cmp.AllowUnexported(daySpan{})); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
