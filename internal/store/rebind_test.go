package store_test

import (
	"testing"

	"github.com/haocha/haocha/internal/store"
)

// A ? inside a literal or a comment is text, not a placeholder: the
// database gets the query as written, with the one argument in its place.
func TestRebindLeavesLiteralsAndComments(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		q := "SELECT '?' || CAST(? AS TEXT) /* one? */ -- two?\n, 'a''?'"
		var got, quoted string
		if err := st.DB().QueryRow(st.Rebind(q), "x").Scan(&got, &quoted); err != nil {
			t.Fatalf("%q: %v", st.Rebind(q), err)
		}
		if got != "?x" || quoted != "a'?" {
			t.Errorf("got %q, %q, want %q, %q", got, quoted, "?x", "a'?")
		}
	})
}
