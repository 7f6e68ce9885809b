package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
)

// A bulk load (WithoutReviewIndexes: indexes dropped, rollups in memory,
// COPY on PostgreSQL) stores, row for row, the reviews, transactions,
// contacts and work orders that the same reviews stored batch by batch
// do, and builds the indexes it dropped again.
func TestBulkLoadRowsMatchPlainLoad(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			o := demo.Options{Reviews: 3000, Bad: 300, Seed: 11, Batch: 700, Frozen: true}
			plain := storetest.Open(t, dsn(t))
			if err := demo.Load(ctx, plain, o); err != nil {
				t.Fatal(err)
			}
			bulk := storetest.Open(t, dsn(t))
			indexes := indexNames(t, bulk)
			if err := bulk.WithoutReviewIndexes(ctx, func() error { return demo.Load(ctx, bulk, o) }); err != nil {
				t.Fatal(err)
			}
			if got := indexNames(t, bulk); fmt.Sprint(got) != fmt.Sprint(indexes) {
				t.Errorf("indexes after the bulk load:\n%v\nbefore:\n%v", got, indexes)
			}
			// The work orders' citizen tokens are random: their hashes differ.
			for _, q := range []string{
				"SELECT * FROM reviews ORDER BY id",
				"SELECT * FROM review_transactions ORDER BY txn, stage",
				"SELECT * FROM review_contacts ORDER BY review",
				"SELECT number, review, state, round, created_at, updated_at, suspected FROM work_orders ORDER BY number",
			} {
				got, want := tableRows(t, bulk, q), tableRows(t, plain, q)
				if len(want) < 100 {
					t.Fatalf("%s: only %d rows to compare", q, len(want))
				}
				if len(got) != len(want) {
					t.Errorf("%s: %d rows after the bulk load, %d after the plain one", q, len(got), len(want))
				}
				for i := range min(len(got), len(want)) {
					if got[i] != want[i] {
						t.Errorf("%s, row %d:\nbulk  %s\nplain %s", q, i, got[i], want[i])
						break
					}
				}
			}
		})
	}
}

// indexNames are the names of the store's indexes, in order.
func indexNames(t *testing.T, st *store.Store) []string {
	t.Helper()
	q := "SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name"
	if st.Postgres() {
		q = "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname"
	}
	return tableRows(t, st, q)
}

// tableRows are the rows q returns, each as text.
func tableRows(t *testing.T, st *store.Store, q string) []string {
	t.Helper()
	rows, err := st.DB().Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		v := make([]any, len(cols))
		dest := make([]any, len(cols))
		for i := range v {
			dest[i] = &v[i]
		}
		if err := rows.Scan(dest...); err != nil {
			t.Fatal(err)
		}
		for i, x := range v {
			if b, ok := x.([]byte); ok {
				v[i] = string(b)
			}
		}
		out = append(out, fmt.Sprint(v))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
