package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/transaction"
)

// Personal data PlantDay stores, which no export may carry.
const (
	PlantedPhone   = "13912345678"
	PlantedName    = "李雷"
	PlantedComment = "窗口人员态度差，让我跑了三次"
)

// PlantDay stores, at the fixture's places and at, two reported
// transactions (one with the applicant's phone) and three reviews: an
// anonymous 2-star window review of T1 with a comment and a tag, a
// real-name 5-star app review of T1 with dimensions, and an anonymous
// online review with no transaction. The store's clock is left at at.
func PlantDay(tb testing.TB, st *store.Store, at time.Time) {
	tb.Helper()
	ctx := context.Background()
	st.Now = func() time.Time { return at }
	svc := transaction.Service{Store: st}
	res, err := svc.Report(ctx, transaction.Reporter{}, []transaction.Record{
		{Number: "T1", Item: "GA-001", Stages: []string{"acceptance", "decision"}, Unit: "310101", Workstation: "H1-W1-1",
			ApplicantKind: "person", AcceptedAt: at.Add(-time.Hour).Format(time.RFC3339), FinishedAt: at.Format(time.RFC3339), Phone: PlantedPhone},
		{Number: "T2", Item: "SCJG-001", Stages: []string{"application"}, Unit: "SCJG", Channel: "pc",
			ApplicantKind: "organisation", AcceptedAt: at.Add(-time.Hour).Format(time.RFC3339), FinishedAt: at.Format(time.RFC3339)},
	})
	if err != nil {
		tb.Fatal(err)
	}
	for _, r := range res {
		if r.Status != transaction.Created {
			tb.Fatalf("transaction %s: %+v", r.Number, r)
		}
	}
	yes, no := true, false
	for i, sub := range []review.Submission{
		{Channel: "window", Workstation: "H1-W1-1", Item: "GA-001", Stage: "acceptance", Stars: 2, Tags: []string{"attitude"},
			Comment: PlantedComment, Anonymous: &yes, Transaction: "T1"},
		{Channel: "app", Item: "GA-001", Stage: "decision", Stars: 5, Anonymous: &no, Name: PlantedName, Phone: "13800001111",
			ReviewerKind: "person", Transaction: "T1", Dimensions: map[string]int{"accuracy": 5, "efficiency": 4}},
		{Channel: "pc", Item: "SCJG-001", Stage: "application", Stars: 4, Anonymous: &yes},
	} {
		st.Now = func() time.Time { return at.Add(time.Duration(i+1) * time.Minute) }
		r, err := review.Accept(ctx, st, &sub)
		if err != nil {
			tb.Fatalf("accept %+v: %v", sub, err)
		}
		if _, err := st.CreateReview(ctx, r, review.RateLimit{}); err != nil {
			tb.Fatal(err)
		}
	}
	st.Now = func() time.Time { return at }
}
