package fraud_test

import (
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/fraud"
)

func TestScore(t *testing.T) {
	open := time.Date(2026, 7, 21, 10, 0, 0, 0, calendar.Zone)
	night := time.Date(2026, 7, 21, 23, 0, 0, 0, calendar.Zone)
	window := fraud.Arrival{At: open, Stars: 1, Workstation: true, Address: true, Device: true}
	item := fraud.Arrival{At: open, Stars: 1, Address: true, Device: true, Unverified: true, District: true}
	tests := []struct {
		name   string
		a      fraud.Arrival
		recent fraud.Recent
		held   bool
		reason string
	}{
		{"a citizen", window, fraud.Recent{Address: 3, Workstation: 1, Unit: 20}, false, ""},
		{"a busy hall on one network", window, fraud.Recent{Address: 60, Workstation: 2, Unit: 60}, false, ""},
		{"one network floods", window, fraud.Recent{Address: 79}, true, "80 reviews from one network"},
		{"one device", window, fraud.Recent{Device: 4}, true, "5 reviews from one device"},
		{"one workstation", window, fraud.Recent{Workstation: 5}, true, "6 reviews of one workstation"},
		{"one unit without history", window, fraud.Recent{Unit: 208}, true, "209 reviews of one unit"},
		{"same text", fraud.Arrival{At: open, Stars: 1, Text: true}, fraud.Recent{SameText: 2}, true, "3 reviews with the same comment"},
		{"short text is not compared", fraud.Arrival{At: open, Stars: 1}, fraud.Recent{SameText: 9}, false, ""},
		{"five stars in a burst", fraud.Arrival{At: open, Stars: 5, Workstation: true}, fraud.Recent{FiveStar: 3}, true, "4 five-star reviews"},
		{"four stars are no five-star burst", fraud.Arrival{At: open, Stars: 4, Workstation: true}, fraud.Recent{FiveStar: 3}, false, ""},
		{"one review at night", fraud.Arrival{At: night, Stars: 5, Workstation: true}, fraud.Recent{}, false, ""},
		{"window reviews at night", fraud.Arrival{At: night, Stars: 5, Workstation: true}, fraud.Recent{OffHours: 1, Closed: true}, true, "while it was closed"},
		{"evening reviews of the day's visits", fraud.Arrival{At: night, Stars: 5, Workstation: true, Present: true, Bound: true},
			fraud.Recent{OffHours: 9, Closed: true}, false, ""},
		{"a QR alone is no visit at night", fraud.Arrival{At: night, Stars: 1, Workstation: true, Present: true},
			fraud.Recent{OffHours: 9, Closed: true}, true, "while it was closed"},
		{"online at night", fraud.Arrival{At: night, Stars: 5}, fraud.Recent{OffHours: 5, Closed: true}, false, ""},
		{"a QR review after tokenless five stars", fraud.Arrival{At: open, Stars: 5, Workstation: true, Present: true},
			fraud.Recent{FiveStar: 4, Workstation: 5}, false, ""},
		{"a busy agency at its usual rate", window, fraud.Recent{Unit: 299, UnitUsual: fraud.Usual{PerHour: 900, Known: true}}, false, ""},
		{"a quiet unit at a hundred", window, fraud.Recent{Unit: 99, UnitUsual: fraud.Usual{PerHour: 1, Known: true}}, true, "100 reviews of one unit"},
		{"a quiet hall flooded", window, fraud.Recent{Hall: 20, HallUsual: fraud.Usual{PerHour: 2, Known: true}}, true, "21 reviews of one hall"},
		{"a busy hall's citizens on its network", fraud.Arrival{At: open, Stars: 5, Workstation: true, Address: true, Present: true},
			fraud.Recent{Address: 150, Hall: 150, HallUsual: fraud.Usual{PerHour: 400, Known: true}}, false, ""},
		{"tokenless reviews from the hall's network", window,
			fraud.Recent{Address: 150, Hall: 150, HallUsual: fraud.Usual{PerHour: 400, Known: true}}, true, "151 reviews from one network"},
		{"staff network", window, fraud.Recent{StaffNetwork: true}, true, "staff account"},
		{"unverified reviews of a unit without history", item, fraud.Recent{UnverifiedUnit: 19, Unit: 19}, true, "20 unverified reviews of one unit"},
		{"unverified reviews spread over a district's units", item, fraud.Recent{UnverifiedUnit: 5, UnverifiedDistrict: 19, Unit: 5},
			true, "20 unverified reviews of one district"},
		{"a busy agency's unverified reviews at its usual rate", item, fraud.Recent{UnverifiedUnit: 239, UnverifiedDistrict: 239, Unit: 239,
			UnverifiedUnitUsual: fraud.Usual{PerHour: 400, Known: true}, UnverifiedDistrictUsual: fraud.Usual{PerHour: 400, Known: true},
			UnitUsual: fraud.Usual{PerHour: 600, Known: true}}, false, ""},
		{"bound reviews are not counted as unverified", window, fraud.Recent{UnverifiedUnit: 100, UnverifiedDistrict: 100}, false, ""},
		{"a municipal agency online has no district", fraud.Arrival{At: open, Stars: 1, Unverified: true},
			fraud.Recent{UnverifiedDistrict: 100}, false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := fraud.DefaultRules.Score(tc.a, tc.recent)
			if v.Held != tc.held || !strings.Contains(v.Reasons(), tc.reason) {
				t.Errorf("held %v, reasons %q; want %v with %q", v.Held, v.Reasons(), tc.held, tc.reason)
			}
		})
	}
}

// A member's threshold follows its usual rate; without history, the
// stated default.
func TestBaselineAt(t *testing.T) {
	b := fraud.DefaultBaseline
	tests := []struct {
		name string
		u    fraud.Usual
		want int
	}{
		{"no history", fraud.Usual{}, 209},
		{"a quiet hall", fraud.Usual{PerHour: 1, Known: true}, 14},
		{"a busy agency", fraud.Usual{PerHour: 600, Known: true}, 380},
	}
	for _, tc := range tests {
		if got := b.At(tc.u, 10*time.Minute); got != tc.want {
			t.Errorf("%s: fires at %d in ten minutes, want %d", tc.name, got, tc.want)
		}
	}
}

func TestOpeningHours(t *testing.T) {
	hall := fraud.Hours{fraud.Workday: {Open: 9 * time.Hour, Close: 17 * time.Hour}, fraud.Saturday: {Open: 9 * time.Hour, Close: 12 * time.Hour}}
	o := fraud.Opening{Halls: map[string]fraud.Hours{"H1": hall}, Calendar: calendar.New(calendar.Shipped())}
	at := func(day string, h int) time.Time {
		d, err := calendar.ParseDay(day)
		if err != nil {
			t.Fatal(err)
		}
		return d.Add(time.Duration(h) * time.Hour)
	}
	tests := []struct {
		name   string
		hall   string
		t      time.Time
		closed bool
		since  time.Time
	}{
		{"a Tuesday morning", "H1", at("2026-07-21", 10), false, time.Time{}},
		{"a Tuesday evening", "H1", at("2026-07-21", 19), true, at("2026-07-21", 17)},
		{"a Saturday morning", "H1", at("2026-07-25", 10), false, time.Time{}},
		{"a Sunday noon", "H1", at("2026-07-26", 12), true, at("2026-07-25", 12)},
		{"National Day, a Thursday", "H1", at("2026-10-01", 10), true, at("2026-09-30", 17)},
		{"a hall without its own hours", "H9", at("2026-07-26", 19), false, time.Time{}},
	}
	for _, tc := range tests {
		closed, since := o.Closed(tc.hall, tc.t)
		if closed != tc.closed || !since.Equal(tc.since) {
			t.Errorf("%s: closed %v since %v, want %v since %v", tc.name, closed, since, tc.closed, tc.since)
		}
	}
}

func TestTextPrint(t *testing.T) {
	base := fraud.TextPrint("窗口工作人员态度冷淡，问了两遍都不耐烦")
	if base == "" {
		t.Fatal("a long comment has no print")
	}
	for _, near := range []string{"窗口工作人员态度冷淡 问了两遍都不耐烦！！", "窗口工作人员态度冷淡，问了两遍都不耐烦2026😡"} {
		if got := fraud.TextPrint(near); got != base {
			t.Errorf("%q prints %q, want the same as the original", near, got)
		}
	}
	if got := fraud.TextPrint("窗口工作人员态度热情，问了两遍都很耐心"); got == base {
		t.Error("a different comment prints the same")
	}
	if got := fraud.TextPrint("很方便，点赞"); got != "" {
		t.Errorf("short praise prints %q, want none", got)
	}
}

func TestParseReasons(t *testing.T) {
	want := []fraud.Finding{
		{Signal: fraud.AddressVelocity, Count: 80, Window: 10 * time.Minute},
		{Signal: fraud.OffHours, Count: 2},
		{Signal: fraud.FiveStarBurst, Count: 4, Window: time.Hour},
		{Signal: fraud.StaffNetwork, Count: 1},
	}
	v := fraud.Verdict{Held: true, Findings: want}
	got := fraud.ParseReasons(fraud.BurstPrefix + v.Reasons() + "; something older")
	if len(got) != len(want) {
		t.Fatalf("read back %v from %q, want %v", got, v.Reasons(), want)
	}
	for i := range want {
		if got[i].Signal != want[i].Signal || got[i].Count != want[i].Count ||
			(want[i].Signal != fraud.OffHours && got[i].Window != want[i].Window) {
			t.Errorf("finding %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}
