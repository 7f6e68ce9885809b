package review

import (
	"time"

	"github.com/haocha/haocha/internal/apperr"
)

// DefaultLaterWindow is how long after the first review of a
// transaction and stage its later review review (追评) is taken, unless
// configured otherwise: the rating window, 15 days.
const DefaultLaterWindow = 15 * 24 * time.Hour

// FirstReview is what a later review review (追评) needs of the review it
// follows: the first of its transaction and stage.
type FirstReview struct {
	ID        int64
	CreatedAt time.Time
	Item      string
	// HasLater reports that the first has its later review already.
	HasLater bool
	// HasOrder reports that the first opened a work order.
	HasOrder bool
}

// CheckLater decides whether r, a later review given at r.CreatedAt, may
// follow first (nil: there is none) within window after it: one later review
// per transaction and stage, of the same item, within the window. The
// refusals name later_review, or item.
func CheckLater(r *Review, first *FirstReview, window time.Duration) error {
	if window <= 0 {
		window = DefaultLaterWindow
	}
	switch {
	case first == nil:
		return apperr.Invalidf("later_review", "transaction %s has no review at stage %s to follow", r.Transaction, r.Stage)
	case first.HasLater:
		return apperr.New(apperr.Conflict, "later_review", "the review of transaction %s at stage %s has a later review already", r.Transaction, r.Stage)
	case first.Item != r.Item:
		return apperr.Invalidf("item", "a later review is of the item first reviewed, %s", first.Item)
	case !r.CreatedAt.Before(first.CreatedAt.Add(window)):
		return apperr.Invalidf("later_review", "later reviews are taken for %d days after the first review, until %s",
			int(window/(24*time.Hour)), first.CreatedAt.Add(window).Format(time.DateOnly))
	}
	return nil
}
