package calendar

import (
	"bytes"
	"encoding/csv"
	"slices"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/apperr"
)

// FuzzParseCSV reads arbitrary calendar files, as an administrator may
// upload them: each is refused with an invalid-input error naming a field,
// or read into days that the calendar then keeps (a listed holiday is no
// working day, a listed make-up day is one) and that read back the same
// when written out again.
func FuzzParseCSV(f *testing.F) {
	names, err := shipped.ReadDir("data")
	if err != nil {
		f.Fatal(err)
	}
	for _, n := range names {
		raw, err := shipped.ReadFile("data/" + n.Name())
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	f.Add([]byte("date,kind,name\n2027-02-30,holiday,x\n"))
	f.Add([]byte("2027-01-01,holiday\n2027-01-01,workday\n"))
	f.Add([]byte("\"2027-01-01\" , workday ,\"国庆, 中秋\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		days, err := ParseCSV(bytes.NewReader(data))
		if err != nil {
			if e := apperr.As(err); e == nil || e.Code != apperr.Invalid || e.Field == "" {
				t.Fatalf("refusal %v is not an invalid-input error naming a field", err)
			}
			return
		}
		c := New(days)
		for _, d := range days {
			day, err := ParseDay(d.Date)
			if err != nil {
				t.Fatalf("accepted day %q: %v", d.Date, err)
			}
			if got := c.IsWorkday(day.Add(12 * time.Hour)); got != (d.Kind == Workday) {
				t.Fatalf("%s listed as %s, but IsWorkday = %v", d.Date, d.Kind, got)
			}
		}
		var out bytes.Buffer
		w := csv.NewWriter(&out)
		for _, d := range days {
			w.Write([]string{d.Date, string(d.Kind), d.Name})
		}
		w.Flush()
		again, err := ParseCSV(&out)
		if err != nil {
			t.Fatalf("accepted days refused when written back as %q: %v", out.String(), err)
		}
		if !slices.Equal(days, again) {
			t.Fatalf("days changed on the way back:\n%v\n%v", days, again)
		}
	})
}
