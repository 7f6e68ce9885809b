package loadgen

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
)

// RawConfig says how to measure the database's ceiling for review rows.
type RawConfig struct {
	DB          string // SQLite file or postgres:// URL; migrated if needed
	Concurrency int    // writers, each with one INSERT in flight
	Rate        float64
	Duration    time.Duration
	Requests    int
	Seed        uint64
	// Batch, when above 1, stores that many rows per autocommit INSERT:
	// the ceiling of a group commit of that size. Throughput counts rows.
	Batch int
}

// RunRaw inserts generated review rows straight into the database, one
// autocommit INSERT each (store.Raw), and measures them as Run measures
// HTTP requests. The rows are those intake would store for the same
// payloads: each is resolved against the demo catalogue in memory, outside
// the database, so the ceiling is the database's alone. The rows are
// made up and bypass the stats rollups: use a scratch database.
func RunRaw(ctx context.Context, cfg RawConfig) (*Result, error) {
	if cfg.Concurrency < 1 {
		return nil, fmt.Errorf("concurrency must be at least 1, got %d", cfg.Concurrency)
	}
	if cfg.Duration <= 0 && cfg.Requests <= 0 {
		return nil, errors.New("give a duration or a number of inserts")
	}
	db, err := OpenRaw(ctx, cfg.DB, cfg.Concurrency)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return nil, err
	}
	set, err := db.ActiveDimensionSet(ctx)
	if err != nil {
		return nil, err
	}
	x := NewIndex(demo.Catalog(), set)
	gens := generators(x, cfg.Seed, cfg.Concurrency)
	var firstErr error
	var once sync.Once
	batch := max(cfg.Batch, 1)
	work := func(ctx context.Context, w int) string {
		rvs := make([]*review.Review, batch)
		for i := range rvs {
			sub := gens[w].Next()
			rv, err := review.Accept(ctx, x, &sub)
			if err != nil {
				return "generator"
			}
			rv.ClientMark = "benchraw"
			rvs[i] = rv
		}
		var err error
		if batch == 1 {
			err = db.InsertRaw(ctx, rvs[0])
		} else {
			err = db.InsertRawBatch(ctx, rvs)
		}
		if err != nil {
			once.Do(func() { firstErr = err })
			if strings.Contains(err.Error(), "locked") || strings.Contains(err.Error(), "BUSY") {
				return "busy"
			}
			return "insert"
		}
		return ""
	}
	t := drive(ctx, plan{concurrency: cfg.Concurrency, rate: cfg.Rate, duration: cfg.Duration, max: cfg.Requests}, work)
	res := &Result{Mode: "raw", Target: backend(cfg.DB), Concurrency: cfg.Concurrency, Rate: cfg.Rate}
	res.fill(t)
	res.Batch = batch
	res.Throughput = math.Round(res.Throughput*float64(batch)*10) / 10
	if firstErr != nil {
		res.FirstError = firstErr.Error()
	}
	return res, ctx.Err()
}

func backend(dsn string) string {
	if store.IsPostgres(dsn) {
		return "postgres"
	}
	return "sqlite"
}
