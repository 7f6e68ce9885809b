package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/review"
)

// NewOrder is the work order created with a bad review.
type NewOrder struct {
	Number string
	// Token is the citizen's private follow-up token. Only its hash is
	// stored: this is the one moment it is known.
	Token string
}

// CreateReview stores r, and its work order when it needs one, in one
// transaction. A second review of the same transaction and stage is a
// conflict. It sets r.ID and r.CreatedAt.
func (s *Store) CreateReview(ctx context.Context, r *review.Review) (*NewOrder, error) {
	var wo *NewOrder
	err := s.groupTx(ctx, func(t tx) error {
		var err error
		wo, err = s.insertReview(ctx, t, r)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("create review: %w", err)
	}
	return wo, nil
}

// CreateReviews stores many reviews in one transaction; the demo and
// imports use it. A repeated transaction and stage fails the whole batch.
func (s *Store) CreateReviews(ctx context.Context, rs []*review.Review) error {
	return s.inTx(ctx, func(t tx) error {
		for _, r := range rs {
			if _, err := s.insertReview(ctx, t, r); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *Store) insertReview(ctx context.Context, t tx, r *review.Review) (*NewOrder, error) {
	if r.CreatedAt.IsZero() {
		r.CreatedAt = s.Now()
	}
	var scores [review.MaxDimensions]any
	for i := range scores {
		if i < len(r.Scores) && r.Scores[i] > 0 {
			scores[i] = r.Scores[i]
		}
	}
	err := t.queryRow(ctx, `INSERT INTO reviews (created_at, channel, item, stage, unit, district, hall, window_code,
			workstation, staff, stars, dimension_set, score1, score2, score3, score4, score5, score6,
			tags, comment, anonymous, reviewer_kind, txn, client_mark)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		millis(r.CreatedAt), string(r.Channel), r.Item, r.Stage, r.Unit, nullable(r.District), nullable(r.Hall),
		nullable(r.Window), nullable(r.Workstation), nullable(r.Staff), r.Stars, r.DimensionSet,
		scores[0], scores[1], scores[2], scores[3], scores[4], scores[5],
		int64(r.Tags), r.Comment, r.Anonymous, string(r.ReviewerKind), nullable(r.Transaction), r.ClientMark,
	).Scan(&r.ID)
	if err != nil {
		return nil, fmt.Errorf("insert review: %w", err)
	}
	if r.Transaction != "" {
		res, err := t.exec(ctx, `INSERT INTO review_transactions (txn, stage, review) VALUES (?, ?, ?)
			ON CONFLICT DO NOTHING`, r.Transaction, r.Stage, r.ID)
		if err != nil {
			return nil, fmt.Errorf("record transaction: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil, apperr.New(apperr.Conflict, "transaction",
				"transaction %s has already been reviewed at stage %s", r.Transaction, r.Stage)
		}
	}
	if r.Contact != nil {
		if _, err := t.exec(ctx, "INSERT INTO review_contacts (review, name, phone) VALUES (?, ?, ?)",
			r.ID, r.Contact.Name, r.Contact.Phone); err != nil {
			return nil, fmt.Errorf("insert contact: %w", err)
		}
	}
	if !r.NeedsWorkOrder() {
		return nil, nil
	}
	return s.insertWorkOrder(ctx, t, r)
}

func (s *Store) insertWorkOrder(ctx context.Context, t tx, r *review.Review) (*NewOrder, error) {
	var seq int64
	err := t.queryRow(ctx, `INSERT INTO counters (name, value) VALUES ('work_order', 1)
		ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value`).Scan(&seq)
	if err != nil {
		return nil, fmt.Errorf("number work order: %w", err)
	}
	wo := &NewOrder{
		Number: fmt.Sprintf("GD%s%06d", r.CreatedAt.In(calendar.Zone).Format("20060102"), seq),
		Token:  newToken(),
	}
	now := millis(r.CreatedAt)
	if _, err := t.exec(ctx, `INSERT INTO work_orders (number, review, state, round, created_at, updated_at, citizen_token)
		VALUES (?, ?, 'new', 1, ?, ?, ?)`, wo.Number, r.ID, now, now, HashToken(wo.Token)); err != nil {
		return nil, fmt.Errorf("insert work order: %w", err)
	}
	return wo, nil
}

// newToken returns 128 random bits, URL-safe.
func newToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken is how a secret token is kept at rest.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// filterWhere builds the WHERE clause of a stats query. Reviews held out of
// the index (upheld appeals, suspected fraud) never count.
func filterWhere(f review.Filter) (string, []any) {
	where := []string{"excluded IS NULL"}
	var args []any
	eq := func(col, v string) {
		if v != "" {
			where, args = append(where, col+" = ?"), append(args, v)
		}
	}
	eq("district", f.District)
	eq("unit", f.Agency)
	eq("unit", f.Unit)
	eq("item", f.Item)
	eq("stage", f.Stage)
	eq("channel", string(f.Channel))
	eq("hall", f.Hall)
	eq("workstation", f.Workstation)
	eq("staff", f.Staff)
	if !f.From.IsZero() {
		where, args = append(where, "created_at >= ?"), append(args, millis(f.From))
	}
	if !f.To.IsZero() {
		// To is an inclusive day: everything before the next midnight.
		end := time.Date(f.To.Year(), f.To.Month(), f.To.Day()+1, 0, 0, 0, 0, calendar.Zone)
		where, args = append(where, "created_at < ?"), append(args, millis(end))
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

// statsColumns sums stars, tags and dimension scores in one pass.
var statsColumns = func() string {
	var cols []string
	for i := 1; i <= 5; i++ {
		cols = append(cols, fmt.Sprintf("SUM(CASE WHEN stars = %d THEN 1 ELSE 0 END)", i))
	}
	for i := range review.Tags {
		cols = append(cols, fmt.Sprintf("SUM(CASE WHEN tags & %d <> 0 THEN 1 ELSE 0 END)", 1<<i))
	}
	for i := 1; i <= review.MaxDimensions; i++ {
		cols = append(cols, fmt.Sprintf("COALESCE(SUM(score%d), 0), COUNT(score%d)", i, i))
	}
	return strings.Join(cols, ", ")
}()

// Stats tallies the reviews that f selects.
func (s *Store) Stats(ctx context.Context, f review.Filter) (review.Tally, error) {
	var t review.Tally
	where, args := filterWhere(f)
	rows, err := s.query(ctx, "SELECT dimension_set, "+statsColumns+" FROM reviews"+where+" GROUP BY dimension_set", args...)
	if err != nil {
		return t, fmt.Errorf("stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var set int64
		var stars [5]int64
		tags := make([]int64, len(review.Tags))
		var sums, counts [review.MaxDimensions]int64
		dest := []any{&set}
		for i := range stars {
			dest = append(dest, &stars[i])
		}
		for i := range tags {
			dest = append(dest, &tags[i])
		}
		for i := range sums {
			dest = append(dest, &sums[i], &counts[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return t, fmt.Errorf("stats: %w", err)
		}
		ds, err := s.DimensionSet(ctx, set)
		if err != nil {
			return t, err
		}
		for i := range stars {
			t.Stars[i] += stars[i]
		}
		for i := range tags {
			t.Tags[i] += tags[i]
		}
		t.AddScores(ds, sums[:], counts[:])
	}
	return t, rows.Err()
}
