package review

import (
	"time"

	"github.com/haocha/haocha/internal/apperr"
)

// DefaultFollowUpWindow is how long after the first review of a
// transaction and stage its follow-up review (追评) is taken, unless
// configured otherwise: the rating window, 15 days.
const DefaultFollowUpWindow = 15 * 24 * time.Hour

// FirstReview is what a follow-up review (追评) needs of the review it
// follows: the first of its transaction and stage.
type FirstReview struct {
	ID        int64
	CreatedAt time.Time
	Item      string
	// FollowedUp reports that the first has a follow-up already.
	FollowedUp bool
	// HasOrder reports that the first opened a work order.
	HasOrder bool
}

// CheckFollowUp decides whether r, a follow-up given at r.CreatedAt, may
// follow first (nil: there is none) within window after it: one follow-up
// per transaction and stage, of the same item, within the window. The
// refusals name follow_up, or item.
func CheckFollowUp(r *Review, first *FirstReview, window time.Duration) error {
	if window <= 0 {
		window = DefaultFollowUpWindow
	}
	switch {
	case first == nil:
		return apperr.Invalidf("follow_up", "transaction %s has no review at stage %s to follow up", r.Transaction, r.Stage)
	case first.FollowedUp:
		return apperr.New(apperr.Conflict, "follow_up", "the review of transaction %s at stage %s has a follow-up already", r.Transaction, r.Stage)
	case first.Item != r.Item:
		return apperr.Invalidf("item", "a follow-up is of the item first reviewed, %s", first.Item)
	case !r.CreatedAt.Before(first.CreatedAt.Add(window)):
		return apperr.Invalidf("follow_up", "follow-ups are taken for %d days after the first review, until %s",
			int(window/(24*time.Hour)), first.CreatedAt.Add(window).Format(time.DateOnly))
	}
	return nil
}
