package store

import (
	"context"
	"fmt"

	"github.com/haocha/haocha/internal/apperr"
)

// FollowView is what the citizen's private follow-up page shows of a work
// order: its state and the review it was born of, nothing about the unit's
// internal handling.
type FollowView struct {
	Number    string
	State     string
	Round     int
	CreatedAt int64 // Unix milliseconds
	UpdatedAt int64 // Unix milliseconds
	Item      string
	Stage     string
	Stars     int
}

// WorkOrderByToken returns the work order whose citizen token is token.
// An unknown token is not found: it must not tell whether any order exists.
func (s *Store) WorkOrderByToken(ctx context.Context, token string) (FollowView, error) {
	var v FollowView
	if token == "" {
		return v, apperr.NotFoundf("token", "no such work order")
	}
	err := s.queryRow(ctx, `SELECT wo.number, wo.state, wo.round, wo.created_at, wo.updated_at, r.item, r.stage, r.stars
		FROM work_orders wo JOIN reviews r ON r.id = wo.review
		WHERE wo.citizen_token = ?`, HashToken(token)).
		Scan(&v.Number, &v.State, &v.Round, &v.CreatedAt, &v.UpdatedAt, &v.Item, &v.Stage, &v.Stars)
	if err != nil {
		return v, notFound(fmt.Errorf("work order by token: %w", err), "token", "no such work order")
	}
	return v, nil
}
