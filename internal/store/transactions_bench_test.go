package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store/storetest"
	"github.com/haocha/haocha/internal/transaction"
)

// BenchmarkSaveTransactions stores batches of 1,000 new checked
// transactions (every fourth with a phone) through SaveTransactions, the
// write behind POST /api/v1/transactions, and reports transactions per
// second (the goal: 20,000).
//
//	go test ./internal/store -run '^$' -bench SaveTransactions -benchtime 50x
func BenchmarkSaveTransactions(b *testing.B) {
	for name, dsn := range storetest.Backends(b) {
		b.Run(name, func(b *testing.B) {
			st := storetest.OpenFixture(b, dsn(b))
			ctx := context.Background()
			fin := storetest.Now.Add(-time.Hour)
			batches := make([][]*transaction.Transaction, b.N)
			for i := range batches {
				batches[i] = make([]*transaction.Transaction, 1000)
				for j := range batches[i] {
					t := &transaction.Transaction{Number: fmt.Sprintf("BJ%06d%04d", i, j), Item: "GA-001",
						Stages: []string{"acceptance"}, Unit: "310101", District: "310101", Hall: "H1", Window: "H1-W1",
						Workstation: "H1-W1-1", Channel: review.Window, Staff: "S1", ApplicantKind: transaction.Person,
						AcceptedAt: fin.Add(-20 * time.Minute), FinishedAt: fin, RatingClosesAt: fin.AddDate(0, 0, 15)}
					if j%4 == 0 {
						t.Phone = fmt.Sprintf("139%08d", j)
					}
					batches[i][j] = t
				}
			}
			rate := storetest.StartRate(b)
			for i := range b.N {
				kept, err := st.SaveTransactions(ctx, batches[i], 1)
				if err != nil || len(kept) != 0 {
					b.Fatalf("batch %d: %d kept, %v", i, len(kept), err)
				}
			}
			rate.Report(b, b.N*1000, "txn")
		})
	}
}
