package store

import (
	"context"

	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/sms"
	"github.com/haocha/haocha/internal/workorder"
)

// StoreGroupTexted is StoreGroup with each review's text, queued by the
// group: text(i, order) is review i's; texted says what became of each.
func (s *Store) StoreGroupTexted(rs []*review.Review, lim review.RateLimit, text func(int, *workorder.NewOrder) sms.Message) ([]*workorder.NewOrder, []*sms.Stored, []error) {
	reqs := make([]*writeReq, len(rs))
	for i, r := range rs {
		reqs[i] = &writeReq{ctx: context.Background(), r: r, lim: lim, done: make(chan struct{}),
			text: func(wo *workorder.NewOrder) sms.Message { return text(i, wo) }}
	}
	s.commitGroup(reqs)
	orders, texted, errs := make([]*workorder.NewOrder, len(rs)), make([]*sms.Stored, len(rs)), make([]error, len(rs))
	for i, req := range reqs {
		orders[i], texted[i], errs[i] = req.wo, req.texted, req.err
	}
	return orders, texted, errs
}

// Never is the next_at of a text that waits for ever.
const Never = never
