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

// benchTransactions are n transactions numbered from prefix, with a phone
// each when phones.
func benchTransactions(prefix string, n int, phones bool) []*transaction.Transaction {
	fin := storetest.Now.Add(-time.Hour)
	out := make([]*transaction.Transaction, n)
	for i := range out {
		t := &transaction.Transaction{Number: fmt.Sprintf("%s-%06d", prefix, i), Item: "SHGA-001", Stages: []string{"acceptance"},
			Unit: "310101", Channel: review.App, ApplicantKind: transaction.Person, AcceptedAt: fin.Add(-time.Hour),
			FinishedAt: fin, RatingClosesAt: fin.AddDate(0, 0, 15)}
		if phones {
			t.Phone = fmt.Sprintf("139%08d", i)
		}
		out[i] = t
	}
	return out
}

// BenchmarkSavePhonedTransactions stores batches of 1,000 transactions, with and
// without the applicant's phone: what sealing the phone and marking the
// invitation cost a business system's report. ns/op is per transaction.
func BenchmarkSavePhonedTransactions(b *testing.B) {
	for _, phones := range []bool{false, true} {
		b.Run(fmt.Sprintf("phones=%v", phones), func(b *testing.B) {
			st := storetest.Open(b, storetest.SQLiteDSN(b))
			ctx := context.Background()
			const batch = 1000
			b.ResetTimer()
			for i := 0; i < b.N; i += batch {
				ts := benchTransactions(fmt.Sprintf("B%d", i), min(batch, b.N-i), phones)
				if _, err := st.SaveTransactions(ctx, ts, 0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkToInvite reads the next 500 transactions due an invitation,
// opening their phones, among 20,000 open ones of which 1,000 are new:
// the scheduler's read each tick. ns/op is per transaction read.
func BenchmarkToInvite(b *testing.B) {
	st := storetest.Open(b, storetest.SQLiteDSN(b))
	ctx := context.Background()
	for i := range 20 {
		if _, err := st.SaveTransactions(ctx, benchTransactions(fmt.Sprintf("O%d", i), 1000, i == 19), 0); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i += 500 {
		due, err := st.ToInvite(ctx, storetest.Now, 500)
		if err != nil || len(due) != 500 {
			b.Fatalf("%d due, %v", len(due), err)
		}
	}
}
