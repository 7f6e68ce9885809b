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
		{"one unit", window, fraud.Recent{Unit: 199}, true, "200 reviews of one unit"},
		{"same text", fraud.Arrival{At: open, Stars: 1, Text: true}, fraud.Recent{SameText: 2}, true, "3 reviews with the same comment"},
		{"short text is not compared", fraud.Arrival{At: open, Stars: 1}, fraud.Recent{SameText: 9}, false, ""},
		{"five stars in a burst", fraud.Arrival{At: open, Stars: 5, Workstation: true}, fraud.Recent{FiveStar: 3}, true, "4 five-star reviews"},
		{"four stars are no five-star burst", fraud.Arrival{At: open, Stars: 4, Workstation: true}, fraud.Recent{FiveStar: 3}, false, ""},
		{"one review at night", fraud.Arrival{At: night, Stars: 5, Workstation: true}, fraud.Recent{}, false, ""},
		{"window reviews at night", fraud.Arrival{At: night, Stars: 5, Workstation: true}, fraud.Recent{OffHours: 1}, true, "while it was closed"},
		{"online at night", fraud.Arrival{At: night, Stars: 5}, fraud.Recent{OffHours: 5}, false, ""},
		{"staff network", window, fraud.Recent{StaffNetwork: true}, true, "staff account"},
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
