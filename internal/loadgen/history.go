package loadgen

import (
	"context"
	"fmt"
	"time"

	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
)

// The relative detectors judge a unit by its own usual rate, learnt from
// the day rollups of the last four weeks (fraud.Baseline). A benchmark's
// database has no such history, so the honest traffic of a benchmark, a
// thousand reviews a second, is a flood against a city used to none, and
// is held. History gives the benchmark's city the past of a city that
// busy: the day rollups of its traffic, in the generator's own mix, at the
// given rate through the halls' opening hours. Its review rows are not
// stored (a month at a benchmark's rate is billions of them); the
// detectors and the boards read only the rollups. Detection of real
// traffic is unchanged.

// HistoryConfig says what past to give the database.
type HistoryConfig struct {
	DB   string    // a database the demo catalogue is loaded in
	Rate float64   // reviews a second while the halls are open
	Days int       // days before Now's day; the baseline reads 28
	Now  time.Time // the server's clock of the runs to come
	Seed uint64
	// Sample is how many generated reviews set the mix (20,000 when 0).
	Sample int
}

// History stores cfg's history in cfg.DB.
func History(ctx context.Context, cfg HistoryConfig) error {
	if cfg.Rate <= 0 || cfg.Days <= 0 {
		return fmt.Errorf("history: want a positive rate and days, got %g and %d", cfg.Rate, cfg.Days)
	}
	if cfg.Sample <= 0 {
		cfg.Sample = 20_000
	}
	if cfg.Now.IsZero() {
		cfg.Now = time.Now()
	}
	st, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer st.Close()
	set, err := st.ActiveDimensionSet(ctx)
	if err != nil {
		return err
	}
	x := NewIndex(demo.Catalog(), set)
	g := NewGenerator(x, cfg.Seed)
	sample := make([]*review.Review, 0, cfg.Sample)
	for range cfg.Sample {
		sub := g.Next()
		r, err := review.Accept(ctx, x, &sub)
		if err != nil {
			return fmt.Errorf("history: a generated review: %w", err)
		}
		sample = append(sample, r)
	}
	return st.AddHistory(ctx, sample, cfg.Days, cfg.Rate*3600, cfg.Now)
}
