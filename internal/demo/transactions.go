package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/transaction"
)

// Transactions is what the demo needs to report its transactions (办件)
// and close the rating windows that ended before it was loaded.
type Transactions interface {
	SaveTransactions(ctx context.Context, ts []*transaction.Transaction, reporter int64) (map[string]*transaction.Transaction, error)
	CloseRatingWindows(ctx context.Context, now time.Time, defaults bool) (store.Closed, error)
}

// reporter makes the transactions the business systems of the demo's city
// report: one for each review that names a transaction number (the
// review then counts as linked), and beside it up to two more of the same
// place, item and stage that nobody rated, so that 未评率 and each
// channel's participation have figures.
type reporter struct {
	rng *rand.Rand
	ts  []*transaction.Transaction
}

func newReporter(seed uint64) *reporter {
	return &reporter{rng: rand.New(rand.NewPCG(seed, 0x6261_6e6a_6961))}
}

// link reports the transactions of batch and links its reviews to them.
func (p *reporter) link(batch []*review.Review) {
	for _, r := range batch {
		if r.Transaction == "" {
			continue
		}
		r.Origin = review.FromTransaction
		finished := r.CreatedAt.Add(-time.Duration(p.rng.IntN(30)) * time.Minute)
		p.add(r, r.Transaction, finished)
		for k := range p.rng.IntN(3) {
			p.add(r, fmt.Sprintf("%s-%d", r.Transaction, k+1), finished.Add(-time.Duration(k+1)*17*time.Minute))
		}
	}
}

func (p *reporter) add(r *review.Review, number string, finished time.Time) {
	kind := transaction.Person
	if r.ReviewerKind == review.Business {
		kind = transaction.Organisation
	}
	p.ts = append(p.ts, &transaction.Transaction{Number: number, Item: r.Item, Stages: []string{r.Stage}, Unit: r.Unit,
		District: r.District, Hall: r.Hall, Window: r.Window, Workstation: r.Workstation, Channel: r.Channel, Staff: r.Staff,
		ApplicantKind: kind, AcceptedAt: finished.Add(-time.Hour), FinishedAt: finished,
		RatingClosesAt: transaction.RatingCloses(finished, transaction.DefaultRatingDays),
		// Reported as it finished, not when the demo was loaded: a window's
		// rating device offers only what was reported in the last hour.
		ReportedAt: finished})
}

// report stores the transactions and closes the windows ended by now.
func (p *reporter) report(ctx context.Context, st Transactions, now time.Time) error {
	if _, err := st.SaveTransactions(ctx, p.ts, 0); err != nil {
		return fmt.Errorf("demo transactions: %w", err)
	}
	if _, err := st.CloseRatingWindows(ctx, now, false); err != nil {
		return fmt.Errorf("demo rating windows: %w", err)
	}
	return nil
}
