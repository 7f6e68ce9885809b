package demo

import (
	"context"
	"errors"
	"fmt"

	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/fraud"
	"github.com/haocha/haocha/internal/progress"
	"github.com/haocha/haocha/internal/review"
)

// Store is where the demo is loaded.
type Store interface {
	HasCatalog(ctx context.Context) (bool, error)
	ImportCatalog(ctx context.Context, c *catalog.Catalog) error
	SetHallHours(ctx context.Context, hall string, h fraud.Hours) error
	ActiveDimensionSet(ctx context.Context) (review.DimensionSet, error)
	CreateReviews(ctx context.Context, rs []*review.Review) error
	WithoutReviewIndexes(ctx context.Context, fn func() error) error
	Loop
	Transactions
}

// bulkFrom is the volume from which the reviews' indexes are built after
// loading rather than during.
const bulkFrom = 200_000

// Load stores the demo catalogue, when the store has none, and the reviews
// that o describes (none when o.Reviews is negative). Below bulkFrom
// reviews it plays their work orders up to o.Now (Live); bulk loads are
// for benchmarks and leave them new.
func Load(ctx context.Context, st Store, o Options) error {
	none := o.Reviews < 0
	o.defaults()
	c := Catalog()
	has, err := st.HasCatalog(ctx)
	if err != nil {
		return err
	}
	if !has {
		if err := st.ImportCatalog(ctx, c); err != nil {
			return fmt.Errorf("demo catalogue: %w", err)
		}
		if err := loadRules(ctx, st, c, o.Now); err != nil {
			return err
		}
		for _, h := range c.Halls {
			if err := st.SetHallHours(ctx, h.Code, openingOf(h)); err != nil {
				return err
			}
		}
	}
	if none {
		return nil
	}
	set, err := st.ActiveDimensionSet(ctx)
	if err != nil {
		return err
	}
	bar := progress.New(o.Progress, int64(o.Reviews), "demo reviews")
	// Bulk loads, for benchmarks of the reviews, report no transactions.
	var txns *reporter
	if o.Reviews < bulkFrom {
		txns = newReporter(o.Seed)
	}
	gen := func() error {
		prepare := func(batch []*review.Review) error {
			if err := sealContacts(batch, o.Contacts); err != nil {
				return err
			}
			if txns != nil {
				txns.link(batch)
			}
			return nil
		}
		err := pipelined(c, set, o, prepare, func(batch []*review.Review) error {
			if err := st.CreateReviews(ctx, batch); err != nil {
				return err
			}
			bar.Add(int64(len(batch)))
			return nil
		})
		bar.Finish()
		if err == nil && o.Reviews >= bulkFrom && o.Progress != nil {
			// Said before the wait, which has no count to show.
			fmt.Fprintln(o.Progress, "demo reviews: building the review indexes")
		}
		return err
	}
	if o.Reviews >= bulkFrom {
		return st.WithoutReviewIndexes(ctx, gen)
	}
	if err := gen(); err != nil {
		return err
	}
	if err := txns.report(ctx, st, o.Now); err != nil || o.Frozen {
		return err
	}
	return live(ctx, st, o.Now, o.Seed, o.Progress)
}

// sealContacts seals the batch's contacts with cc, when there is one.
func sealContacts(batch []*review.Review, cc review.ContactCipher) error {
	if cc == nil {
		return nil
	}
	for _, r := range batch {
		if r.Contact == nil {
			continue
		}
		c, err := cc.SealContact(*r.Contact)
		if err != nil {
			return fmt.Errorf("seal contact: %w", err)
		}
		r.Contact = &c
	}
	return nil
}

// errStopped ends a generation whose batches are no longer stored.
var errStopped = errors.New("demo: generation stopped")

// pipelined generates the reviews of o on a goroutine of its own, with
// prepare run on each batch there, and stores them with store on the
// caller's, in order: generation and sealing take the second core while
// the writer stores. At most two batches wait between the two.
func pipelined(c *catalog.Catalog, set review.DimensionSet, o Options, prepare, store func([]*review.Review) error) error {
	batches := make(chan []*review.Review, 2)
	stop := make(chan struct{})
	generated := make(chan error, 1)
	go func() {
		defer close(batches)
		generated <- Generate(c, set, o, func(batch []*review.Review) error {
			if err := prepare(batch); err != nil {
				return err
			}
			select {
			case batches <- batch:
				return nil
			case <-stop:
				return errStopped
			}
		})
	}()
	var err error
	for batch := range batches {
		if err != nil {
			continue // drained, not stored
		}
		if err = store(batch); err != nil {
			close(stop)
		}
	}
	if gerr := <-generated; err == nil {
		err = gerr
	}
	return err
}
