package store

// Later review reviews (追评): the second opinion on one transaction and
// stage. A later review links to the first review (reviews.follows), one per
// transaction and stage (review_later); once it counts, the first is
// superseded: out of the rollups and the index, kept on record.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/haocha/haocha/internal/review"
)

// firstReview is a first review as a later review's admission reads it.
type firstReview struct {
	review.FirstReview
	r   *review.Review // its rollup columns, to take it out
	out bool           // out of the rollups already (held, excluded, superseded)
}

// laters carries what admit read of the first reviews of a group's
// later reviews to the statements that store them.
type laters struct {
	firsts map[[2]string]*firstReview // by transaction and stage
	byID   map[int64]*firstReview
}

// rollupReviewColumns are the columns of a review every rollup axis reads,
// and whether it is out of the rollups, as scanRollupReview reads them:
// integers and text only, which a round reads on both backends.
const rollupReviewColumns = `r.id, r.created_at, r.channel, r.item, r.stage, r.unit, COALESCE(r.district, ''), COALESCE(r.hall, ''),
	COALESCE(r.window_code, ''), COALESCE(r.workstation, ''), COALESCE(r.staff, ''), r.stars, r.tags, r.dimension_set,
	COALESCE(r.score1, 0), COALESCE(r.score2, 0), COALESCE(r.score3, 0), COALESCE(r.score4, 0), COALESCE(r.score5, 0),
	COALESCE(r.score6, 0), r.origin, r.verification,
	CASE WHEN r.excluded IS NOT NULL OR r.held IS NOT NULL OR r.superseded IS NOT NULL THEN 1 ELSE 0 END`

// scanRollupReview scans a row of rollupReviewColumns followed by extra.
func scanRollupReview(scan func(...any) error, extra ...any) (*review.Review, bool, error) {
	r := &review.Review{Scores: make([]int, review.MaxDimensions)}
	var created, tags int64
	var channel, origin, level string
	var out int
	err := scan(append([]any{&r.ID, &created, &channel, &r.Item, &r.Stage, &r.Unit, &r.District,
		&r.Hall, &r.Window, &r.Workstation, &r.Staff, &r.Stars, &tags, &r.DimensionSet,
		&r.Scores[0], &r.Scores[1], &r.Scores[2], &r.Scores[3], &r.Scores[4], &r.Scores[5], &origin, &level, &out}, extra...)...)
	if err != nil {
		return nil, false, err
	}
	r.CreatedAt, r.Tags = fromMillis(created), review.TagSet(tags)
	r.Channel, r.Origin, r.Verification = review.Channel(channel), review.Origin(origin), review.Verification(level)
	return r, out == 1, nil
}

// firstReads returns the statements that read into fu the first reviews
// of the transactions and stages rs follow.
func firstReads(rs []*review.Review, fu *laters) []stmt {
	var txns []any
	seen := map[string]bool{}
	for _, r := range rs {
		if r.Later && !seen[r.Transaction] {
			seen[r.Transaction] = true
			txns = append(txns, r.Transaction)
		}
	}
	if len(txns) == 0 {
		return nil
	}
	txns = padded(txns)
	return []stmt{{q: "SELECT t.txn, " + rollupReviewColumns + `,
			CASE WHEN EXISTS (SELECT 1 FROM review_later f WHERE f.txn = t.txn AND f.stage = t.stage) THEN 1 ELSE 0 END,
			CASE WHEN EXISTS (SELECT 1 FROM work_orders o WHERE o.review = r.id) THEN 1 ELSE 0 END
		FROM review_transactions t JOIN reviews r ON r.id = t.review WHERE t.txn IN (` + placeholders(len(txns)) + ")",
		args: txns,
		row: func(scan func(...any) error) error {
			var txn string
			var followed, order int
			r, out, err := scanRollupReview(func(dest ...any) error { return scan(append([]any{&txn}, dest...)...) }, &followed, &order)
			if err != nil {
				return err
			}
			f := &firstReview{FirstReview: review.FirstReview{ID: r.ID, CreatedAt: r.CreatedAt, Item: r.Item,
				HasLater: followed == 1, HasOrder: order == 1}, r: r, out: out}
			fu.firsts[[2]string{txn, r.Stage}] = f
			fu.byID[r.ID] = f
			return nil
		}}}
}

// admitLater decides whether r, a later review, may follow its first
// review, and if so links it there and gives it the first's places: the
// later review is of the same service, wherever it is given.
func (fu *laters) admitLater(r *review.Review, window time.Duration) error {
	f := fu.firsts[[2]string{r.Transaction, r.Stage}]
	var first *review.FirstReview
	if f != nil {
		first = &f.FirstReview
	}
	if err := review.CheckLater(r, first, window); err != nil {
		return err
	}
	f.HasLater = true // a second later review in the same group is refused too
	r.Follows = f.ID
	r.Unit, r.District, r.Hall, r.Window, r.Workstation, r.Staff = f.r.Unit, f.r.District, f.r.Hall, f.r.Window, f.r.Workstation, f.r.Staff
	return nil
}

// supersede returns the statements that take the first review of
// later review r out of the index once r counts, adding to ru.
func (fu *laters) supersede(r *review.Review, ru rollupCounter) []stmt {
	f := fu.byID[r.Follows]
	if !f.out {
		ru.add(f.r, -1)
		f.out = true
	}
	return []stmt{{q: "UPDATE reviews SET superseded = ? WHERE id = ?", args: []any{r.ID, f.ID}}}
}

// supersedeFirst takes the first review of the later review id out of the
// index inside t, when id follows one: a held later review released.
func (s *Store) supersedeFirst(ctx context.Context, t tx, id int64) error {
	var first sql.NullInt64
	if err := t.queryRow(ctx, "SELECT follows FROM reviews WHERE id = ?", id).Scan(&first); err != nil {
		return fmt.Errorf("later review %d: %w", id, err)
	}
	if !first.Valid {
		return nil
	}
	r, out, err := scanRollupReviewTx(ctx, t, first.Int64)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return fmt.Errorf("later review %d: %w", id, err)
	}
	if _, err := t.exec(ctx, "UPDATE reviews SET superseded = ? WHERE id = ?", id, first.Int64); err != nil {
		return fmt.Errorf("later review %d: %w", id, err)
	}
	if out {
		return nil
	}
	ru := s.newRollups()
	ru.add(r, -1)
	return t.addRollups(ctx, ru)
}

// scanRollupReviewTx reads review id's rollup columns inside t.
func scanRollupReviewTx(ctx context.Context, t tx, id int64) (*review.Review, bool, error) {
	row := t.queryRow(ctx, "SELECT "+rollupReviewColumns+" FROM reviews r WHERE r.id = ?", id)
	return scanRollupReview(row.Scan)
}

// otherOpinions returns the later review of review id, and the first
// review it follows when follows is not 0; nil for none.
func (s *Store) otherOpinions(ctx context.Context, id, follows int64) (later, first *review.Opinion, err error) {
	const cols = "SELECT r.id, r.created_at, r.stars, r.tags, r.comment, CASE WHEN r.held IS NULL THEN 0 ELSE 1 END, r.anonymous FROM "
	if later, err = s.opinion(ctx, cols+"review_later l JOIN reviews r ON r.id = l.review WHERE l.follows = ?", id); err != nil {
		return nil, nil, err
	}
	if follows != 0 {
		if first, err = s.opinion(ctx, cols+"reviews r WHERE r.id = ?", follows); err != nil {
			return nil, nil, err
		}
	}
	return later, first, nil
}

func (s *Store) opinion(ctx context.Context, q string, arg int64) (*review.Opinion, error) {
	var o review.Opinion
	var at, tags int64
	var held int
	err := s.queryRow(ctx, q, arg).Scan(&o.ID, &at, &o.Stars, &tags, &o.Comment, &held, &o.Anonymous)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("review opinion: %w", err)
	}
	o.CreatedAt, o.Tags, o.Held = fromMillis(at), review.TagSet(tags), held == 1
	return &o, nil
}
