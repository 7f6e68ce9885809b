package store

// Closing transactions' rating windows: each becomes rated or unrated,
// and, under the default-review policy, an unrated one gets its default
// review (默认好评).

import (
	"context"
	"fmt"
	"time"

	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/transaction"
)

// Closed counts what closing rating windows did.
type Closed struct {
	Rated, Unrated, Defaulted int
}

// closeBatch is how many windows one database transaction closes.
const closeBatch = 1000

// CloseRatingWindows closes the rating window of every transaction whose
// window ended by now and is not closed yet. With defaults, an unrated
// one gets a default review, flagged default, timed when its window
// closed, in the same database transaction as its outcome. Closing again
// changes nothing: a window is closed once.
func (s *Store) CloseRatingWindows(ctx context.Context, now time.Time, defaults bool) (Closed, error) {
	var total Closed
	set, err := s.ActiveDimensionSet(ctx)
	if err != nil {
		return total, err
	}
	for {
		due, err := s.dueWindows(ctx, now)
		if err != nil || len(due) == 0 {
			return total, err
		}
		if defaults {
			if err := s.EnsurePartitions(ctx, due[0].RatingClosesAt, due[len(due)-1].RatingClosesAt); err != nil {
				return total, err
			}
		}
		var c Closed
		err = s.inTx(ctx, func(t tx) error {
			var err error
			c, err = s.closeWindows(ctx, t, due, defaults, set.ID)
			return err
		})
		if err != nil {
			return total, fmt.Errorf("close rating windows: %w", err)
		}
		total.Rated, total.Unrated, total.Defaulted = total.Rated+c.Rated, total.Unrated+c.Unrated, total.Defaulted+c.Defaulted
		if len(due) < closeBatch {
			return total, nil
		}
	}
}

// dueWindows reads the next transactions whose window ended by now, the
// earliest first.
func (s *Store) dueWindows(ctx context.Context, now time.Time) ([]*transaction.Transaction, error) {
	rows, err := s.query(ctx, "SELECT "+transactionColumns.sel("")+` FROM transactions
		WHERE outcome IS NULL AND rating_closes_at <= ? ORDER BY rating_closes_at, number LIMIT ?`, millis(now), closeBatch)
	if err != nil {
		return nil, fmt.Errorf("due rating windows: %w", err)
	}
	defer rows.Close()
	var out []*transaction.Transaction
	for rows.Next() {
		t, err := scanTransaction(rows)
		if err != nil {
			return nil, fmt.Errorf("due rating windows: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func (s *Store) closeWindows(ctx context.Context, t tx, due []*transaction.Transaction, defaults bool, set int64) (Closed, error) {
	var c Closed
	numbers := make([]any, len(due))
	for i, tr := range due {
		numbers[i] = tr.Number
	}
	rows, err := t.query(ctx, "SELECT DISTINCT txn FROM review_transactions WHERE txn IN ("+placeholders(len(numbers))+")", numbers...)
	if err != nil {
		return c, err
	}
	rated, err := scanStrings(rows)
	if err != nil {
		return c, err
	}
	outcomes := map[transaction.Outcome][]any{}
	var defaulted []*review.Review
	for _, tr := range due {
		switch {
		case rated[tr.Number]:
			outcomes[transaction.Rated] = append(outcomes[transaction.Rated], tr.Number)
			c.Rated++
		case defaults:
			outcomes[transaction.Defaulted] = append(outcomes[transaction.Defaulted], tr.Number)
			defaulted = append(defaulted, defaultReview(tr, set))
			c.Defaulted++
		default:
			outcomes[transaction.Unrated] = append(outcomes[transaction.Unrated], tr.Number)
			c.Unrated++
		}
	}
	for o, nums := range outcomes {
		if _, err := t.exec(ctx, "UPDATE transactions SET outcome = ? WHERE outcome IS NULL AND number IN ("+
			placeholders(len(nums))+")", append([]any{string(o)}, nums...)...); err != nil {
			return c, err
		}
	}
	if len(defaulted) > 0 {
		ru := newRollups()
		if _, err := s.insertReviews(ctx, t, defaulted, ru); err != nil {
			return c, err
		}
		if err := ru.save(ctx, t); err != nil {
			return c, err
		}
	}
	return c, nil
}

// defaultReview is the review the default-review policy records for tr:
// satisfied, anonymous, at its last stage, given when its window closed.
func defaultReview(tr *transaction.Transaction, set int64) *review.Review {
	kind := review.Person
	if tr.ApplicantKind == transaction.Organisation {
		kind = review.Business
	}
	return &review.Review{CreatedAt: tr.RatingClosesAt, Channel: tr.Channel, Item: tr.Item,
		Stage: tr.Stages[len(tr.Stages)-1], Unit: tr.Unit, District: tr.District, Hall: tr.Hall, Window: tr.Window,
		Workstation: tr.Workstation, Staff: tr.Staff, Stars: transaction.DefaultStars, DimensionSet: set,
		Anonymous: true, ReviewerKind: kind, Transaction: tr.Number, Origin: review.Default}
}
