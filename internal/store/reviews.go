package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/workorder"
)

// CreateReview stores r, and its work order when it needs one, in one
// transaction. A second review of the same transaction and stage is a
// conflict; a review past lim, counted in the same transaction, is refused.
// It sets r.ID and r.CreatedAt.
func (s *Store) CreateReview(ctx context.Context, r *review.Review, lim review.RateLimit) (*workorder.NewOrder, error) {
	wo, err := s.groupCreate(ctx, r, lim)
	if err != nil {
		return nil, fmt.Errorf("create review: %w", err)
	}
	return wo, nil
}

// reviewColumns are the columns a review is stored in, but its id, in the
// order of reviewArgs.
var reviewColumns = plain("created_at", "channel", "item", "stage", "unit", "district", "hall", "window_code",
	"workstation", "staff", "stars", "dimension_set", "score1", "score2", "score3", "score4", "score5", "score6",
	"tags", "comment", "anonymous", "reviewer_kind", "txn", "client_mark")

// reviewArgs are r's values for reviewColumns.
func reviewArgs(r *review.Review) []any {
	var scores [review.MaxDimensions]any
	for i := range scores {
		if i < len(r.Scores) && r.Scores[i] > 0 {
			scores[i] = r.Scores[i]
		}
	}
	return []any{millis(r.CreatedAt), string(r.Channel), r.Item, r.Stage, r.Unit, nullable(r.District), nullable(r.Hall),
		nullable(r.Window), nullable(r.Workstation), nullable(r.Staff), r.Stars, r.DimensionSet,
		scores[0], scores[1], scores[2], scores[3], scores[4], scores[5],
		int64(r.Tags), r.Comment, r.Anonymous, string(r.ReviewerKind), nullable(r.Transaction), r.ClientMark}
}

// stamp gives reviews without a time the time of now.
func (s *Store) stamp(rs []*review.Review) {
	for _, r := range rs {
		if r.CreatedAt.IsZero() {
			r.CreatedAt = s.Now()
		}
	}
}

// newOrder is the work order r opens, numbered seq.
func newOrder(r *review.Review, seq int64) *workorder.NewOrder {
	return &workorder.NewOrder{
		Number: fmt.Sprintf("GD%s%06d", r.CreatedAt.In(calendar.Zone).Format("20060102"), seq),
		Token:  newToken(),
	}
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

// ExcludeReview holds a review out of the evaluation index with reason (an
// upheld appeal, suspected fraud), keeping it and the reason on record.
// Excluding an excluded review changes nothing.
func (s *Store) ExcludeReview(ctx context.Context, id int64, reason string) error {
	return s.inTx(ctx, func(t tx) error { return s.excludeReview(ctx, t, id, reason) })
}

// excludeReview is ExcludeReview inside a caller's transaction.
func (s *Store) excludeReview(ctx context.Context, t tx, id int64, reason string) error {
	if strings.TrimSpace(reason) == "" {
		return apperr.Invalidf("reason", "required")
	}
	r := &review.Review{ID: id, Scores: make([]int, review.MaxDimensions)}
	var created, tags int64
	var district sql.NullString
	var scores [review.MaxDimensions]sql.NullInt64
	// Every column a rollup axis reads, so that each takes the review out.
	err := t.queryRow(ctx, `SELECT created_at, channel, item, stage, unit, district, COALESCE(hall, ''), COALESCE(window_code, ''),
			COALESCE(workstation, ''), COALESCE(staff, ''), stars, tags, dimension_set,
			score1, score2, score3, score4, score5, score6
		FROM reviews WHERE id = ? AND excluded IS NULL`, id).Scan(&created, &r.Channel, &r.Item, &r.Stage, &r.Unit, &district,
		&r.Hall, &r.Window, &r.Workstation, &r.Staff,
		&r.Stars, &tags, &r.DimensionSet, &scores[0], &scores[1], &scores[2], &scores[3], &scores[4], &scores[5])
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return fmt.Errorf("exclude review %d: %w", id, err)
	}
	r.CreatedAt, r.District, r.Tags = fromMillis(created), district.String, review.TagSet(tags)
	for i, sc := range scores {
		r.Scores[i] = int(sc.Int64)
	}
	if _, err := t.exec(ctx, "UPDATE reviews SET excluded = ? WHERE id = ?", reason, id); err != nil {
		return fmt.Errorf("exclude review %d: %w", id, err)
	}
	ru := newRollups()
	ru.add(r, -1)
	return t.run(ctx, ru.stmts())
}

// admit returns the statements that read what decides which of rs,
// reviews given just now, may be stored, and decide, called once they have
// run, which may: as if they came one after another, a review whose
// transaction and stage is reviewed already (in the database or earlier
// in rs) is refused with a conflict, one from a client mark past lim,
// counted here, as lim decides. Each refusal is the error at its index in
// decide's result; the others are nil. A refused review does not count
// against the rate.
func (s *Store) admit(rs []*review.Review, lim review.RateLimit) (reads []stmt, decide func() []error) {
	given, reads := s.rateCounts(rs, lim)
	claimed := map[[2]string]bool{}
	reads = append(reads, claimedStages(rs, claimed)...)
	return reads, func() []error {
		refused := make([]error, len(rs))
		for i, r := range rs {
			key := [2]string{r.Transaction, r.Stage}
			switch {
			case r.ClientMark != "" && lim.Allow(given[r.ClientMark]) != nil:
				refused[i] = lim.Allow(given[r.ClientMark])
			case r.Transaction != "" && claimed[key]:
				refused[i] = repeatedTransaction(r)
			default:
				if r.Transaction != "" {
					claimed[key] = true
				}
				if r.ClientMark != "" {
					given[r.ClientMark]++
				}
			}
		}
		return refused
	}
}

func repeatedTransaction(r *review.Review) error {
	return apperr.New(apperr.Conflict, "transaction", "transaction %s has already been reviewed at stage %s", r.Transaction, r.Stage)
}

// rateCounts returns the statements that count, into the map, the reviews
// each client mark of rs has given within lim's window before the earliest
// of rs, when lim limits anything. The count is read from the reviews
// themselves, so it holds across server processes.
func (s *Store) rateCounts(rs []*review.Review, lim review.RateLimit) (map[string]int, []stmt) {
	given := map[string]int{}
	if !lim.On() {
		return given, nil
	}
	var marks []any
	since := rs[0].CreatedAt
	for _, r := range rs {
		if _, seen := given[r.ClientMark]; r.ClientMark != "" && !seen {
			given[r.ClientMark] = 0
			marks = append(marks, r.ClientMark)
		}
		since = minTime(since, r.CreatedAt)
	}
	if len(marks) == 0 {
		return given, nil
	}
	marks = padded(marks)
	var out []stmt
	if s.pg {
		// Transactions of other committers and processes must not count
		// past each other: hold each device's lock until commit, taken in
		// one order so that no two transactions wait on each other.
		out = append(out, stmt{q: "SELECT pg_advisory_xact_lock(?, hashtext(m)) FROM (VALUES " +
			repeated("(CAST(? AS TEXT))", len(marks)) + ") v(m) ORDER BY m", args: append([]any{classDevice}, marks...),
			row: func(func(...any) error) error { return nil }})
	}
	out = append(out, stmt{q: `SELECT client_mark, COUNT(*) FROM reviews WHERE client_mark IN (` +
		placeholders(len(marks)) + `) AND created_at > ? GROUP BY client_mark`,
		args: append(marks, millis(since.Add(-lim.Window))),
		row: func(scan func(...any) error) error {
			var mark string
			var n int
			err := scan(&mark, &n)
			given[mark] = n
			return err
		}})
	return given, out
}

// claimedStages returns the statements that mark in claimed the
// transaction and stage pairs of rs that are reviewed already. Another
// PostgreSQL committer may claim one after this reads: the insert then
// fails the group with a conflict, and the committer stores the group
// again (see groupcommit.go).
func claimedStages(rs []*review.Review, claimed map[[2]string]bool) []stmt {
	var txns []any
	seen := map[string]bool{}
	for _, r := range rs {
		if r.Transaction != "" && !seen[r.Transaction] {
			seen[r.Transaction] = true
			txns = append(txns, r.Transaction)
		}
	}
	if len(txns) == 0 {
		return nil
	}
	txns = padded(txns)
	return []stmt{{q: "SELECT txn, stage FROM review_transactions WHERE txn IN (" + placeholders(len(txns)) + ")", args: txns,
		row: func(scan func(...any) error) error {
			var key [2]string
			err := scan(&key[0], &key[1])
			claimed[key] = true
			return err
		}}}
}

// WorkOrderStates counts work orders by state, for monitoring.
func (s *Store) WorkOrderStates(ctx context.Context) (map[string]int64, error) {
	rows, err := s.query(ctx, "SELECT state, COUNT(*) FROM work_orders GROUP BY state")
	if err != nil {
		return nil, fmt.Errorf("count work orders: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var state string
		var n int64
		if err := rows.Scan(&state, &n); err != nil {
			return nil, err
		}
		out[state] = n
	}
	return out, rows.Err()
}
