package store_test

import (
	"context"
	"testing"

	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
)

// Changes moves when a fold adds reviews to the rollups and when the
// catalogue changes, not when a fold finds nothing; it is unsettled while
// a review this process stored waits for its fold, which a reader of the
// rollups would fold first.
func TestChangesFollowFoldsAndTheCatalogue(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		changes := func(when string, wantSettled bool) int64 {
			t.Helper()
			n, settled := st.Changes()
			if settled != wantSettled {
				t.Fatalf("%s: settled %v, want %v", when, settled, wantSettled)
			}
			return n
		}
		if err := st.FoldRollups(ctx); err != nil {
			t.Fatal(err)
		}
		start := changes("folded", true)
		if err := st.FoldRollups(ctx); err != nil {
			t.Fatal(err)
		}
		if n := changes("nothing to fold", true); n != start {
			t.Errorf("a fold of nothing moved Changes from %d to %d", start, n)
		}

		release := st.HoldFolds()
		if _, err := st.CreateReview(ctx, variedReview(t, st, 0), review.RateLimit{}); err != nil {
			release()
			t.Fatal(err)
		}
		stored := changes("a review stored, not folded", false)
		release()
		if _, err := st.Stats(ctx, review.Filter{}); err != nil {
			t.Fatal(err)
		}
		folded := changes("read after the review", true)
		if folded == stored {
			t.Errorf("the fold of a review left Changes at %d", folded)
		}

		g := catalog.Guide{Item: "GA-001", Lang: "zh", Fees: "不收费"}
		if err := st.ImportCatalog(ctx, &catalog.Catalog{Guides: []catalog.Guide{g}}); err != nil {
			t.Fatal(err)
		}
		if n := changes("a guide imported", true); n == folded {
			t.Errorf("a catalogue import left Changes at %d", n)
		}
	})
}
