package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/haocha/haocha/internal/store/storetest"
)

// TestContactsKeyedByReview: migration 0245 keeps every contact, and a
// review's contact stays one (its key), while on SQLite the key is the
// table's rowid, so that a contact stored writes no index of its own.
func TestContactsKeyedByReview(t *testing.T) {
	before := migrationsBefore(t, "0245")
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st := openMigrated(t, dsn(t), before)
			exec(t, st, "INSERT INTO review_contacts (review, name, phone) VALUES (7, '王', '13800000000'), (9000000000, '李', '13900000000')")
			if err := st.Migrate(ctx); err != nil {
				t.Fatalf("migrate: %v", err)
			}
			rows, err := st.DB().Query("SELECT review, name, phone FROM review_contacts ORDER BY review")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for rows.Next() {
				var id int64
				var name, phone string
				if err := rows.Scan(&id, &name, &phone); err != nil {
					t.Fatal(err)
				}
				got = append(got, fmt.Sprint(id, name, phone))
			}
			rows.Close()
			if want := []string{"7王13800000000", "9000000000李13900000000"}; fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("contacts after 0245 %v, want %v", got, want)
			}
			if _, err := st.DB().Exec("INSERT INTO review_contacts (review, name, phone) VALUES (7, '张', '13700000000')"); err == nil {
				t.Error("a second contact of review 7 was stored")
			}
			if st.Postgres() {
				return
			}
			var indexes int
			if err := st.DB().QueryRow("SELECT COUNT(*) FROM pragma_index_list('review_contacts')").Scan(&indexes); err != nil {
				t.Fatal(err)
			}
			if indexes != 0 {
				t.Errorf("review_contacts has %d indexes on SQLite, want none: its key is the rowid", indexes)
			}
		})
	}
}
