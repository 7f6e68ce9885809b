package store

// Closing transactions' rating windows: each becomes rated or unrated,
// and, under the default-review policy, an unrated one gets its default
// review (默认好评).

import (
	"context"
	"database/sql"
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
			// The default reviews go first, in a transaction of their own
			// (the group path): should the process stop before the
			// outcomes below are written, the next round finds them and
			// counts their transactions defaulted all the same.
			if err := s.storeDefaults(ctx, due, set.ID); err != nil {
				return total, fmt.Errorf("default reviews: %w", err)
			}
		}
		var c Closed
		err = s.inTx(ctx, func(t tx) error {
			var err error
			c, err = s.closeWindows(ctx, t, due)
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
	out, err := scanTransactions(rows)
	if err != nil {
		return nil, fmt.Errorf("due rating windows: %w", err)
	}
	return out, nil
}

func (s *Store) closeWindows(ctx context.Context, t tx, due []*transaction.Transaction) (Closed, error) {
	var c Closed
	origins, err := reviewOrigins(ctx, t, due)
	if err != nil {
		return c, err
	}
	outcomes := map[transaction.Outcome][]any{}
	for _, tr := range due {
		o := transaction.Unrated
		switch {
		case origins[tr.Number][review.Default] && len(origins[tr.Number]) == 1:
			o = transaction.Defaulted
			c.Defaulted++
		case len(origins[tr.Number]) > 0:
			o = transaction.Rated
			c.Rated++
		default:
			c.Unrated++
		}
		outcomes[o] = append(outcomes[o], tr.Number)
	}
	for o, nums := range outcomes {
		if _, err := t.exec(ctx, "UPDATE transactions SET outcome = ? WHERE outcome IS NULL AND number IN ("+
			placeholders(len(nums))+")", append([]any{string(o)}, nums...)...); err != nil {
			return c, err
		}
	}
	return c, nil
}

// reviewOrigins is, for each of due that has reviews, the origins of
// its reviews (given by the citizen, or recorded by default).
func reviewOrigins(ctx context.Context, q interface {
	query(context.Context, string, ...any) (*sql.Rows, error)
}, due []*transaction.Transaction) (map[string]map[review.Origin]bool, error) {
	numbers := make([]any, len(due))
	for i, tr := range due {
		numbers[i] = tr.Number
	}
	rows, err := q.query(ctx, `SELECT rt.txn, r.origin FROM review_transactions rt JOIN reviews r ON r.id = rt.review
		WHERE rt.txn IN (`+placeholders(len(numbers))+")", numbers...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]map[review.Origin]bool{}
	for rows.Next() {
		var txn, origin string
		if err := rows.Scan(&txn, &origin); err != nil {
			return nil, err
		}
		if out[txn] == nil {
			out[txn] = map[review.Origin]bool{}
		}
		out[txn][review.Origin(origin)] = true
	}
	return out, rows.Err()
}

// storeDefaults records the default review of each of due that has no
// review yet.
func (s *Store) storeDefaults(ctx context.Context, due []*transaction.Transaction, set int64) error {
	origins, err := reviewOrigins(ctx, s, due)
	if err != nil {
		return err
	}
	var rs []*review.Review
	for _, tr := range due {
		if len(origins[tr.Number]) == 0 {
			rs = append(rs, defaultReview(tr, set))
		}
	}
	if len(rs) == 0 {
		return nil
	}
	if err := s.EnsurePartitions(ctx, rs[0].CreatedAt, rs[len(rs)-1].CreatedAt); err != nil {
		return err
	}
	return s.CreateReviews(ctx, rs)
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
		// Bound to the reported transaction by the system, as migration 0105 has it.
		Anonymous: true, ReviewerKind: kind, Transaction: tr.Number, Origin: review.Default, Verification: review.ByTransaction}
}
