package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/haocha/haocha/internal/progress"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/transaction"
)

// importTransactions loads transaction files as a business system's batches
// would: each good record is stored, each bad one named by file and line,
// and the command fails when any was bad.
// Progress goes to progressOut, a bar a file.
func importTransactions(ctx context.Context, st *store.Store, names []string, out, progressOut io.Writer) error {
	svc := &transaction.Service{Store: st, RatingDays: intEnv("HAOCHA_RATING_WINDOW_DAYS", transaction.DefaultRatingDays)}
	bad := 0
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		lines, err := transaction.ReadCSV(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		sum := map[transaction.Status]int{}
		bar := progress.New(progressOut, int64(len(lines)), "import "+filepath.Base(name))
		for start := 0; start < len(lines); start += transaction.MaxBatch {
			batch := lines[start:min(start+transaction.MaxBatch, len(lines))]
			recs := make([]transaction.Record, len(batch))
			for i, l := range batch {
				recs[i] = l.Record
			}
			results, err := svc.Report(ctx, transaction.Reporter{}, recs)
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			for i, res := range results {
				sum[res.Status]++
				if res.Status == transaction.Failed {
					fmt.Fprintf(out, "%s:%d: %s: %s\n", name, batch[i].Line, res.Field, res.Error)
				}
			}
			bar.Add(int64(len(batch)))
		}
		bar.Finish()
		bad += sum[transaction.Failed]
		fmt.Fprintf(out, "%s: %d created, %d unchanged, %d with errors\n", name,
			sum[transaction.Created], sum[transaction.Unchanged], sum[transaction.Failed])
	}
	if bad > 0 {
		return fmt.Errorf("import: %d transactions refused (named above); the others are stored", bad)
	}
	return nil
}
