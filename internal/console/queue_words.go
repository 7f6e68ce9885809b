package console

import (
	"time"
	"unicode/utf8"

	"github.com/haocha/haocha/internal/workorder"
)

// previewRunes is how much of a comment a list shows.
const previewRunes = 40

// preview is the start of a comment, cut at previewRunes characters.
func preview(s string) string {
	if utf8.RuneCountInString(s) <= previewRunes {
		return s
	}
	r := []rune(s)
	return string(r[:previewRunes]) + "…"
}

// waited is how long since from, in days and hours (or hours and minutes
// under a day), in words of l.
func waited(l Lang, from, now time.Time) string {
	d := now.Sub(from)
	if d < 0 {
		d = 0
	}
	days, hours := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour)
	if days > 0 {
		return l.Tf("wait.days", days, hours)
	}
	return l.Tf("wait.hours", hours, int(d%time.Hour/time.Minute))
}

// lasted is how long the row's order has waited, or took when closed.
func lasted(l Lang, row workorder.Row, now time.Time) string {
	if row.State == workorder.Closed && !row.ClosedAt.IsZero() {
		return l.Tf("wait.took", waited(l, row.CreatedAt, row.ClosedAt))
	}
	return waited(l, row.CreatedAt, now)
}

func init() {
	funcs["lasted"] = lasted
	funcs["preview"] = preview
	funcs["waited"] = waited
}
