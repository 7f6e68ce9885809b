package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/haocha/haocha/internal/store/storetest"
)

// Indexes dropped for a bulk load are all there again afterwards, also
// when the load fails.
func TestWithoutReviewIndexes(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			st := storetest.Open(t, dsn(t))
			q := "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'reviews'"
			if st.Postgres() {
				q = "SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema() AND tablename LIKE 'reviews%'"
			}
			indexes := func() int {
				var n int
				if err := st.DB().QueryRow(q).Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}
			before := indexes()
			during := 0
			boom := errors.New("load failed")
			err := st.WithoutReviewIndexes(context.Background(), func() error {
				during = indexes()
				return boom
			})
			if !errors.Is(err, boom) {
				t.Errorf("err = %v, want the load's error", err)
			}
			if during >= before || indexes() != before {
				t.Errorf("indexes: %d before, %d during, %d after", before, during, indexes())
			}
		})
	}
}
