package calendar

import (
	"strings"
	"testing"
	"time"
)

func at(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.ParseInLocation("2006-01-02 15:04", s, Zone)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

func TestShippedCalendar(t *testing.T) {
	c := New(Shipped())
	tests := []struct {
		day  string
		work bool
		why  string
	}{
		{"2026-03-02", true, "a Monday"},
		{"2026-03-07", false, "a Saturday"},
		{"2026-03-08", false, "a Sunday"},
		{"2026-10-01", false, "National Day, a Thursday"},
		{"2026-10-10", true, "make-up working day, a Saturday"},
		{"2026-02-14", true, "make-up working day before Spring Festival"},
		{"2026-02-23", false, "last day of Spring Festival, a Monday"},
		{"2027-01-01", true, "a Friday in a year with no schedule loaded"},
	}
	for _, tt := range tests {
		if got := c.IsWorkday(at(t, tt.day+" 10:00")); got != tt.work {
			t.Errorf("IsWorkday(%s) (%s) = %v, want %v", tt.day, tt.why, got, tt.work)
		}
	}
	if got := c.Years(); len(got) != 1 || got[0] != 2026 {
		t.Errorf("Years = %v, want [2026]", got)
	}
}

func TestDeadlines(t *testing.T) {
	c := New(Shipped())
	tests := []struct {
		name string
		from string
		days int
		want string
	}{
		{"same day, in office hours", "2026-03-04 09:00", 0, "2026-03-04 17:30"},
		{"same day, after hours rolls to the next working day", "2026-03-04 18:00", 0, "2026-03-05 17:30"},
		{"same day on a Friday evening rolls over the weekend", "2026-03-06 20:00", 0, "2026-03-09 17:30"},
		{"same day on a Saturday", "2026-03-07 10:00", 0, "2026-03-09 17:30"},
		{"1 day from Friday skips the weekend", "2026-03-06 10:00", 1, "2026-03-09 17:30"},
		{"5 days over a weekend", "2026-03-02 10:00", 5, "2026-03-09 17:30"},
		{"15 days", "2026-03-02 10:00", 15, "2026-03-23 17:30"},
		{"1 day over National Day holiday", "2026-09-30 10:00", 1, "2026-10-08 17:30"},
		{"dispatched on a holiday", "2026-10-03 10:00", 0, "2026-10-08 17:30"},
		{"make-up Saturday counts", "2026-10-09 10:00", 1, "2026-10-10 17:30"},
		{"make-up Saturday is itself a working day", "2026-10-10 09:00", 0, "2026-10-10 17:30"},
		{"Labour Day, then make-up Saturday 9 May", "2026-04-30 10:00", 2, "2026-05-07 17:30"},
		{"5 days across make-up Saturday 9 May", "2026-05-06 10:00", 5, "2026-05-12 17:30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.AddWorkdays(at(t, tt.from), tt.days)
			if want := at(t, tt.want); !got.Equal(want) {
				t.Errorf("AddWorkdays(%s, %d) = %s, want %s", tt.from, tt.days, got.In(Zone).Format("2006-01-02 15:04 Mon"), tt.want)
			}
		})
	}
	if got, want := c.FirstContactDue(at(t, "2026-09-30 16:00")), at(t, "2026-10-08 17:30"); !got.Equal(want) {
		t.Errorf("FirstContactDue before National Day = %s, want %s", got, want)
	}
}

func TestParseCSVRejects(t *testing.T) {
	for _, in := range []string{
		"date,kind,name\n2027-02-30,holiday,x\n",
		"2027-01-01,vacation,x\n",
		"2027-01-01,holiday\n2027-01-01,workday\n",
		"",
	} {
		if _, err := ParseCSV(strings.NewReader(in)); err == nil {
			t.Errorf("ParseCSV(%q) accepted", in)
		}
	}
	days, err := ParseCSV(strings.NewReader("\ufeffdate,kind,name\n2027-01-01,holiday,元旦\n"))
	if err != nil || len(days) != 1 || days[0].Kind != Holiday {
		t.Fatalf("ParseCSV = %v, %v", days, err)
	}
}

// TestProvisionalYears checks the warning an administrator gets when next
// year's official schedule is not loaded, and which deadlines are marked
// provisional meanwhile.
func TestProvisionalYears(t *testing.T) {
	cal := New(Shipped())
	at := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 10, 0, 0, 0, Zone) }
	tests := []struct {
		now      time.Time
		wantYear int
		missing  bool
	}{
		{at(2026, time.October, 31), 0, false},   // too early to expect 2027
		{at(2026, time.November, 1), 2027, true}, // from 1 November
		{at(2026, time.December, 31), 2027, true},
	}
	for _, tt := range tests {
		y, missing := cal.Missing(tt.now)
		if y != tt.wantYear || missing != tt.missing {
			t.Errorf("Missing(%s) = %d, %v; want %d, %v", tt.now.Format(time.DateOnly), y, missing, tt.wantYear, tt.missing)
		}
	}
	// A complex order dispatched in mid-December runs into 2027.
	due := cal.AddWorkdays(at(2026, time.December, 15), 15)
	if due.Year() != 2027 || !cal.Provisional(due) || cal.Provisional(at(2026, time.December, 15)) {
		t.Errorf("due %v: provisional %v; want a 2027 deadline marked provisional", due, cal.Provisional(due))
	}
	loaded := New(append(Shipped(), Day{Date: "2027-01-01", Kind: Holiday, Name: "元旦"}))
	if _, missing := loaded.Missing(at(2026, time.December, 1)); missing || loaded.Provisional(due) {
		t.Error("with 2027 loaded, nothing is missing or provisional")
	}
}
