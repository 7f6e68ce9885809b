package store_test

import (
	"context"
	"testing"

	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store/storetest"
	"github.com/haocha/haocha/internal/workorder"
)

// A page of any size up to the largest reads its rows and the one row
// more that tells a next page exists: ?limit=1000 once came back with 200
// orders and no next page, as the store cut the 1,001 rows asked to its
// default.
func TestOrdersEveryPageSize(t *testing.T) {
	ctx := context.Background()
	st := storetest.OpenFixture(t, storetest.SQLiteDSN(t))
	const total = workorder.MaxPage + 2
	rs := make([]*review.Review, total)
	for i := range rs {
		rs[i] = mustAccept(t, st, review.Submission{Channel: "pc", Item: "SCJG-001", Stage: "decision",
			Stars: 1, Comment: "一直没有结果", Anonymous: &yes})
	}
	if err := st.CreateReviews(ctx, rs); err != nil {
		t.Fatal(err)
	}
	for size := 1; size <= workorder.MaxPage; size++ {
		rows, err := st.Orders(ctx, workorder.Filter{Limit: size + 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != size+1 {
			t.Fatalf("a page of %d read %d rows, want %d: the page and the row that says another follows", size, len(rows), size+1)
		}
	}
	// Past the largest page plus its look-ahead row, the largest.
	rows, err := st.Orders(ctx, workorder.Filter{Limit: 5000})
	if err != nil || len(rows) != workorder.MaxPage+1 {
		t.Errorf("limit 5000 read %d rows (%v), want %d", len(rows), err, workorder.MaxPage+1)
	}
	// The largest page and the next hold every order, once each.
	first, _ := st.Orders(ctx, workorder.Filter{Limit: workorder.MaxPage + 1})
	last := first[workorder.MaxPage-1].Key
	rest, err := st.Orders(ctx, workorder.Filter{Limit: workorder.MaxPage + 1, After: &last})
	if err != nil || workorder.MaxPage+len(rest) != total {
		t.Errorf("pages of %d and %d (%v), want %d orders in all", workorder.MaxPage, len(rest), err, total)
	}
}
