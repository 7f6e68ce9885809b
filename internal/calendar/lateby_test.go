package calendar

import (
	"testing"
	"time"
)

// LateBy must agree with AddWorkdays: a start at or before it is late at
// now, any later start is not. Checked every 45 minutes across the 2026
// National Day week (holidays, a make-up Saturday) and an ordinary weekend.
func TestLateByAgreesWithAddWorkdays(t *testing.T) {
	c := New(Shipped())
	for _, n := range []int{0, 1, 3} {
		for _, from := range []string{"2026-09-24", "2026-11-12"} {
			start, _ := ParseDay(from)
			for now := start.Add(10 * 24 * time.Hour); now.Before(start.Add(16 * 24 * time.Hour)); now = now.Add(97 * time.Minute) {
				cut := c.LateBy(now, n)
				for s := start; s.Before(now); s = s.Add(45 * time.Minute) {
					late := now.After(c.AddWorkdays(s, n))
					if late != !s.After(cut) {
						t.Fatalf("n=%d now=%s start=%s: late=%v but cutoff %s", n, now, s, late, cut)
					}
				}
			}
		}
	}
}
