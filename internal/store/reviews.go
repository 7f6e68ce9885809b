package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/sms"
	"github.com/haocha/haocha/internal/workorder"
)

// CreateReview stores r, and its work order when it needs one, in one
// transaction. A second review of the same transaction and stage is a
// conflict; a review past lim, counted in the same transaction, is refused.
// It sets r.ID and r.CreatedAt.
func (s *Store) CreateReview(ctx context.Context, r *review.Review, lim review.RateLimit) (*workorder.NewOrder, error) {
	wo, _, err := s.CreateReviewTexted(ctx, r, lim, nil)
	return wo, err
}

// CreateReviewTexted is CreateReview that also queues in the outbox, in
// the transaction that stores r, the text its work order is due,
// text(order): held with r when r is held (as by HoldSMS), due at once
// otherwise (as by QueueSMS, for the caller to try: sms.Outbox.TryStored).
// The text is nil when r opens no order or text is nil.
func (s *Store) CreateReviewTexted(ctx context.Context, r *review.Review, lim review.RateLimit, text func(*workorder.NewOrder) sms.Message) (*workorder.NewOrder, *sms.Stored, error) {
	wo, texted, err := s.groupCreate(ctx, r, lim, text)
	if err != nil {
		return nil, nil, fmt.Errorf("create review: %w", err)
	}
	return wo, texted, nil
}

// reviewColumns are the columns a review is stored in, but its id, in the
// order of reviewArgs.
var reviewColumns = plain("created_at", "channel", "item", "stage", "unit", "district", "hall", "window_code",
	"workstation", "staff", "stars", "dimension_set", "score1", "score2", "score3", "score4", "score5", "score6",
	"tags", "comment", "anonymous", "reviewer_kind", "txn", "client_mark", "origin", "net_mark", "text_print", "held",
	"follows", "verification")

// reviewArgs are r's values for reviewColumns.
func reviewArgs(r *review.Review) []any {
	return appendReviewArgs(make([]any, 0, len(reviewColumns)), r)
}

// appendReviewArgs appends reviewArgs(r) to args: a group's rows go
// straight into its statement's arguments.
func appendReviewArgs(args []any, r *review.Review) []any {
	var scores [review.MaxDimensions]any
	for i := range scores {
		if i < len(r.Scores) && r.Scores[i] > 0 {
			scores[i] = r.Scores[i]
		}
	}
	return append(args, millis(r.CreatedAt), word(string(r.Channel)), r.Item, r.Stage, r.Unit, nullable(r.District), nullable(r.Hall),
		nullable(r.Window), nullable(r.Workstation), nullable(r.Staff), r.Stars, r.DimensionSet,
		scores[0], scores[1], scores[2], scores[3], scores[4], scores[5],
		int64(r.Tags), r.Comment, r.Anonymous, word(string(r.ReviewerKind)), nullable(r.Transaction), r.ClientMark, word(originOf(r)),
		r.NetMark, r.TextPrint, nullable(r.Held), nullID(r.Follows), word(string(r.Verification.Or())))
}

// word is s as an argument, boxed once for all reviews when it is one of
// the few values of a column of words (boxedWords): boxing a string
// copies it to the heap.
func word(s string) any {
	if v, ok := boxedWords[s]; ok {
		return v
	}
	return s
}

// boxedWords are the channels, reviewer kinds, origins and
// verifications, boxed.
var boxedWords = func() map[string]any {
	m := map[string]any{}
	add := func(s string) { m[s] = s }
	for _, c := range review.Channels {
		add(string(c))
	}
	for _, s := range []string{string(review.Person), string(review.Business), string(review.Free),
		string(review.FromTransaction), string(review.Default), string(review.ByTransaction),
		string(review.ByPresence), string(review.Unverified)} {
		add(s)
	}
	return m
}()

// nullID is id, or NULL for 0.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func originOf(r *review.Review) string {
	if r.Origin == "" {
		return string(review.Free)
	}
	return string(r.Origin)
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
	return s.holdOut(ctx, t, id, "excluded", reason)
}

// admit returns the statements that read what decides which of rs,
// reviews given just now, may be stored, and decide, called once they have
// run, which may: as if they came one after another, a review whose
// transaction and stage is reviewed already (in the database or earlier
// in rs) is refused with a conflict, one from a client mark or a network
// past lim, counted in w (ratecounts.go; nil when lim limits nothing), as
// lim decides; a later review, as fu's first reviews allow. Each refusal
// is the error at its index in decide's result; the others are nil, and
// count in w as pending until their group commits or fails. A refused
// review does not count against the rate.
func (s *Store) admit(w *windows, rs []*review.Review, lim review.RateLimit, fu *laters) (reads []stmt, decide func() []error) {
	claimed := map[[2]string]bool{}
	reads = append(reads, claimedStages(rs, claimed)...)
	reads = append(reads, firstReads(rs, fu)...)
	var others []arrival
	if w != nil && !s.pg {
		reads = append(reads, s.followStmt(w, &others))
	}
	return reads, func() []error {
		refused := make([]error, len(rs))
		if w != nil {
			w.mu.Lock()
			defer w.mu.Unlock()
			s.followed(w, others)
		}
		overRate := func(r *review.Review) error {
			if w == nil {
				return nil
			}
			if lim.Max > 0 && r.ClientMark != "" {
				if err := lim.Allow(w.rate(byDevice, r.ClientMark, millis(r.CreatedAt.Add(-lim.Window)))); err != nil {
					return err
				}
			}
			if lim.AddressMax > 0 && r.NetMark != "" {
				return lim.AllowAddress(w.rate(byNetwork, r.NetMark, millis(r.CreatedAt.Add(-lim.AddressWindow))))
			}
			return nil
		}
		for i, r := range rs {
			key := [2]string{r.Transaction, r.Stage}
			if refused[i] = overRate(r); refused[i] != nil {
				continue
			}
			switch {
			case r.Later:
				refused[i] = fu.admitLater(r, lim.LaterWindow)
			case r.Transaction != "" && claimed[key]:
				refused[i] = repeatedTransaction(r)
			default:
				if r.Transaction != "" {
					claimed[key] = true
				}
			}
			if refused[i] == nil && w != nil {
				w.pend(rs[i:i+1], 1)
			}
		}
		return refused
	}
}

// limits reports whether lim limits anything the windows count.
func limits(lim review.RateLimit) bool {
	return lim.Max > 0 || lim.AddressMax > 0
}

func repeatedTransaction(r *review.Review) error {
	return apperr.New(apperr.Conflict, "transaction", "transaction %s has already been reviewed at stage %s", r.Transaction, r.Stage)
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
