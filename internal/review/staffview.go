package review

import (
	"time"

	"github.com/haocha/haocha/internal/calendar"
)

// StaffTime is the time of a review (or of what it opened: its work order,
// an alert it crossed a threshold with) as staff may see it: the day only
// (midnight in the city's zone) when the review is anonymous, since the
// minute, matched with a hall's queue tickets or cameras or a business
// system's records, names the reviewer; a real-name review's time is kept
// whole. Every staff surface (pages, JSON, exports) shows review times
// through it (docs/domain.md, "Anonymity").
func StaffTime(at time.Time, anonymous bool) time.Time {
	if !anonymous {
		return at
	}
	return calendar.Midnight(at)
}

// ForStaff cuts from r what no staff member may see of an anonymous
// reviewer: the time finer than the day, the transaction number (the
// business system knows whose it is) and any contact. The other opinion on
// the same transaction and stage (追评) shares the transaction: when either
// is anonymous, neither shows the number, and an anonymous one its minute.
func (r *Record) ForStaff() {
	anonymous := r.Anonymous
	for _, o := range []*Opinion{r.Later, r.First} {
		if o != nil && o.Anonymous {
			o.CreatedAt = StaffTime(o.CreatedAt, true)
			anonymous = true
		}
	}
	if !anonymous {
		return
	}
	r.Transaction = ""
	if r.Anonymous {
		r.CreatedAt = StaffTime(r.CreatedAt, true)
		r.Contact = nil
	}
}

// PublicTime is a review's time (or its work order's) as the public sees
// it in Open311: the day only, whether anonymous or
// not, since the public cannot be told who may see a name.
func PublicTime(at time.Time) time.Time { return StaffTime(at, true) }
